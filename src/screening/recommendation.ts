/**
 * What the screening recommends for a scored application: `advance`, `hold` or `reject`. A pure
 * function of the score, so the bars are easy to test and to explain in the note.
 *
 * - `advance`: a strong match (tier `strong`), at or above `advanceAt`, with every must-have met;
 * - `reject`: a must-have is missing, or the score is below `rejectBelow`;
 * - `hold`: everything between — a person decides.
 *
 * An application the screening could not score (no resume, an unreadable one, no posting) is not
 * recommended at all: its recommendation is `review`, the reason a person is needed, never
 * `reject` — an unreadable file says nothing about the candidate.
 */

/** What the screening recommends. `review`: not scored, a person must look. */
export type Recommendation = "advance" | "hold" | "reject" | "review";

/** Every recommendation, in the order the console and Lever's form list them. */
export const RECOMMENDATIONS: readonly Recommendation[] = ["advance", "hold", "reject", "review"];

/** Every tier the screening gives: a scored application's, or `unscored` when it could not be scored. */
export const SCREENING_TIERS = ["strong", "possible", "weak", "unscored"] as const;

/** Default bar for proposing an advance (score out of 100). */
export const DEFAULT_ADVANCE_AT = 75;
/**
 * Default bar below which the screening recommends rejecting: 40, well inside the `weak` tier
 * (under 50), so a candidate near the tier's edge is held for a person rather than rejected.
 */
export const DEFAULT_REJECT_BELOW = 40;

export interface RecommendationInput {
  score: number;
  tier: "strong" | "possible" | "weak";
  missingMustHaves: readonly string[];
}

export interface RecommendationBars {
  advanceAt?: number | undefined;
  rejectBelow?: number | undefined;
}

/** The recommendation and the one sentence that says why. */
export interface RecommendationResult {
  recommendation: Exclude<Recommendation, "review">;
  why: string;
}

/**
 * Advance, hold or reject for a scored application.
 * @example recommend({ score: 82, tier: "strong", missingMustHaves: [] }).recommendation // → "advance"
 * @example recommend({ score: 55, tier: "possible", missingMustHaves: ["5 years of Go"] }).recommendation // → "reject"
 */
export function recommend(result: RecommendationInput, bars: RecommendationBars = {}): RecommendationResult {
  const advanceAt = bars.advanceAt ?? DEFAULT_ADVANCE_AT;
  const rejectBelow = bars.rejectBelow ?? DEFAULT_REJECT_BELOW;
  if (result.missingMustHaves.length > 0) {
    return { recommendation: "reject", why: `missing must-have${result.missingMustHaves.length === 1 ? "" : "s"}: ${result.missingMustHaves.join("; ")}` };
  }
  if (result.score < rejectBelow) return { recommendation: "reject", why: `score ${result.score} is below the reject bar ${rejectBelow}` };
  if (result.tier === "strong" && result.score >= advanceAt)
    return { recommendation: "advance", why: `score ${result.score} reaches the advance bar ${advanceAt} with every must-have met` };
  return { recommendation: "hold", why: `score ${result.score} is between the reject bar ${rejectBelow} and the advance bar ${advanceAt}` };
}

/** A bar from a step's `with:` (a number, or a template that rendered to a numeric string), else undefined. */
export function barFrom(value: unknown): number | undefined {
  const n = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : NaN;
  return Number.isFinite(n) && n >= 0 && n <= 100 ? n : undefined;
}

/**
 * Both bars from a step's `with:`, each read the same way by `barFrom` (a number or a numeric
 * string from a template); a bar that is absent or not a score is left to the default.
 * @example barsFrom({ advanceAt: "80", rejectBelow: 30 }) // → { advanceAt: 80, rejectBelow: 30 }
 */
export function barsFrom(params: Readonly<Record<string, unknown>>): RecommendationBars {
  return { advanceAt: barFrom(params.advanceAt), rejectBelow: barFrom(params.rejectBelow) };
}
