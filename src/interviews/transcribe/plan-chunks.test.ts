import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { planChunks } from "./plan-chunks.ts";

function assertCovers(chunks: { start: number; end: number }[], duration: number, max: number): void {
  assert.equal(chunks[0]!.start, 0);
  assert.equal(chunks.at(-1)!.end, duration);
  for (const [i, c] of chunks.entries()) {
    assert.ok(c.end - c.start <= max + 1e-9, `chunk ${i} is ${c.end - c.start} s`);
    if (i > 0) assert.equal(c.start, chunks[i - 1]!.end, "no gap, no overlap");
  }
}

describe("planning chunks on silences", () => {
  it("keeps short audio whole", () => {
    assert.deepEqual(planChunks(12, [{ start: 5, end: 6 }], { maxSeconds: 30 }), [{ start: 0, end: 12 }]);
  });

  it("cuts at the middle of the latest silence that fits", () => {
    const chunks = planChunks(
      30,
      [
        { start: 3, end: 4 },
        { start: 9, end: 11 },
        { start: 16, end: 17 },
      ],
      { maxSeconds: 15 },
    );
    assert.deepEqual(chunks, [
      { start: 0, end: 10 },
      { start: 10, end: 16.5 },
      { start: 16.5, end: 30 },
    ]);
    assertCovers(chunks, 30, 15);
  });

  it("cuts hard at the limit when there is no silence, and never makes tiny chunks", () => {
    const chunks = planChunks(100, [{ start: 0.5, end: 1 }], { maxSeconds: 30 });
    assert.deepEqual(
      chunks.map((c) => c.end),
      [30, 60, 90, 100],
    );
    assertCovers(chunks, 100, 30);
  });

  it("covers hours of audio with many silences within the limit", () => {
    const silences = Array.from({ length: 2000 }, (_, i) => ({ start: i * 7.3 + 3, end: i * 7.3 + 3.6 }));
    const chunks = planChunks(4 * 3600, silences, { maxSeconds: 300 });
    assertCovers(chunks, 4 * 3600, 300);
    assert.ok(chunks.length >= 48 && chunks.length < 60, `${chunks.length} chunks`);
  });
});
