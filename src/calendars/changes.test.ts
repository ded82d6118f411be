import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fulcrumEventKey, normaliseChanges, parseFulcrumEventKey, type TrackedEvent } from "./changes.ts";
import { googleEventId } from "./google.ts";
import type { CalendarEvent } from "./types.ts";

const range = { start: "2026-05-11T00:00:00Z", end: "2026-05-16T00:00:00Z" };
const hm = fulcrumEventKey("run-1/opp-9", "hm");
const tech = fulcrumEventKey("run-1/opp-9", "tech");
const tracked: TrackedEvent[] = [
  { key: hm, start: "2026-05-11T09:00:00Z", end: "2026-05-11T09:45:00Z", declined: ["ana@example.com"] },
  { key: tech, eventId: "AAMkAD-graph-id", start: "2026-05-11T10:00:00Z", end: "2026-05-11T11:00:00Z" },
];
const event = (over: Partial<CalendarEvent>): CalendarEvent => ({
  id: "x",
  start: "",
  allDay: false,
  status: "busy",
  cancelled: false,
  attendees: [],
  ...over,
});

describe("calendar changes", () => {
  it("makes one key per panel and session, and reads it back", () => {
    assert.equal(hm, "run-1/opp-9:hm");
    assert.deepEqual(parseFulcrumEventKey(hm), { panelKey: "run-1/opp-9", sessionId: "hm" });
    assert.equal(parseFulcrumEventKey("someone-elses-event"), undefined);
    assert.throws(() => fulcrumEventKey("p", "a:b"), /may not contain ":"/);
  });

  it("reports a new decline (not one already known), a move with its new times, and ignores other people's events", () => {
    const out = normaliseChanges(
      "google",
      {
        events: [
          event({
            id: googleEventId(hm),
            key: hm,
            start: "2026-05-11T09:00:00Z",
            end: "2026-05-11T09:45:00Z",
            attendees: [
              { email: "Ana@example.com", response: "declined" },
              { email: "bo@example.com", response: "declined" },
              { email: "cy@example.com", response: "accepted" },
            ],
          }),
          event({ id: "AAMkAD-graph-id", start: "2026-05-12T10:00:00.000Z", end: "2026-05-12T11:00:00.000Z" }),
          event({ id: "lunch", start: "2026-05-11T12:00:00Z", end: "2026-05-11T13:00:00Z" }),
        ],
        removed: [],
        cursor: "c2",
        fullResync: false,
      },
      tracked,
      range,
    );
    assert.deepEqual(out.changes, [
      { kind: "declined", key: hm, eventId: googleEventId(hm), attendee: "bo@example.com" },
      {
        kind: "moved",
        key: tech,
        eventId: "AAMkAD-graph-id",
        start: "2026-05-12T10:00:00.000Z",
        end: "2026-05-12T11:00:00.000Z",
        previous: { start: "2026-05-11T10:00:00Z", end: "2026-05-11T11:00:00Z" },
      },
    ]);
    assert.equal(out.otherEvents, 1);
  });

  it("reports a cancelled event, and a removed one found by the id its key gives", () => {
    const out = normaliseChanges(
      "google",
      {
        events: [event({ id: "AAMkAD-graph-id", cancelled: true, start: "2026-05-11T10:00:00Z" })],
        removed: [googleEventId(hm), "unrelated"],
        cursor: "c",
        fullResync: false,
      },
      tracked,
      range,
    );
    assert.deepEqual(out.changes, [
      { kind: "cancelled", key: tech, eventId: "AAMkAD-graph-id", how: "cancelled" },
      { kind: "cancelled", key: hm, eventId: googleEventId(hm), how: "deleted" },
    ]);
  });

  it("after a full resync, a tracked event in the range that is no longer there was deleted", () => {
    const out = normaliseChanges(
      "graph",
      { events: [event({ id: "AAMkAD-graph-id", start: "2026-05-11T10:00:00Z", end: "2026-05-11T11:00:00Z" })], removed: [], cursor: "d", fullResync: true },
      [...tracked, { key: "later:s", start: "2026-06-01T09:00:00Z", end: "2026-06-01T10:00:00Z" }],
      range,
    );
    assert.deepEqual(
      out.changes,
      [{ kind: "cancelled", key: hm, eventId: hm, how: "deleted" }],
      "the June event is outside the range read, so its absence says nothing",
    );
  });
});
