import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { transcriptWindows } from "./transcript-windows.ts";

describe("cutting a transcript into windows", () => {
  it("keeps a transcript that fits in one window", () => {
    assert.deepEqual(transcriptWindows(["one", "two", "three"], 100), [{ from: 0, to: 2 }]);
  });

  it("covers every line, keeps each window under the cap and repeats the end of each window in the next", () => {
    const lines = Array.from({ length: 200 }, (_, i) => `[${i}] ${"word ".repeat(1 + (i % 7))}`);
    const max = 400;
    const windows = transcriptWindows(lines, max, 80);
    assert.equal(windows[0]!.from, 0);
    assert.equal(windows.at(-1)!.to, lines.length - 1);
    for (const [k, w] of windows.entries()) {
      assert.ok(lines.slice(w.from, w.to + 1).join("\n").length <= max);
      if (k > 0) {
        const before = windows[k - 1]!;
        assert.ok(w.from > before.from && w.from <= before.to, `window ${k} starts inside window ${k - 1}`);
        assert.ok(lines.slice(w.from, before.to + 1).join("\n").length <= 80);
      }
    }
  });

  it("gives a line longer than the cap a window of its own and still moves on", () => {
    const windows = transcriptWindows(["short", "x".repeat(50), "short", "short"], 20, 10);
    assert.deepEqual(windows, [
      { from: 0, to: 0 },
      { from: 1, to: 1 },
      { from: 2, to: 3 },
    ]);
  });
});
