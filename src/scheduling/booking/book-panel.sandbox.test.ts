/**
 * Booking a panel into Google Calendar and Microsoft Graph, through the built-in sandbox's
 * imitations of both (their paths, JSON shapes, token endpoints and faults), the Lever sandbox
 * through the Lever client with the database write ledger, and an SMTP sink.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { calendarsConfigSchema, type CalendarsConfig } from "../../calendars/index.ts";
import { createLeverClient, type PanelInput } from "../../lever/index.ts";
import { startCalendarSandbox, startSandbox, type CalendarSandbox, type Sandbox } from "../../sandbox/index.ts";
import { createDatabaseWriteLedger, type Database } from "../../store/index.ts";
import { openTestDatabase, testEngines, type TestDatabase } from "../../store/testing.ts";
import { bookPanel, type BookingDeps } from "./book-panel.ts";
import { parseBookingParams, type BookingParams } from "./params.ts";
import { openProviders, startSmtpSink, type SmtpSink } from "./testing.ts";

// PGlite: the seat locks on PostgreSQL are book-panel.test.ts's subject; here the providers are.
const [engine] = await testEngines();

describe("booking a panel into Google Calendar and Microsoft Graph", { skip: engine!.skip }, () => {
  let sandbox: Sandbox;
  let cal: CalendarSandbox;
  let smtp: SmtpSink;
  let t: TestDatabase;
  let adminId: string;
  let calendars: CalendarsConfig;
  const people: { leverUserId: string; email: string; name: string }[] = [];
  let opportunities: string[];

  before(async () => {
    sandbox = await startSandbox({ seed: 21, rateLimit: false, candidates: 10 });
    const users = [...sandbox.state.users.values()].filter((u) => u.deactivatedAt === null && u.email);
    adminId = users.find((u) => u.accessRole === "super admin")!.id;
    for (const u of users.slice(0, 3)) people.push({ leverUserId: u.id, email: u.email.toLowerCase(), name: u.name });
    opportunities = [...sandbox.state.opportunities.values()].filter((o) => o.applications.length > 0).map((o) => o.id);
    // Empty calendars: the times below are free for everyone.
    cal = await startCalendarSandbox({ seed: 5, demo: false, people });
    const domain = people[0]!.email.split("@")[1]!;
    // People 0 and 1 are on Google Workspace; person 2 on Microsoft 365.
    calendars = calendarsConfigSchema.parse({
      connections: [cal.googleConnection({ domains: [domain] }), cal.graphConnection()],
      identities: [{ lever: people[2]!.email, connection: "sandbox-graph" }],
    });
    smtp = await startSmtpSink();
    t = await openTestDatabase(engine!.kind);
  });
  after(async () => {
    await t?.drop();
    await smtp?.close();
    await cal?.close();
    await sandbox?.close();
  });

  const deps = (db: Database): BookingDeps => {
    const client = createLeverClient({
      baseUrl: sandbox.url,
      auth: { kind: "apiKey", apiKey: sandbox.apiKey },
      connectionId: "default",
      performAs: adminId,
      ledger: createDatabaseWriteLedger(db),
      retryBaseMs: 5,
      retryMaxMs: 50,
    });
    return {
      db,
      connectionId: "default",
      lever: { createPanel: (o, p, k) => client.createPanel(o, p as unknown as PanelInput, k), addNote: (o, n, k) => client.addNote(o, n, k) },
      calendars,
      providers: openProviders(calendars),
      smtp: { host: "127.0.0.1", port: smtp.port, secure: false, from: "Recruiting <recruiting@example.com>" },
    };
  };
  const who = (n: number) => ({ leverUserId: people[n]!.leverUserId, email: people[n]!.email, name: people[n]!.name });
  const booking = (day: string, opp: number, candidate = "Gail Graph"): BookingParams =>
    parseBookingParams({
      opportunityId: opportunities[opp]!,
      panelKey: `${opportunities[opp]}:onsite:${day}`,
      candidate: { name: candidate, email: "gail@mail.example", timezone: "Europe/London" },
      sessions: [
        // Hosted on Google (person 0), with person 1 as a guest.
        { id: "hm", title: "Hiring manager", start: `${day}T09:00:00Z`, end: `${day}T09:45:00Z`, interviewers: [who(0), who(1)] },
        // Hosted on Graph (person 2 is the first interviewer).
        { id: "tech", title: "Technical", start: `${day}T10:00:00Z`, end: `${day}T11:00:00Z`, interviewers: [who(2)] },
      ],
    });
  const eventsOf = (name: string) => [...cal.store.events.values()].filter((e) => e.status === "confirmed" && e.title.includes(name));

  it("creates a Google event with a Meet link, its key in private extended properties and updates sent to all, and a Graph event as a Teams meeting with a transactionId", async () => {
    const b = booking("2026-09-08", 0);
    const result = await bookPanel(b, deps(t.db));
    const events = eventsOf("Gail Graph");
    assert.equal(events.length, 2);
    const hm = events.find((e) => e.title.includes("Hiring manager"))!;
    assert.equal(hm.organizer, people[0]!.email);
    assert.deepEqual(
      hm.attendees.map((a) => a.email),
      [people[1]!.email],
    );
    assert.equal(hm.conference?.type, "hangoutsMeet", "conferenceData.createRequest made a Meet");
    assert.ok(hm.conference?.requestId, "the createRequest's requestId is kept");
    assert.deepEqual(hm.privateProperties, { fulcrumKey: `${b.panelKey}:hm` });
    assert.ok(
      cal.google.sentUpdates.some((u) => u.eventId === hm.id && u.action === "created" && u.sendUpdates === "all"),
      "Google sends the invitations (sendUpdates=all)",
    );
    const tech = events.find((e) => e.title.includes("Technical"))!;
    assert.equal(tech.organizer, people[2]!.email);
    assert.equal(tech.conference?.type, "teamsForBusiness", "isOnlineMeeting with teamsForBusiness");
    assert.equal(tech.transactionId, `${b.panelKey}:tech`);
    // The result and the Lever panel carry each session's own link.
    const byKey = Object.fromEntries(result.events.map((e) => [e.key, e.conferenceUrl]));
    assert.equal(byKey[`${b.panelKey}:hm`], hm.conference!.joinUrl);
    assert.equal(byKey[`${b.panelKey}:tech`], tech.conference!.joinUrl);
    const panel = [...sandbox.state.panels.values()].find((p) => p.id === result.panelId)!;
    assert.deepEqual(
      panel.interviews.map((i) => i.location),
      [hm.conference!.joinUrl, tech.conference!.joinUrl],
    );
  });

  it("a retried booking, and one whose events were made but not recorded (a crash), creates nothing twice", async () => {
    const b = booking("2026-09-09", 1, "Rhea Retry");
    const first = await bookPanel(b, deps(t.db));
    const sent = cal.google.sentUpdates.length;
    assert.deepEqual(await bookPanel(b, deps(t.db)), first);
    // The process died after the providers made the events and before the row recorded them.
    await t.db.query(
      "update scheduling_bookings set status = 'writing', events = '{}'::jsonb, invite = null, panel_id = null, note_id = null where panel_key = $1",
      [b.panelKey],
    );
    const again = await bookPanel(b, deps(t.db));
    assert.equal(eventsOf("Rhea Retry").length, 2, "Google's event id and Graph's transactionId keep one event each");
    assert.deepEqual(again.events.map((e) => e.id).sort(), first.events.map((e) => e.id).sort());
    assert.equal(cal.google.sentUpdates.length, sent, "no second invitation from Google");
    assert.equal([...sandbox.state.panels.values()].filter((p) => p.opportunityId === b.opportunityId).length, 1, "one Lever panel (the write ledger's key)");
  });

  it("rides out a 429 and a 503 from the calendar APIs while booking, with one event each", async () => {
    const b = booking("2026-09-10", 2, "Tess Throttle");
    cal.faults.match = /POST .*\/events$/;
    cal.faults.rateLimitNext = 1;
    cal.faults.retryAfterSeconds = 0;
    cal.faults.unavailableNext = 1;
    try {
      let result;
      for (let attempt = 0; ; attempt++) {
        try {
          result = await bookPanel(b, deps(t.db));
          break;
        } catch (error) {
          // The engine retries a step whose error says so; nothing else may fail here.
          assert.equal((error as { retryable?: boolean }).retryable, true, String(error));
          assert.ok(attempt < 5, "the booking gets through");
        }
      }
      assert.equal(result.events.length, 2);
      assert.equal(eventsOf("Tess Throttle").length, 2);
      assert.ok(cal.faultCounts.rateLimited >= 1 && cal.faultCounts.unavailable >= 1);
    } finally {
      delete cal.faults.match;
      delete cal.faults.rateLimitNext;
      delete cal.faults.unavailableNext;
    }
  });
});
