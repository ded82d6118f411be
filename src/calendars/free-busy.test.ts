import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { normaliseAvailability, resolveWorkingTime, TooManyItemsError, type AvailabilityInput } from "./free-busy.ts";
import type { RawItem } from "./types.ts";

const who = { id: "u1", email: "ana@example.com" };
const iso = (s: string) => new Date(s).toISOString();

function run(items: RawItem[], extra: Partial<AvailabilityInput> = {}) {
  return normaliseAvailability({
    identity: who,
    timezone: "Europe/Berlin",
    // Monday 30 March 2026, Berlin is on summer time (+02:00).
    window: { start: "2026-03-30T00:00:00Z", end: "2026-03-31T00:00:00Z" },
    items,
    workingHours: { mon: [["09:00", "17:00"]], tue: [["09:00", "17:00"]] },
    ...extra,
  });
}

describe("what free means", () => {
  it("a busy item blocks", () => {
    const a = run([{ start: "2026-03-30T08:00:00Z", end: "2026-03-30T09:00:00Z", status: "busy" }]);
    assert.deepEqual(a.free, [
      { start: iso("2026-03-30T07:00:00Z"), end: iso("2026-03-30T08:00:00Z") },
      { start: iso("2026-03-30T09:00:00Z"), end: iso("2026-03-30T15:00:00Z") },
    ]);
    assert.equal(a.interviewer.busy[0]!.status, "busy");
  });

  it("a tentative item blocks by default, and not when the policy frees it", () => {
    const item: RawItem = { start: "2026-03-30T08:00:00Z", end: "2026-03-30T09:00:00Z", status: "tentative" };
    assert.equal(run([item]).blocked.length, 1);
    const freed = run([item], { policy: { tentative: "free" } });
    assert.deepEqual(freed.blocked, []);
    // The solver ignores "free": that is how the policy reaches it.
    assert.equal(freed.interviewer.busy[0]!.status, "free");
  });

  it("an out-of-office item blocks", () => {
    const a = run([{ start: "2026-03-30T07:00:00Z", end: "2026-03-30T15:00:00Z", status: "oof" }]);
    assert.deepEqual(a.free, []);
    assert.equal(a.interviewer.busy[0]!.status, "oof");
  });

  it("free, transparent and working-elsewhere items do not block", () => {
    const a = run([
      { start: "2026-03-30T08:00:00Z", end: "2026-03-30T09:00:00Z", status: "free", title: "lunch maybe" },
      { start: "2026-03-30T10:00:00Z", end: "2026-03-30T11:00:00Z", status: "workingElsewhere" },
    ]);
    assert.deepEqual(a.blocked, []);
    assert.deepEqual(a.free, [{ start: iso("2026-03-30T07:00:00Z"), end: iso("2026-03-30T15:00:00Z") }]);
  });

  it("an all-day item covers its whole date in its owner's zone, not in UTC", () => {
    // Tokyo is +09:00: 30 March there runs from 29 March 15:00Z to 30 March 15:00Z.
    const a = normaliseAvailability({
      identity: who,
      timezone: "Asia/Tokyo",
      window: { start: "2026-03-29T00:00:00Z", end: "2026-04-01T00:00:00Z" },
      items: [{ start: "2026-03-30", end: "2026-03-31", status: "oof", allDay: true, title: "Holiday" }],
      workingHours: { mon: [["00:00", "24:00"]], tue: [["00:00", "24:00"]] },
    });
    assert.deepEqual(a.blocked, [{ start: iso("2026-03-29T15:00:00Z"), end: iso("2026-03-30T15:00:00Z") }]);
    assert.deepEqual(a.interviewer.busy, [{ start: "2026-03-30", end: "2026-03-31", status: "oof", allDay: true, title: "Holiday" }]);
    assert.deepEqual(a.free, [{ start: iso("2026-03-30T15:00:00Z"), end: iso("2026-03-31T15:00:00Z") }]);
  });

  it("working hours are the owner's, in the owner's zone", () => {
    const ny = normaliseAvailability({ ...baseNY(), items: [] });
    // 09:00–17:00 in New York on Monday 30 March 2026 (EDT, -04:00).
    assert.deepEqual(ny.working, [{ start: iso("2026-03-30T13:00:00Z"), end: iso("2026-03-30T21:00:00Z") }]);
    // Tuesday is not a working day for this person: the window holds only Monday.
    assert.deepEqual(normaliseAvailability({ ...baseNY(), workingHours: { tue: [["09:00", "17:00"]] }, items: [] }).working, []);
  });

  it("a buffer keeps that much free time either side of every blocking item", () => {
    const a = run([{ start: "2026-03-30T10:00:00Z", end: "2026-03-30T11:00:00Z", status: "busy" }], { policy: { bufferMinutes: 15 } });
    assert.deepEqual(a.blocked, [{ start: iso("2026-03-30T09:45:00Z"), end: iso("2026-03-30T11:15:00Z") }]);
    // An item just outside the window still reaches into it through its buffer.
    const b = run([{ start: "2026-03-30T23:50:00Z", end: "2026-03-31T01:00:00Z", status: "busy" }], {
      window: { start: "2026-03-30T00:00:00Z", end: "2026-03-30T23:45:00Z" },
      policy: { bufferMinutes: 10 },
    });
    assert.deepEqual(b.blocked, [{ start: iso("2026-03-30T23:40:00Z"), end: iso("2026-03-30T23:45:00Z") }]);
  });

  it("cuts a very long title", () => {
    const a = run([{ start: "2026-03-30T08:00:00Z", end: "2026-03-30T09:00:00Z", status: "busy", title: "x".repeat(5000) }]);
    assert.equal(a.interviewer.busy[0]!.title!.length, 500);
  });

  it("an item without an end blocks a default length and says so", () => {
    const a = run([{ start: "2026-03-30T10:00:00Z", status: "busy", eventId: "e1" }]);
    assert.deepEqual(a.blocked, [{ start: iso("2026-03-30T10:00:00Z"), end: iso("2026-03-30T10:30:00Z") }]);
    assert.match(a.warnings[0]!, /ana@example.com: item e1 has no end; taken as 30 minutes/);
  });

  it("an item with an unreadable time or an end before its start is reported and ignored", () => {
    const a = run([
      { start: "next tuesday", end: "2026-03-30T10:00:00Z", status: "busy", eventId: "bad" },
      { start: "2026-03-30T10:00:00Z", end: "2026-03-30T09:00:00Z", status: "busy", eventId: "backwards" },
    ]);
    assert.deepEqual(a.blocked, []);
    assert.match(a.warnings[0]!, /item bad start: "next tuesday" is not an ISO 8601 date-time; item ignored/);
    assert.match(a.warnings[1]!, /item backwards ends before it starts/);
  });

  it("refuses an invalid time zone with a message naming the person", () => {
    assert.throws(() => run([], { timezone: "Mars/Olympus" }), /time zone of ana@example.com: "Mars\/Olympus" is not an IANA time zone/);
  });

  it("handles 10,000 items in a window quickly, and refuses more than the bound", () => {
    const items: RawItem[] = [];
    for (let i = 0; i < 10_000; i++) {
      const s = Date.parse("2026-03-30T00:00:00Z") + ((i * 7919) % 1440) * 60_000;
      items.push({ start: new Date(s).toISOString(), end: new Date(s + 5 * 60_000).toISOString(), status: i % 3 ? "busy" : "free" });
    }
    const t0 = performance.now();
    const a = run(items);
    assert.ok(performance.now() - t0 < 1000, "10,000 items take under a second");
    assert.equal(a.interviewer.busy.length, 10_000);
    assert.throws(
      () => run(items, { policy: { maxItems: 5000 } }),
      (e: unknown) => e instanceof TooManyItemsError && /10000 calendar items.*more than the 5000 allowed/.test((e as Error).message),
    );
  });
});

function baseNY(): AvailabilityInput {
  return {
    identity: who,
    timezone: "America/New_York",
    window: { start: "2026-03-30T00:00:00Z", end: "2026-03-31T04:00:00Z" },
    items: [],
    workingHours: { mon: [["09:00", "17:00"]] },
  };
}

describe("daylight-saving switches", () => {
  it("working hours across the switch keep their local times: shorter on spring forward, longer on fall back", () => {
    const hours = { sun: [["01:00", "05:00"]] as [string, string][] };
    const spring = normaliseAvailability({
      identity: who,
      timezone: "Europe/Berlin",
      window: { start: "2026-03-28T00:00:00Z", end: "2026-03-30T00:00:00Z" },
      items: [],
      workingHours: hours,
    });
    // 01:00+01:00 → 05:00+02:00: three real hours, the missing hour skipped.
    assert.deepEqual(spring.working, [{ start: iso("2026-03-29T00:00:00Z"), end: iso("2026-03-29T03:00:00Z") }]);
    const fall = normaliseAvailability({
      identity: who,
      timezone: "Europe/Berlin",
      window: { start: "2026-10-24T00:00:00Z", end: "2026-10-26T00:00:00Z" },
      items: [],
      workingHours: hours,
    });
    // 01:00+02:00 → 05:00+01:00: five real hours.
    assert.deepEqual(fall.working, [{ start: iso("2026-10-24T23:00:00Z"), end: iso("2026-10-25T04:00:00Z") }]);
    const usSpring = normaliseAvailability({
      identity: who,
      timezone: "America/New_York",
      window: { start: "2026-03-08T00:00:00Z", end: "2026-03-09T12:00:00Z" },
      items: [],
      workingHours: { sun: [["02:30", "04:00"]] },
    });
    // 02:30 does not exist: the range starts at the switch (03:00 EDT = 07:00Z).
    assert.deepEqual(usSpring.working, [{ start: iso("2026-03-08T07:00:00Z"), end: iso("2026-03-08T08:00:00Z") }]);
    const usFall = normaliseAvailability({
      identity: who,
      timezone: "America/New_York",
      window: { start: "2026-11-01T00:00:00Z", end: "2026-11-02T00:00:00Z" },
      items: [],
      workingHours: { sun: [["01:30", "03:00"]] },
    });
    // 01:30 is ambiguous: the earlier (EDT, 05:30Z); 03:00 EST is 08:00Z.
    assert.deepEqual(usFall.working, [{ start: iso("2026-11-01T05:30:00Z"), end: iso("2026-11-01T08:00:00Z") }]);
  });

  it("an all-day item on a spring-forward day is 23 hours long", () => {
    const a = normaliseAvailability({
      identity: who,
      timezone: "Europe/Berlin",
      window: { start: "2026-03-28T00:00:00Z", end: "2026-03-31T00:00:00Z" },
      items: [{ start: "2026-03-29", end: "2026-03-30", status: "busy", allDay: true }],
      workingHours: {},
    });
    assert.deepEqual(a.blocked, [{ start: iso("2026-03-28T23:00:00Z"), end: iso("2026-03-29T22:00:00Z") }]);
  });
});

describe("resolveWorkingTime", () => {
  it("prefers the configured override, then the provider's hours, then the configured default, then Mon–Fri 09–17 UTC", () => {
    const graph = { workingHours: { timezone: "America/Chicago", hours: { mon: [["08:00", "16:00"]] as [string, string][] } } };
    assert.equal(
      resolveWorkingTime("a", { configured: { workingHours: { tue: [["10:00", "12:00"]] }, timezone: "Europe/Paris" }, provider: graph }).source,
      "configured",
    );
    assert.deepEqual(resolveWorkingTime("a", { provider: graph }), { timezone: "America/Chicago", workingHours: graph.workingHours.hours, source: "provider" });
    assert.deepEqual(resolveWorkingTime("a", { defaults: { timezone: "Asia/Kolkata", workingHours: { mon: [["10:00", "18:00"]] } } }), {
      timezone: "Asia/Kolkata",
      workingHours: { mon: [["10:00", "18:00"]] },
      source: "default",
    });
    const d = resolveWorkingTime("a", {});
    assert.equal(d.timezone, "UTC");
    assert.deepEqual(d.workingHours.fri, [["09:00", "17:00"]]);
    assert.equal(d.workingHours.sat, undefined);
  });

  it("names the person whose zone is invalid", () => {
    assert.throws(
      () => resolveWorkingTime("bo@example.com", { configured: { timezone: "Europe/Atlantis" } }),
      /time zone of bo@example.com: "Europe\/Atlantis"/,
    );
  });
});
