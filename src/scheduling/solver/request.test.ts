import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { DateTime } from "luxon";
import { MAX_BUSY_EVENTS, normaliseRequest, parseDateStart, parseInstant, PanelRequestError } from "./request.ts";
import { seededRandom } from "./testing.ts";

describe("reading request times", () => {
  it("reads ISO 8601 date-times with offsets exactly as Luxon does (2,000 seeded values)", () => {
    const rnd = seededRandom(42);
    const two = (n: number): string => String(n).padStart(2, "0");
    for (let i = 0; i < 2000; i++) {
      const year = 1970 + Math.floor(rnd() * 100);
      const month = 1 + Math.floor(rnd() * 12);
      const day = 1 + Math.floor(rnd() * 28);
      const seconds = rnd() < 0.7 ? `:${two(Math.floor(rnd() * 60))}${rnd() < 0.3 ? `.${Math.floor(rnd() * 1000)}` : ""}` : "";
      const time = `${two(Math.floor(rnd() * 24))}:${two(Math.floor(rnd() * 60))}${seconds}`;
      const zone = rnd() < 0.3 ? "Z" : `${rnd() < 0.5 ? "-" : "+"}${two(Math.floor(rnd() * 14))}:${rnd() < 0.8 ? "00" : "30"}`;
      const value = `${year}-${two(month)}-${two(day)}T${time}${zone}`;
      assert.equal(parseInstant(value, "UTC", "f"), DateTime.fromISO(value, { setZone: true }).toMillis(), value);
    }
  });

  it("reads a date-time without an offset in the owner's zone, and names the field of a date that does not exist", () => {
    assert.equal(new Date(parseInstant("2026-05-11T09:00:00", "Europe/Berlin", "f")).toISOString(), "2026-05-11T07:00:00.000Z");
    assert.throws(
      () => parseInstant("2026-02-30T10:00:00Z", "UTC", "window.start"),
      (e: unknown) => e instanceof PanelRequestError && e.field === "window.start",
    );
    assert.throws(() => parseInstant("2026-05-11", "UTC", "busy[0].start"), /is a date/);
  });

  it("starts an all-day date at midnight in its owner's zone", () => {
    assert.equal(new Date(parseDateStart("2026-03-10", "Asia/Tokyo", "f")).toISOString(), "2026-03-09T15:00:00.000Z");
    assert.throws(() => parseDateStart("2026-03-10T00:00:00Z", "UTC", "f"), /not a date/);
  });
});

describe("request size bounds", () => {
  it("refuses more than MAX_BUSY_EVENTS busy events over all interviewers, naming the interviewer where the total crosses it", () => {
    const event = { start: "2026-05-11T09:00:00Z", end: "2026-05-11T10:00:00Z", status: "busy" as const };
    const person = (id: string, events: number) => ({
      id,
      timezone: "UTC",
      workingHours: { mon: [["09:00", "17:00"]] },
      busy: Array.from({ length: events }, () => event),
    });
    const req = (counts: number[]) => ({
      id: "big",
      candidate: { timezone: "UTC" },
      window: { start: "2026-05-11T00:00:00Z", end: "2026-05-12T00:00:00Z" },
      granularityMinutes: 15,
      maxGapMinutes: 30,
      bufferMinutes: 0,
      sessions: [{ id: "s", minutes: 30, need: 1, pool: ["p0"] }],
      interviewers: counts.map((n, i) => person(`p${i}`, n)),
    });
    // Each interviewer is within zod's per-person bound (20,000); the request is not.
    const over = req([20_000, 20_000, 10_001]);
    assert.throws(
      () => normaliseRequest(over),
      (error: unknown) =>
        error instanceof PanelRequestError && error.field === "interviewers[2].busy" && error.message.includes(`more than the ${MAX_BUSY_EVENTS}`),
    );
    assert.equal(normaliseRequest(req([20_000, 20_000, 10_000])).busy.flat().length, MAX_BUSY_EVENTS);
  });
});
