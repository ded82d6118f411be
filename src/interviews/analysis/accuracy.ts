/**
 * How well an analysis finds the question set, against hand labels: a question counts as correct
 * when asked/not-asked is right and, when asked, the answer span overlaps the labelled one by at
 * least half (of the longer of the two, so an answer that runs on to the end of the interview
 * does not count as right).
 */
import { z } from "zod";
import type { QuestionResult } from "./match-questions.ts";

/** One question's label: when it was asked (null: never) and the answer's [start, end]. */
export const questionLabelSchema = z.object({
  asked: z.number().nonnegative().nullable(),
  answer: z.tuple([z.number().nonnegative(), z.number().nonnegative()]).nullable(),
});
export type QuestionLabel = z.infer<typeof questionLabelSchema>;

/** The labels file of a corpus: one entry per interview, naming its transcript and question files. */
export const interviewLabelsSchema = z.object({
  interviews: z
    .array(
      z.object({
        name: z.string(),
        /** Written after the local engine was tuned, and never used to tune it. */
        heldOut: z.boolean().default(false),
        /** Which batch of held-out interviews this one came in (1, 2, …): the newest was never tuned against. */
        round: z.number().int().positive().optional(),
        transcript: z.string(),
        questions: z.string(),
        /** Who says each segment of the transcript, in order: I (an interviewer) or C (the candidate). */
        roles: z
          .string()
          .regex(/^[IC]*$/)
          .optional(),
        labels: z.record(z.string(), questionLabelSchema),
      }),
    )
    .min(1),
});
export type InterviewLabels = z.infer<typeof interviewLabelsSchema>;

/** The share of [a0, a1] and [b0, b1] they have in common, over the longer of the two (0–1). */
export function spanOverlap(a: readonly [number, number], b: readonly [number, number]): number {
  const common = Math.max(0, Math.min(a[1], b[1]) - Math.max(a[0], b[0]));
  const longer = Math.max(a[1] - a[0], b[1] - b[0]);
  return longer > 0 ? common / longer : a[0] === b[0] ? 1 : 0;
}

/** Why a question was judged wrong, for the benchmark's listing. */
export interface QuestionMiss {
  id: string;
  reason: "asked-but-missed" | "not-asked-but-found" | "answer-missing" | "answer-found-but-none" | "answer-overlap";
  overlap?: number;
}

/** Whether one result agrees with its label, and why not. */
export function judgeQuestion(result: QuestionResult, label: QuestionLabel): QuestionMiss | null {
  if (label.asked === null) return result.asked === null ? null : { id: result.id, reason: "not-asked-but-found" };
  if (result.asked === null) return { id: result.id, reason: "asked-but-missed" };
  if (label.answer === null) return result.answer === null ? null : { id: result.id, reason: "answer-found-but-none" };
  if (result.answer === null) return { id: result.id, reason: "answer-missing" };
  const overlap = spanOverlap([result.answer.start, result.answer.end], label.answer);
  return overlap >= 0.5 ? null : { id: result.id, reason: "answer-overlap", overlap };
}

/**
 * Accuracy of results against labels (questions without a label are an error: the labels must
 * cover the whole set).
 */
export function scoreQuestions(
  results: readonly QuestionResult[],
  labels: Readonly<Record<string, QuestionLabel>>,
): { correct: number; total: number; misses: QuestionMiss[] } {
  const misses: QuestionMiss[] = [];
  for (const r of results) {
    const label = labels[r.id];
    if (!label) throw new Error(`no label for question "${r.id}"`);
    const miss = judgeQuestion(r, label);
    if (miss) misses.push(miss);
  }
  return { correct: results.length - misses.length, total: results.length, misses };
}
