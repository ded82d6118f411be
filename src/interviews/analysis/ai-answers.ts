/**
 * The AI-provider path of answer finding, through the project's AI layer: the step type
 * `interview-answers` (prompt in `prompts/` beside this file), structured output naming segment
 * numbers and verbatim quotes, every quote verified against the segments it names, and the local
 * engine answering whenever no provider is configured, the provider fails, or — question by
 * question — a quote does not check out. A transcript longer than one call may carry is sent in
 * overlapping windows of whole segments, and the windows' answers are merged by code.
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { BUILT_IN_PROMPTS_DIR, DEFAULT_MAX_UNTRUSTED_CHARS, defineStep, verifyQuotes } from "../../ai/index.ts";
import { roundTime, type Transcript } from "../transcript.ts";
import { assembleAnalysis, checkAnalysisInput, type AnalyzeOptions, type InterviewAnalysis } from "./analyze.ts";
import { matchQuestions, type MatchedQuestion } from "./match-questions.ts";
import { interviewQuestionSchema, type InterviewQuestion } from "./questions.ts";
import { labelSpeakers, type LabelledSegment } from "./speakers.ts";
import { transcriptWindows } from "./transcript-windows.ts";

/** The folder holding the `interview-answers` prompt; add it to `createAi`'s `promptDirs`. */
export const INTERVIEW_PROMPTS_DIR = join(dirname(fileURLToPath(import.meta.url)), "prompts");

const segmentSchema = z.object({
  index: z.number().int().nonnegative(),
  start: z.number().nonnegative(),
  end: z.number().nonnegative(),
  text: z.string(),
  role: z.enum(["interviewer", "candidate"]),
  isQuestion: z.boolean(),
});

export const interviewAnswersInput = z.object({
  questions: z.array(interviewQuestionSchema).min(1),
  segments: z.array(segmentSchema).min(1),
  /** Set when the segments are one window of a longer transcript. */
  excerpt: z.object({ part: z.number().int().positive(), of: z.number().int().positive() }).optional(),
});
export type InterviewAnswersInput = z.infer<typeof interviewAnswersInput>;

export const interviewAnswersOutput = z.object({
  questions: z.array(
    z.object({
      id: z.string(),
      asked: z.object({ segment: z.number().int().nonnegative(), quote: z.string().max(4000) }).nullable(),
      answer: z.object({ fromSegment: z.number().int().nonnegative(), toSegment: z.number().int().nonnegative(), quote: z.string().max(40_000) }).nullable(),
    }),
  ),
  /** Ids whose model answer was dropped for a quote not found where it said (added by Fulcrum). */
  unverified: z.array(z.string()).optional(),
});
export type InterviewAnswersOutput = z.infer<typeof interviewAnswersOutput>;

/** The local engine's result in the step's output shape. */
function localAnswers(input: InterviewAnswersInput): InterviewAnswersOutput {
  return { questions: matchQuestions(input.questions, input.segments).map((q) => toStepAnswer(q)) };
}

function toStepAnswer(q: MatchedQuestion): InterviewAnswersOutput["questions"][number] {
  return {
    id: q.id,
    asked: q.asked && q.askedIndex !== null ? { segment: q.askedIndex, quote: q.asked.quote } : null,
    answer: q.answer && q.answerIndices.length ? { fromSegment: q.answerIndices[0]!, toSegment: q.answerIndices.at(-1)!, quote: q.answer.quote } : null,
  };
}

/** A segment as the model reads it: `[n] (start–end s) role: text`. */
function segmentLine(s: z.infer<typeof segmentSchema>): string {
  return `[${s.index}] (${roundTime(s.start)}–${roundTime(s.end)} s) ${s.role}: ${s.text.trim()}`;
}

function textOf(segments: readonly LabelledSegment[], from: number, to: number): string {
  return segments
    .filter((s) => s.index >= from && s.index <= to)
    .map((s) => s.text.trim())
    .join(" ");
}

/**
 * Keeps a model's answer only when its segments exist, are in order, and its quotes are found in
 * them; any other question (or one the model left out) is answered by the local engine.
 */
function verifyAnswers(output: InterviewAnswersOutput, input: InterviewAnswersInput): InterviewAnswersOutput {
  const local = new Map(localAnswers(input).questions.map((q) => [q.id, q]));
  const byId = new Map(output.questions.map((q) => [q.id, q]));
  // Segment numbers are the transcript's: a window's start after 0, so a number must be one it holds.
  const held = new Set(input.segments.map((s) => s.index));
  // What a model may have put in `unverified` itself is ignored: only Fulcrum's check fills it.
  const unverified: string[] = [];
  const questions = input.questions.map((q) => {
    const proposed = byId.get(q.id);
    const ok =
      proposed !== undefined &&
      (proposed.asked === null ||
        (held.has(proposed.asked.segment) &&
          verifyQuotes([proposed.asked.quote], textOf(input.segments, proposed.asked.segment, proposed.asked.segment)).kept.length === 1)) &&
      (proposed.answer === null ||
        (proposed.asked !== null &&
          proposed.answer.fromSegment <= proposed.answer.toSegment &&
          held.has(proposed.answer.fromSegment) &&
          held.has(proposed.answer.toSegment) &&
          proposed.answer.fromSegment > proposed.asked.segment &&
          verifyQuotes([proposed.answer.quote], textOf(input.segments, proposed.answer.fromSegment, proposed.answer.toSegment)).kept.length === 1));
    if (ok) return proposed;
    if (!unverified.includes(q.id)) unverified.push(q.id);
    return local.get(q.id)!;
  });
  return { questions, ...(unverified.length ? { unverified } : {}) };
}

/** The `interview-answers` step type: register it with `createAi({ steps: [...], promptDirs: [...] })`. */
export const interviewAnswersStep = defineStep<InterviewAnswersInput, InterviewAnswersOutput>({
  type: "interview-answers",
  description: "Where each question of the set was asked in an interview transcript and the candidate's answer, with verbatim quotes.",
  input: interviewAnswersInput,
  output: interviewAnswersOutput,
  untrusted: (input) => [
    {
      label: "interview transcript",
      text: input.segments.map(segmentLine).join("\n"),
    },
  ],
  trusted: (input) => ({ questions: input.questions, ...(input.excerpt ? { excerpt: input.excerpt } : {}) }),
  names: () => [],
  local: localAnswers,
  finish: verifyAnswers,
  // The transcript is forgotten on request and at the end of retention; the audit trail is never edited.
  auditText: "hash",
});

/**
 * What the provider path needs of the AI layer: running one step type and learning which engine
 * answered. An `Ai` is one; the workflow engine adapts its own step runner to it.
 */
export interface InterviewAi {
  runAiStep<O>(
    stepType: string,
    input: unknown,
    options?: { context?: { actor?: string; traceId?: string | undefined } },
  ): Promise<{ output: O; meta: { engine: "model" | "local"; fallbackReason?: string | undefined; prompt?: string | undefined } }>;
}

/** What `createAi` needs to run the interview step: add these to its options. */
export const interviewAiOptions = { steps: [interviewAnswersStep], promptDirs: [BUILT_IN_PROMPTS_DIR, INTERVIEW_PROMPTS_DIR] } as const;

/**
 * The most transcript characters sent in one call under the AI layer's cap on untrusted text
 * (`ai.maxUntrustedChars`), with room for redaction placeholders that are longer than what they
 * replace. Callers pass the configured cap; a window over it would be cut short and its end unread.
 */
export function windowCharsFor(maxUntrustedChars: number = DEFAULT_MAX_UNTRUSTED_CHARS): number {
  return Math.floor(maxUntrustedChars * 0.9);
}

/** The window under the default cap. */
export const WINDOW_CHARS = windowCharsFor();

type StepAnswer = InterviewAnswersOutput["questions"][number];

/**
 * The windows' answers as one: for each question the earliest asking a window's model answer
 * verified (on the same asking, the answer that runs on furthest, as a later window sees more of
 * it); a question no window found asked is "not asked", unless a window's answer was dropped for
 * an unverified quote — then the local engine answers it over the whole transcript, flagged.
 */
function mergeWindows(outputs: readonly InterviewAnswersOutput[], input: InterviewAnswersInput): InterviewAnswersOutput {
  const unverified = new Set(outputs.flatMap((o) => o.unverified ?? []));
  let local: Map<string, StepAnswer> | undefined;
  const questions = input.questions.map((q) => {
    const found = outputs
      .filter((o) => !o.unverified?.includes(q.id))
      .map((o) => o.questions.find((a) => a.id === q.id))
      .filter((a): a is StepAnswer & { asked: NonNullable<StepAnswer["asked"]> } => a?.asked != null);
    found.sort((a, b) => a.asked.segment - b.asked.segment || (b.answer?.toSegment ?? -1) - (a.answer?.toSegment ?? -1));
    if (found[0]) return found[0];
    if (!unverified.has(q.id)) return { id: q.id, asked: null, answer: null };
    local ??= new Map(localAnswers(input).questions.map((a) => [a.id, a]));
    return local.get(q.id)!;
  });
  return { questions, ...(unverified.size ? { unverified: input.questions.map((q) => q.id).filter((id) => unverified.has(id)) } : {}) };
}

/**
 * Analyses an interview with the configured AI provider finding the answers, quotes verified, and
 * the local engine as the fallback (for the whole call, or for each question whose quote fails).
 * A transcript longer than `windowChars` goes in overlapping windows, one call each; if any call
 * is answered locally (no provider, an outage), the local engine answers for the whole transcript.
 *
 * @example
 * const ai = createAi({ config, ...interviewAiOptions });
 * const analysis = await analyzeInterviewWithProvider(ai, transcript, questions);
 * analysis.summary.engine // "model" or "local"
 */
export async function analyzeInterviewWithProvider(
  ai: InterviewAi,
  transcript: Transcript,
  questions: readonly InterviewQuestion[],
  options: AnalyzeOptions & { traceId?: string | undefined; windowChars?: number | undefined } = {},
): Promise<InterviewAnalysis> {
  checkAnalysisInput(transcript, questions);
  const labels = labelSpeakers(transcript.segments, { interviewerNames: options.interviewerNames });
  const input: InterviewAnswersInput = { questions: [...questions], segments: labels.segments.map(({ speaker: _s, ...s }) => s) };
  const windows = transcriptWindows(input.segments.map(segmentLine), options.windowChars ?? WINDOW_CHARS);
  const outputs: InterviewAnswersOutput[] = [];
  let meta: { engine: "model" | "local"; fallbackReason?: string | undefined } = { engine: "model" };
  for (const [k, w] of windows.entries()) {
    const part: InterviewAnswersInput =
      windows.length === 1 ? input : { ...input, segments: input.segments.slice(w.from, w.to + 1), excerpt: { part: k + 1, of: windows.length } };
    const r = await ai.runAiStep<InterviewAnswersOutput>("interview-answers", part, { context: { actor: "interview-analysis", traceId: options.traceId } });
    if (r.meta.engine === "local") {
      // Half a transcript read by a model and half by the local engine would be neither: the local engine reads it all.
      const reason = r.meta.fallbackReason && windows.length > 1 ? `${r.meta.fallbackReason} (part ${k + 1} of ${windows.length})` : r.meta.fallbackReason;
      meta = { engine: "local", fallbackReason: reason };
      outputs.splice(0, outputs.length, windows.length === 1 ? r.output : localAnswers(input));
      break;
    }
    outputs.push(r.output);
  }
  const output = meta.engine === "local" || windows.length === 1 ? outputs[0]! : mergeWindows(outputs, input);
  const byIndex = new Map(labels.segments.map((s) => [s.index, s]));
  const matched: MatchedQuestion[] = questions.map((q) => {
    const found = output.questions.find((o) => o.id === q.id);
    const askedSeg = found?.asked ? byIndex.get(found.asked.segment) : undefined;
    if (!found?.asked || !askedSeg) return { id: q.id, text: q.text, asked: null, answer: null, askedIndex: null, answerIndices: [], similarity: 0 };
    const answerSegs = found.answer
      ? labels.segments.filter((s) => s.role === "candidate" && s.index >= found.answer!.fromSegment && s.index <= found.answer!.toSegment)
      : [];
    return {
      id: q.id,
      text: q.text,
      asked: { start: roundTime(askedSeg.start), end: roundTime(askedSeg.end), quote: found.asked.quote },
      answer:
        found.answer && answerSegs.length
          ? { start: roundTime(answerSegs[0]!.start), end: roundTime(answerSegs.at(-1)!.end), quote: found.answer.quote }
          : null,
      askedIndex: askedSeg.index,
      answerIndices: answerSegs.map((s) => s.index),
      similarity: 1,
    };
  });
  const analysis = assembleAnalysis(transcript, labels, matched, { ...options, engine: meta.engine, fallbackReason: meta.fallbackReason });
  for (const id of output.unverified ?? []) analysis.flags.push({ kind: "unverified-quote", id, part: "answer" });
  return analysis;
}
