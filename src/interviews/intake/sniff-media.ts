/**
 * What a media file really is, from its first bytes (magic numbers), never from a Content-Type
 * header or a file name: a text file labelled `video/mp4` is text.
 */

/** A container Fulcrum accepts, with the MIME type it is known by. */
export type MediaKind = "mp4" | "mov" | "m4a" | "webm" | "mkv" | "wav" | "mp3" | "ogg" | "flac";

/** Bytes needed to sniff every supported kind (the EBML DocType sits within the first 64). */
export const SNIFF_BYTES = 64;

const mimeOf: Record<MediaKind, string> = {
  mp4: "video/mp4",
  mov: "video/quicktime",
  m4a: "audio/mp4",
  webm: "video/webm",
  mkv: "video/x-matroska",
  wav: "audio/wav",
  mp3: "audio/mpeg",
  ogg: "audio/ogg",
  flac: "audio/flac",
};

function ascii(bytes: Uint8Array, from: number, to: number): string {
  return String.fromCharCode(...bytes.subarray(from, to));
}

/**
 * The media kind of a file from its first bytes (give at least `SNIFF_BYTES` when there are that
 * many), or null when they match no supported container.
 *
 * @example
 * sniffMedia(new TextEncoder().encode("RIFF\0\0\0\0WAVEfmt ")) // { kind: "wav", mime: "audio/wav" }
 */
export function sniffMedia(bytes: Uint8Array): { kind: MediaKind; mime: string } | null {
  const kind = sniffKind(bytes);
  return kind ? { kind, mime: mimeOf[kind] } : null;
}

function sniffKind(b: Uint8Array): MediaKind | null {
  if (b.length < 4) return null;
  const first4 = ascii(b, 0, 4);
  if (first4 === "RIFF" && b.length >= 12 && ascii(b, 8, 12) === "WAVE") return "wav";
  if (first4 === "OggS") return "ogg";
  if (first4 === "fLaC") return "flac";
  if (b[0] === 0x1a && b[1] === 0x45 && b[2] === 0xdf && b[3] === 0xa3) {
    // EBML header; the DocType says whether this is WebM or another Matroska file.
    return ascii(b, 4, Math.min(b.length, SNIFF_BYTES)).includes("webm") ? "webm" : "mkv";
  }
  if (b.length >= 12) {
    const box = ascii(b, 4, 8);
    if (box === "ftyp") {
      const brand = ascii(b, 8, 12);
      if (brand === "M4A " || brand === "M4B ") return "m4a";
      if (brand === "qt  ") return "mov";
      return "mp4";
    }
    // Old QuickTime files may start with another top-level atom; its size must be plausible.
    const size = ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
    if ((box === "moov" || box === "mdat" || box === "wide") && (size === 1 || size >= 8)) return "mov";
  }
  if (first4.startsWith("ID3")) return "mp3";
  // An MPEG audio frame header: 11 sync bits, a version that is not reserved, layer I-III (ADTS AAC has layer 0).
  if (b[0] === 0xff && (b[1]! & 0xe0) === 0xe0 && (b[1]! & 0x18) !== 0x08 && (b[1]! & 0x06) !== 0 && (b[2]! & 0xf0) !== 0xf0) return "mp3";
  return null;
}
