/**
 * The rubric: what a posting asks for, as criteria a score is computed from. Extracted from the
 * posting, or written by a recruiter as an override (a file or an API payload) — an override scores
 * nobody until someone approves it, and each approved version is kept with who approved it and when.
 */
import { createHash } from "node:crypto";
import { z } from "zod";

export const criterionSchema = z.object({
  id: z.string().min(1).max(80),
  kind: z.enum(["skill", "years", "education", "text", "knockout"]),
  /** What the recruiter reads: the requirement as the posting states it. */
  label: z.string().min(1).max(500),
  must: z.boolean(),
  weight: z.number().min(0).max(10),
  /** kind skill: canonical skill names; `match: any` needs one of them, `all` every one. */
  skills: z.array(z.string()).optional(),
  match: z.enum(["any", "all"]).optional(),
  /** kind years: minimum years, counted on positions whose title or details mention a keyword (all positions when none). */
  minYears: z.number().min(0).max(60).optional(),
  /** kind years/text: words that make a position or a sentence relevant. */
  keywords: z.array(z.string()).optional(),
  /** kind education: the lowest level that meets it. */
  level: z.enum(["any", "associate", "bachelor", "master", "doctorate"]).optional(),
  fields: z.array(z.string()).optional(),
  /** kind knockout: the application question (matched on its text) and the answers that pass. */
  question: z.string().optional(),
  acceptedAnswers: z.array(z.string()).optional(),
});
export type Criterion = z.infer<typeof criterionSchema>;

export const rubricSchema = z.object({
  postingId: z.string().min(1),
  title: z.string().default(""),
  source: z.enum(["posting", "override"]),
  criteria: z.array(criterionSchema).min(1).max(60),
  /** Informational; never scored (a candidate's address is a protected feature — ask a knock-out question instead). */
  location: z.string().optional(),
  workplaceType: z.string().optional(),
  minYears: z.number().optional(),
  approvedBy: z.string().optional(),
  approvedAt: z.string().optional(),
});
export type Rubric = z.infer<typeof rubricSchema>;

/** A recruiter's override as written in a file or sent to the API: the criteria, nothing else. */
export const rubricOverrideSchema = z.object({
  postingId: z.string().min(1),
  title: z.string().optional(),
  criteria: z.array(criterionSchema).min(1).max(60),
});
export type RubricOverride = z.infer<typeof rubricOverrideSchema>;

export class RubricError extends Error {
  override readonly name = "RubricError";
  /** Field path of the first problem, e.g. `criteria.2.weight`. */
  readonly path: string;
  constructor(path: string, message: string) {
    super(`${path || "rubric"}: ${message}`);
    this.path = path;
  }
}

/** Validates an override, reporting the first problem with its field path. */
export function parseRubricOverride(input: unknown): Rubric {
  const parsed = rubricOverrideSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new RubricError(issue.path.join("."), issue.message);
  }
  const ids = new Set<string>();
  for (const [i, c] of parsed.data.criteria.entries()) {
    if (ids.has(c.id)) throw new RubricError(`criteria.${i}.id`, `duplicate criterion id "${c.id}"`);
    ids.add(c.id);
    if (c.kind === "skill" && !c.skills?.length) throw new RubricError(`criteria.${i}.skills`, "a skill criterion needs at least one skill");
    if (c.kind === "years" && c.minYears === undefined) throw new RubricError(`criteria.${i}.minYears`, "a years criterion needs minYears");
    if (c.kind === "knockout" && (!c.question || !c.acceptedAnswers?.length)) {
      throw new RubricError(`criteria.${i}`, "a knockout criterion needs question and acceptedAnswers");
    }
  }
  return { postingId: parsed.data.postingId, title: parsed.data.title ?? "", source: "override", criteria: parsed.data.criteria };
}

/** A stable hash of what a rubric scores by (not who approved it): recorded with every score. */
export function rubricHash(rubric: Rubric): string {
  const { approvedBy: _a, approvedAt: _b, ...content } = rubric;
  return createHash("sha256").update(JSON.stringify(content)).digest("hex").slice(0, 16);
}

/** True when a rubric may be used to score: extracted from the posting, or an approved override. */
export function isUsable(rubric: Rubric): boolean {
  return rubric.source === "posting" || Boolean(rubric.approvedBy && rubric.approvedAt);
}
