/**
 * Splits text into marked and unmarked segments — plain strings, so candidate-supplied text can
 * never become markup.
 */
export interface Segment {
  text: string;
  marked: boolean;
}

/** Splits `text` into marked and unmarked segments for every (case-insensitive) occurrence of a quote. */
export function splitForHighlight(text: string, quotes: readonly string[]): Segment[] {
  const lower = text.toLowerCase();
  const ranges: [number, number][] = [];
  for (const quote of quotes) {
    const q = quote.trim().toLowerCase();
    if (q.length < 3) continue;
    let at = lower.indexOf(q);
    while (at !== -1) {
      ranges.push([at, at + q.length]);
      at = lower.indexOf(q, at + q.length);
    }
  }
  ranges.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const r of ranges) {
    const last = merged.at(-1);
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  const segments: Segment[] = [];
  let pos = 0;
  for (const [s, e] of merged) {
    if (s > pos) segments.push({ text: text.slice(pos, s), marked: false });
    segments.push({ text: text.slice(s, e), marked: true });
    pos = e;
  }
  if (pos < text.length) segments.push({ text: text.slice(pos), marked: false });
  return segments;
}
