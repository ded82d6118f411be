/**
 * Whether a group's impact ratio is worth a red flag. The four-fifths line alone raises alarms on
 * groups of one person (where p = 1.000) and buries the results that matter; the Uniform
 * Guidelines (29 CFR 1607.4 D) themselves say a ratio below 0.8 "based on small numbers" that is
 * not statistically significant need not be read as adverse impact, and Local Law 144 lets an
 * auditor leave categories under 2 % of the data out of impact ratios. So a result is flagged only
 * when all three hold: the ratio is below the line, the group has enough people to compare, and
 * the significance test against the highest group says the difference is unlikely to be chance.
 * Everything else says plainly which of those it lacks.
 */

/** Fewer people than this in a group: too little data to compare, whatever the ratio. */
export const MIN_GROUP_SIZE = 5;
/** A two-sided p-value below this counts as statistically significant. */
export const SIGNIFICANCE_LEVEL = 0.05;
/** The four-fifths line of the Uniform Guidelines. */
export const FOUR_FIFTHS = 0.8;

export type AdverseImpactVerdict =
  /** Below the line, enough people, and significant: worth a person's attention. */
  | "adverse"
  /** Below the line with enough people, but the difference could well be chance. */
  | "not-significant"
  /** Below the line, but too few people in the group to say anything. */
  | "too-little-data"
  /** Left out of impact ratios (under 2 % of the data, as Local Law 144 allows). */
  | "excluded"
  /** At or above the line (including the highest group itself). */
  | "within"
  /** No impact ratio (e.g. no group was selected at all). */
  | "no-ratio";

export interface VerdictInput {
  /** People in the group. */
  n: number;
  impactRatio: number | null;
  /** Two-sided p-value against the highest group; null for the highest group itself. */
  pValue: number | null;
  /** Under the 2 % share (Local Law 144's small-category rule). */
  excluded: boolean;
}

/**
 * The verdict on one group's result.
 *
 * @example
 * adverseImpactVerdict({ n: 1, impactRatio: 0, pValue: 1, excluded: false }); // "too-little-data"
 * adverseImpactVerdict({ n: 400, impactRatio: 0.5, pValue: 0.0001, excluded: false }); // "adverse"
 */
export function adverseImpactVerdict(m: VerdictInput): AdverseImpactVerdict {
  if (m.excluded) return "excluded";
  if (m.impactRatio === null) return "no-ratio";
  if (m.impactRatio >= FOUR_FIFTHS) return "within";
  if (m.n < MIN_GROUP_SIZE) return "too-little-data";
  if (m.pValue === null || m.pValue >= SIGNIFICANCE_LEVEL) return "not-significant";
  return "adverse";
}

/** One line a person can read for each verdict. */
export function explainVerdict(verdict: AdverseImpactVerdict, n: number): string {
  switch (verdict) {
    case "adverse":
      return `below ${FOUR_FIFTHS} and statistically significant (p < ${SIGNIFICANCE_LEVEL}): worth a closer look`;
    case "not-significant":
      return `below ${FOUR_FIFTHS}, but not statistically significant (p ≥ ${SIGNIFICANCE_LEVEL}): the difference could be chance`;
    case "too-little-data":
      return `too little data: ${n} ${n === 1 ? "person" : "people"} (fewer than ${MIN_GROUP_SIZE} are not compared)`;
    case "excluded":
      return "under 2% of the data: left out of impact ratios, as Local Law 144 allows; count and rate still shown";
    case "within":
      return `at or above ${FOUR_FIFTHS} of the highest group's rate`;
    case "no-ratio":
      return "no impact ratio: no group has a rate above zero to compare with";
  }
}
