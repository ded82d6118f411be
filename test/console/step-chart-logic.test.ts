import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { localMidnightIso } from "../../web/src/components/local-day.ts";
import { describeBar, formatDuration, layoutSteps } from "../../web/src/components/step-chart-layout.ts";
import { startOfDay } from "../../src/server/console/console-api.ts";

const T = (s: number) => new Date(Date.UTC(2025, 2, 10, 9, 0, 0) + s * 1000).toISOString();

describe("the run page's step chart layout", () => {
  it("puts steps on a linear axis when their times are comparable, and writes each duration out", () => {
    const layout = layoutSteps(
      [
        { name: "fetch", status: "succeeded", startedAt: T(0), finishedAt: T(2) },
        { name: "score", status: "failed", startedAt: T(2), finishedAt: T(10) },
        { name: "note", status: "skipped" },
      ],
      new Date(T(60)),
    );
    assert.equal(layout.scale, "linear");
    assert.deepEqual(
      layout.bars.map((b) => [b.start, b.width]),
      [
        [0, 0.2],
        [0.2, 0.8],
        [undefined, undefined],
      ],
    );
    assert.deepEqual(layout.bars.map(describeBar), ["Succeeded in 2.0 s", "Failed in 8.0 s", "Skipped"]);
    assert.deepEqual(
      layout.ticks.map((t) => t.label),
      ["0", "2.5 s", "5.0 s", "7.5 s", "10 s"],
    );
  });

  it("draws one step on its own across the axis", () => {
    const layout = layoutSteps([{ name: "only", status: "succeeded", startedAt: T(0), finishedAt: T(3) }], new Date(T(5)));
    assert.deepEqual([layout.bars[0]!.start, layout.bars[0]!.width], [0, 1]);
  });

  it("compresses the axis when a wait of days sits beside steps of seconds, keeping the short steps visible", () => {
    const layout = layoutSteps(
      [
        { name: "fetch", status: "succeeded", startedAt: T(0), finishedAt: T(2) },
        { name: "approve", status: "waiting", startedAt: T(2) },
      ],
      new Date(T(3 * 86_400 + 2)),
    );
    assert.equal(layout.scale, "compressed");
    const [fetch, approve] = layout.bars;
    assert.ok(fetch!.width! > 0.05, `a 2 s step next to a 3-day wait is still ${(fetch!.width! * 100).toFixed(1)}% wide`);
    assert.ok(Math.abs(approve!.start! + approve!.width! - 1) < 1e-9, "the waiting step runs to now");
    assert.equal(describeBar(approve!), "Waiting for a person, 3 d so far");
    assert.ok(layout.ticks.length >= 3 && layout.ticks.at(-1)!.label === "3 d");
  });

  it("says so when no step has started", () => {
    const layout = layoutSteps([{ name: "a", status: "pending" }], new Date(T(0)));
    assert.equal(layout.spanMs, 0);
    assert.equal(describeBar(layout.bars[0]!), "Not started");
  });

  it("formats durations a person reads at a glance", () => {
    assert.deepEqual([350, 4200, 185_000, 7_800_000, 3 * 86_400_000 + 4 * 3_600_000].map(formatDuration), [
      "350 ms",
      "4.2 s",
      "3 min 5 s",
      "2 h 10 min",
      "3 d 4 h",
    ]);
  });
});

describe("Start's day", () => {
  it("asks from the viewer's local midnight, with its offset", () => {
    const iso = localMidnightIso(new Date(2025, 2, 10, 15, 30));
    assert.match(iso, /^2025-03-10T00:00:00[+-]\d{2}:\d{2}$/);
    assert.equal(new Date(iso).getTime(), new Date(2025, 2, 10).getTime());
  });

  it("is read by the server as a time within the last two days, and refused with the field named otherwise", () => {
    const now = new Date("2025-03-10T15:00:00Z");
    assert.equal((startOfDay("2025-03-10T00:00:00+01:00", now) as Date).toISOString(), "2025-03-09T23:00:00.000Z");
    assert.equal((startOfDay(undefined, now) as Date).toISOString(), "2025-03-10T00:00:00.000Z");
    assert.match((startOfDay("yesterday", now) as { error: string }).error, /^since: "yesterday" is not a time/);
    assert.match((startOfDay("2025-01-01T00:00:00Z", now) as { error: string }).error, /^since: .* within the last two days/);
  });
});
