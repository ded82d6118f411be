import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { noShowRisk, noShowSignals, type InviteAnswer, type NoShowSignals } from "./risk.ts";

const base: NoShowSignals = {
  start: "2026-03-24T14:00:00Z",
  candidateZone: "Europe/Berlin",
  interviewerZones: ["Europe/Berlin"],
  bookedAt: "2026-03-20T10:00:00Z",
  reschedules: 0,
  invite: "unknown",
  now: "2026-03-23T14:00:00Z",
};

/** A small seeded generator (mulberry32), so a failure can be replayed. */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("no-show risk", () => {
  it("is low with no signal, and says so", () => {
    const r = noShowRisk(base);
    assert.equal(r.level, "low");
    assert.deepEqual(r.reasons, ["no signal of a missed interview"]);
  });

  it("is high for an unanswered invite at 01:00 local time, booked long ago and moved twice, with every reason listed", () => {
    const r = noShowRisk({
      ...base,
      start: "2026-03-24T05:00:00Z",
      candidateZone: "America/New_York",
      bookedAt: "2026-03-01T00:00:00Z",
      reschedules: 2,
      invite: "needsAction",
    });
    assert.equal(r.level, "high");
    assert.ok(r.reasons.some((x) => /not accepted the invite/.test(x)));
    assert.ok(r.reasons.some((x) => /01:00 the candidate's time/.test(x)));
    assert.ok(r.reasons.some((x) => /booked 23 days before/.test(x)));
    assert.ok(r.reasons.some((x) => /rescheduled 2 times/.test(x)));
  });

  it("counts a large time-zone gap and an unanswered reminder; an accepted invite and a reply lower it", () => {
    const far = {
      ...base,
      start: "2026-03-24T16:00:00Z",
      candidateZone: "Asia/Tokyo",
      interviewerZones: ["America/Los_Angeles"],
      reminder: { sentAt: "2026-03-23T00:00:00Z", answered: false },
    };
    const r = noShowRisk(far);
    assert.ok(
      r.reasons.some((x) => /16 hours from the interviewers'/.test(x)),
      r.reasons.join("; "),
    );
    assert.ok(r.reasons.some((x) => /no answer to the reminder/.test(x)));
    assert.equal(r.level, "medium");
    const better = noShowRisk({ ...far, invite: "accepted", candidateReplies: 1 });
    assert.equal(better.level, "low");
    assert.ok(better.reasons.includes("the candidate accepted the invite"));
  });

  it("goes down when the candidate confirms they will be there: the invite counts as accepted and the reminder as answered", () => {
    const unsure = {
      ...base,
      start: "2026-03-24T05:00:00Z",
      candidateZone: "America/New_York",
      bookedAt: "2026-03-01T00:00:00Z",
      invite: "needsAction" as const,
      reminder: { sentAt: "2026-03-23T05:00:00Z", answered: false },
      now: "2026-03-23T20:00:00Z",
    };
    const before = noShowRisk(unsure);
    assert.equal(before.level, "high", before.reasons.join("; "));
    assert.ok(before.reasons.some((x) => /no answer to the reminder/.test(x)));
    const after = noShowRisk({ ...unsure, confirmedAt: "2026-03-23T19:10:00Z" });
    assert.equal(after.level, "low", after.reasons.join("; "));
    assert.equal(after.score, before.score - 3, "not accepted (+1) becomes confirmed (-1), the unanswered reminder (+1) goes");
    assert.ok(after.reasons.includes("the candidate confirmed they will be there (2026-03-23 19:10 UTC)"));
    assert.ok(!after.reasons.some((x) => /not accepted the invite|no answer to the reminder/.test(x)));
    // A confirmation recorded after the moment the risk is computed for does not count yet.
    assert.equal(noShowRisk({ ...unsure, confirmedAt: "2026-03-23T21:00:00Z" }).level, "high");
  });

  it("never changes when only the candidate's name, e-mail, age or address change (600 generated bookings)", () => {
    const next = rng(15);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]!;
    const zones = ["Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Sydney", "America/Sao_Paulo", "Africa/Lagos", "Asia/Tokyo", "UTC"];
    const names = ["Ana María Pérez", "Mohammed Al-Sayed", "Nguyen Van An", "Emily Smith", "Olusegun Adeyemi", "Zoë Ünal", "李华", "Dmitri Ivanov"];
    const addresses = ["12 Rue de Rivoli, Paris", "Block 5, Lagos Island", "221B Baker Street, London", "", "Favela da Rocinha, Rio de Janeiro"];
    const invites: InviteAnswer[] = ["accepted", "tentative", "declined", "needsAction", "unknown"];
    for (let n = 0; n < 600; n++) {
      const start = Date.UTC(2026, 0, 1) + Math.floor(next() * 365 * 96) * 900_000;
      const sessions = [
        {
          id: "s1",
          title: "Interview",
          start: new Date(start).toISOString(),
          end: new Date(start + 3_600_000).toISOString(),
          interviewers: [{ leverUserId: "u1", email: "i@example.com" }],
        },
      ];
      const facts = {
        interviewerZones: [pick(zones)],
        bookedAt: new Date(start - Math.floor(next() * 30 * 24) * 3_600_000).toISOString(),
        reschedules: Math.floor(next() * 4),
        invite: pick(invites),
        candidateReplies: next() < 0.3 ? undefined : Math.floor(next() * 3),
        reminder: next() < 0.5 ? undefined : { sentAt: new Date(start - 86_400_000).toISOString(), answered: next() < 0.5 },
        confirmedAt: next() < 0.5 ? undefined : new Date(start - Math.floor(next() * 48) * 3_600_000).toISOString(),
        now: new Date(start - 3_600_000).toISOString(),
      };
      const zone = pick(zones);
      const person = () => ({
        name: pick(names),
        email: `${Math.floor(next() * 1e6)}@mail.example`,
        timezone: zone,
        age: 18 + Math.floor(next() * 50),
        address: pick(addresses),
        gender: pick(["female", "male", "non-binary", undefined]),
      });
      const one = noShowRisk(noShowSignals({ sessions, candidate: person() }, facts));
      for (let k = 0; k < 3; k++) {
        const other = noShowRisk(noShowSignals({ sessions, candidate: person() }, facts));
        assert.deepEqual(other, one, `booking ${n}: the level or reasons changed with only personal details`);
      }
      for (const reason of one.reasons) for (const name of names) assert.ok(!reason.includes(name));
    }
  });
});
