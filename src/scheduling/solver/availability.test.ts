import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { buildSolverTime, mergeSpans, subtractSpans } from "./availability.ts";
import { normaliseRequest, PanelRequestError, type PanelRequestInput } from "./request.ts";

function requestOn(zone: string, day: string, granularityMinutes: number): PanelRequestInput {
  return {
    id: "grid",
    candidate: { timezone: zone },
    window: { start: `${day}T00:00:00`, end: `${day}T23:59:00` },
    granularityMinutes,
    maxGapMinutes: 0,
    bufferMinutes: 0,
    sessions: [{ id: "s", title: "S", minutes: 30, need: 1, pool: ["a"] }],
    interviewers: [{ id: "a", email: "a@example.com", timezone: zone, workingHours: {}, maxSessions: 1, busy: [] }],
  };
}

describe("the solver's view of time", () => {
  it("merges touching spans and cuts holes out of them", () => {
    assert.deepEqual(
      mergeSpans([
        [5, 7],
        [0, 2],
        [2, 4],
        [6, 9],
        [10, 10],
      ]),
      [
        [0, 4],
        [5, 9],
      ],
    );
    assert.deepEqual(
      subtractSpans(
        [
          [0, 10],
          [20, 30],
        ],
        [
          [-5, 1],
          [3, 4],
          [9, 21],
          [25, 26],
        ],
      ),
      [
        [1, 3],
        [4, 9],
        [21, 25],
        [26, 30],
      ],
    );
    assert.deepEqual(subtractSpans([[0, 10]], [[0, 10]]), []);
  });

  it("has 23 hourly start times on a spring-forward day and 24 on a fall-back day (the repeated hour once)", () => {
    const count = (zone: string, day: string): number => buildSolverTime(normaliseRequest(requestOn(zone, day, 60))).grid.length;
    assert.equal(count("Europe/Berlin", "2026-03-29"), 23);
    assert.equal(count("America/New_York", "2026-03-08"), 23);
    assert.equal(count("Europe/Berlin", "2026-10-25"), 24);
    assert.equal(count("America/New_York", "2026-11-01"), 24);
    assert.equal(count("Europe/Berlin", "2026-05-11"), 24);
  });

  it("refuses a window too fine for its size, naming granularityMinutes", () => {
    const huge: PanelRequestInput = {
      ...requestOn("UTC", "2026-05-11", 1),
      window: { start: "2026-05-01T00:00:00Z", end: "2026-07-01T00:00:00Z" },
      interviewers: Array.from({ length: 300 }, (_, i) => ({ id: `p${i}`, timezone: "UTC", workingHours: {}, busy: [] })),
      sessions: [{ id: "s", title: "S", minutes: 30, need: 1, pool: Array.from({ length: 300 }, (_, i) => `p${i}`) }],
    };
    assert.throws(
      () => buildSolverTime(normaliseRequest(huge)),
      (e: unknown) => e instanceof PanelRequestError && e.field === "granularityMinutes",
    );
  });
});
