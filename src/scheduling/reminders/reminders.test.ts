import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseBookingParams } from "../booking/params.ts";
import { candidateReminder, dueReminder, interviewerReminder, parseReminderOffsets, peopleTime, ReminderOffsetError } from "./reminders.ts";

const booking = parseBookingParams({
  opportunityId: "opp-1",
  panelKey: "opp-1:onsite:2027-01-12",
  candidate: { name: "Casey Candidate", email: "casey@mail.example", timezone: "Europe/Lisbon" },
  sessions: [
    {
      id: "hm",
      title: "Hiring manager",
      start: "2027-01-12T14:30:00Z",
      end: "2027-01-12T15:15:00Z",
      interviewers: [{ leverUserId: "u1", email: "hm@example.com" }],
    },
    {
      id: "tech",
      title: "Technical",
      start: "2027-01-12T15:30:00Z",
      end: "2027-01-12T16:30:00Z",
      interviewers: [{ leverUserId: "u2", email: "tech@example.com" }],
    },
  ],
});

describe("interview reminders", () => {
  it("reads offsets largest first and names a bad one", () => {
    assert.deepEqual(parseReminderOffsets("1h, 24h"), [1440, 60]);
    assert.deepEqual(parseReminderOffsets(["2d", "90m"]), [2880, 90]);
    assert.throws(
      () => parseReminderOffsets("24h, soon"),
      (e: Error) => e instanceof ReminderOffsetError && /"soon"/.test(e.message),
    );
    assert.throws(() => parseReminderOffsets(""), /at least one/);
    assert.throws(() => parseReminderOffsets("1m"), /between 5 minutes and 14 days/);
  });

  it("is due at the nearest offset whose moment has come, and never once the panel started", () => {
    const start = "2027-01-12T14:30:00Z";
    const at = (iso: string) => Date.parse(iso);
    assert.equal(dueReminder(start, [1440, 60], at("2027-01-11T10:00:00Z")), undefined);
    assert.equal(dueReminder(start, [1440, 60], at("2027-01-11T14:28:00Z")), 1440, "a timer a little early still counts");
    assert.equal(dueReminder(start, [1440, 60], at("2027-01-12T13:30:00Z")), 60);
    assert.equal(dueReminder(start, [1440, 60], at("2027-01-12T14:30:00Z")), undefined);
  });

  it("writes the candidate's time for people in their zone, with the video link, and the interviewers' in UTC", () => {
    assert.equal(peopleTime("2027-01-12T14:30:00Z", "2027-01-12T15:15:00Z", "Europe/Lisbon"), "Tuesday 12 January, 14:30–15:15 (Lisbon time)");
    const r = candidateReminder(booking, { offsetMinutes: 1440, joinUrl: "https://meet.example/abc", rescheduleUrl: "https://fulcrum.example/book/tok" });
    assert.match(r.subject, /tomorrow, Tuesday 12 January, 14:30–16:30 \(Lisbon time\)/);
    assert.match(r.text, /^Hello Casey,/);
    assert.ok(!r.text.includes("Candidate"), "only the first name");
    assert.match(r.text, /Join by video: https:\/\/meet\.example\/abc/);
    assert.match(r.text, /Reschedule or cancel here: https:\/\/fulcrum\.example\/book\/tok/);
    const hint = candidateReminder(booking, { offsetMinutes: 60, rescheduleHint: "To reschedule, use the link in your booking confirmation." });
    assert.ok(!/Reschedule or cancel here/.test(hint.text));
    assert.match(hint.text, /in one hour/);
    assert.match(hint.text, /use the link in your booking confirmation/);
    const i = interviewerReminder(booking, { offsetMinutes: 1440, joinUrl: "https://meet.example/abc" });
    assert.match(i.text, /not accepted the calendar invite/);
    assert.match(i.subject, /Tue 12 Jan, 14:30–16:30 UTC/);
  });
});
