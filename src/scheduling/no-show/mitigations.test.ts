import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { InterviewerAvailability } from "../../calendars/index.ts";
import { PANEL_DEFAULTS, type PanelPlan } from "../proposal/panel-plan.ts";
import { chooseMitigations, parseMitigations, parseRiskLevel, pickBackups } from "./mitigations.ts";

const START = "2027-01-12T10:00:00Z";
const END = "2027-01-12T11:00:00Z";
const booking = {
  opportunityId: "opp-1",
  panelKey: "opp-1:onsite",
  candidate: { name: "Casey", timezone: "Europe/Berlin" },
  sessions: [{ id: "tech", title: "Technical", start: START, end: END, interviewers: [{ leverUserId: "u1", email: "u1@example.com" }] }],
};
const plan: PanelPlan = {
  source: "template",
  sessions: [{ id: "tech", title: "Technical", minutes: 60, need: 1, pool: ["u1", "u2", "u3", "u4"] }],
  maxGapMinutes: PANEL_DEFAULTS.maxGapMinutes,
  bufferMinutes: 10,
  windowBusinessDays: 5,
  granularityMinutes: 15,
  loadCaps: { perDay: 1 },
  notes: [],
  problems: [],
};
const day = { start: "2027-01-12T08:00:00Z", end: "2027-01-12T16:00:00Z" };
function person(id: string, free: { start: string; end: string }[], busy: { start: string; end: string; title?: string }[] = []): InterviewerAvailability {
  return {
    leverUserId: id,
    ok: true,
    source: "configured",
    notes: [],
    interviewer: { id, email: `${id}@example.com`, timezone: "UTC", workingHours: {}, busy: busy.map((b) => ({ ...b, status: "busy" as const })) },
    blocked: busy,
    working: [day],
    free,
    warnings: [],
  };
}

describe("no-show mitigations", () => {
  it("apply from the configured level only, each with its reason", () => {
    assert.deepEqual(chooseMitigations({ level: "medium" }, ["extraReminder", "backup"], "high").apply, []);
    const high = chooseMitigations({ level: "high" }, ["extraReminder", "backup"], "high");
    assert.deepEqual(high.apply, ["extraReminder", "backup"]);
    assert.match(high.reasons[1]!, /backup interviewer held from the pool/);
    assert.deepEqual(chooseMitigations({ level: "medium" }, ["alert"], "medium").apply, ["alert"]);
  });

  it("names a bad setting", () => {
    assert.deepEqual(parseMitigations("extraReminder, backup, backup"), ["extraReminder", "backup"]);
    assert.throws(() => parseMitigations("extraReminder, sms"), /mitigation "sms" is not one of extraReminder, backup, alert/);
    assert.throws(() => parseRiskLevel("severe"), /risk level "severe" is not low, medium or high/);
    assert.equal(parseRiskLevel(undefined), "high");
  });

  it("holds the pool member free for the whole session and under the load cap, not someone on the panel", () => {
    const picks = pickBackups({
      booking,
      plan,
      users: [
        { id: "u2", name: "Busy Bea" },
        { id: "u3", name: "Capped Cal", email: "cal@example.com" },
        { id: "u4", name: "Free Fay", email: "fay@example.com" },
      ],
      availability: [
        person("u1", [day]),
        // free only for half of the session
        person("u2", [{ start: day.start, end: "2027-01-12T10:30:00Z" }]),
        // free, but already at the day's cap of interviews
        person("u3", [day], [{ start: "2027-01-12T14:00:00Z", end: "2027-01-12T15:00:00Z", title: "Interview with someone" }]),
        person("u4", [day]),
      ],
      interviewPattern: "\\binterview",
    });
    assert.equal(picks.length, 1);
    assert.deepEqual(picks[0]!.backup, { leverUserId: "u4", email: "fay@example.com", name: "Free Fay" });
    assert.match(picks[0]!.reasons.join("\n"), /Busy Bea: busy/);
    assert.match(picks[0]!.reasons.join("\n"), /Capped Cal: 1 interviews already that day \(cap 1\)/);
  });

  it("says why nobody is held when nobody fits", () => {
    const [pick] = pickBackups({
      booking,
      plan: { ...plan, sessions: [{ ...plan.sessions[0]!, pool: ["u1", "u2"] }] },
      users: [],
      availability: [person("u2", [])],
      interviewPattern: "interview",
    });
    assert.equal(pick!.backup, undefined);
    assert.match(pick!.reasons[0]!, /nobody in the pool of Technical is free for the whole session/);
  });
});
