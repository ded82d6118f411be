/** Panel plans and proposals: pure functions over a configuration, Lever users and availability. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DateTime } from "luxon";
import { normaliseAvailability, type InterviewerAvailability, type RawItem } from "../../calendars/index.ts";
import { schedulingConfigSchema, type SchedulingConfigInput } from "../../config/index.ts";
import { bookingParamsSchema } from "../booking/params.ts";
import { candidateTimezone, zoneForLocation } from "./candidate-zone.ts";
import { planPanel, type PanelUser } from "./panel-plan.ts";
import { businessDays, CALENDAR_VIEW_LIMITS, proposeSchedule, readWindow } from "./propose.ts";

const users: PanelUser[] = [
  { id: "u-hm", name: "Hana Manager", email: "hana@example.com" },
  { id: "u-rec", name: "Rob Recruiter", email: "rob@example.com" },
  { id: "u-a", name: "Ana", email: "ana@example.com" },
  { id: "u-b", name: "Ben", email: "ben@example.com" },
  { id: "u-c", name: "Cai", email: "cai@example.com" },
  { id: "u-t", name: "Tia Trainee", email: "tia@example.com" },
];
const posting = { id: "p1", text: "Backend Engineer", hiringManager: "u-hm", followers: ["u-rec", "u-hm"] };
const onsite = { id: "st-onsite", text: "On-site Interview" };
const config = (input: SchedulingConfigInput) => schedulingConfigSchema.parse(input);
// Monday 6 April 2026, 10:00 in Lisbon: the window starts on Tuesday the 7th.
const NOW = Date.parse("2026-04-06T09:00:00Z");
const ZONE = "Europe/Lisbon";

function availability(ids: string[], items: Record<string, RawItem[]> = {}, buffer = 10): InterviewerAvailability[] {
  const days = businessDays(NOW, ZONE, 5);
  const window = readWindow(days);
  return ids.map((id) => {
    const u = users.find((x) => x.id === id)!;
    const a = normaliseAvailability({
      identity: { id, email: u.email! },
      timezone: ZONE,
      window,
      items: items[id] ?? [],
      workingHours: { mon: [["09:00", "17:00"]], tue: [["09:00", "17:00"]], wed: [["09:00", "17:00"]], thu: [["09:00", "17:00"]], fri: [["09:00", "17:00"]] },
      policy: { bufferMinutes: buffer },
    });
    return { leverUserId: id, ok: true as const, source: "configured" as const, notes: [], ...a };
  });
}

const base = {
  users,
  candidate: { name: "Cleo Candidate", email: "cleo@mail.example", timezone: ZONE },
  opportunityId: "opp-1",
  postingId: "p1",
  stageId: "st-onsite",
  panelKey: "opp-1:st-onsite:t1",
  now: NOW,
  interviewPattern: "\\binterview",
};

describe("panel plans", () => {
  it("takes the template for the posting and stage, resolves pools by id, e-mail and hiringManager, and moves the hiring manager first", () => {
    const plan = planPanel(
      config({
        panels: [
          {
            posting: "Backend Engineer",
            stage: "On-site Interview",
            order: "hiringManagerFirst",
            sessions: [
              { title: "Design", minutes: 60, need: 2, pool: ["ana@example.com", "u-b", "u-c"] },
              { title: "Manager", minutes: 30, pool: ["hiringManager"] },
            ],
            optedOut: ["cai@example.com"],
          },
        ],
      }),
      posting,
      onsite,
      users,
    );
    assert.equal(plan.source, "template");
    assert.equal(plan.templatePath, "scheduling.panels[0]");
    assert.deepEqual(
      plan.sessions.map((s) => [s.id, s.pool]),
      [
        ["s2", ["u-hm"]],
        ["s1", ["u-a", "u-b"]],
      ],
    );
    assert.match(plan.notes.join(" "), /Cai opted out/);
    assert.deepEqual(plan.problems, []);
  });

  it("without a template, makes one session with the posting's hiring manager and followers", () => {
    const plan = planPanel(config({ panels: [{ stage: "Phone Screen", sessions: [{ title: "x", minutes: 30, pool: ["u-a"] }] }] }), posting, onsite, users);
    assert.equal(plan.source, "hiring team");
    assert.deepEqual(plan.sessions, [{ id: "s1", title: "Interview with the hiring team", minutes: 45, need: 2, pool: ["u-hm", "u-rec"] }]);
  });

  it("names an unknown user in a pool by its path, as a problem for a person", () => {
    const plan = planPanel(
      config({ panels: [{ stage: "st-onsite", sessions: [{ title: "x", minutes: 30, pool: ["nobody@example.com"] }] }] }),
      posting,
      onsite,
      users,
    );
    assert.deepEqual(plan.problems, ['scheduling.panels[0].sessions[0].pool[0]: "nobody@example.com" is not a Lever user of this account']);
    const p = proposeSchedule({ ...base, plan, availability: [] });
    assert.equal(p.feasible, false);
    assert.match(p.reason!, /nobody@example.com/);
  });
});

describe("proposals", () => {
  it("proposes three options on different days whose sessions are inside working hours and clear of every event and its buffer", () => {
    const plan = planPanel(
      config({
        panels: [
          {
            stage: "On-site Interview",
            sessions: [
              { title: "Design", minutes: 60, need: 2, pool: ["u-a", "u-b", "u-c"] },
              { title: "Manager", minutes: 30, pool: ["hiringManager"] },
            ],
          },
        ],
      }),
      posting,
      onsite,
      users,
    );
    // Tuesday: Ana and Ben busy all morning; Cai out of office; Hana busy 14:00–15:00 Lisbon.
    const items: Record<string, RawItem[]> = {
      "u-a": [{ start: "2026-04-07T08:00:00Z", end: "2026-04-07T11:00:00Z", status: "busy", title: "Sprint planning" }],
      "u-b": [{ start: "2026-04-07T08:00:00Z", end: "2026-04-07T12:00:00Z", status: "tentative", title: "Hold" }],
      "u-c": [{ start: "2026-04-07", end: "2026-04-08", status: "oof", allDay: true, title: "Holiday" }],
      "u-hm": [
        { start: "2026-04-07T13:00:00Z", end: "2026-04-07T14:00:00Z", status: "busy", title: "1:1" },
        { start: "2026-04-07T12:00:00Z", end: "2026-04-07T13:00:00Z", status: "free", title: "Lunch (free)" },
      ],
    };
    const avail = availability(["u-a", "u-b", "u-c", "u-hm"], items);
    const p = proposeSchedule({ ...base, plan, availability: avail });
    assert.equal(p.feasible, true);
    assert.equal(p.options.length, 3);
    assert.deepEqual(p.window.days, ["2026-04-07", "2026-04-08", "2026-04-09", "2026-04-10", "2026-04-13"]);
    const days = p.options.map((o) => o.booking.sessions[0]!.start.slice(0, 10));
    assert.deepEqual(days, ["2026-04-07", "2026-04-08", "2026-04-09"], "the best time of each of the first days");
    for (const o of p.options) {
      bookingParamsSchema.parse(o.booking);
      for (const s of o.booking.sessions) {
        for (const who of s.interviewers) {
          const a = avail.find((x) => x.leverUserId === who.leverUserId) as Extract<InterviewerAvailability, { ok: true }>;
          assert.ok(
            a.free.some((f) => f.start <= new Date(s.start).toISOString() && f.end >= new Date(s.end).toISOString()),
            `${who.name} is free for ${s.title} at ${s.start}`,
          );
        }
      }
    }
    // Tuesday (Lisbon is UTC+1): Ben's tentative hold and its buffer end 13:10, Cai is away, and Hana's
    // 1:1 (15:00 with its buffer) must fall within the 30-minute gap: Design 13:45, Manager 15:15.
    const first = p.options[0]!;
    assert.deepEqual(
      first.booking.sessions.map((s) => [s.start, s.end]),
      [
        ["2026-04-07T12:45:00Z", "2026-04-07T13:45:00Z"],
        ["2026-04-07T14:15:00Z", "2026-04-07T14:45:00Z"],
      ],
    );
    assert.deepEqual(first.booking.sessions[0]!.interviewers.map((i) => i.leverUserId).sort(), ["u-a", "u-b"]);
    assert.equal(first.booking.candidate.timezone, ZONE);
    assert.equal(first.booking.panelKey, "opp-1:st-onsite:t1");
    assert.match(first.reasons.join("\n"), /earliest possible: Tue 7 Apr 13:45–15:45/);
    assert.match(first.reasons.join("\n"), /not on Design: Cai \(busy/);
    assert.deepEqual(p.booking, first.booking);
  });

  it("counts interviews already in a calendar toward the day's cap", () => {
    const plan = planPanel(
      config({ defaults: { loadCaps: { perDay: 1 } }, panels: [{ stage: "On-site Interview", sessions: [{ title: "Tech", minutes: 60, pool: ["u-a"] }] }] }),
      posting,
      onsite,
      users,
    );
    const items = { "u-a": [{ start: "2026-04-07T16:00:00Z", end: "2026-04-07T16:30:00Z", status: "busy" as const, title: "Interview: someone else" }] };
    const p = proposeSchedule({ ...base, plan, availability: availability(["u-a"], items), maxOptions: 2 });
    assert.equal(p.options[0]!.booking.sessions[0]!.start.slice(0, 10), "2026-04-08", "Tuesday already has Ana's one interview");
    assert.match(p.options[0]!.reasons.join("\n"), /earlier days do not fit: Tue 7 Apr/);
  });

  it("adds a shadow seat from the trainees' pool where one is free", () => {
    const plan = planPanel(
      config({ panels: [{ stage: "On-site Interview", sessions: [{ title: "Tech", minutes: 60, pool: ["u-a"] }], shadow: { pool: ["u-t"] } }] }),
      posting,
      onsite,
      users,
    );
    const p = proposeSchedule({ ...base, plan, availability: availability(["u-a", "u-t"]) });
    assert.deepEqual(
      p.booking!.sessions[0]!.interviewers.map((i) => i.leverUserId),
      ["u-a", "u-t"],
    );
    assert.match(p.reasons.join("\n"), /shadow: Tia Trainee/);
  });

  it("keeps the posting's language on every option's booking, for the reminders of a panel booked without a link", () => {
    const plan = planPanel(
      config({ panels: [{ stage: "On-site Interview", sessions: [{ title: "Tech", minutes: 60, pool: ["u-a"] }] }] }),
      posting,
      onsite,
      users,
    );
    const p = proposeSchedule({ ...base, plan, availability: availability(["u-a"]), language: "de" });
    assert.ok(p.options.length > 1);
    for (const o of p.options) assert.equal(bookingParamsSchema.parse(o.booking).language, "de");
    const none = proposeSchedule({ ...base, plan, availability: availability(["u-a"]) });
    assert.ok(!("language" in none.booking!), "no language set: none kept (the reminders speak English)");
  });

  it("when nothing fits, names the session and who blocks it, by name", () => {
    const plan = planPanel(
      config({ panels: [{ stage: "On-site Interview", sessions: [{ title: "Tech", minutes: 60, need: 2, pool: ["u-a", "u-b"] }] }] }),
      posting,
      onsite,
      users,
    );
    const away = (id: string) =>
      [{ start: "2026-04-06", end: "2026-04-20", status: "oof" as const, allDay: true, title: "Leave" }].map((x) => ({ ...x, eventId: id }));
    const p = proposeSchedule({ ...base, plan, availability: availability(["u-a", "u-b"], { "u-b": away("b") }) });
    assert.equal(p.feasible, false);
    assert.equal(p.booking, undefined);
    assert.match(p.reason!, /no time in the window/);
    assert.match(p.reason!, /session "s1" needs 2/);
    assert.match(p.reason!, /Ben: busy, tentative or out of office/);
  });

  it("leaves out an interviewer whose calendar cannot be read, saying so", () => {
    const plan = planPanel(
      config({ panels: [{ stage: "On-site Interview", sessions: [{ title: "Tech", minutes: 60, pool: ["u-a", "u-b"] }] }] }),
      posting,
      onsite,
      users,
    );
    const p = proposeSchedule({
      ...base,
      plan,
      availability: [...availability(["u-a"]), { leverUserId: "u-b", ok: false, error: "no calendar connection serves example.com", retryable: false }],
    });
    assert.equal(p.feasible, true);
    assert.match(p.notes.join(" "), /Ben is left out: their calendar could not be read/);
  });
});

describe("what the day timeline is given", () => {
  const plan = () =>
    planPanel(config({ panels: [{ stage: "On-site Interview", sessions: [{ title: "Tech", minutes: 60, pool: ["u-a", "u-b"] }] }] }), posting, onsite, users);

  it("records each interviewer's blocking events in the window with their status and title, working time, and why a calendar is missing", () => {
    const items: Record<string, RawItem[]> = {
      "u-a": [
        { start: "2026-04-07T08:00:00Z", end: "2026-04-07T09:00:00Z", status: "busy", title: "Sprint planning" },
        { start: "2026-04-07T10:00:00Z", end: "2026-04-07T11:00:00Z", status: "tentative" },
        { start: "2026-04-07T12:00:00Z", end: "2026-04-07T13:00:00Z", status: "free", title: "Lunch" },
        { start: "2026-03-20T08:00:00Z", end: "2026-03-20T09:00:00Z", status: "busy", title: "Long before the window" },
      ],
    };
    const p = proposeSchedule({
      ...base,
      plan: plan(),
      availability: [...availability(["u-a"], items), { leverUserId: "u-b", ok: false, error: "no calendar connection serves example.com", retryable: false }],
    });
    const [ana, ben] = p.calendars;
    assert.equal(ana!.name, "Ana");
    assert.equal(ana!.timezone, ZONE);
    assert.deepEqual(
      ana!.busy.map((b) => [b.start, b.status, b.title]),
      [
        ["2026-04-07T08:00:00.000Z", "busy", "Sprint planning"],
        ["2026-04-07T10:00:00.000Z", "tentative", undefined],
      ],
      "free events and events outside the window are left out; no title is made up",
    );
    assert.equal(ana!.working.length, 5, "one working interval per business day of the window");
    assert.deepEqual(ben, { id: "u-b", name: "Ben", error: "no calendar connection serves example.com", working: [], busy: [] });
  });

  it("caps the blocks kept per person and says how many were left out", () => {
    const many: RawItem[] = Array.from({ length: 200 }, (_, i) => ({
      start: new Date(Date.parse("2026-04-07T08:00:00Z") + i * 60_000).toISOString(),
      end: new Date(Date.parse("2026-04-07T08:00:30Z") + i * 60_000).toISOString(),
      status: "busy" as const,
      title: "x".repeat(500),
    }));
    const p = proposeSchedule({ ...base, plan: plan(), availability: availability(["u-a", "u-b"], { "u-a": many }, 0) });
    const ana = p.calendars[0]!;
    assert.equal(ana.busy.length, CALENDAR_VIEW_LIMITS.blocksPerPerson);
    assert.equal(ana.omitted, 200 - CALENDAR_VIEW_LIMITS.blocksPerPerson);
    assert.equal(ana.busy[0]!.title!.length, CALENDAR_VIEW_LIMITS.titleChars);
  });
});

describe("the candidate's time zone", () => {
  it("comes from the given zone, the application, the candidate's location, the posting's location, its country, then the default", () => {
    const d = { defaultTimezone: "UTC" };
    assert.equal(candidateTimezone({ ...d, given: "Asia/Tokyo", applicationTimezone: "Europe/Paris" }).source, "given");
    assert.equal(candidateTimezone({ ...d, given: "Not/AZone", applicationTimezone: "Europe/Paris" }).timezone, "Europe/Paris");
    assert.deepEqual(candidateTimezone({ ...d, candidateLocation: "San Francisco, CA", postingLocation: "Berlin" }).timezone, "America/Los_Angeles");
    assert.deepEqual(candidateTimezone({ ...d, candidateLocation: "Remote", postingLocation: "New York, NY" }), {
      timezone: "America/New_York",
      source: "posting location",
      detail: 'the posting\'s location ("New York, NY")',
    });
    assert.equal(candidateTimezone({ ...d, postingLocation: "Remote", postingCountry: "DE" }).timezone, "Europe/Berlin");
    assert.equal(candidateTimezone({ ...d, postingLocation: "Anywhere" }).source, "default");
  });

  it("names a zone given in the workflow or in Lever that is not an IANA zone, and says what was used instead", () => {
    const z = candidateTimezone({ defaultTimezone: "UTC", given: "CET+1", applicationTimezone: "Mars/Olympus", postingLocation: "Berlin" });
    assert.equal(z.timezone, "Europe/Berlin");
    assert.equal(z.source, "posting location");
    assert.equal(
      z.detail,
      'the posting\'s location ("Berlin") (the given time zone "CET+1" is not an IANA zone; the application\'s time zone in Lever "Mars/Olympus" is not an IANA zone, so it was not used)',
    );
    assert.equal(
      candidateTimezone({ defaultTimezone: "UTC", applicationTimezone: "Europe/Paris" }).detail,
      "the application's time zone in Lever (Europe/Paris)",
    );
  });

  it("recognises cities written with accents, state codes and aliases", () => {
    assert.equal(zoneForLocation("Toronto, ON"), "America/Toronto");
    assert.equal(zoneForLocation("São Paulo"), "America/Sao_Paulo");
    assert.equal(zoneForLocation("Barcelona"), "Europe/Madrid");
    assert.equal(zoneForLocation("Lisbon"), "Europe/Lisbon");
    assert.equal(zoneForLocation("Nairobi"), "Africa/Nairobi");
    assert.equal(zoneForLocation("Remote"), undefined);
  });
});

// The window is business days in the candidate's zone, from the day after now.
describe("the window", () => {
  it("skips the weekend", () => {
    const days = businessDays(Date.parse("2026-04-09T12:00:00Z"), "America/New_York", 3).map((d: DateTime) => d.toISODate());
    assert.deepEqual(days, ["2026-04-10", "2026-04-13", "2026-04-14"]);
  });
});
