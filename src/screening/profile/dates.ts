/**
 * Dates as resumes write them ("Jan 2020 – Present", "2019-03 to 2021-11", "03/2018 - 12/2019",
 * "March 2019 – Current", "2016 – 2018") and the arithmetic on employment intervals: overlapping
 * jobs are merged before years are counted, so two jobs at once never count twice.
 */

export interface YearMonth {
  year: number;
  month: number;
}

export interface DateRange {
  start: YearMonth;
  /** Null when the range is open ("Present"). */
  end: YearMonth | null;
  /** The text the range was read from. */
  text: string;
  /** True when only years were given (months are then assumed). */
  yearOnly: boolean;
}

const MONTHS: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  sept: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};
const MONTH =
  "(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?";
const ONE_DATE = `(?:${MONTH}\\s*'?\\d{4}|\\d{4}[-./]\\d{1,2}(?!\\d)|\\d{1,2}[-./]\\d{4}|(?:19|20)\\d{2})`;
const PRESENT = "(?:present|current|now|today|ongoing|date)";
const RANGE_RE = new RegExp(`(${ONE_DATE})\\s*(?:–|—|-|−|to|until|till|through)\\s*(${ONE_DATE}|${PRESENT})`, "i");
const SINCE_RE = new RegExp(`\\b(?:since|from)\\s+(${ONE_DATE})`, "i");

/** Parses one date such as "Jan 2020", "2020-01", "01/2020" or "2020". */
export function parseOneDate(text: string): { date: YearMonth; yearOnly: boolean } | undefined {
  const t = text.trim().toLowerCase().replace(/\.$/, "");
  let m = /^([a-z]+)\.?\s*'?(\d{4})$/.exec(t);
  if (m) {
    const month = MONTHS[m[1]!.slice(0, m[1]!.startsWith("sept") ? 4 : 3)] ?? MONTHS[m[1]!.slice(0, 3)];
    return month ? { date: { year: Number(m[2]), month }, yearOnly: false } : undefined;
  }
  m = /^(\d{4})[-./](\d{1,2})$/.exec(t);
  if (m) return validMonth(Number(m[1]), Number(m[2]));
  m = /^(\d{1,2})[-./](\d{4})$/.exec(t);
  if (m) return validMonth(Number(m[2]), Number(m[1]));
  m = /^(\d{4})$/.exec(t);
  if (m) return { date: { year: Number(m[1]), month: 1 }, yearOnly: true };
  return undefined;
}

function validMonth(year: number, month: number): { date: YearMonth; yearOnly: boolean } | undefined {
  return month >= 1 && month <= 12 && year >= 1950 && year <= 2100 ? { date: { year, month }, yearOnly: false } : undefined;
}

/** Finds the first date range in a line. */
export function findDateRange(line: string): DateRange | undefined {
  const m = RANGE_RE.exec(line);
  if (m) {
    const start = parseOneDate(m[1]!);
    if (!start) return undefined;
    const endText = m[2]!;
    if (new RegExp(`^${PRESENT}$`, "i").test(endText)) return { start: start.date, end: null, text: m[0], yearOnly: start.yearOnly };
    const end = parseOneDate(endText);
    if (!end) return undefined;
    // A year-only end means the end of that year's work, not January.
    const endDate = end.yearOnly ? { year: end.date.year, month: 12 } : end.date;
    if (compare(endDate, start.date) < 0) return undefined;
    return { start: start.date, end: endDate, text: m[0], yearOnly: start.yearOnly || end.yearOnly };
  }
  const s = SINCE_RE.exec(line);
  if (s) {
    const start = parseOneDate(s[1]!);
    if (start) return { start: start.date, end: null, text: s[0], yearOnly: start.yearOnly };
  }
  return undefined;
}

export function compare(a: YearMonth, b: YearMonth): number {
  return a.year * 12 + a.month - (b.year * 12 + b.month);
}

export function monthIndex(a: YearMonth): number {
  return a.year * 12 + (a.month - 1);
}

/** The current month, for open ranges. */
export function currentMonth(now: Date = new Date()): YearMonth {
  return { year: now.getUTCFullYear(), month: now.getUTCMonth() + 1 };
}

export interface Interval {
  start: YearMonth;
  end: YearMonth | null;
}

/**
 * Total months covered by intervals after merging overlaps (inclusive of both end months), and
 * the months of gaps between them.
 */
export function coveredMonths(
  intervals: Interval[],
  asOf: YearMonth,
): { months: number; gapMonths: number; gaps: { from: YearMonth; to: YearMonth; months: number }[] } {
  const spans = intervals
    .map((i) => [monthIndex(i.start), monthIndex(i.end ?? asOf)] as [number, number])
    .filter(([s, e]) => e >= s)
    .sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const span of spans) {
    const last = merged[merged.length - 1];
    // Adjacent months (one job ends in March, the next starts in April) are continuous.
    if (last && span[0] <= last[1] + 1) last[1] = Math.max(last[1], span[1]);
    else merged.push([...span]);
  }
  let months = 0;
  const gaps: { from: YearMonth; to: YearMonth; months: number }[] = [];
  for (let i = 0; i < merged.length; i++) {
    const [s, e] = merged[i]!;
    months += e - s + 1;
    if (i > 0) {
      const prevEnd = merged[i - 1]![1];
      const gap = s - prevEnd - 1;
      if (gap > 0) gaps.push({ from: fromIndex(prevEnd + 1), to: fromIndex(s - 1), months: gap });
    }
  }
  return { months, gapMonths: gaps.reduce((a, g) => a + g.months, 0), gaps };
}

function fromIndex(i: number): YearMonth {
  return { year: Math.floor(i / 12), month: (i % 12) + 1 };
}
