/**
 * Plain-text reading. Text that is not valid UTF-8 is decoded as Windows-1252 (a superset of
 * Latin-1, what most legacy editors wrote) and flagged, so a recruiter knows accents may be off.
 */
import type { ReadResult, TextLine } from "./types.ts";
import { stripInvisibleCharacters } from "./invisible-characters.ts";
import { MAX_LINES, MAX_TEXT_CHARS } from "./limits.ts";

/** Share of bytes that are control characters other than tab, CR, LF, FF. */
export function controlByteShare(bytes: Uint8Array): number {
  const n = Math.min(bytes.length, 8192);
  if (n === 0) return 0;
  let bad = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i]!;
    if (b < 32 && b !== 9 && b !== 10 && b !== 13 && b !== 12) bad++;
  }
  return bad / n;
}

export function decodeText(bytes: Uint8Array): { text: string; latin1: boolean } {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder("utf-16le").decode(bytes.subarray(2)), latin1: false };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder("utf-16be").decode(bytes.subarray(2)), latin1: false };
  try {
    return { text: new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes), latin1: false };
  } catch {
    return { text: new TextDecoder("windows-1252").decode(bytes), latin1: true };
  }
}

export function readPlainText(bytes: Uint8Array): ReadResult {
  const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
  if (!utf16 && controlByteShare(bytes) > 0.02) {
    return { status: "corrupt", format: "unknown", message: "The file is binary data, not a document we can read.", lines: [], hiddenText: [], flags: [] };
  }
  const { text, latin1 } = decodeText(bytes);
  const stripped = stripInvisibleCharacters(text);
  const lines: TextLine[] = [];
  let chars = 0;
  // Blank lines are dropped but remembered: the line after one starts a block (headings stand alone).
  let blank = true;
  for (const [raw] of stripped.text.matchAll(/[^\r\n\f]*(?:\r\n|[\r\n\f]|$)/g)) {
    if (raw === "") break;
    const t = raw.trim();
    if (!t) {
      blank = true;
      continue;
    }
    lines.push({ text: t, page: 1, fontSize: 0, bold: false, heading: false, gapBefore: blank });
    blank = false;
    chars += t.length;
    // Millions of one-letter lines would cost far more memory than the file; the rest is cut anyway.
    if (chars > MAX_TEXT_CHARS || lines.length > MAX_LINES) break;
  }
  const flags: string[] = [];
  if (latin1) flags.push("latin1-decoded");
  if (stripped.hidden.length) flags.push("hidden-text");
  if (lines.length === 0) return { status: "corrupt", format: "text", message: "The text file is empty.", lines, hiddenText: stripped.hidden, flags };
  return {
    status: "parsed",
    format: "text",
    ...(latin1 ? { message: "The text was not valid UTF-8 and was read as Windows-1252 (Latin-1); check accented characters." } : {}),
    lines,
    hiddenText: stripped.hidden,
    flags,
  };
}
