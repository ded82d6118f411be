/**
 * A decompression-bomb check for PDFs. pdf.js inflates a stream into one buffer that doubles as it
 * grows, with no limit: a 2 MB content stream of deflated zeros becomes 2 GiB. Before pdf.js sees
 * the file, every zlib (FlateDecode) stream is inflated here (by zlib, natively, stopping at the cap)
 * and counted, and the file is refused once the total passes a cap. Streams behind another filter
 * first (ASCIIHex, ASCII85, LZW) are not seen here; the reader worker's memory limit catches those.
 */
import { constants, inflateSync } from "node:zlib";

/** What all of a resume's zlib streams may inflate to together: text, fonts and a few images. */
export const MAX_PDF_INFLATED_BYTES = 128 * 1024 * 1024;

export class PdfInflateLimitError extends Error {
  override readonly name = "PdfInflateLimitError";
}

const STREAM = Buffer.from("stream");

/** Total bytes the file's zlib streams inflate to; throws {@link PdfInflateLimitError} past `max`. */
export function checkPdfInflatedSize(bytes: Uint8Array, max = MAX_PDF_INFLATED_BYTES): number {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let total = 0;
  let at = buf.indexOf(STREAM);
  while (at >= 0) {
    const isEnd = at >= 3 && buf.toString("latin1", at - 3, at) === "end";
    let start = at + STREAM.length;
    if (buf[start] === 0x0d) start++;
    if (buf[start] === 0x0a) start++;
    // A zlib stream starts with method 8 (deflate) and a header checksum divisible by 31.
    const zlibHeader = (buf[start]! & 0x0f) === 8 && ((buf[start]! << 8) | buf[start + 1]!) % 31 === 0;
    if (isEnd || !zlibHeader) {
      at = buf.indexOf(STREAM, start);
      continue;
    }
    // zlib, not the first "endstream", decides where the data ends: deflate's stored blocks can
    // carry that word, and pdf.js reads on by the stream's /Length.
    let consumed = 1;
    try {
      // `info: true` returns the engine too, whose bytesWritten says how much input the stream used.
      const { buffer, engine } = inflateSync(buf.subarray(start), { info: true, chunkSize: 1024 * 1024, maxOutputLength: max - total + 1, finishFlush: constants.Z_SYNC_FLUSH }) as unknown as { buffer: Buffer; engine: { bytesWritten: number } };
      total += buffer.length;
      consumed = Math.max(1, engine.bytesWritten);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") {
        throw new PdfInflateLimitError(`its compressed streams inflate to more than ${Math.round(max / 1024 / 1024)} MB (passed in the stream at byte ${start})`);
      }
      // A damaged stream is pdf.js's to judge; only the limit stops the file here.
    }
    at = buf.indexOf(STREAM, start + consumed);
  }
  return total;
}
