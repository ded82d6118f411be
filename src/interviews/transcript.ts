/**
 * The one transcript shape every source produces: platform files (WebVTT, SRT, JSON segments) and
 * every recognition engine. Times are seconds from the start of the media.
 */
import { z } from "zod";

/** One recognised word with its times (engines that give word times only). */
export const transcriptWordSchema = z.object({
  start: z.number().nonnegative(),
  end: z.number().nonnegative(),
  word: z.string(),
  confidence: z.number().min(0).max(1).optional(),
});

/** One stretch of speech: a cue of a platform transcript or a segment of an engine's output. */
export const transcriptSegmentSchema = z.object({
  start: z.number().nonnegative(),
  end: z.number().nonnegative(),
  text: z.string(),
  speaker: z.string().optional(),
  words: z.array(transcriptWordSchema).optional(),
});

/** A whole transcript. `language` is a BCP-47-ish code, or "und" when not known. */
export const transcriptSchema = z.object({
  engine: z.string(),
  language: z.string(),
  durationSeconds: z.number().nonnegative(),
  text: z.string(),
  segments: z.array(transcriptSegmentSchema),
});

export type TranscriptWord = z.infer<typeof transcriptWordSchema>;
export type TranscriptSegment = z.infer<typeof transcriptSegmentSchema>;
export type Transcript = z.infer<typeof transcriptSchema>;

/** The printed contract of `fulcrum interview transcribe`: exactly these keys, nothing more. */
export interface TranscriptOutput {
  engine: string;
  language: string;
  durationSeconds: number;
  text: string;
  segments: { start: number; end: number; text: string; speaker?: string }[];
}

/** Rounds a time to milliseconds, so stitched and parsed times print without float noise. */
export function roundTime(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}

/**
 * The contract shape of a transcript: word times and any other internal fields are dropped.
 *
 * @example
 * toTranscriptOutput(t).segments[0] // { start: 0, end: 2.5, text: "hello", speaker: "Ann" }
 */
export function toTranscriptOutput(t: Transcript): TranscriptOutput {
  return {
    engine: t.engine,
    language: t.language,
    durationSeconds: roundTime(t.durationSeconds),
    text: t.text,
    segments: t.segments.map((s) => ({
      start: roundTime(s.start),
      end: roundTime(s.end),
      text: s.text,
      ...(s.speaker !== undefined ? { speaker: s.speaker } : {}),
    })),
  };
}

/** The whole text of segments, one space between them. */
export function joinSegmentText(segments: readonly TranscriptSegment[]): string {
  return segments
    .map((s) => s.text.trim())
    .filter((t) => t.length > 0)
    .join(" ");
}

const englishStopwords = new Set(
  "the a an and or but of to in on at for with is was are were be been i you he she we they it that this my your our me have has had do did not so what how why when where there about".split(
    " ",
  ),
);

/**
 * A cheap guess whether text is English: "en" when common English function words make up a
 * normal share of it, "und" (undetermined) otherwise. Used only when the source gives no language.
 */
export function guessLanguage(text: string): string {
  const words = text.toLowerCase().match(/\p{L}+/gu) ?? [];
  if (words.length < 5) return "und";
  const hits = words.filter((w) => englishStopwords.has(w)).length;
  return hits / words.length >= 0.15 ? "en" : "und";
}
