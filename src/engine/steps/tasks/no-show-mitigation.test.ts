/**
 * The mitigation task against Radicale and a real database: a high risk holds a backup from the
 * session's pool as a tentative event in their own calendar (once), sends the extra reminder once
 * at its own offset, moves the hold with the panel, and releases it when the panel is cancelled
 * or the interview has passed.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { schedulingConfigSchema } from "../../../config/index.ts";
import { linkTokenContext, releaseBackupHolds } from "../../../scheduling/index.ts";
import { hasRadicale, openProviders, radicaleCalendars, startRadicale, type Radicale } from "../../../scheduling/booking/testing.ts";
import { createBackupHoldStore, createBookingLinkStore, createBookingStore, createSchedulingChangeStore, hashLinkToken } from "../../../store/index.ts";
import { openTestDatabase, testEngines, type TestDatabase } from "../../../store/testing.ts";
import type { CalendarsConfig } from "../../../calendars/index.ts";
import { createSecretBox } from "../../connections/secret-box.ts";
import type { LeverGateway, TaskInput } from "../../ports.ts";
import { schedulingMitigateTask, type MitigationTaskSettings } from "./no-show-mitigation.ts";

// Tuesday 12 January 2027, 11:00–12:00 in Berlin.
const START = "2027-01-12T10:00:00.000Z";
const plus = (iso: string, minutes: number) => new Date(Date.parse(iso) + minutes * 60_000).toISOString();
const PANEL = "opp-1:onsite";
const params = (start = START) => ({
  opportunityId: "opp-1",
  postingId: "post-1",
  stageId: "stage-onsite",
  panelKey: PANEL,
  candidate: { name: "Casey Candidate", email: "casey@mail.example", timezone: "America/Los_Angeles" },
  sessions: [{ id: "s1", title: "Technical", start, end: plus(start, 60), interviewers: [{ leverUserId: "u1", email: "ana@example.com", name: "Ana" }] }],
});
const users = [
  { id: "u1", name: "Ana", email: "ana@example.com" },
  { id: "u2", name: "Ben", email: "ben@example.com" },
  { id: "u3", name: "Cleo", email: "cleo@example.com" },
];
const scheduling = schedulingConfigSchema.parse({
  panels: [{ posting: ["post-1"], stage: ["stage-onsite"], sessions: [{ title: "Technical", minutes: 60, need: 1, pool: ["u1", "u2", "u3"] }] }],
});

const [engine] = await testEngines();

describe("scheduling.mitigate against Radicale", { skip: !hasRadicale || engine!.skip }, () => {
  let t: TestDatabase;
  let dav: Radicale;
  let calendars: CalendarsConfig;
  let clock = 0;
  const cal: Record<string, string> = {};

  before(async () => {
    dav = await startRadicale();
    for (const u of users) cal[u.id] = await dav.makeCalendar(u.name.toLowerCase());
    calendars = radicaleCalendars(
      dav.url,
      users.map((u) => ({ leverUserId: u.id, email: u.email, calendarUrl: cal[u.id]! })),
    );
    // Ben has a meeting during the session: he cannot be the backup.
    await dav.put(
      cal.u2!,
      "busy",
      [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//test//EN",
        "BEGIN:VEVENT",
        "UID:ben-busy",
        "DTSTAMP:20270101T000000Z",
        "DTSTART:20270112T093000Z",
        "DTEND:20270112T103000Z",
        "SUMMARY:Planning",
        "END:VEVENT",
        "END:VCALENDAR",
        "",
      ].join("\r\n"),
    );
    await dav.put(
      cal.u2!,
      "busy2",
      [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//test//EN",
        "BEGIN:VEVENT",
        "UID:ben-busy-2",
        "DTSTAMP:20270101T000000Z",
        "DTSTART:20270113T093000Z",
        "DTEND:20270113T103000Z",
        "SUMMARY:Planning",
        "END:VEVENT",
        "END:VCALENDAR",
        "",
      ].join("\r\n"),
    );
    t = await openTestDatabase(engine!.kind);
    const p = params();
    const bookings = createBookingStore(t.db);
    await bookings.hold({ panelKey: PANEL, connectionId: "default", opportunityId: p.opportunityId, paramsHash: "h", params: p }, [
      { interviewer: "ana@example.com", sessionId: "s1", start: p.sessions[0]!.start, end: p.sessions[0]!.end },
    ]);
    await bookings.recordPanel(PANEL, "panel-1");
    await bookings.setStatus(PANEL, "booked");
  });
  after(async () => {
    await t?.drop();
    dav?.stop();
  });

  const lever = { listUsers: async () => users } as unknown as LeverGateway;
  const run = (over: Partial<TaskInput> = {}, w: Record<string, unknown> = {}, settings: MitigationTaskSettings = {}) =>
    schedulingMitigateTask({ calendars, scheduling, now: () => clock, ...settings })({
      with: { level: "high", mitigations: "extraReminder, backup, alert", extraReminder: "3h", offsets: "24h, 1h", ...w },
      context: {},
      fetch: async () => ({ posting: { id: "post-1", text: "Engineer" } as never, stages: [{ id: "stage-onsite", text: "On-site" }] }),
      ai: undefined,
      lever,
      traceId: "trace",
      event: { panelId: "panel-1", interviewId: "int-1", opportunityId: "opp-1" },
      connectionId: "default",
      dryRun: false,
      db: t.db,
      startWorkflow: async () => null,
      ...over,
    }) as Promise<{
      apply: string[];
      extraReminder: Record<string, unknown>;
      backups: { leverUserId: string; status: string; start: string }[];
      released: { reason: string }[];
      alert: boolean;
      reasons: string[];
    }>;
  const cleoEvents = async (from = "2027-01-10T00:00:00Z", to = "2027-01-20T00:00:00Z") =>
    openProviders(calendars).get("dav")!.events({ id: "u3", email: "cleo@example.com", connectionId: "dav", calendarUrl: cal.u3 }, { start: from, end: to });

  it("a medium risk below the threshold holds nobody and sends nothing extra", async () => {
    clock = Date.parse(START) - 3 * 3_600_000;
    const r = await run({}, { level: "medium" });
    assert.deepEqual(r.apply, []);
    assert.equal(r.extraReminder.due, false);
    assert.equal(r.alert, false);
    assert.equal((await cleoEvents()).length, 0);
  });

  it("a high risk holds the free pool member as a tentative hold once, and sends the extra reminder once at its offset", async () => {
    clock = Date.parse(START) - 3 * 3_600_000;
    const r = await run();
    assert.deepEqual(r.apply, ["extraReminder", "backup", "alert"]);
    assert.equal(r.extraReminder.due, true);
    assert.equal(r.extraReminder.to, "casey@mail.example");
    assert.match(String(r.extraReminder.message), /in 3 hours/);
    assert.deepEqual(
      r.backups.map((b) => [b.leverUserId, b.status]),
      [["u3", "held"]],
    );
    assert.match(r.reasons.join("\n"), /Ben: busy/);
    const held = await cleoEvents();
    assert.equal(held.length, 1);
    assert.equal(held[0]!.status, "tentative");
    assert.match(held[0]!.title ?? "", /^Hold: backup interviewer for Technical/);
    assert.equal(Date.parse(held[0]!.start), Date.parse(START));
    assert.ok(!(held[0]!.title ?? "").includes("Casey"), "nothing about the candidate in the interviewer's calendar");

    const again = await run();
    assert.equal(again.extraReminder.due, false);
    assert.match(String(again.extraReminder.reason), /already sent/);
    assert.deepEqual(
      again.backups.map((b) => b.status),
      ["already held"],
    );
    assert.equal((await cleoEvents()).length, 1);
    const rows = await createBackupHoldStore(t.db).forPanel(PANEL);
    assert.deepEqual(
      rows.map((h) => [h.leverUserId, h.status]),
      [["u3", "held"]],
    );
  });

  it("at a 24 h run the extra reminder is not due yet; an unknown level or mitigation is named", async () => {
    clock = Date.parse(START) - 24 * 3_600_000;
    const r = await run();
    assert.equal(r.extraReminder.due, false);
    assert.match(String(r.extraReminder.reason), /180 minutes before the start, not now/);
    await assert.rejects(run({}, { level: "" }), /with\.level: "" is not a no-show risk level/);
    await assert.rejects(run({}, { mitigations: "backup, sms" }), /with\.mitigations: mitigation "sms" is not one of/);
  });

  it("a moved panel's hold is released and made again at the new time", async () => {
    const moved = plus(START, 24 * 60);
    await t.db.query("update scheduling_bookings set params = $2::jsonb, revision = 1 where panel_key = $1", [PANEL, JSON.stringify(params(moved))]);
    clock = Date.parse(START) - 3 * 3_600_000;
    const r = await run();
    assert.equal(r.released.length, 1);
    assert.match(r.released[0]!.reason, /moved/);
    assert.deepEqual(
      r.backups.map((b) => [b.leverUserId, b.status, b.start]),
      [["u3", "held", moved]],
    );
    const events = await cleoEvents();
    assert.equal(events.length, 1);
    assert.equal(Date.parse(events[0]!.start), Date.parse(moved));
  });

  it("a cancelled panel's hold is released by the sweep the calendar watcher runs, and so is one whose interview has passed", async () => {
    await createSchedulingChangeStore(t.db).setState(PANEL, "cancelled");
    const swept = await releaseBackupHolds({ db: t.db, calendars, providers: openProviders(calendars), now: clock });
    assert.deepEqual(
      swept.released.map((x) => x.reason),
      ["the panel is cancelled"],
    );
    assert.equal((await cleoEvents()).length, 0);
    const r = await run();
    assert.deepEqual(r.apply, []);
    assert.match(r.reasons[0]!, /cancelled/);

    // Booked again (as a coordinator would after the cancellation was undone).
    await t.db.query("update scheduling_bookings set state = 'booked' where panel_key = $1", [PANEL]);
    const back = await run();
    assert.deepEqual(
      back.backups.map((b) => b.status),
      ["held"],
      back.reasons.join("\n"),
    );
    assert.equal((await cleoEvents()).length, 1);
    const later = await releaseBackupHolds({ db: t.db, calendars, providers: openProviders(calendars), now: Date.parse(plus(START, 24 * 60 + 61)) });
    assert.deepEqual(
      later.released.map((x) => x.reason),
      ["the interview has taken place"],
    );
    assert.equal((await cleoEvents()).length, 0);
  });

  it("with send: auto the extra reminder goes out at its timer, once, with the booking's reschedule link, and the run keeps no link", async () => {
    const key = "opp-2:onsite";
    const p = { ...params(), opportunityId: "opp-2", panelKey: key, candidate: { ...params().candidate, email: "dee@mail.example" } };
    p.sessions = [{ ...p.sessions[0]!, interviewers: [{ leverUserId: "u2", email: "ben@example.com", name: "Ben" }] }];
    const bookings = createBookingStore(t.db);
    await bookings.hold({ panelKey: key, connectionId: "default", opportunityId: "opp-2", paramsHash: "h2", params: p }, [
      { interviewer: "ben@example.com", sessionId: "s1", start: p.sessions[0]!.start, end: p.sessions[0]!.end },
    ]);
    await bookings.recordPanel(key, "panel-2");
    await bookings.setStatus(key, "booked");
    const box = createSecretBox(randomBytes(32));
    const links = createBookingLinkStore(t.db);
    const made = await links.create({
      connectionId: "default",
      opportunityId: "opp-2",
      requestKey: "opp-2:req",
      request: {},
      expiresAt: new Date(Date.parse(START) - 86_400_000),
      seal: (token) => box.seal(token, linkTokenContext("default", "opp-2:req")),
    });
    await links.markBooked(hashLinkToken(made.token!), key, p, new Date(p.sessions[0]!.end));
    const mail: { to: string; text: string }[] = [];
    const settings: MitigationTaskSettings = {
      notify: async (_c, to, m) => void mail.push({ to, text: m.text }),
      publicUrl: "https://fulcrum.example",
      secrets: { box },
    };
    clock = Date.parse(START) - 3 * 3_600_000;
    const event = { panelId: "panel-2", interviewId: "int-2", opportunityId: "opp-2" };
    const r = await run({ event }, { mitigations: "extraReminder", send: "auto" }, settings);
    assert.equal(r.extraReminder.sent, true);
    assert.equal(r.extraReminder.due, false, "nothing left for the workflow's approval step");
    assert.deepEqual(
      mail.map((m) => m.to),
      ["dee@mail.example"],
    );
    assert.ok(mail[0]!.text.includes(`Reschedule or cancel here: https://fulcrum.example/book/${made.token}`), mail[0]!.text);
    assert.ok(!JSON.stringify(r).includes(made.token!), "the run's output holds no working link");
    await run({ event }, { mitigations: "extraReminder", send: "auto" }, settings);
    assert.equal(mail.length, 1, "never sent twice");
  });

  it("writes the extra reminder in the language the candidate's booking link was made in", async () => {
    const key = "opp-9:onsite";
    const p = { ...params(), opportunityId: "opp-9", panelKey: key, candidate: { ...params().candidate, email: "eva@mail.example" } };
    p.sessions = [{ ...p.sessions[0]!, interviewers: [{ leverUserId: "u3", email: "cleo@example.com", name: "Cleo" }] }];
    const bookings = createBookingStore(t.db);
    await bookings.hold({ panelKey: key, connectionId: "default", opportunityId: "opp-9", paramsHash: "h9", params: p }, [
      { interviewer: "cleo@example.com", sessionId: "s1", start: p.sessions[0]!.start, end: p.sessions[0]!.end },
    ]);
    await bookings.recordPanel(key, "panel-9");
    await bookings.setStatus(key, "booked");
    const box = createSecretBox(randomBytes(32));
    const links = createBookingLinkStore(t.db);
    const made = await links.create({
      connectionId: "default",
      opportunityId: "opp-9",
      requestKey: "opp-9:req",
      request: { language: "es" },
      expiresAt: new Date(Date.parse(START) - 86_400_000),
      seal: (token) => box.seal(token, linkTokenContext("default", "opp-9:req")),
    });
    await links.markBooked(hashLinkToken(made.token!), key, p, new Date(p.sessions[0]!.end));
    const mail: { title: string; text: string }[] = [];
    const settings: MitigationTaskSettings = { notify: async (_c, _to, m) => void mail.push(m), publicUrl: "https://fulcrum.example", secrets: { box } };
    clock = Date.parse(START) - 3 * 3_600_000;
    await run({ event: { panelId: "panel-9", interviewId: "int-9", opportunityId: "opp-9" } }, { mitigations: "extraReminder", send: "auto" }, settings);
    assert.equal(mail.length, 1);
    assert.equal(mail[0]!.title, "Recordatorio: su entrevista empieza dentro de 3 horas, martes, 12 de enero, 02:00–03:00 (hora de Los Ángeles)");
    assert.match(mail[0]!.text, /^Hola Casey:\n\nLe recordamos que su entrevista empieza dentro de 3 horas: /);
    assert.ok(mail[0]!.text.includes(`¿Necesita otra hora? Cámbiela o cancélela aquí: https://fulcrum.example/book/${made.token}`), mail[0]!.text);
    assert.ok(!/Reminder|Hello|Reschedule|Tuesday/.test(mail[0]!.title + mail[0]!.text), mail[0]!.text);
  });

  it("writes the extra reminder in the booking's own language when the panel was booked without a link", async () => {
    const key = "opp-10:onsite";
    const p = {
      ...params(),
      opportunityId: "opp-10",
      panelKey: key,
      language: "de" as const,
      candidate: { ...params().candidate, email: "dana@mail.example" },
    };
    p.sessions = [{ ...p.sessions[0]!, interviewers: [{ leverUserId: "u4", email: "drew@example.com", name: "Drew" }] }];
    const bookings = createBookingStore(t.db);
    await bookings.hold({ panelKey: key, connectionId: "default", opportunityId: "opp-10", paramsHash: "h10", params: p }, [
      { interviewer: "drew@example.com", sessionId: "s1", start: p.sessions[0]!.start, end: p.sessions[0]!.end },
    ]);
    await bookings.recordPanel(key, "panel-10");
    await bookings.setStatus(key, "booked");
    const mail: { title: string; text: string }[] = [];
    const settings: MitigationTaskSettings = { notify: async (_c, _to, m) => void mail.push(m), publicUrl: "https://fulcrum.example" };
    clock = Date.parse(START) - 3 * 3_600_000;
    await run({ event: { panelId: "panel-10", interviewId: "int-10", opportunityId: "opp-10" } }, { mitigations: "extraReminder", send: "auto" }, settings);
    assert.equal(mail.length, 1);
    assert.ok(!/Reminder|Hello|Tuesday/.test(mail[0]!.title + mail[0]!.text), mail[0]!.title + mail[0]!.text);
    assert.match(mail[0]!.title, /Dienstag|Di\./);
  });
});
