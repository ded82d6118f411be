import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { IANAZone } from "luxon";
import { assertZone, boundaryInstant, instantsOf, localInstant, startOfDate } from "./local-time.ts";

describe("local times on daylight-saving switches", () => {
  const berlin = IANAZone.create("Europe/Berlin");
  const newYork = IANAZone.create("America/New_York");

  it("skips a local time that does not exist (EU spring forward, 29 March 2026, 02:00 → 03:00)", () => {
    assert.equal(localInstant({ year: 2026, month: 3, day: 29, hour: 2, minute: 30 }, berlin), null);
    assert.equal(localInstant({ year: 2026, month: 3, day: 29, hour: 3, minute: 0 }, berlin), Date.parse("2026-03-29T01:00:00Z"));
    assert.equal(boundaryInstant({ year: 2026, month: 3, day: 29, hour: 2, minute: 30 }, berlin), Date.parse("2026-03-29T01:00:00Z"));
  });

  it("skips a local time that does not exist (US spring forward, 8 March 2026, 02:00 → 03:00)", () => {
    assert.equal(localInstant({ year: 2026, month: 3, day: 8, hour: 2, minute: 15 }, newYork), null);
    assert.equal(boundaryInstant({ year: 2026, month: 3, day: 8, hour: 2, minute: 15 }, newYork), Date.parse("2026-03-08T07:00:00Z"));
  });

  it("takes the earlier offset for an ambiguous time (EU fall back, 25 October 2026, 03:00 → 02:00)", () => {
    // 02:30 happens twice: at +02:00 (00:30Z) and at +01:00 (01:30Z). Luxon alone picks the later.
    assert.equal(localInstant({ year: 2026, month: 10, day: 25, hour: 2, minute: 30 }, berlin), Date.parse("2026-10-25T00:30:00Z"));
  });

  it("takes the earlier offset for an ambiguous time (US fall back, 1 November 2026, 02:00 → 01:00)", () => {
    assert.equal(localInstant({ year: 2026, month: 11, day: 1, hour: 1, minute: 30 }, newYork), Date.parse("2026-11-01T05:30:00Z"));
  });

  it("finds both instants of a folded time, earliest first, and none in a gap", () => {
    assert.deepEqual(instantsOf({ year: 2026, month: 10, day: 25, hour: 2, minute: 30 }, berlin), [
      Date.parse("2026-10-25T00:30:00Z"),
      Date.parse("2026-10-25T01:30:00Z"),
    ]);
    assert.deepEqual(instantsOf({ year: 2026, month: 3, day: 29, hour: 2, minute: 30 }, berlin), []);
  });

  it("starts a date at the switch where midnight does not exist (Santiago, 6 September 2026)", () => {
    // Chile springs forward at 24:00 → 01:00: 6 September begins at 01:00 -03:00 = 04:00Z.
    assert.equal(startOfDate("2026-09-06", IANAZone.create("America/Santiago")), Date.parse("2026-09-06T04:00:00Z"));
    assert.throws(() => startOfDate("6 Sept", berlin), /"6 Sept" is not a date YYYY-MM-DD/);
  });

  it("refuses a zone that is not IANA, saying where it came from", () => {
    assert.throws(() => assertZone("CEST", "calendars.defaultTimezone"), /calendars.defaultTimezone: "CEST" is not an IANA time zone/);
  });
});
