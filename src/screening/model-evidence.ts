/**
 * A model as an evidence provider, through the AI layer's `resume-evidence` step (prompt
 * registry, fenced untrusted text, redaction, schema-validated output, circuit breaker, local
 * fallback). The model sees the rubric's criteria and the scrubbed resume text; it returns quotes
 * per criterion and nothing else that counts. Screening code verifies every quote again and
 * computes the score.
 */
import type { Ai, AiCallContext, AiMeta } from "../ai/index.ts";
import type { EvidenceProvider, ProposedEvidence } from "./evidence.ts";
import type { Rubric } from "./rubric.ts";

interface StepOutput {
  criteria: { id: string; found: boolean; quotes: string[]; explanation: string }[];
}

/** The criteria as the `resume-evidence` step takes them. */
export function stepCriteria(rubric: Rubric): { id: string; name: string; keywords: string[]; mustHave: boolean; description?: string }[] {
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
export function createAiEvidenceProvider(ai: Pick<Ai, "runAiStep">, options: { context?: AiCallContext; onMeta?: (meta: AiMeta) => void } = {}): EvidenceProvider {
  return async ({ rubric, text }) => {
    const { output, meta } = await ai.runAiStep<StepOutput>(
      "resume-evidence",
      { rubric: { criteria: stepCriteria(rubric) }, resumeText: text },
      options.context ? { context: options.context } : {},
    );
    options.onMeta?.(meta);
    return output.criteria.map(
      (c): ProposedEvidence => ({ criterionId: c.id, status: c.found ? "met" : "missing", quotes: c.quotes.slice(0, 8), reason: c.explanation.slice(0, 500) }),
    );
  };
}
