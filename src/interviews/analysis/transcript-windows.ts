/**
 * An hours-long transcript does not fit one model call: the AI layer cuts every untrusted text at
 * its cap, so questions asked late would read "not asked". The transcript is sent instead in
 * windows of whole segments, each under the cap, overlapping so that a question asked near the end
 * of one window is seen with its answer at the start of the next.
 */

/** Share of a window repeated at the start of the next one. */
export const WINDOW_OVERLAP_SHARE = 0.2;

/** One window: segments `from` to `to` (positions in the list, both included). */
export interface TranscriptWindow {
  from: number;
  to: number;
}

/**
 * Cuts lines (one per segment, sent joined by line breaks) into consecutive windows of at most
 * `maxChars` characters, each repeating the previous one's last line and more up to `overlapChars`. A
 * single line longer than `maxChars` is a window of its own (the AI layer then shortens it).
 *
 * @example
 * transcriptWindows(["aaaa", "bbbb", "cccc"], 10, 5) // [{ from: 0, to: 1 }, { from: 1, to: 2 }]
 */
export function transcriptWindows(lines: readonly string[], maxChars: number, overlapChars = Math.floor(maxChars * WINDOW_OVERLAP_SHARE)): TranscriptWindow[] {
  const size = lines.map((l, i) => l.length + (i > 0 ? 1 : 0));
  const windows: TranscriptWindow[] = [];
  let start = 0;
  while (start < lines.length) {
    let end = start;
    let chars = lines[start]!.length;
    while (end + 1 < lines.length && chars + size[end + 1]! <= maxChars) {
      end++;
      chars += size[end]!;
    }
    windows.push({ from: start, to: end });
    if (end === lines.length - 1) break;
    // The next window repeats the last line of this one and more up to the overlap, and always moves on.
    let next = end > start ? end : end + 1;
    let repeated = lines[next]!.length + 1;
    while (next - 1 > start && repeated + lines[next - 1]!.length + 1 <= overlapChars) {
      next--;
      repeated += lines[next]!.length + 1;
    }
    start = next;
  }
  return windows;
}
