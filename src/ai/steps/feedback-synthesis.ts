/**
 * Feedback synthesis: aggregates interviewers' scorecards per competency (Lever's 1–4 scale),
 * notes disagreement and who has not submitted yet. It reports; it does not recommend.
 */
import { z } from "zod";
import { verifyQuotes } from "../verify-quotes.ts";
import { feedbackFormSchema, feedbackText, readFeedback, submitterName } from "./feedback.ts";
import { defineStep } from "./step-definition.ts";

export const feedbackSynthesisInput = z.object({
  /** The role's competencies; ratings of other names are reported too. */
  competencies: z.array(z.string().min(1)).default([]),
  feedback: z.array(feedbackFormSchema).max(100),
  /** Interviewers whose feedback is expected (names or ids as in the forms). */
  expectedInterviewers: z.array(z.string()).default([]),
});
export type FeedbackSynthesisInput = z.infer<typeof feedbackSynthesisInput>;

export const feedbackSynthesisOutput = z.object({
  overall: z.object({
    average: z.number().min(1).max(4).nullable(),
    count: z.number().int().min(0),
    distribution: z.record(z.string(), z.number().int()),
  }),
  competencies: z.array(
    z.object({
      name: z.string(),
      average: z.number().min(1).max(4).nullable(),
      count: z.number().int().min(0),
      min: z.number().nullable(),
      max: z.number().nullable(),
      /** Ratings two or more points apart. */
      disagreement: z.boolean(),
      /** Interviewers' own words about this competency, quoted exactly. */
      quotes: z.array(z.string()).max(5),
    }),
  ),
  missingFeedbackFrom: z.array(z.string()),
  summary: z.string().max(2000),
});
export type FeedbackSynthesisOutput = z.infer<typeof feedbackSynthesisOutput>;

const round2 = (n: number) => Math.round(n * 100) / 100;

/** The numbers of a synthesis, computed in code whatever engine writes the summary. */
export function synthesiseFeedback(input: FeedbackSynthesisInput): FeedbackSynthesisOutput {
  const { ratings, overall, comments } = readFeedback(input.feedback);
  const names = [...input.competencies];
  for (const r of ratings) if (!names.some((n) => n.toLowerCase() === r.competency.toLowerCase())) names.push(r.competency);
  const competencies = names.map((name) => {
    const mine = ratings.filter((r) => r.competency.toLowerCase() === name.toLowerCase());
    const scores = mine.map((r) => r.score);
    const min = scores.length ? Math.min(...scores) : null;
    const max = scores.length ? Math.max(...scores) : null;
    const quotes = comments
      .filter((c) => c.question.toLowerCase().includes(name.toLowerCase()))
      .map((c) => c.text)
      .slice(0, 5);
    return {
      name,
      average: scores.length ? round2(scores.reduce((a, b) => a + b, 0) / scores.length) : null,
      count: scores.length,
      min,
      max,
      disagreement: min !== null && max !== null && max - min >= 2,
      quotes,
    };
  });
  const distribution: Record<string, number> = {};
  for (const o of overall) distribution[o.label] = (distribution[o.label] ?? 0) + 1;
  const submitted = new Set(input.feedback.map((f) => submitterName(f).toLowerCase()));
  for (const f of input.feedback) if (f.user && typeof f.user === "object" && f.user.id) submitted.add(f.user.id.toLowerCase());
  const missing = input.expectedInterviewers.filter((i) => !submitted.has(i.toLowerCase()));
  const avg = overall.length ? round2(overall.reduce((a, o) => a + o.score, 0) / overall.length) : null;

  const parts: string[] = [];
  parts.push(overall.length ? `${overall.length} scorecard(s), average overall rating ${avg} of 4.` : "No overall ratings yet.");
  const strong = competencies.filter((c) => c.average !== null && c.average >= 3).map((c) => c.name);
  const weak = competencies.filter((c) => c.average !== null && c.average < 2.5).map((c) => c.name);
  const split = competencies.filter((c) => c.disagreement).map((c) => c.name);
  const unrated = competencies.filter((c) => c.count === 0).map((c) => c.name);
  if (strong.length) parts.push(`Rated strongly: ${strong.join(", ")}.`);
  if (weak.length) parts.push(`Rated low: ${weak.join(", ")}.`);
  if (split.length) parts.push(`Interviewers disagree on: ${split.join(", ")}.`);
  if (unrated.length) parts.push(`Not yet assessed: ${unrated.join(", ")}.`);
  if (missing.length) parts.push(`Feedback missing from: ${missing.join(", ")}.`);
  return { overall: { average: avg, count: overall.length, distribution }, competencies, missingFeedbackFrom: missing, summary: parts.join(" ") };
}

export const feedbackSynthesisStep = defineStep<FeedbackSynthesisInput, FeedbackSynthesisOutput>({
  type: "feedback-synthesis",
  description: "Interview feedback aggregated per competency, with disagreement and missing scorecards.",
  input: feedbackSynthesisInput,
  output: feedbackSynthesisOutput,
  untrusted: (input) => [{ label: "interview feedback comments", text: feedbackText(input.feedback) }],
  trusted: (input) => {
    const computed = synthesiseFeedback(input);
    return {
      competencies: computed.competencies.map(({ quotes: _q, ...c }) => c),
      overall: computed.overall,
      missingFeedbackFrom: computed.missingFeedbackFrom,
    };
  },
  names: (input) => [...input.feedback.map(submitterName), ...input.expectedInterviewers].filter((n) => n !== "unknown interviewer"),
  local: synthesiseFeedback,
  finish(output, input) {
    // Numbers always come from code; the model may only contribute the summary and quotes.
    const computed = synthesiseFeedback(input);
    const source = feedbackText(input.feedback);
    return {
      ...computed,
      competencies: computed.competencies.map((c) => {
        const fromModel = output.competencies.find((m) => m.name.toLowerCase() === c.name.toLowerCase());
        const quotes = fromModel ? verifyQuotes(fromModel.quotes, source).kept : c.quotes;
        return { ...c, quotes };
      }),
      summary: output.summary || computed.summary,
    };
  },
});
