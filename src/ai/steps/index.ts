/**
 * The built-in AI step types. Each is also the name of its prompt in `prompts/`.
 */
import type { AiStepDefinition } from "./step-definition.ts";
import { approvalBriefStep } from "./approval-brief.ts";
import { feedbackSynthesisStep } from "./feedback-synthesis.ts";
import { hrHandoffStep } from "./hr-handoff-mapping.ts";
import { interviewPacketStep } from "./interview-packet.ts";
import { languageCheckStep } from "./language-check.ts";
import { nurtureEmailStep } from "./nurture-email.ts";
import { resumeEvidenceStep } from "./resume-evidence.ts";

export const builtInSteps: readonly AiStepDefinition<any, any>[] = [
  resumeEvidenceStep,
  interviewPacketStep,
  approvalBriefStep,
  feedbackSynthesisStep,
  nurtureEmailStep,
  languageCheckStep,
  hrHandoffStep,
];

export type { AiStepDefinition, AuditText, UntrustedText } from "./step-definition.ts";
export { defineStep } from "./step-definition.ts";
export * from "./resume-evidence.ts";
export * from "./interview-packet.ts";
export * from "./approval-brief.ts";
export * from "./feedback-synthesis.ts";
export * from "./nurture-email.ts";
export * from "./language-check.ts";
export * from "./hr-handoff-mapping.ts";
export { extractiveSummary, findMentions } from "./text-analysis.ts";
export { feedbackFormSchema, type FeedbackForm } from "./feedback.ts";
