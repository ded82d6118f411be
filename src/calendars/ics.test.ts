import assert from "node:assert/strict";
import { describe, it } from "node:test";
import ICAL from "ical.js";
import { buildEventIcs, expandCalendarObjects, TooManyOccurrencesError } from "./ics.ts";
import { normaliseAvailability } from "./free-busy.ts";

const cal = (body: string, extra = "") => `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n${extra}${body}END:VCALENDAR\r\n`;
const BERLIN_VTIMEZONE = `BEGIN:VTIMEZONE\r\nTZID:Custom/Berlin\r\nBEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nTZNAME:CEST\r\nDTSTART:19700329T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\nBEGIN:STANDARD\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nTZNAME:CET\r\nDTSTART:19701025T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n`;

const weekly = (tzid: string) =>
  `BEGIN:VEVENT\r\nUID:standup\r\nDTSTAMP:20260301T000000Z\r\nSUMMARY:Standup\r\nDTSTART;TZID=${tzid}:20260316T090000\r\nDTEND;TZID=${tzid}:20260316T093000\r\nRRULE:FREQ=WEEKLY;BYDAY=MO\r\nEXDATE;TZID=${tzid}:20260406T090000\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:standup\r\nDTSTAMP:20260301T000000Z\r\nSUMMARY:Standup (moved)\r\nRECURRENCE-ID;TZID=${tzid}:20260330T090000\r\nDTSTART;TZID=${tzid}:20260330T140000\r\nDTEND;TZID=${tzid}:20260330T143000\r\nEND:VEVENT\r\n`;
const range = { start: "2026-03-20T00:00:00Z", end: "2026-04-15T00:00:00Z" };

describe("expanding iCalendar locally", () => {
  for (const [label, tzid, extra] of [
    ["an IANA TZID without VTIMEZONE", "Europe/Berlin", ""],
    ["a custom TZID defined by its VTIMEZONE", "Custom/Berlin", BERLIN_VTIMEZONE],
  ] as const) {
    it(`follows a weekly series across the EU switch, with EXDATE and a moved occurrence (${label})`, () => {
      const { items } = expandCalendarObjects([{ data: cal(weekly(tzid), extra), href: "/alice/cal/standup.ics" }], { range, ownerZone: "Europe/Berlin" });
      assert.deepEqual(
        items.map((i) => [i.start, i.end, i.title]),
        [
          ["2026-03-23T08:00:00.000Z", "2026-03-23T08:30:00.000Z", "Standup"], // CET, +01:00
          ["2026-03-30T12:00:00.000Z", "2026-03-30T12:30:00.000Z", "Standup (moved)"], // CEST override at 14:00
          ["2026-04-13T07:00:00.000Z", "2026-04-13T07:30:00.000Z", "Standup"], // CEST, +02:00; 6 April excluded
        ],
      );
    });
  }

  it("follows a US series across the November switch, and reads Windows zone names", () => {
    const body = `BEGIN:VEVENT\r\nUID:w\r\nDTSTAMP:20260301T000000Z\r\nDTSTART;TZID=Eastern Standard Time:20261026T100000\r\nDTEND;TZID=Eastern Standard Time:20261026T110000\r\nRRULE:FREQ=WEEKLY;COUNT=2\r\nEND:VEVENT\r\n`;
    const { items } = expandCalendarObjects([{ data: cal(body) }], {
      range: { start: "2026-10-20T00:00:00Z", end: "2026-11-10T00:00:00Z" },
      ownerZone: "America/New_York",
    });
    assert.deepEqual(
      items.map((i) => i.start),
      ["2026-10-26T14:00:00.000Z", "2026-11-02T15:00:00.000Z"],
    );
  });

  it("keeps transparent, declined, tentative, out-of-office, cancelled and all-day events apart", () => {
    const ev = (uid: string, lines: string) => `BEGIN:VEVENT\r\nUID:${uid}\r\nDTSTAMP:20260301T000000Z\r\n${lines}END:VEVENT\r\n`;
    const t = "DTSTART:20260330T100000Z\r\nDTEND:20260330T110000Z\r\n";
    const data = cal(
      ev("transparent", `${t}TRANSP:TRANSPARENT\r\n`) +
        ev("declined", `${t}ORGANIZER:mailto:boss@example.com\r\nATTENDEE;PARTSTAT=DECLINED:mailto:Alice@example.com\r\n`) +
        ev("tentative", `${t}STATUS:TENTATIVE\r\n`) +
        ev("ooo", `${t}X-MICROSOFT-CDO-BUSYSTATUS:OOF\r\n`) +
        ev("cancelled", `${t}STATUS:CANCELLED\r\n`) +
        ev("allday", "DTSTART;VALUE=DATE:20260331\r\nDTEND;VALUE=DATE:20260401\r\nSUMMARY:Offsite\r\n") +
        ev("allday-noend", "DTSTART;VALUE=DATE:20260402\r\n") +
        ev("noend", "DTSTART:20260330T150000Z\r\n"),
    );
    const { items, events } = expandCalendarObjects([{ data }], { range, ownerZone: "Asia/Tokyo", ownerEmail: "alice@example.com" });
    const by = Object.fromEntries(items.map((i) => [i.eventId, i]));
    assert.equal(by.transparent!.status, "free");
    assert.equal(by.declined!.status, "free");
    assert.equal(by.tentative!.status, "tentative");
    assert.equal(by.ooo!.status, "oof");
    assert.equal(by.cancelled, undefined);
    assert.equal(events.find((e) => e.id === "cancelled")!.cancelled, true);
    assert.deepEqual(by.allday, { start: "2026-03-31", end: "2026-04-01", status: "busy", eventId: "allday", allDay: true, title: "Offsite" });
    assert.deepEqual([by["allday-noend"]!.start, by["allday-noend"]!.end], ["2026-04-02", "2026-04-03"]);
    assert.equal(by.noend!.end, undefined, "no end is passed on: the normaliser applies its default and says so");
    // Through the normaliser: the all-day event blocks 31 March in Tokyo.
    const a = normaliseAvailability({
      identity: { id: "a", email: "alice@example.com" },
      timezone: "Asia/Tokyo",
      window: { start: "2026-03-30T15:00:00Z", end: "2026-03-31T15:00:00Z" },
      items,
      workingHours: { tue: [["00:00", "24:00"]] },
    });
    assert.deepEqual(a.free, []);
  });

  it("bounds the work: a rule that takes too many steps to reach the window, or too many occurrences in it, is an error", () => {
    const minutely = `BEGIN:VEVENT\r\nUID:m\r\nDTSTAMP:20260301T000000Z\r\nDTSTART:20200101T000000Z\r\nDTEND:20200101T000100Z\r\nRRULE:FREQ=MINUTELY\r\nEND:VEVENT\r\n`;
    // Stopping early would make the person look free during the series: it is an error instead.
    assert.throws(
      () => expandCalendarObjects([{ data: cal(minutely), href: "/m.ics" }], { range, ownerZone: "UTC", maxSteps: 5000 }),
      (e: unknown) =>
        e instanceof TooManyOccurrencesError &&
        /\/m.ics \(m\): its rule gives more than 5000 occurrences before 2026-04-15T00:00:00Z/.test((e as Error).message),
    );
    const dense = `BEGIN:VEVENT\r\nUID:d\r\nDTSTAMP:20260301T000000Z\r\nDTSTART:20260330T000000Z\r\nDTEND:20260330T000100Z\r\nRRULE:FREQ=MINUTELY\r\nEND:VEVENT\r\n`;
    const t0 = performance.now();
    assert.throws(() => expandCalendarObjects([{ data: cal(dense) }], { range, ownerZone: "UTC", maxOccurrences: 10_000 }), TooManyOccurrencesError);
    assert.ok(performance.now() - t0 < 5000);
  });

  it("reports an object that is not iCalendar and an unknown zone, and goes on", () => {
    const ok = `BEGIN:VEVENT\r\nUID:z\r\nDTSTAMP:20260301T000000Z\r\nDTSTART;TZID=Nowhere/Special:20260330T090000\r\nDTEND;TZID=Nowhere/Special:20260330T100000\r\nEND:VEVENT\r\n`;
    const r = expandCalendarObjects(
      [
        { data: "garbage", href: "/bad.ics" },
        { data: cal(ok), href: "/z.ics" },
      ],
      { range, ownerZone: "Europe/Berlin" },
    );
    assert.match(r.notes.join("\n"), /\/bad.ics: not valid iCalendar/);
    assert.match(r.notes.join("\n"), /time zone "Nowhere\/Special" is unknown and has no VTIMEZONE; read in the owner's zone Europe\/Berlin/);
    assert.equal(r.items[0]!.start, "2026-03-30T07:00:00.000Z");
  });
});

describe("building an event", () => {
  it("writes UID, SEQUENCE, ORGANIZER, ATTENDEEs with RSVP, UTC times and METHOD when asked", () => {
    const text = buildEventIcs({
      uid: "abc@fulcrum",
      sequence: 2,
      start: "2026-03-31T09:00:00Z",
      end: "2026-03-31T10:00:00Z",
      title: 'Interview; round 1, with "quotes"',
      description: "Line 1\nLine 2",
      organizer: { email: "recruiting@example.com", name: "Recruiting" },
      attendees: [
        { email: "cand@mail.example", name: "Cand Idate" },
        { email: "opt@example.com", optional: true },
      ],
      method: "REQUEST",
      now: new Date("2026-03-20T00:00:00Z"),
    });
    const root = new ICAL.Component(ICAL.parse(text));
    assert.equal(root.getFirstPropertyValue("method"), "REQUEST");
    const ev = root.getFirstSubcomponent("vevent")!;
    assert.equal(ev.getFirstPropertyValue("uid"), "abc@fulcrum");
    assert.equal(ev.getFirstPropertyValue("sequence"), 2);
    assert.equal(ev.getFirstPropertyValue("summary"), 'Interview; round 1, with "quotes"');
    assert.equal(ev.getFirstPropertyValue("description"), "Line 1\nLine 2");
    assert.equal(String(ev.getFirstPropertyValue("dtstart")), "2026-03-31T09:00:00Z");
    assert.equal(ev.getFirstProperty("organizer")!.getParameter("cn"), "Recruiting");
    const attendees = ev.getAllProperties("attendee");
    assert.deepEqual(
      attendees.map((a) => [a.getFirstValue(), a.getParameter("role"), a.getParameter("rsvp")]),
      [
        ["mailto:cand@mail.example", "REQ-PARTICIPANT", "TRUE"],
        ["mailto:opt@example.com", "OPT-PARTICIPANT", "TRUE"],
      ],
    );
    assert.ok(
      text.split("\r\n").every((line) => Buffer.byteLength(line) <= 75),
      "lines are folded",
    );
    const cancel = buildEventIcs({
      uid: "abc@fulcrum",
      sequence: 3,
      start: "2026-03-31T09:00:00Z",
      end: "2026-03-31T10:00:00Z",
      title: "x",
      organizer: { email: "r@example.com" },
      attendees: [],
      method: "CANCEL",
    });
    assert.match(cancel, /STATUS:CANCELLED/);
    assert.doesNotMatch(
      buildEventIcs({
        uid: "u",
        sequence: 0,
        start: "2026-03-31T09:00:00Z",
        end: "2026-03-31T10:00:00Z",
        title: "x",
        organizer: { email: "r@example.com" },
        attendees: [],
      }),
      /METHOD/,
    );
  });
});
