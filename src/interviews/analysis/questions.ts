/**
 * The question set an interview is analysed against: `[{ id, text }]` in a YAML or JSON file for
 * the CLI, and the same list per posting and stage for configuration (see `questionSetsSchema`).
 */
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { InterviewAnalysisError } from "./errors.ts";

// The shapes of a question and a set live with the configuration's `interviews:` block, which uses them too.
import { interviewQuestionSchema, questionSetSchema, type InterviewQuestion } from "../../config/index.ts";
export { interviewQuestionSchema, questionSetSchema, type InterviewQuestion };

/**
 * Question sets per posting and stage, the shape meant for the configuration's `interviews:`
 * block: `{ questionSets: [{ postingId, stageId?, questions: [...] }] }` (a set without a stage
 * applies to every stage of the posting).
 */
export const questionSetsSchema = z.object({
  questionSets: z.array(z.object({ postingId: z.string().min(1), stageId: z.string().min(1).optional(), questions: questionSetSchema })).default([]),
});
export type QuestionSets = z.infer<typeof questionSetsSchema>;

/** The set for a posting and stage: the stage's own, else the posting's stage-less one, else null. */
export function questionSetFor(sets: QuestionSets, postingId: string, stageId?: string): InterviewQuestion[] | null {
  const forPosting = sets.questionSets.filter((s) => s.postingId === postingId);
  return (stageId ? forPosting.find((s) => s.stageId === stageId) : undefined)?.questions ?? forPosting.find((s) => s.stageId === undefined)?.questions ?? null;
}

/**
 * Parses a question file: a YAML or JSON list of `{ id, text }`, or `{ questions: [...] }`.
 * Problems are `InterviewAnalysisError`s naming the file and the field.
 *
 * @example
 * parseQuestionFile('- id: q1\n  text: Tell me about a conflict at work.\n', "q.yaml")
 * // [{ id: "q1", text: "Tell me about a conflict at work." }]
 */
export function parseQuestionFile(text: string, file = "questions"): InterviewQuestion[] {
  let data: unknown;
  try {
    data = parseYaml(text); // YAML is a superset of JSON
  } catch (error) {
    throw new InterviewAnalysisError("questions-invalid", `${file}: not YAML or JSON (${(error as Error).message.split("\n")[0]})`);
  }
  if (data === null || data === undefined)
    throw new InterviewAnalysisError("questions-empty", `${file}: the question set is empty: give at least one { id, text }`);
  const list = Array.isArray(data) ? data : typeof data === "object" && "questions" in data ? (data as { questions: unknown }).questions : data;
  if (Array.isArray(list) && list.length === 0)
    throw new InterviewAnalysisError("questions-empty", `${file}: the question set is empty: give at least one { id, text }`);
  const parsed = questionSetSchema.safeParse(list);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.length ? ` at ${issue.path.join(".")}` : "";
    throw new InterviewAnalysisError("questions-invalid", `${file}${path}: ${issue.message} (expected a list of { id, text })`);
  }
  return parsed.data;
}
