/**
 * The part of reading that parses untrusted bytes: sniff the format and run its reader. It runs
 * inside a reader worker (see reader-pool.ts), never on the server's main thread, and bounds what
 * it hands back so a file full of text cannot flood the caller.
 */
import { checkPdfInflatedSize, PdfInflateLimitError } from "./pdf-guard.ts";
import { controlByteShare, readPlainText } from "./plain-text.ts";
import type { ReadResult, ResumeFormat } from "./types.ts";
import { emptyResult } from "./types.ts";
import { MAX_HIDDEN_CHARS, MAX_LINES, MAX_TEXT_CHARS } from "./limits.ts";

function startsWith(bytes: Uint8Array, sig: number[], at = 0): boolean {
  return sig.every((b, i) => bytes[at + i] === b);
}

/** The format a file really is, from its first bytes. */
export function sniffFormat(bytes: Uint8Array, filename = "", mime = ""): ResumeFormat | "image" | "zip" | "ole" {
  const head = new TextDecoder("latin1").decode(bytes.subarray(0, 1024));
  if (head.includes("%PDF-")) return "pdf";
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0x50, 0x4b, 0x05, 0x06])) {
    return /\.docx$/i.test(filename) || mime.includes("wordprocessingml") || head.includes("word/") || head.includes("[Content_Types].xml") ? "docx" : "zip";
  }
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return "ole";
  if (/^\s*\{\\rtf/.test(head)) return "rtf";
  if (
    startsWith(bytes, [0x89, 0x50, 0x4e, 0x47]) ||
    startsWith(bytes, [0xff, 0xd8, 0xff]) ||
    startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) ||
    startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])
  )
    return "image";
  if (/^\s*(<!doctype html|<html|<head|<body|<meta|<div|<p[ >])/i.test(head) || /\.html?$/i.test(filename) || mime === "text/html") return "html";
  return "text";
}

/**
 * Reads a file with the reader for its format. Readers are loaded when first needed, so a worker
 * that reads HTML never loads pdf.js and starts in a fraction of the time. Images and image-only PDFs come back as
 * `image-only`; OCR (a child process) is the caller's next step.
 */
export async function readByFormat(bytes: Uint8Array, filename = "", mime = ""): Promise<ReadResult> {
  switch (sniffFormat(bytes, filename, mime)) {
    case "pdf":
      // Checked before pdf.js is even loaded, so a bomb costs neither its inflation nor pdf.js.
      try {
        await checkPdfInflatedSize(bytes);
      } catch (error) {
        if (error instanceof PdfInflateLimitError)
          return emptyResult("pdf", "too-large", `The PDF was not read: ${error.message}; it looks like a decompression bomb.`);
        throw error;
      }
      return (await import("./pdf.ts")).readPdf(bytes);
    case "docx":
      return (await import("./docx.ts")).readDocx(bytes);
    case "zip":
      return emptyResult("unknown", "unsupported", "The file is a zip archive that is not a Word document.");
    case "ole":
      return emptyResult("doc", "unsupported", "Legacy Word 97–2003 (.doc) files are not supported; ask for a PDF or .docx.");
    case "rtf":
      return (await import("./rtf.ts")).readRtf(bytes);
    case "html":
      return (await import("./html.ts")).readHtml(bytes);
    case "image":
      return emptyResult("unknown", "image-only", "The file is an image.");
    case "text":
    default:
      if (controlByteShare(bytes) > 0.02) return emptyResult("unknown", "corrupt", "The file is binary data, not a document we can read.");
      return readPlainText(bytes);
  }
}

/** Cuts a result down to {@link MAX_LINES} lines, {@link MAX_TEXT_CHARS} of text and {@link MAX_HIDDEN_CHARS} of hidden text. */
export function boundResult(result: ReadResult): ReadResult {
  let chars = 0;
  let lines = Math.min(result.lines.length, MAX_LINES);
  for (let i = 0; i < lines; i++) {
    chars += result.lines[i]!.text.length;
    if (chars > MAX_TEXT_CHARS) {
      lines = i;
      break;
    }
  }
  let hiddenChars = 0;
  const hiddenText = [];
  for (const h of result.hiddenText) {
    if (hiddenChars + h.text.length > MAX_HIDDEN_CHARS) break;
    hiddenChars += h.text.length;
    hiddenText.push(h);
  }
  if (lines === result.lines.length && hiddenText.length === result.hiddenText.length) return result;
  const cut = lines < result.lines.length;
  return {
    ...result,
    ...(cut && result.status === "parsed"
      ? {
          status: "partial" as const,
          message: `The file holds more text than a resume (over ${MAX_LINES.toLocaleString("en")} lines or ${MAX_TEXT_CHARS.toLocaleString("en")} characters); only the first ${lines.toLocaleString("en")} lines were kept.`,
        }
      : {}),
    lines: result.lines.slice(0, lines),
    hiddenText,
    flags: [...result.flags, ...(cut ? ["text-truncated"] : []), ...(hiddenText.length < result.hiddenText.length ? ["hidden-text-truncated"] : [])],
  };
}
