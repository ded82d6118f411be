/**
 * What every resume reader returns: the visible text as lines (with the layout facts the profile
 * extractor uses to find headings), the hidden text it kept out, and a status that says how well
 * the file could be read.
 */

/** How well a file could be read. Only `parsed` and `partial` carry usable text. */
export type ParseStatus = "parsed" | "partial" | "unsupported" | "image-only" | "encrypted" | "corrupt" | "too-large";

export type ResumeFormat = "pdf" | "docx" | "doc" | "rtf" | "html" | "text" | "unknown";

/** One line of visible text, in reading order. */
export interface TextLine {
  text: string;
  /** 1-based page (always 1 for formats without pages). */
  page: number;
  /** Font size in points, 0 when the format does not say. */
  fontSize: number;
  bold: boolean;
  /** Marked as a heading by the file itself (an HTML/DOCX heading) or by its layout (PDF). */
  heading: boolean;
  /**
   * A blank line (plain text) or a visibly wider space than the line spacing (PDF) separates this
   * line from the one before it, or it starts a page or column: the first line of a block. Absent
   * when the format does not say (HTML, DOCX: every paragraph is its own block there).
   */
  gapBefore?: boolean;
}

/** Why a piece of text was judged invisible to a human reader. */
export type HiddenReason =
  | "white-text"
  | "low-contrast"
  | "tiny-font"
  | "off-page"
  | "invisible-render-mode"
  | "transparent"
  | "hidden-style"
  | "invisible-characters"
  | "metadata";

/** Text present in the file that a person looking at it would not see. Never scored; kept for audit. */
export interface HiddenText {
  text: string;
  reason: HiddenReason;
  page?: number;
}

export interface ReadResult {
  status: ParseStatus;
  format: ResumeFormat;
  /** Why the status is not `parsed`, in words a recruiter understands. */
  message?: string;
  lines: TextLine[];
  hiddenText: HiddenText[];
  /** Machine-readable notes: `ocr`, `latin1-decoded`, `two-column`, `hidden-text`, … */
  flags: string[];
}

export function emptyResult(format: ResumeFormat, status: ParseStatus, message: string, flags: string[] = []): ReadResult {
  return { status, format, message, lines: [], hiddenText: [], flags };
}
