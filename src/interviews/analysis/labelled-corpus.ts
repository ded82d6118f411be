/**
 * The labelled interview corpus in `bench/corpus/interviews/` (hand-written transcripts, their
 * question files and labels; a tuning set and batches of held-out interviews), read for the
 * accuracy test and the benchmark.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseTranscriptFile } from "../intake/transcript-files.ts";
import type { Transcript } from "../transcript.ts";
import { interviewLabelsSchema, type QuestionLabel } from "./accuracy.ts";
import { parseQuestionFile, type InterviewQuestion } from "./questions.ts";
import { recogniserStyle } from "./text.ts";

/** Where the corpus lives. */
export const LABELLED_CORPUS_DIR = join(dirname(fileURLToPath(import.meta.url)), "../../../bench/corpus/interviews");

export interface LabelledInterview {
  name: string;
  heldOut: boolean;
  /** The batch of held-out interviews it came in, if held out. */
  round?: number | undefined;
  transcript: Transcript;
  questions: InterviewQuestion[];
  labels: Record<string, QuestionLabel>;
  /** Who says each segment, in order: I (an interviewer) or C (the candidate), when the labels say. */
  roles?: string | undefined;
}

/** Every interview of the corpus, parsed. */
export function loadLabelledCorpus(dir = LABELLED_CORPUS_DIR): LabelledInterview[] {
  const file = interviewLabelsSchema.parse(JSON.parse(readFileSync(join(dir, "labels.json"), "utf8")));
  return file.interviews.map((i) => ({
    name: i.name,
    heldOut: i.heldOut,
    round: i.round,
    transcript: parseTranscriptFile(readFileSync(join(dir, i.transcript), "utf8"), i.transcript),
    questions: parseQuestionFile(readFileSync(join(dir, i.questions), "utf8"), i.questions),
    labels: i.labels,
    roles: i.roles,
  }));
}

/** A transcript as the offline engine would hand it over: every segment in recogniser style, no speakers. */
export function asRecogniserWouldPrint(transcript: Transcript): Transcript {
  return { ...transcript, segments: transcript.segments.map(({ speaker: _speaker, ...s }) => ({ ...s, text: recogniserStyle(s.text) })) };
}
