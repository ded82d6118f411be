/**
 * The tier of a 0–100 score that code computed from verified evidence ("the model gathers
 * evidence; code decides numbers"). Screening and interview analysis share it, so "strong" means
 * the same in a screening note and in an interview's answers.
 */
export type ScoreTier = "strong" | "possible" | "weak";

/** @example tierOf(82) // → "strong" */
export function tierOf(score: number): ScoreTier {
  return score >= 75 ? "strong" : score >= 50 ? "possible" : "weak";
}
