/**
 * Screening evidence: for each criterion of a rubric, quotes from the resume that show it. The
 * step never scores; the screening code turns verified evidence into numbers. Quotes not found
 * in the resume are dropped and counted, so a lower confidence can follow.
 */
import { z } from "zod";
import { detectInjection } from "../untrusted-text.ts";
import { verifyQuotes } from "../verify-quotes.ts";
import { defineStep } from "./step-definition.ts";
import { findMentions } from "./text-analysis.ts";

export const resumeEvidenceInput = z.object({
  rubric: z.object({
    criteria: z
      .array(
        z.object({
          id: z.string().min(1),
          name: z.string().min(1),
          /** Words and phrases that count as evidence; synonyms are added locally. */
          keywords: z.array(z.string()).default([]),
          mustHave: z.boolean().default(false),
          description: z.string().optional(),
        }),
      )
      .min(1)
      .max(50),
  }),
  /** The visible resume text only (hidden text is kept out by the parser). */
  resumeText: z.string().max(500_000),
  candidateName: z.string().optional(),
});
export type ResumeEvidenceInput = z.infer<typeof resumeEvidenceInput>;

export const resumeEvidenceOutput = z.object({
  criteria: z
    .array(
      z.object({
        id: z.string(),
        found: z.boolean(),
        quotes: z.array(z.string().max(600)).max(5),
        explanation: z.string().max(600),
        /** Quotes the model gave that are not in the resume (added by Fulcrum, not the model). */
        droppedQuotes: z.array(z.string()).optional(),
      }),
    )
    .max(50),
  /** Injection patterns found in the resume (added by Fulcrum). */
  flags: z.array(z.string()).optional(),
});
export type ResumeEvidenceOutput = z.infer<typeof resumeEvidenceOutput>;

export const resumeEvidenceStep = defineStep<ResumeEvidenceInput, ResumeEvidenceOutput>({
  type: "resume-evidence",
  description: "Evidence quotes from a resume for each screening criterion (no scores).",
  input: resumeEvidenceInput,
  output: resumeEvidenceOutput,
  untrusted: (input) => [{ label: "resume", text: input.resumeText }],
  trusted: (input) => ({
    criteria: input.rubric.criteria.map(({ id, name, keywords, mustHave, description }) => ({ id, name, keywords, mustHave, description })),
  }),
  names: (input) => (input.candidateName ? [input.candidateName] : []),
  local(input) {
    return {
      criteria: input.rubric.criteria.map((c) => {
        const hits = findMentions(input.resumeText, [c.name, ...c.keywords], 3);
        const matched = [...new Set(hits.flatMap((h) => h.matched))];
        return {
          id: c.id,
          found: hits.length > 0,
          quotes: hits.map((h) => h.sentence.text),
          explanation: hits.length > 0 ? `Mentions ${matched.join(", ")}.` : `No mention of ${[c.name, ...c.keywords].join(", ")} or synonyms.`,
        };
      }),
    };
  },
  finish(output, input) {
    const byId = new Map(output.criteria.map((c) => [c.id, c]));
    return {
      // Exactly the rubric's criteria, in its order: invented ids are dropped, missing ones added.
      criteria: input.rubric.criteria.map((c) => {
        const given = byId.get(c.id);
        if (!given) return { id: c.id, found: false, quotes: [], explanation: "No evidence was returned for this criterion.", droppedQuotes: [] };
        const check = verifyQuotes(given.quotes, input.resumeText);
        return {
          id: c.id,
          found: check.kept.length > 0,
          quotes: check.kept,
          explanation: given.explanation,
          droppedQuotes: check.dropped.map((d) => d.quote),
        };
      }),
      flags: detectInjection(input.resumeText).map((id) => `possible-injection:${id}`),
    };
  },
});
