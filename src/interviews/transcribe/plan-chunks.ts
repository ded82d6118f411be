/**
 * Where to cut long audio: at the middle of a silence, so no word is split, with each chunk no
 * longer than the engine takes. Pure, so every case can be tested.
 */
import type { Silence } from "../intake/extract-audio.ts";

/** A stretch of the recording handed to the engine in one call, in seconds. */
export interface Chunk {
  start: number;
  end: number;
}

/**
 * Chunks covering `[0, durationSeconds]` in order without gaps or overlaps. Each ends at the middle
 * of the latest silence that keeps it within `maxSeconds` (and past `minSeconds`, so chunks are not
 * tiny); with no such silence it is cut hard at `maxSeconds`.
 *
 * @example
 * planChunks(25, [{ start: 9, end: 11 }], { maxSeconds: 15 }) // [{ start: 0, end: 10 }, { start: 10, end: 25 }]
 */
export function planChunks(durationSeconds: number, silences: readonly Silence[], options: { maxSeconds: number; minSeconds?: number }): Chunk[] {
  const max = options.maxSeconds;
  if (!(max > 0)) throw new RangeError("maxSeconds must be positive");
  const min = Math.min(options.minSeconds ?? max / 4, max);
  const cuts = silences.map((s) => (s.start + s.end) / 2).sort((a, b) => a - b);
  const chunks: Chunk[] = [];
  let at = 0;
  while (durationSeconds - at > max) {
    const limit = at + max;
    let cut: number | undefined;
    for (const c of cuts) {
      if (c > limit) break;
      if (c >= at + min) cut = c;
    }
    const end = cut ?? limit;
    chunks.push({ start: at, end });
    at = end;
  }
  if (durationSeconds > at || chunks.length === 0) chunks.push({ start: at, end: Math.max(at, durationSeconds) });
  return chunks;
}
