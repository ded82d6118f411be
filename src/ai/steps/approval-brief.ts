/**
 * Approval brief: what an approver needs before an offer or approval stage — candidate summary,
 * feedback synthesis, missing data and compliance checks. No recommendation: people decide.
 */
import { z } from "zod";
import { feedbackFormSchema, feedbackText, submitterName } from "./feedback.ts";
import { synthesiseFeedback } from "./feedback-synthesis.ts";
import { checkLanguage } from "./language-check.ts";
import { defineStep } from "./step-definition.ts";
import { extractiveSummary } from "./text-analysis.ts";

export const approvalBriefInput = z.object({
  candidate: z.object({ name: z.string().optional(), headline: z.string().optional(), location: z.string().optional() }).default({}),
  posting: z.object({ title: z.string().min(1), department: z.string().optional(), competencies: z.array(z.string()).default([]) }),
  resumeText: z.string().max(500_000).default(""),
  feedback: z.array(feedbackFormSchema).default([]),
  expectedInterviewers: z.array(z.string()).default([]),
  /** Offer or approval fields from Lever (salary, start date, …). */
  offer: z.record(z.string(), z.unknown()).default({}),
  /** Offer fields that must be filled in before approval. */
  requiredOfferFields: z.array(z.string()).default(["salary", "startDate"]),
});
export type ApprovalBriefInput = z.infer<typeof approvalBriefInput>;

export const approvalBriefOutput = z.object({
  summary: z.string().max(2000),
  feedback: z.object({ summary: z.string().max(2000), overallAverage: z.number().nullable(), scorecards: z.number().int() }),
  strengths: z.array(z.string().max(300)).max(10),
  concerns: z.array(z.string().max(300)).max(10),
  missingData: z.array(z.string().max(300)),
  complianceChecks: z.array(z.object({ check: z.string(), status: z.enum(["pass", "warn", "fail"]), detail: z.string().max(500) })),
});
export type ApprovalBriefOutput = z.infer<typeof approvalBriefOutput>;

/** Missing data and compliance checks: facts, so computed in code for every engine. */
function checks(input: ApprovalBriefInput) {
  const synthesis = synthesiseFeedback({
    competencies: input.posting.competencies,
    feedback: input.feedback,
    expectedInterviewers: input.expectedInterviewers,
  });
  const missingData: string[] = [];
  if (!input.resumeText.trim()) missingData.push("No resume text is available.");
  if (input.feedback.length === 0) missingData.push("No interview feedback has been submitted.");
  for (const who of synthesis.missingFeedbackFrom) missingData.push(`Feedback from ${who} is missing.`);
  const emptyFields = input.requiredOfferFields.filter((f) => input.offer[f] === undefined || input.offer[f] === null || input.offer[f] === "");
  for (const f of emptyFields) missingData.push(`Offer field "${f}" is empty.`);
  const flags = checkLanguage(feedbackText(input.feedback)).flags;
  const complianceChecks: ApprovalBriefOutput["complianceChecks"] = [
    {
      check: "All expected interviewers submitted feedback",
      status: synthesis.missingFeedbackFrom.length === 0 ? "pass" : "warn",
      detail: synthesis.missingFeedbackFrom.length === 0 ? "Every expected scorecard is in." : `Missing: ${synthesis.missingFeedbackFrom.length}.`,
    },
    {
      check: "Feedback language",
      status: flags.length === 0 ? "pass" : "warn",
      detail:
        flags.length === 0
          ? "No potentially biased wording found in the feedback."
          : `${flags.length} passage(s) to review: ${[...new Set(flags.map((f) => f.category))].join(", ")}.`,
    },
    {
      check: "Offer data complete",
      status: emptyFields.length === 0 ? "pass" : "fail",
      detail: emptyFields.length === 0 ? "All required offer fields are filled in." : `Empty: ${emptyFields.join(", ")}.`,
    },
  ];
  return { synthesis, missingData, complianceChecks };
}

export const approvalBriefStep = defineStep<ApprovalBriefInput, ApprovalBriefOutput>({
  type: "approval-brief",
  description: "Brief for an approver: summary, feedback synthesis, missing data, compliance checks.",
  input: approvalBriefInput,
  output: approvalBriefOutput,
  untrusted: (input) =>
    [
      { label: "resume", text: input.resumeText },
      { label: "interview feedback comments", text: feedbackText(input.feedback) },
    ].filter((u) => u.text.trim() !== ""),
  trusted: (input) => {
    const c = checks(input);
    return {
      role: input.posting.title,
      department: input.posting.department,
      feedbackNumbers: { overall: c.synthesis.overall, competencies: c.synthesis.competencies.map(({ quotes: _q, ...x }) => x) },
      missingData: c.missingData,
      complianceChecks: c.complianceChecks,
    };
  },
  names: (input) => [...(input.candidate.name ? [input.candidate.name] : []), ...input.feedback.map(submitterName), ...input.expectedInterviewers],
  local(input) {
    const c = checks(input);
    const headline = [input.candidate.headline, input.candidate.location].filter(Boolean).join(", ");
    const extract = extractiveSummary(input.resumeText, { maxSentences: 3, focus: input.posting.competencies });
    return {
      summary: [headline && `${headline}.`, extract].filter(Boolean).join(" ") || `Candidate for ${input.posting.title}.`,
      feedback: { summary: c.synthesis.summary, overallAverage: c.synthesis.overall.average, scorecards: c.synthesis.overall.count },
      strengths: c.synthesis.competencies
        .filter((x) => x.average !== null && x.average >= 3)
        .map((x) => `${x.name}: average ${x.average} of 4 from ${x.count} rating(s)`),
      concerns: c.synthesis.competencies
        .filter((x) => (x.average !== null && x.average < 2.5) || x.disagreement)
        .map((x) => (x.disagreement ? `${x.name}: interviewers disagree (${x.min}–${x.max})` : `${x.name}: average ${x.average} of 4`)),
      missingData: c.missingData,
      complianceChecks: c.complianceChecks,
    };
  },
  finish(output, input) {
    // Missing data and compliance checks are facts: code's version replaces the model's.
    const c = checks(input);
    return {
      ...output,
      feedback: { ...output.feedback, overallAverage: c.synthesis.overall.average, scorecards: c.synthesis.overall.count },
      missingData: c.missingData,
      complianceChecks: c.complianceChecks,
    };
  },
});
