/**
 * Transcripts that platforms supply, used as they are: WebVTT (speakers from `<v Name>` voices or
 * `Name:` prefixes), SRT (no speakers) and JSON segments (bare arrays, `{ segments }`, or an
 * OpenAI `verbose_json` answer). Each becomes the one transcript shape; anything unparseable is an
 * `InterviewMediaError` with status `transcript-invalid` naming the cue or field.
 */
import { z } from "zod";
import { InterviewMediaError } from "../errors.ts";
import { guessLanguage, joinSegmentText, type Transcript, type TranscriptSegment } from "../transcript.ts";

/** The transcript formats a file can be in. */
export type TranscriptFormat = "vtt" | "srt" | "json";

/** Files larger than this are refused before parsing (a two-hour VTT is well under 2 MB). */
export const MAX_TRANSCRIPT_BYTES = 20 * 1024 * 1024;

/** Which transcript format `text` is in, from its content (and the file name as a tie-break), or null. */
export function detectTranscriptFormat(text: string, filename?: string): TranscriptFormat | null {
  const head = text.replace(/^\uFEFF/, "").trimStart();
  if (/^WEBVTT(?:[ \t]|\r?\n|$)/.test(head)) return "vtt";
  if (head.startsWith("{") || head.startsWith("[")) return "json";
  if (/^\d+\s*\r?\n\s*\d{1,2}:\d{2}:\d{2}[,.]\d{1,3}\s*-->/.test(head)) return "srt";
  if (filename && /\.srt$/i.test(filename) && /-->/.test(head)) return "srt";
  return null;
}

/**
 * Parses a platform transcript of any supported format.
 *
 * @example
 * parseTranscriptFile("WEBVTT\n\n00:01.000 --> 00:03.000\n<v Ann>Hello</v>\n").segments
 * // [{ start: 1, end: 3, text: "Hello", speaker: "Ann" }]
 */
export function parseTranscriptFile(text: string, filename?: string): Transcript {
  if (Buffer.byteLength(text, "utf8") > MAX_TRANSCRIPT_BYTES) {
    throw new InterviewMediaError("transcript-invalid", `transcript${where(filename)} is larger than ${MAX_TRANSCRIPT_BYTES} bytes`);
  }
  const format = detectTranscriptFormat(text, filename);
  if (format === "vtt") return parseWebVtt(text, filename);
  if (format === "srt") return parseSrt(text, filename);
  if (format === "json") return parseJsonTranscript(text, filename);
  throw new InterviewMediaError(
    "transcript-invalid",
    `transcript${where(filename)} is not WebVTT (starts with "WEBVTT"), SRT (numbered cues with "-->") or JSON segments`,
  );
}

function where(filename: string | undefined): string {
  return filename ? ` "${filename}"` : "";
}

/** Seconds from a cue timestamp: `hh:mm:ss.ttt`, `mm:ss.ttt` (VTT) or `hh:mm:ss,ttt` (SRT). */
export function parseTimestamp(value: string): number | null {
  const m = /^(?:(\d+):)?([0-5]?\d):([0-5]\d)(?:[.,](\d{1,3}))?$/.exec(value.trim());
  if (!m) return null;
  const hours = m[1] ? Number(m[1]) : 0;
  const ms = m[4] ? Number(m[4].padEnd(3, "0")) : 0;
  return hours * 3600 + Number(m[2]) * 60 + Number(m[3]) + ms / 1000;
}

const entities: Record<string, string> = { amp: "&", lt: "<", gt: ">", nbsp: " ", quot: '"', apos: "'", lrm: "", rlm: "" };

function decodeEntities(text: string): string {
  return text.replace(/&(#\d+|#x[0-9a-f]+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith("#x") || name.startsWith("#X")) return String.fromCodePoint(Number.parseInt(name.slice(2), 16));
    if (name.startsWith("#")) return String.fromCodePoint(Number(name.slice(1)));
    return entities[name.toLowerCase()] ?? whole;
  });
}

/** A `Name:` speaker prefix: one to four capitalised words, then a colon and the words spoken. */
const namePrefix = /^(\p{Lu}[\p{L}\p{M}'.-]*(?: \p{Lu}[\p{L}\p{M}'.-]*){0,3}):\s+(\S.*)$/u;

interface Cue {
  start: number;
  end: number;
  lines: string[];
  /** 1-based line number of the timing line, for errors. */
  line: number;
}

/** Splits a VTT or SRT body into cues; `timing` finds the timing line of a block. */
function readCues(text: string, format: "WebVTT" | "SRT", filename: string | undefined): Cue[] {
  const lines = text.replace(/^\uFEFF/, "").split(/\r\n|\r|\n/);
  const cues: Cue[] = [];
  let i = 0;
  if (format === "WebVTT") {
    // Skip the header block (WEBVTT line plus any metadata lines up to the first blank line).
    while (i < lines.length && lines[i]!.trim() !== "") i += 1;
  }
  while (i < lines.length) {
    while (i < lines.length && lines[i]!.trim() === "") i += 1;
    if (i >= lines.length) break;
    const block: { text: string; no: number }[] = [];
    while (i < lines.length && lines[i]!.trim() !== "") {
      block.push({ text: lines[i]!, no: i + 1 });
      i += 1;
    }
    const first = block[0]!.text.trim();
    if (format === "WebVTT" && /^(NOTE|STYLE|REGION)(\s|$)/.test(first)) continue;
    const t = block.findIndex((l) => l.text.includes("-->"));
    if (t < 0 || t > 1) {
      throw new InterviewMediaError(
        "transcript-invalid",
        `${format} transcript${where(filename)}, line ${block[0]!.no}: expected a cue timing line "start --> end"`,
      );
    }
    const timingLine = block[t]!;
    const [rawStart, rest] = timingLine.text.split("-->") as [string, string];
    const rawEnd = rest.trim().split(/\s+/)[0] ?? "";
    const start = parseTimestamp(rawStart);
    const end = parseTimestamp(rawEnd);
    if (start === null || end === null) {
      throw new InterviewMediaError(
        "transcript-invalid",
        `${format} transcript${where(filename)}, line ${timingLine.no}: cannot read the times in "${timingLine.text.trim().slice(0, 60)}"`,
      );
    }
    if (end < start) {
      throw new InterviewMediaError(
        "transcript-invalid",
        `${format} transcript${where(filename)}, line ${timingLine.no}: the cue ends (${rawEnd}) before it starts (${rawStart.trim()})`,
      );
    }
    cues.push({ start, end, lines: block.slice(t + 1).map((l) => l.text), line: timingLine.no });
  }
  return cues;
}

function finish(segments: TranscriptSegment[], language: string | undefined): Transcript {
  segments.sort((a, b) => a.start - b.start || a.end - b.end);
  const text = joinSegmentText(segments);
  const durationSeconds = segments.reduce((max, s) => Math.max(max, s.end), 0);
  return { engine: "transcript", language: language ?? guessLanguage(text), durationSeconds, text, segments };
}

/**
 * WebVTT: `<v Name>` voices (also `<v.class Name>`) give the speaker; otherwise a `Name:` prefix
 * does. A cue with lines of different voices becomes one segment per voice, with the cue's times.
 * Other markup (`<c>`, `<i>`, inline timestamps) is dropped, entities are decoded.
 */
export function parseWebVtt(text: string, filename?: string): Transcript {
  const header = text.replace(/^\uFEFF/, "").split(/\r\n|\r|\n/, 20);
  if (!/^WEBVTT(?:[ \t]|$)/.test(header[0] ?? "")) {
    throw new InterviewMediaError("transcript-invalid", `WebVTT transcript${where(filename)}, line 1: must start with "WEBVTT"`);
  }
  let language: string | undefined;
  for (const line of header.slice(1)) {
    if (line.trim() === "") break;
    const m = /^Language:\s*([A-Za-z]{2,3}(?:-[A-Za-z0-9]+)*)\s*$/.exec(line);
    if (m) language = m[1]!;
  }
  const segments: TranscriptSegment[] = [];
  for (const cue of readCues(text, "WebVTT", filename)) {
    // Voice spans may open on one line and continue on the next; track the open voice.
    let voice: string | undefined;
    const parts: { speaker: string | undefined; text: string }[] = [];
    for (const raw of cue.lines) {
      let line = raw;
      const open = /<v(?:\.[\w.-]+)?\s+([^>]+)>/.exec(line);
      if (open) voice = open[1]!.trim();
      line = line.replace(/<\/?[^>]*>/g, "");
      line = decodeEntities(line).replace(/\s+/g, " ").trim();
      let speaker = voice;
      if (speaker === undefined) {
        const m = namePrefix.exec(line);
        if (m) {
          speaker = m[1]!;
          line = m[2]!;
        }
      }
      if (line) {
        const last = parts.at(-1);
        if (last && last.speaker === speaker) last.text = `${last.text} ${line}`;
        else parts.push({ speaker, text: line });
      }
      if (/<\/v>/.test(raw)) voice = undefined;
    }
    for (const p of parts) {
      segments.push({ start: cue.start, end: cue.end, text: p.text, ...(p.speaker ? { speaker: p.speaker } : {}) });
    }
  }
  return finish(segments, language);
}

/** SRT: numbered cues with `hh:mm:ss,ttt --> hh:mm:ss,ttt`; formatting tags and `{\an8}` dropped. */
export function parseSrt(text: string, filename?: string): Transcript {
  const segments: TranscriptSegment[] = [];
  for (const cue of readCues(text, "SRT", filename)) {
    const body = decodeEntities(
      cue.lines
        .join(" ")
        .replace(/<\/?[^>]*>/g, "")
        .replace(/\{\\[^}]*\}/g, ""),
    )
      .replace(/\s+/g, " ")
      .trim();
    if (body) segments.push({ start: cue.start, end: cue.end, text: body });
  }
  return finish(segments, undefined);
}

const timeValue = z.union([
  z.number().finite().nonnegative(),
  z.string().transform((s, ctx) => {
    const t = parseTimestamp(s) ?? (/^\d+(\.\d+)?$/.test(s.trim()) ? Number(s) : null);
    if (t === null) {
      ctx.addIssue({ code: "custom", message: `"${s}" is not a time (seconds, or hh:mm:ss.ttt)` });
      return z.NEVER;
    }
    return t;
  }),
]);

const jsonSegmentSchema = z
  .object({
    start: timeValue.optional(),
    end: timeValue.optional(),
    start_time: timeValue.optional(),
    end_time: timeValue.optional(),
    text: z.string(),
    speaker: z.union([z.string(), z.number()]).optional(),
    speaker_label: z.string().optional(),
  })
  .transform((s, ctx) => {
    const start = s.start ?? s.start_time;
    const end = s.end ?? s.end_time;
    if (start === undefined || end === undefined) {
      ctx.addIssue({ code: "custom", message: "needs start and end (seconds)" });
      return z.NEVER;
    }
    if (end < start) {
      ctx.addIssue({ code: "custom", message: `ends (${end}) before it starts (${start})` });
      return z.NEVER;
    }
    const speaker = s.speaker ?? s.speaker_label;
    return { start, end, text: s.text.trim(), ...(speaker !== undefined && speaker !== "" ? { speaker: String(speaker) } : {}) };
  });

const jsonTranscriptSchema = z.object({ segments: z.array(jsonSegmentSchema), language: z.string().optional() });

/** OpenAI's `verbose_json` names languages in full ("english"); the transcript shape wants codes. */
const languageNames: Record<string, string> = {
  english: "en",
  german: "de",
  french: "fr",
  spanish: "es",
  italian: "it",
  portuguese: "pt",
  dutch: "nl",
  polish: "pl",
  swedish: "sv",
  danish: "da",
  norwegian: "no",
  finnish: "fi",
  japanese: "ja",
  chinese: "zh",
  korean: "ko",
  russian: "ru",
  ukrainian: "uk",
  turkish: "tr",
  arabic: "ar",
  hindi: "hi",
};

/** A language code from a code or an English language name; undefined when unknown or empty. */
export function normaliseLanguage(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const v = value.trim().toLowerCase();
  if (/^[a-z]{2,3}(-[a-z0-9]+)*$/.test(v) && v.length <= 8 && !(v in languageNames)) return v;
  return languageNames[v];
}

/** JSON segments: `[{ start, end, text, speaker? }]`, `{ segments: [...], language? }`, or `verbose_json`. */
export function parseJsonTranscript(text: string, filename?: string): Transcript {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new InterviewMediaError("transcript-invalid", `JSON transcript${where(filename)} is not valid JSON: ${(error as Error).message}`);
  }
  // A bare array is the segments themselves; wrapping it keeps one schema and exact error paths.
  const parsed = jsonTranscriptSchema.safeParse(Array.isArray(raw) ? { segments: raw } : raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = (Array.isArray(raw) ? issue.path.slice(1) : issue.path).join(".") || "(top level)";
    throw new InterviewMediaError(
      "transcript-invalid",
      `JSON transcript${where(filename)}, at ${path}: ${issue.message} (expected [{ start, end, text, speaker? }] or { segments: [...] })`,
    );
  }
  const segments = parsed.data.segments.filter((s) => s.text.length > 0);
  return finish(segments, normaliseLanguage(parsed.data.language));
}
