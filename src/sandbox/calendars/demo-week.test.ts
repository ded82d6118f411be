/**
 * The demo calendars: every kind of event the scheduling rules care about is there for the demo
 * people, the same seed and week give the same calendars, and Fulcrum's readAvailability over the
 * sandbox (Google and Graph together, as `npm start` wires them) gives sensible busy blocks.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { DateTime } from "luxon";
import { calendarsConfigSchema } from "../../calendars/config.ts";
import { openCalendarProvider, readAvailability, type InterviewerAvailability } from "../../calendars/connections.ts";
import type { CalendarProvider } from "../../calendars/provider.ts";
import { startSandbox, type Sandbox } from "../index.ts";
import { sandboxCalendarsConfig, startCalendarSandbox } from "./index.ts";

let sandbox: Sandbox;
const cal = () => sandbox.calendars!;
const domain = "northwind-demo.example";

before(async () => {
  sandbox = await startSandbox({ calendars: true, rateLimit: false, candidates: 10 });
});
after(async () => {
  await sandbox.close();
});

describe("the demo calendars", () => {
  it("give every active demo user recurring team meetings, focus time, an all-day out-of-office day and a free lunch", () => {
    const store = cal().store;
    assert.equal(store.people.size, 14);
    for (const p of store.people.values()) {
      const events = store.calendar(p.email);
      assert.ok(
        events.some((e) => e.recurrence && e.attendees.length > 0),
        `${p.name} has a recurring team meeting`,
      );
      assert.ok(
        events.some((e) => e.kind === "focusTime" && e.showAs === "busy" && e.recurrence),
        `${p.name} has focus blocks`,
      );
      assert.ok(
        events.some((e) => e.organizer === p.email && e.allDay && e.showAs === "oof"),
        `${p.name} has an all-day out-of-office day`,
      );
      assert.ok(
        events.some((e) => e.title === "Lunch" && e.showAs === "free"),
        `${p.name} has a free lunch`,
      );
      const oof = events.find((e) => e.organizer === p.email && e.allDay && e.showAs === "oof")!;
      assert.ok(p.workingHours.days.includes(DateTime.fromISO(oof.startDate!).weekday), `${p.name}'s day off is a working day`);
    }
    const all = [...store.events.values()];
    assert.ok(
      all.some((e) => e.showAs === "tentative"),
      "tentative holds",
    );
    assert.ok(
      all.some((e) => e.attendees.some((a) => a.response === "tentative")),
      "tentative answers",
    );
    assert.ok(
      all.some((e) => e.attendees.some((a) => a.response === "declined")),
      "a declined invitation",
    );
    assert.ok(
      all.some((e) => e.showAs === "workingElsewhere" && e.allDay),
      "working elsewhere",
    );
    assert.ok(
      all.some((e) => e.recurrence?.exdates.length),
      "a cancelled occurrence",
    );
    assert.ok(
      all.some((e) => e.recurrence?.overrides.length),
      "a moved occurrence",
    );
    const zones = new Set([...store.people.values()].map((p) => p.timezone));
    assert.ok(zones.size >= 3, `people in ${zones.size} zones`);
    assert.ok(
      [...zones].some((z) => z.startsWith("America/")) && [...zones].some((z) => z.startsWith("Europe/")) && [...zones].some((z) => z.startsWith("Asia/")),
    );
  });

  it("are the same for the same seed and week, and follow the clock to this week", async () => {
    const people = [...cal().store.people.values()].map((p) => ({ name: p.name, email: p.email }));
    const now = Date.UTC(2026, 2, 25, 12);
    const [a, b] = [await startCalendarSandbox({ people, now: () => now }), await startCalendarSandbox({ people, now: () => now })];
    const later = await startCalendarSandbox({ people, now: () => now + 7 * 86_400_000 });
    try {
      const dump = (s: typeof a) => JSON.stringify([...s.store.events.values()]);
      assert.equal(dump(a), dump(b));
      assert.equal(a.demo!.weekStart, "2026-03-23");
      assert.equal(later.demo!.weekStart, "2026-03-30");
    } finally {
      await Promise.all([a.close(), b.close(), later.close()]);
    }
  });

  it("read through readAvailability (Google and Graph as npm start wires them) block busy, tentative and out-of-office time and leave lunch free", async () => {
    const config = calendarsConfigSchema.parse(sandboxCalendarsConfig(cal()));
    const providers = new Map<string, CalendarProvider>(config.connections.map((c) => [c.id, openCalendarProvider(c, config)]));
    const start = DateTime.fromISO(cal().demo!.weekStart, { zone: "utc" });
    const window = { start: start.toISO()!, end: start.plus({ days: 14 }).toISO()! };
    const sofiaEmail = `sofia.almeida@${domain}`;
    const graceEmail = `grace.mwangi@${domain}`;
    const [sofiaRead, graceRead] = await readAvailability(config, providers, {
      users: [
        { id: "u-sofia", email: sofiaEmail },
        { id: "u-grace", email: graceEmail },
      ],
      window,
    });
    const sofia = sofiaRead!;
    const grace = graceRead!;
    assert.ok(sofia.ok && grace.ok, JSON.stringify([sofia, grace]).slice(0, 400));
    if (!sofia.ok || !grace.ok) return;
    type Read = Extract<InterviewerAvailability, { ok: true }>;
    const blocked = (a: Read, from: DateTime, to: DateTime) =>
      a.blocked.some((b) => Date.parse(b.start) <= from.toMillis() && Date.parse(b.end) >= to.toMillis());
    const touches = (a: Read, from: DateTime, to: DateTime) =>
      a.blocked.some((b) => Date.parse(b.start) < to.toMillis() && Date.parse(b.end) > from.toMillis());

    // Sofia (Google): her day off is blocked from midnight to midnight in Berlin.
    const oof = cal()
      .store.calendar(sofiaEmail)
      .find((e) => e.organizer === sofiaEmail && e.showAs === "oof")!;
    const dayOff = DateTime.fromISO(oof.startDate!, { zone: "Europe/Berlin" });
    assert.ok(
      dayOff < start.plus({ days: 14 }) ? blocked(sofia, dayOff, dayOff.plus({ days: 1 })) : true,
      "the all-day out-of-office day blocks the whole local day",
    );
    // The engineering stand-up (16:00 Berlin) blocks on a working day that is not her day off.
    const monday = DateTime.fromISO(`${start.plus({ days: 7 }).toISODate()}T16:00`, { zone: "Europe/Berlin" });
    assert.ok(blocked(sofia, monday, monday.plus({ minutes: 15 })), "stand-up blocks");
    // A tentative hold blocks by default.
    const hold = cal()
      .store.calendar(sofiaEmail)
      .find((e) => e.title === "Hold: onsite debrief")!;
    assert.ok(blocked(sofia, DateTime.fromMillis(hold.start), DateTime.fromMillis(hold.end)), "the tentative hold blocks");
    // Lunch is free: on some working day 12:00–13:00 Berlin is not blocked at all.
    const lunchFree = [0, 1, 2, 3, 4, 7, 8, 9, 10, 11].some((d) => {
      const noon = DateTime.fromISO(`${start.plus({ days: d }).toISODate()}T12:00`, { zone: "Europe/Berlin" });
      return !touches(sofia, noon, noon.plus({ hours: 1 }));
    });
    assert.ok(lunchFree, "lunch (free/transparent) does not block");
    assert.equal(sofia.interviewer.timezone, "Europe/Berlin");

    // Grace (Graph): working hours and zone come from Exchange.
    assert.equal(grace.source, "provider");
    assert.equal(grace.interviewer.timezone, "Africa/Nairobi");
    assert.deepEqual(grace.interviewer.workingHours.mon, [["08:00", "17:00"]]);
    const firstWork = DateTime.fromISO(grace.working[0]!.start, { zone: "Africa/Nairobi" });
    assert.equal(firstWork.toFormat("HH:mm"), "08:00");
    assert.ok(grace.free.length > 0 && grace.blocked.length > 0);
  });
});
