/**
 * Interview packet: a guide for the interviewers of one stage — questions per competency, points
 * to probe from the resume and earlier feedback, and what to score.
 */
import { z } from "zod";
import { verifyQuotes } from "../verify-quotes.ts";
import { feedbackFormSchema, feedbackText, readFeedback, submitterName } from "./feedback.ts";
import { defineStep } from "./step-definition.ts";
import { extractiveSummary, findMentions } from "./text-analysis.ts";

export const DEFAULT_COMPETENCIES = ["Role expertise", "Problem solving", "Collaboration", "Communication"];

export const interviewPacketInput = z.object({
  posting: z.object({
    title: z.string().min(1),
    /** The posting's description (written by the company, still fenced as data). */
    text: z.string().max(100_000).default(""),
    competencies: z.array(z.string().min(1)).default([]),
  }),
  stage: z.string().optional(),
  candidateName: z.string().optional(),
  resumeText: z.string().max(500_000).default(""),
  feedback: z.array(feedbackFormSchema).default([]),
});
export type InterviewPacketInput = z.infer<typeof interviewPacketInput>;

export const interviewPacketOutput = z.object({
  summary: z.string().max(1500),
  competencies: z
    .array(z.object({ name: z.string(), questions: z.array(z.string().max(400)).min(1).max(5), lookFor: z.string().max(500) }))
    .min(1)
    .max(12),
  probes: z.array(z.object({ topic: z.string().max(200), reason: z.string().max(500), quote: z.string().max(600).optional() })).max(15),
});
export type InterviewPacketOutput = z.infer<typeof interviewPacketOutput>;

// Behavioural questions that read well for skills ("Kafka") and traits ("Collaboration") alike;
// the competency keeps its own spelling.
const QUESTION_TEMPLATES = [
  (c: string) => `Walk me through a recent piece of work where ${c} mattered most. What was your part, what did you decide, and what was the result?`,
  (c: string) => `What is the hardest problem you have faced involving ${c}? How did you approach it, and what would you do differently now?`,
  (c: string, role: string) => `As a ${role}, how do you tell good ${c} work from merely adequate? Give an example from your own experience.`,
];

export const interviewPacketStep = defineStep<InterviewPacketInput, InterviewPacketOutput>({
  type: "interview-packet",
  description: "Interview guide: questions per competency, points to probe, what to score.",
  input: interviewPacketInput,
  output: interviewPacketOutput,
  untrusted: (input) =>
    [
      { label: "resume", text: input.resumeText },
      { label: "posting description", text: input.posting.text },
      { label: "earlier interview feedback", text: feedbackText(input.feedback) },
    ].filter((u) => u.text.trim() !== ""),
  trusted: (input) => ({
    role: input.posting.title,
    stage: input.stage,
    competencies: input.posting.competencies.length ? input.posting.competencies : DEFAULT_COMPETENCIES,
    earlierRatings: readFeedback(input.feedback).ratings.map(({ competency, score }) => ({ competency, score })),
  }),
  names: (input) => [...(input.candidateName ? [input.candidateName] : []), ...input.feedback.map(submitterName)],
  local(input) {
    const role = input.posting.title;
    const competencies = input.posting.competencies.length ? input.posting.competencies : DEFAULT_COMPETENCIES;
    const probes: InterviewPacketOutput["probes"] = [];
    for (const c of competencies) {
      const hit = findMentions(input.resumeText, [c], 1)[0];
      if (!input.resumeText.trim()) continue;
      probes.push(
        hit
          ? { topic: c, reason: "The resume mentions this; ask for depth, scope and the candidate's own part.", quote: hit.sentence.text }
          : { topic: c, reason: "The resume shows no evidence of this; ask for a concrete example." },
      );
    }
    const { ratings } = readFeedback(input.feedback);
    for (const r of ratings.filter((x) => x.score <= 2)) {
      probes.push({ topic: r.competency, reason: `An earlier interviewer (${r.by}) rated this ${r.score} of 4; explore it again.` });
    }
    return {
      summary: extractiveSummary(input.resumeText, { maxSentences: 3, focus: competencies }) || `Interview for ${role}.`,
      competencies: competencies.map((c) => ({
        name: c,
        questions: QUESTION_TEMPLATES.map((q) => q(c, role)),
        lookFor: `Specific, first-hand examples of ${c} with the candidate's own part and the outcome; score 1–4 on the scorecard, on evidence only.`,
      })),
      probes: probes.slice(0, 15),
    };
  },
  finish(output, input) {
    const source = `${input.resumeText}\n${feedbackText(input.feedback)}`;
    // A probe may cite the resume or feedback only with words that are really there.
    return {
      ...output,
      probes: output.probes.map((p) => (p.quote && verifyQuotes([p.quote], source).kept.length === 0 ? { topic: p.topic, reason: p.reason } : p)),
    };
  },
});
