/**
 * Safe unzipping for DOCX files. A zip bomb declares (or hides) gigabytes behind a few kilobytes;
 * mammoth would inflate it whole. We read the central directory first and refuse archives whose
 * declared sizes are too large, then inflate each entry with a hard cap, so a lying header is
 * caught when the output passes the cap instead of after memory is gone.
 */
import { Inflate } from "fflate";

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

export class ZipLimitError extends Error {
  override readonly name = "ZipLimitError";
}
export class ZipFormatError extends Error {
  override readonly name = "ZipFormatError";
}

export interface ZipLimits {
  /** Sum of all entries once inflated. */
  maxTotalBytes: number;
  maxEntries: number;
  /** Inflated ÷ compressed for any entry above 1 MB inflated. */
  maxRatio: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = { maxTotalBytes: 40 * 1024 * 1024, maxEntries: 2000, maxRatio: 200 };

/** Lists the entries of a zip from its central directory, checking the declared sizes against limits. */
export function readCentralDirectory(bytes: Uint8Array, limits: ZipLimits = DEFAULT_ZIP_LIMITS): ZipEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The end-of-central-directory record sits in the last 22 + 65535 bytes.
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 65535); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new ZipFormatError("no zip end-of-directory record");
  const count = view.getUint16(eocd + 10, true);
  const dirOffset = view.getUint32(eocd + 16, true);
  if (count > limits.maxEntries) throw new ZipLimitError(`${count} entries in the archive (limit ${limits.maxEntries})`);
  const entries: ZipEntry[] = [];
  let p = dirOffset;
  let total = 0;
  for (let n = 0; n < count; n++) {
    if (p + 46 > bytes.length || view.getUint32(p, true) !== 0x02014b50) throw new ZipFormatError("damaged zip central directory");
    const method = view.getUint16(p + 10, true);
    const compressedSize = view.getUint32(p + 20, true);
    const uncompressedSize = view.getUint32(p + 24, true);
    const nameLength = view.getUint16(p + 28, true);
    const extraLength = view.getUint16(p + 30, true);
    const commentLength = view.getUint16(p + 32, true);
    const localHeaderOffset = view.getUint32(p + 42, true);
    const name = new TextDecoder().decode(bytes.subarray(p + 46, p + 46 + nameLength));
    if (compressedSize === 0xffffffff || uncompressedSize === 0xffffffff) throw new ZipLimitError(`entry ${name} uses zip64 sizes (over 4 GB)`);
    total += uncompressedSize;
    if (total > limits.maxTotalBytes) throw new ZipLimitError(`the archive declares more than ${limits.maxTotalBytes} bytes once unpacked`);
    if (uncompressedSize > 1024 * 1024 && uncompressedSize / Math.max(1, compressedSize) > limits.maxRatio) {
      throw new ZipLimitError(`entry ${name} expands ${Math.round(uncompressedSize / Math.max(1, compressedSize))}× (limit ${limits.maxRatio}×)`);
    }
    entries.push({ name, method, compressedSize, uncompressedSize, localHeaderOffset });
    p += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** Inflates one entry, stopping as soon as the output passes what the directory declared. */
export function inflateEntry(bytes: Uint8Array, entry: ZipEntry): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const h = entry.localHeaderOffset;
  if (h + 30 > bytes.length || view.getUint32(h, true) !== 0x04034b50) throw new ZipFormatError(`damaged local header for ${entry.name}`);
  const start = h + 30 + view.getUint16(h + 26, true) + view.getUint16(h + 28, true);
  const data = bytes.subarray(start, start + entry.compressedSize);
  if (entry.method === 0) return data;
  if (entry.method !== 8) throw new ZipFormatError(`entry ${entry.name} uses unsupported compression ${entry.method}`);
  const cap = entry.uncompressedSize;
  const chunks: Uint8Array[] = [];
  let size = 0;
  const inflater = new Inflate((chunk) => {
    size += chunk.length;
    if (size > cap) throw new ZipLimitError(`entry ${entry.name} inflates past its declared ${cap} bytes`);
    chunks.push(chunk);
  });
  // Feed in slices so a lying entry is stopped after at most one slice's worth of output.
  const slice = 16 * 1024;
  for (let i = 0; i < data.length; i += slice) inflater.push(data.subarray(i, i + slice), i + slice >= data.length);
  if (data.length === 0) inflater.push(new Uint8Array(0), true);
  const out = new Uint8Array(size);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}
