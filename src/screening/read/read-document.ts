/**
 * The one entry point for turning a resume file into lines: sniffs the real format from the bytes
 * (the file name and MIME type only break ties), enforces the size limit before any parsing, runs
 * the right reader with a time limit, and turns every failure into a status with a message. It
 * never throws for a bad file.
 */
import { readDocx } from "./docx.ts";
import { readHtml } from "./html.ts";
import { ocr } from "./ocr.ts";
import { readPdf } from "./pdf.ts";
import { controlByteShare, readPlainText } from "./plain-text.ts";
import { readRtf } from "./rtf.ts";
import type { ReadResult, ResumeFormat, TextLine } from "./types.ts";
import { emptyResult } from "./types.ts";

export interface ReadOptions {
  filename?: string;
  mime?: string;
  /** Files larger than this are refused before parsing. Lever accepts 30 MB uploads; resumes are far smaller. */
  maxBytes?: number;
  /** Time limit for one file. */
  timeoutMs?: number;
  /** Run OCR on PDFs without a text layer and on images (default true). */
  ocr?: boolean;
}

export const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;

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
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47]) || startsWith(bytes, [0xff, 0xd8, 0xff]) || startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])) return "image";
  if (/^\s*(<!doctype html|<html|<head|<body|<meta|<div|<p[ >])/i.test(head) || /\.html?$/i.test(filename) || mime === "text/html") return "html";
  return "text";
}

/**
 * Stops waiting after `ms`. The readers are asynchronous page by page, so a slow file is abandoned
 * rather than awaited; pdf.js work already scheduled finishes in the background and is dropped.
 */
function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(onTimeout()), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function ocrLines(text: string): TextLine[] {
  return text
    .split(/\r?\n/)
    .map((t) => t.trim())
    .filter(Boolean)
    .map((t) => ({ text: t, page: 1, fontSize: 0, bold: false, heading: false }));
}

async function readByFormat(bytes: Uint8Array, options: ReadOptions): Promise<ReadResult> {
  const format = sniffFormat(bytes, options.filename, options.mime);
  switch (format) {
    case "pdf": {
      const result = await readPdf(bytes);
      if (result.status !== "image-only" || options.ocr === false) return result;
      const text = await ocr(bytes, { kind: "pdf" });
      if (!text) {
        return { ...result, message: "The PDF has no text layer (a scan or an image) and OCR (tesseract, pdftoppm) is not installed or read nothing." };
      }
      return {
        status: "partial",
        format: "pdf",
        message: "The PDF has no text layer; its text was read by OCR, which may contain errors.",
        lines: ocrLines(text),
        hiddenText: result.hiddenText,
        flags: [...result.flags, "image-only", "ocr"],
      };
    }
    case "docx":
      return readDocx(bytes);
    case "zip":
      return emptyResult("unknown", "unsupported", "The file is a zip archive that is not a Word document.");
    case "ole":
      return emptyResult("doc", "unsupported", "Legacy Word 97–2003 (.doc) files are not supported; ask for a PDF or .docx.");
    case "rtf":
      return readRtf(bytes);
    case "html":
      return readHtml(bytes);
    case "image": {
      if (options.ocr === false) return emptyResult("unknown", "image-only", "The file is an image; OCR is switched off.");
      const text = await ocr(bytes, { kind: "image" });
      if (!text) return emptyResult("unknown", "image-only", "The file is an image and OCR (tesseract) is not installed or read nothing.");
      return { status: "partial", format: "unknown", message: "The file is an image; its text was read by OCR, which may contain errors.", lines: ocrLines(text), hiddenText: [], flags: ["image-only", "ocr"] };
    }
    case "text":
    default:
      if (controlByteShare(bytes) > 0.02) return emptyResult("unknown", "corrupt", "The file is binary data, not a document we can read.");
      return readPlainText(bytes);
  }
}

/** Reads a resume file of any supported format into visible lines, hidden text and a status. */
export async function readDocument(bytes: Uint8Array, options: ReadOptions = {}): Promise<ReadResult> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  if (bytes.length === 0) return emptyResult("unknown", "corrupt", "The file is empty (0 bytes).");
  if (bytes.length > maxBytes) {
    return emptyResult("unknown", "too-large", `The file is ${(bytes.length / 1024 / 1024).toFixed(1)} MB; resumes over ${(maxBytes / 1024 / 1024).toFixed(0)} MB are not read.`);
  }
  const timeoutMs = options.timeoutMs ?? 30_000;
  try {
    return await withTimeout(readByFormat(bytes, options), timeoutMs, () =>
      emptyResult("unknown", "corrupt", `Reading the file took longer than ${Math.round(timeoutMs / 1000)} s and was stopped.`),
    );
  } catch (error) {
    return emptyResult("unknown", "corrupt", `The file could not be read: ${(error as Error).message ?? String(error)}.`);
  }
}
