/**
 * A model as an evidence provider, through the AI layer's `resume-evidence` step (prompt
 * registry, fenced untrusted text, redaction, schema-validated output, circuit breaker, local
 * fallback). The model sees the rubric's criteria and the scrubbed resume text; it returns quotes
 * per criterion and nothing else that counts. Screening code verifies every quote again and
 * computes the score.
 */
import type { Ai, AiCallContext, AiMeta, ResumeEvidenceOutput } from "../ai/index.ts";
import type { EvidenceProvider, ProposedEvidence } from "./evidence.ts";
import type { Rubric } from "./rubric.ts";

/** A criterion as the `resume-evidence` step takes it. */
export interface StepCriterion {
  id: string;
  name: string;
  keywords: string[];
  mustHave: boolean;
  description?: string;
}

/** The criteria as the `resume-evidence` step takes them. */
export function stepCriteria(rubric: Rubric): StepCriterion[] {
  return rubric.criteria
    .filter((c) => c.kind !== "knockout")
    .map((c) => ({
      id: c.id,
      name: c.label.slice(0, 200),
      keywords: [...(c.skills ?? []), ...(c.keywords ?? [])].slice(0, 20),
      mustHave: c.must,
    }));
}

/**
 * Builds an evidence provider on the AI layer. `onMeta` receives the call's metadata (engine,
 * model, prompt version, input hash) for the audit record of the score.
 */
export function createAiEvidenceProvider(
  ai: Pick<Ai, "runAiStep">,
  options: { context?: AiCallContext; onMeta?: (meta: AiMeta) => void } = {},
): EvidenceProvider {
  return async ({ rubric, text }) => {
    const { output, meta } = await ai.runAiStep<ResumeEvidenceOutput>(
      "resume-evidence",
      { rubric: { criteria: stepCriteria(rubric) }, resumeText: text },
      options.context ? { context: options.context } : {},
    );
    options.onMeta?.(meta);
    return evidenceFromStepOutput(output).evidence;
  };
}

/**
 * The `resume-evidence` step's output as evidence for the scorer. Only the quotes the AI layer
 * verified are evidence; those it dropped (not in the resume, or too short to prove anything) are
 * counted, never passed on, so a quote rejected upstream cannot count through a looser check later.
 */
export function evidenceFromStepOutput(output: ResumeEvidenceOutput): { evidence: ProposedEvidence[]; rejectedQuotes: number } {
  let rejectedQuotes = 0;
  const evidence = output.criteria.map((c): ProposedEvidence => {
    rejectedQuotes += c.droppedQuotes?.length ?? 0;
    return { criterionId: c.id, status: c.found ? "met" : "missing", quotes: c.quotes.slice(0, 8), reason: c.explanation.slice(0, 500) };
  });
  return { evidence, rejectedQuotes };
}
