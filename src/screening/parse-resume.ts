/**
 * A resume file in, a parsed resume out: status, visible text, profile, hidden text and flags.
 * Injected instructions are taken out of the visible lines before the profile is built, so their
 * words never become skills or evidence; both hidden text and injections are flagged.
 */
import { extractProfile, type Profile } from "./profile/extract-profile.ts";
import type { YearMonth } from "./profile/dates.ts";
import { isInjection, removeInjections } from "./injection.ts";
import { readDocument, type ReadOptions } from "./read/read-document.ts";
import { resumeFlags, resumeParseSeconds, resumesParsed } from "./metrics.ts";
import type { HiddenText, ParseStatus, ResumeFormat, TextLine } from "./read/types.ts";

export interface ParsedResume {
  status: ParseStatus;
  format: ResumeFormat;
  message?: string;
  /** Visible text with injected instructions removed: the only text evidence may quote. */
  text: string;
  lines: TextLine[];
  profile: Profile;
  hiddenText: HiddenText[];
  /** Instructions to an AI reviewer found in the visible or hidden text. */
  injections: string[];
  /** The subset of `injections` a reader can see (taken out of `text`, shown to a model as written). */
  visibleInjections: string[];
  /** `hidden-text`, `prompt-injection`, `ocr`, `two-column`, `latin1-decoded`, `layout-not-understood`, … */
  flags: string[];
}

export interface ParseOptions extends ReadOptions {
  asOf?: YearMonth;
}

/** The message of a resume whose text was read but yielded no positions and no skills. */
export const UNREADABLE_LAYOUT = "No positions or skills found: the layout was not understood.";

/** Builds a parsed resume from lines already read (used by tests and by `parseResume`). */
export function parsedFromLines(
  read: { status: ParseStatus; format: ResumeFormat; message?: string; lines: TextLine[]; hiddenText: HiddenText[]; flags: string[] },
  options: { asOf?: YearMonth } = {},
): ParsedResume {
  const { kept, found } = removeInjections(read.lines);
  const hiddenInjections = read.hiddenText.filter((h) => isInjection(h.text)).map((h) => h.text);
  const injections = [...found, ...hiddenInjections];
  const flags = [...read.flags];
  if (injections.length > 0) flags.push("prompt-injection");
  if (read.hiddenText.length > 0 && !flags.includes("hidden-text")) flags.push("hidden-text");
  const profile = extractProfile(kept, options.asOf ? { asOf: options.asOf } : {});
  // Text that yields neither a position nor a skill was read but not understood: never `parsed`,
  // so screening sends it to a person instead of scoring an empty profile as a weak candidate.
  let status = read.status;
  let message = read.message;
  if ((status === "parsed" || status === "partial") && profile.positions.length === 0 && profile.skills.length === 0) {
    status = "partial";
    message = [message, UNREADABLE_LAYOUT].filter(Boolean).join(" ");
    flags.push("layout-not-understood");
  }
  return {
    status,
    format: read.format,
    ...(message ? { message } : {}),
    text: kept.map((l) => l.text).join("\n"),
    lines: kept,
    profile,
    hiddenText: read.hiddenText,
    injections,
    visibleInjections: found,
    flags,
  };
}

/**
 * Parses a resume file of any supported format. Never throws for a bad file: the status and
 * message say what happened.
 *
 * @example
 * const parsed = await parseResume(bytes, { filename: "cv.pdf" });
 * if (parsed.status === "parsed") console.log(parsed.profile.skills.map((s) => s.name));
 */
export async function parseResume(bytes: Uint8Array, options: ParseOptions = {}): Promise<ParsedResume> {
  const started = performance.now();
  const read = await readDocument(bytes, options);
  const parsed = parsedFromLines(read, options.asOf ? { asOf: options.asOf } : {});
  resumesParsed.inc({ format: parsed.format, status: parsed.status });
  for (const flag of parsed.flags) resumeFlags.inc({ flag });
  resumeParseSeconds.observe({ format: parsed.format }, (performance.now() - started) / 1000);
  return parsed;
}
