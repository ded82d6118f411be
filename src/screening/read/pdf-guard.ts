/**
 * A decompression-bomb check for PDFs. pdf.js inflates a stream into one buffer that doubles as it
 * grows, with no limit: a 2 MB content stream of deflated zeros becomes 2 GiB. Before pdf.js sees
 * the file, every zlib (FlateDecode) stream is inflated here (by zlib, natively) and its output counted
 * and dropped, and the file is refused once the total passes a cap. Streams behind another filter
 * first (ASCIIHex, ASCII85, LZW) are not seen here; the reader worker's memory limit catches those.
 */
import { constants, createInflate } from "node:zlib";

/** What all of a resume's zlib streams may inflate to together: text, fonts and a few images. */
export const MAX_PDF_INFLATED_BYTES = 128 * 1024 * 1024;

export class PdfInflateLimitError extends Error {
  override readonly name = "PdfInflateLimitError";
}

const STREAM = Buffer.from("stream");
/** Output is counted a chunk at a time and dropped, so the check costs a chunk of memory, not the cap. */
const CHUNK = 256 * 1024;

/**
 * Inflates one zlib stream, counting its output and stopping past `budget`; says how much it
 * produced and how much input the stream used (zlib, not the first "endstream", decides where the
 * data ends: deflate's stored blocks can carry that word, and pdf.js reads on by /Length).
 */
function inflateCounting(input: Uint8Array, budget: number): Promise<{ produced: number; consumed: number; over: boolean }> {
  return new Promise((resolve) => {
    const inflate = createInflate({ chunkSize: CHUNK, finishFlush: constants.Z_SYNC_FLUSH });
    let produced = 0;
    inflate.on("data", (chunk: Buffer) => {
      produced += chunk.length;
      if (produced > budget) {
        inflate.destroy();
        resolve({ produced, consumed: 0, over: true });
      }
    });
    inflate.on("end", () => resolve({ produced, consumed: inflate.bytesWritten, over: false }));
    // A damaged stream is pdf.js's to judge; only the limit stops the file here.
    inflate.on("error", () => resolve({ produced, consumed: inflate.bytesWritten, over: false }));
    inflate.end(input);
  });
}

/** Total bytes the file's zlib streams inflate to; throws {@link PdfInflateLimitError} past `max`. */
export async function checkPdfInflatedSize(bytes: Uint8Array, max = MAX_PDF_INFLATED_BYTES): Promise<number> {
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
    const { produced, consumed, over } = await inflateCounting(buf.subarray(start), max - total);
    if (over)
      throw new PdfInflateLimitError(`its compressed streams inflate to more than ${Math.round(max / 1024 / 1024)} MB (passed in the stream at byte ${start})`);
    total += produced;
    at = buf.indexOf(STREAM, start + Math.max(1, consumed));
  }
  return total;
}
