/**
 * 10,000 events per interviewer in the window, read through the Google imitation (paged
 * events.list), normalised, proposed and solved: bounded time and memory, and the configured cap
 * (calendars.maxEventsPerPerson) answered with a clear message instead of unbounded work.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { proposeOverManyEvents } from "../../../test/support/many-events.ts";

describe("a window with 10,000 events per interviewer", () => {
  it("is read, proposed and solved within seconds and a bounded heap", async () => {
    const run = await proposeOverManyEvents({ eventsPerPerson: 10_000, interviewers: 3 });
    assert.ok(
      run.availability.every((a) => a.ok),
      JSON.stringify(run.availability.filter((a) => !a.ok)),
    );
    assert.equal(run.proposal.feasible, true, run.proposal.reason ?? "");
    // Measured 7–9 s and about 115 MiB here, sandbox included (bench/RESULTS.md); the bounds leave room for a slower machine.
    assert.ok(run.ms < 30_000, `took ${Math.round(run.ms)} ms`);
    assert.ok(run.peakHeapMb < 512, `heap grew ${Math.round(run.peakHeapMb)} MiB`);
  });

  it("beyond calendars.maxEventsPerPerson, the interviewer is left out with a message naming the cap and the fix, and nothing is retried", async () => {
    const run = await proposeOverManyEvents({ eventsPerPerson: 10_000, interviewers: 3, maxEventsPerPerson: 5_000 });
    for (const a of run.availability) {
      assert.equal(a.ok, false);
      if (a.ok) continue;
      assert.match(a.error, /has more than 5000 events in .*Narrow the window or raise calendars\.maxEventsPerPerson/);
      assert.equal(a.retryable, false);
    }
    assert.equal(run.proposal.feasible, false);
    assert.ok(
      run.proposal.notes.some((n) => /could not be read \(.*more than 5000 events/.test(n)),
      JSON.stringify(run.proposal.notes),
    );
  });
});
