/**
 * Fairness metrics for the console and audits, as defined by NYC Local Law 144 (DCWP rules
 * §5-300/§5-301) with the four-fifths line of the EEOC Uniform Guidelines (29 CFR 1607.4 D):
 *
 * - selection rate of a category = selected ÷ considered in that category;
 * - scoring rate = share of the category scoring strictly ABOVE the median score of the whole
 *   sample. Ties: a score equal to the median does not count as above. When many candidates sit
 *   exactly on the median this lowers every rate, so each group also reports how many of its
 *   members sit on the median (`atMedian`) for a reader to judge;
 * - impact ratio = a category's rate ÷ the rate of the highest category;
 * - flagged when the impact ratio is below 0.8, always shown with sample sizes and a significance
 *   test against the highest category (Fisher's exact test, two-sided, for smaller samples; the
 *   two-proportion z-test when both groups together exceed 2,000 people);
 * - categories under 2 % of the people with a known category are excluded from impact ratios
 *   (the rule allows it, with a reason) but still reported with their count and rate;
 * - people with an unknown category are counted, never guessed.
 *
 * Pure functions: demographics come from Lever's EEO data, joined only for these aggregates.
 */

/** EEO-1 Component 1 categories. */
export const EEO_SEX = ["Male", "Female"] as const;
export const EEO_RACE = [
  "Hispanic or Latino",
  "White",
  "Black or African American",
  "Native Hawaiian or Pacific Islander",
  "Asian",
  "Native American or Alaska Native",
  "Two or More Races",
] as const;

export interface FairnessRecord {
  sex?: string | null | undefined;
  race?: string | null | undefined;
  /** Moved forward / classified by the tool (selection rate). */
  selected?: boolean | undefined;
  /** The tool's score (scoring rate). */
  score?: number | null | undefined;
}

export type FairnessDimension = "sex" | "race" | "intersection";
export type FairnessMetric = "selection" | "scoring";

export interface SignificanceTest {
  test: "fisher-exact" | "two-proportion-z";
  /** Two-sided p-value of "this category's rate equals the highest category's rate". */
  pValue: number;
}

export interface GroupResult {
  group: string;
  /** People in the category. */
  n: number;
  /** Selected, or scoring above the median. */
  positives: number;
  rate: number;
  /** Share of the people with a known category. */
  share: number;
  impactRatio: number | null;
  /** Impact ratio below 0.8. */
  flagged: boolean;
  excluded: boolean;
  exclusionReason?: string;
  significance: SignificanceTest | null;
  /** Scoring rate only: members whose score equals the sample median. */
  atMedian?: number;
}

export interface FairnessReport {
  metric: FairnessMetric;
  dimension: FairnessDimension;
  /** Everyone in the sample considered for this metric. */
  total: number;
  /** Left out because their category is unknown. */
  unknown: number;
  /** The category with the highest rate among those not excluded. */
  referenceGroup: string | null;
  /** Scoring rate only. */
  median?: number;
  groups: GroupResult[];
}

export interface FairnessOptions {
  /** Categories under this share of known people are excluded from impact ratios. Default 0.02. */
  minShare?: number;
  /** Impact ratio below which a category is flagged. Default 0.8. */
  threshold?: number;
}

const UNKNOWN = /^\s*$|^(unknown|decline(d)?( to (self[- ]identify|answer))?|prefer not to (say|answer)|not specified|n\/a)$/i;

function categoryOf(r: FairnessRecord, dimension: FairnessDimension): string | undefined {
  const known = (v: string | null | undefined) => (v === null || v === undefined || UNKNOWN.test(v) ? undefined : v.trim());
  const sex = known(r.sex);
  const race = known(r.race);
  if (dimension === "sex") return sex;
  if (dimension === "race") return race;
  return sex && race ? `${sex} × ${race}` : undefined;
}

/** The median of the numbers (mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError("median of an empty list");
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

// log(n!) by summing, cached; fine for the sample sizes Fisher's test is used on here.
const logFactorials: number[] = [0];
function logFactorial(n: number): number {
  for (let i = logFactorials.length; i <= n; i++) logFactorials[i] = logFactorials[i - 1]! + Math.log(i);
  return logFactorials[n]!;
}

/**
 * Fisher's exact test, two-sided, for the 2×2 table [[a, b], [c, d]]: the probability of a table
 * at most as likely as the observed one, given the margins.
 */
export function fisherExactTwoSided(a: number, b: number, c: number, d: number): number {
  const row1 = a + b;
  const row2 = c + d;
  const col1 = a + c;
  const n = row1 + row2;
  const logP = (x: number) =>
    logFactorial(row1) +
    logFactorial(row2) +
    logFactorial(col1) +
    logFactorial(n - col1) -
    logFactorial(n) -
    logFactorial(x) -
    logFactorial(row1 - x) -
    logFactorial(col1 - x) -
    logFactorial(row2 - col1 + x);
  const observed = logP(a);
  let p = 0;
  for (let x = Math.max(0, col1 - row2); x <= Math.min(row1, col1); x++) {
    const lp = logP(x);
    // A relative tolerance keeps tables as likely as the observed one despite rounding.
    if (lp <= observed + 1e-7) p += Math.exp(lp);
  }
  return Math.min(1, p);
}

function normalCdf(z: number): number {
  // Abramowitz & Stegun 7.1.26 (error below 1.5e-7), through erf.
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/** Two-proportion z-test (pooled), two-sided p-value. */
export function twoProportionZ(x1: number, n1: number, x2: number, n2: number): number {
  const p = (x1 + x2) / (n1 + n2);
  const se = Math.sqrt(p * (1 - p) * (1 / n1 + 1 / n2));
  if (se === 0) return 1;
  const z = (x1 / n1 - x2 / n2) / se;
  return Math.min(1, 2 * (1 - normalCdf(Math.abs(z))));
}

function significance(x1: number, n1: number, x2: number, n2: number): SignificanceTest {
  if (n1 + n2 > 2000) return { test: "two-proportion-z", pValue: twoProportionZ(x1, n1, x2, n2) };
  return { test: "fisher-exact", pValue: fisherExactTwoSided(x1, n1 - x1, x2, n2 - x2) };
}

function report(
  metric: FairnessMetric,
  dimension: FairnessDimension,
  people: { category: string | undefined; positive: boolean; atMedian?: boolean }[],
  options: FairnessOptions,
  medianValue?: number,
): FairnessReport {
  const minShare = options.minShare ?? 0.02;
  const threshold = options.threshold ?? 0.8;
  const known = people.filter((p) => p.category !== undefined);
  const byGroup = new Map<string, { n: number; positives: number; atMedian: number }>();
  for (const p of known) {
    const g = byGroup.get(p.category!) ?? { n: 0, positives: 0, atMedian: 0 };
    g.n++;
    if (p.positive) g.positives++;
    if (p.atMedian) g.atMedian++;
    byGroup.set(p.category!, g);
  }
  const groups = [...byGroup.entries()].map(([group, g]) => {
    const share = g.n / known.length;
    const excluded = share < minShare;
    return {
      group,
      n: g.n,
      positives: g.positives,
      rate: g.positives / g.n,
      share,
      excluded,
      atMedian: g.atMedian,
      ...(excluded
        ? {
            exclusionReason: `under ${(minShare * 100).toFixed(0)} % of people with a known category (${g.n} of ${known.length}); count and rate still reported`,
          }
        : {}),
    };
  });
  const included = groups.filter((g) => !g.excluded);
  const reference = included.reduce<(typeof groups)[number] | undefined>((best, g) => (!best || g.rate > best.rate ? g : best), undefined);
  const results: GroupResult[] = groups
    .map((g) => {
      const impactRatio = g.excluded || !reference ? null : reference.rate === 0 ? null : g.rate / reference.rate;
      const { atMedian, ...rest } = g;
      return {
        ...rest,
        impactRatio,
        flagged: impactRatio !== null && impactRatio < threshold,
        significance: g.excluded || !reference || g.group === reference.group ? null : significance(g.positives, g.n, reference.positives, reference.n),
        ...(metric === "scoring" ? { atMedian } : {}),
      };
    })
    .sort((a, b) => a.group.localeCompare(b.group));
  return {
    metric,
    dimension,
    total: people.length,
    unknown: people.length - known.length,
    referenceGroup: reference?.group ?? null,
    ...(medianValue !== undefined ? { median: medianValue } : {}),
    groups: results,
  };
}

/** Selection rates and impact ratios per category (records without `selected` are ignored). */
export function selectionRates(records: readonly FairnessRecord[], dimension: FairnessDimension, options: FairnessOptions = {}): FairnessReport {
  const people = records.filter((r) => typeof r.selected === "boolean").map((r) => ({ category: categoryOf(r, dimension), positive: r.selected === true }));
  return report("selection", dimension, people, options);
}

/**
 * Scoring rates (strictly above the whole sample's median) and impact ratios per category. The
 * median is over everyone with a score, including people whose category is unknown.
 */
export function scoringRates(records: readonly FairnessRecord[], dimension: FairnessDimension, options: FairnessOptions = {}): FairnessReport {
  const scored = records.filter((r): r is FairnessRecord & { score: number } => typeof r.score === "number" && Number.isFinite(r.score));
  if (scored.length === 0) return { metric: "scoring", dimension, total: 0, unknown: 0, referenceGroup: null, groups: [] };
  const m = median(scored.map((r) => r.score));
  const people = scored.map((r) => ({ category: categoryOf(r, dimension), positive: r.score > m, atMedian: r.score === m }));
  return report("scoring", dimension, people, options, m);
}

/** The full LL144 set: sex, race/ethnicity and sex × race/ethnicity, for one metric. */
export function fairnessAudit(records: readonly FairnessRecord[], metric: FairnessMetric, options: FairnessOptions = {}): FairnessReport[] {
  const fn = metric === "selection" ? selectionRates : scoringRates;
  return (["sex", "race", "intersection"] as const).map((d) => fn(records, d, options));
}
