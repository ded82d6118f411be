/**
 * The one entry point for turning a resume file into lines: enforces the size limit before any
 * parsing, has a reader worker parse the file (the format is sniffed from the bytes; the file name
 * and MIME type only break ties) within hard limits of memory and time, runs OCR for scans, and
 * turns every failure into a status with a message. It never throws for a bad file, and nothing a
 * file holds is parsed on the calling thread.
 */
import { ocr } from "./ocr.ts";
import { sniffFormat } from "./read-by-format.ts";
import { duration, readInWorker } from "./reader-pool.ts";
import type { ReadResult, TextLine } from "./types.ts";
import { emptyResult } from "./types.ts";

export { sniffFormat };

export interface ReadOptions {
  filename?: string;
  mime?: string;
  /** Files larger than this are refused before parsing. Lever accepts 30 MB uploads; resumes are far smaller. */
  maxBytes?: number;
  /** Time limit for one file (default 30 s): the reader is terminated when it passes it. */
  timeoutMs?: number;
  /** Run OCR on PDFs without a text layer and on images (default true). */
  ocr?: boolean;
}

export const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;

/** Stops waiting for OCR (child processes with their own time limits) after `ms`. */
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

async function ocrPdf(bytes: Uint8Array, result: ReadResult): Promise<ReadResult> {
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

async function ocrImage(bytes: Uint8Array): Promise<ReadResult> {
  const text = await ocr(bytes, { kind: "image" });
  if (!text) return emptyResult("unknown", "image-only", "The file is an image and OCR (tesseract) is not installed or read nothing.");
  return {
    status: "partial",
    format: "unknown",
    message: "The file is an image; its text was read by OCR, which may contain errors.",
    lines: ocrLines(text),
    hiddenText: [],
    flags: ["image-only", "ocr"],
  };
}

/** Reads a resume file of any supported format into visible lines, hidden text and a status. */
export async function readDocument(bytes: Uint8Array, options: ReadOptions = {}): Promise<ReadResult> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  if (bytes.length === 0) return emptyResult("unknown", "corrupt", "The file is empty (0 bytes).");
  if (bytes.length > maxBytes) {
    return emptyResult(
      "unknown",
      "too-large",
      `The file is ${(bytes.length / 1024 / 1024).toFixed(1)} MB; resumes over ${(maxBytes / 1024 / 1024).toFixed(0)} MB are not read.`,
    );
  }
  const timeoutMs = options.timeoutMs ?? 30_000;
  const tooSlow = () => emptyResult("unknown", "corrupt", `Reading the file took longer than ${duration(timeoutMs)} and was stopped.`);
  const format = sniffFormat(bytes, options.filename, options.mime);
  // An image is not parsed by us at all: tesseract reads it in a child process.
  if (format === "image") {
    if (options.ocr === false) return emptyResult("unknown", "image-only", "The file is an image; OCR is switched off.");
    return withTimeout(ocrImage(bytes), timeoutMs, tooSlow);
  }
  const started = performance.now();
  const result = await readInWorker(bytes, {
    deadlineMs: timeoutMs,
    ...(options.filename ? { filename: options.filename } : {}),
    ...(options.mime ? { mime: options.mime } : {}),
  });
  if (format !== "pdf" || result.status !== "image-only" || options.ocr === false) return result;
  return withTimeout(ocrPdf(bytes, result), Math.max(1, timeoutMs - (performance.now() - started)), tooSlow);
}
