/**
 * Scoring a parse against an external-corpus label, per document and per producer. Shared by
 * `npm run bench:resumes` and the external-corpus test.
 *
 * - Skills: the parse's skills the taxonomy knows (canonical names) against the label's; skills
 *   list items the taxonomy does not know are left out on both sides.
 * - Employers: a labelled position counts as found when some parsed position's employer equals it
 *   after normalising (Unicode compatibility form, accents and case dropped, "&" read as "and",
 *   punctuation and spacing collapsed), in any order; each parsed position matches at most one.
 * - Titles and dates are judged on the parsed position the employer matched (a position whose
 *   employer was not found counts as wrong for both): title normalised-exact; start and end equal
 *   to the month, or to the year when the document shows years only; "present" equals present.
 */
import { canonicalSkill, type ParsedResume } from "../../../src/screening/index.ts";
import type { ExternalTruth } from "./labels.ts";

/** Targets from issue 11: per producer. */
export const TARGET_SKILLS_F1 = 0.9;
export const TARGET_EMPLOYER_RECALL = 0.9;

export interface DocumentScore {
  tp: number;
  fp: number;
  fn: number;
  positions: number;
  employers: number;
  titles: number;
  dates: number;
  status: string;
  /** `parsed` although it yielded no positions and no skills. */
  emptyParsed: boolean;
}

export interface ProducerScore {
  producer: string;
  resumes: number;
  precision: number;
  recall: number;
  f1: number;
  positions: number;
  employerRecall: number;
  titleAccuracy: number;
  datesAccuracy: number;
  status: Record<string, number>;
  /** Files that came back `parsed` with no positions and no skills. */
  emptyParsed: string[];
}

/** The comparison form of an employer or title. */
export function normalise(s: string): string {
  return s
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/&/g, " and ")
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

type Ym = { year: number; month: number } | null;
const sameDate = (a: Ym, b: Ym, precision: "month" | "year") =>
  a === null || b === null ? a === b : a.year === b.year && (precision === "year" || a.month === b.month);

/** Scores one parse against its label. */
export function scoreDocument(parsed: ParsedResume, truth: ExternalTruth): DocumentScore {
  const want = new Set(truth.skills.map((s) => s.toLowerCase()));
  const got = new Set(
    parsed.profile.skills
      .map((s) => canonicalSkill(s.name))
      .filter((s): s is string => Boolean(s))
      .map((s) => s.toLowerCase()),
  );
  let tp = 0,
    fp = 0,
    fn = 0;
  for (const s of got) want.has(s) ? tp++ : fp++;
  for (const s of want) if (!got.has(s)) fn++;
  const unused = parsed.profile.positions.map((p, i) => ({ p, i }));
  let employers = 0,
    titles = 0,
    dates = 0;
  for (const t of truth.positions) {
    const at = unused.findIndex(({ p }) => normalise(p.org) === normalise(t.org));
    if (at < 0) continue;
    const { p } = unused.splice(at, 1)[0]!;
    employers++;
    if (normalise(p.title) === normalise(t.title)) titles++;
    if (p.start && sameDate(p.start, t.start, truth.datePrecision) && sameDate(p.end, t.end, truth.datePrecision)) dates++;
  }
  return {
    tp,
    fp,
    fn,
    positions: truth.positions.length,
    employers,
    titles,
    dates,
    status: parsed.status,
    emptyParsed: parsed.status === "parsed" && parsed.profile.positions.length === 0 && parsed.profile.skills.length === 0,
  };
}

/** Adds up document scores per producer, in the order producers first appear. */
export function scoreProducers(docs: { producer: string; file: string; score: DocumentScore }[]): ProducerScore[] {
  const by = new Map<string, typeof docs>();
  for (const d of docs) by.set(d.producer, [...(by.get(d.producer) ?? []), d]);
  return [...by].map(([producer, list]) => {
    const sum = (k: keyof DocumentScore) => list.reduce((a, d) => a + (d.score[k] as number), 0);
    const tp = sum("tp"),
      fp = sum("fp"),
      fn = sum("fn"),
      positions = sum("positions");
    const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
    const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
    const status: Record<string, number> = {};
    for (const d of list) status[d.score.status] = (status[d.score.status] ?? 0) + 1;
    return {
      producer,
      resumes: list.length,
      precision,
      recall,
      f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall),
      positions,
      employerRecall: positions === 0 ? 0 : sum("employers") / positions,
      titleAccuracy: positions === 0 ? 0 : sum("titles") / positions,
      datesAccuracy: positions === 0 ? 0 : sum("dates") / positions,
      status,
      emptyParsed: list.filter((d) => d.score.emptyParsed).map((d) => d.file),
    };
  });
}
