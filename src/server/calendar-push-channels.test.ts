/**
 * Push channels end to end, against real parts: a panel booked into the sandbox's Google Calendar
 * and Microsoft Graph imitations, the channel keeper opening an events.watch channel and a Graph
 * subscription (its validationToken handshake answered by the push routes), the imitations
 * delivering their notifications to the public https address (routed to the push routes in this
 * process), the push trigger queueing a read, the watcher, and the inbox on the database. No
 * schedule runs: a change reaches the inbox only through its push.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { Hono } from "hono";
import { calendarsConfigSchema, type CalendarsConfig } from "../calendars/index.ts";
import { createInbox, type Inbox } from "../engine/inbox/index.ts";
import { createJobQueue, type JobQueue } from "../engine/queue/index.ts";
import {
  calendarLifecycleTrigger,
  calendarPushSecret,
  calendarPushTrigger,
  CALENDAR_WATCH_QUEUE,
  createCalendarWatch,
  type CalendarWatch,
  type CalendarWatchJob,
} from "../engine/runs/calendar-watch.ts";
import { createLeverClient, type PanelInput } from "../lever/index.ts";
import { silentLogger } from "../observability/index.ts";
import { startCalendarSandbox, startSandbox, type CalendarSandbox, type Sandbox } from "../sandbox/index.ts";
import { bookPanel, parseBookingParams, pushAddress, syncPushChannels } from "../scheduling/index.ts";
import { openProviders } from "../scheduling/booking/testing.ts";
import { createDatabaseWriteLedger } from "../store/index.ts";
import { openTestDatabase, testEngines, type TestDatabase } from "../store/testing.ts";
import { calendarPushRoutes } from "./calendar-push-routes.ts";

const [engine] = await testEngines();
const KEY = randomBytes(32);
const PUBLIC = "https://fulcrum.example.com";

describe("push channels on the calendars of booked panels", { skip: engine!.skip }, () => {
  let t: TestDatabase;
  let queue: JobQueue;
  let inbox: Inbox;
  let sandbox: Sandbox;
  let cal: CalendarSandbox;
  let calendars: CalendarsConfig;
  let watch: CalendarWatch;
  const people: { leverUserId: string; email: string; name: string }[] = [];
  let adminId: string;
  let booked: Awaited<ReturnType<typeof bookPanel>>;
  /** The service as the providers reach it: the push routes where `fulcrum serve` mounts them. */
  const service = new Hono();

  before(async () => {
    t = await openTestDatabase(engine!.kind);
    queue = createJobQueue({ db: t.db, superviseIntervalSeconds: 1 });
    await queue.start();
    inbox = createInbox({ db: t.db, queue, retryLimit: 1, retryDelaySeconds: 1 });
    await inbox.start();
    sandbox = await startSandbox({ seed: 29, rateLimit: false, candidates: 6 });
    const users = [...sandbox.state.users.values()].filter((u) => u.deactivatedAt === null && u.email);
    adminId = users.find((u) => u.accessRole === "super admin")!.id;
    for (const u of users.slice(0, 3)) people.push({ leverUserId: u.id, email: u.email.toLowerCase(), name: u.name });
    // The imitations POST to the https address; here it is answered by the service in this process.
    cal = await startCalendarSandbox({
      seed: 11,
      demo: false,
      people,
      deliver: async (req) => {
        const url = new URL(req.url);
        assert.equal(url.origin, PUBLIC, "notifications go to the public address");
        return await service.request(url.pathname + url.search, { method: req.method, headers: req.headers, body: await req.text() });
      },
    });
    // People 0 and 1 are on Google Workspace; person 2 on Microsoft 365.
    calendars = calendarsConfigSchema.parse({
      connections: [cal.googleConnection({ domains: [people[0]!.email.split("@")[1]!] }), cal.graphConnection()],
      identities: [{ lever: people[2]!.email, connection: "sandbox-graph" }],
    });
    service.route(
      "/webhooks/calendars",
      calendarPushRoutes({
        calendars,
        secret: (id) => calendarPushSecret(KEY, id),
        trigger: calendarPushTrigger(queue, { coalesceMs: 0 }),
        lifecycle: calendarLifecycleTrigger(t.db, queue),
        logger: silentLogger,
      }),
    );
    // The watcher's worker without its schedule: only pushes queue reads.
    watch = createCalendarWatch({ db: t.db, inbox, calendars, providers: openProviders(calendars), push: { publicUrl: PUBLIC, secretKey: () => KEY } });
    await queue.define(CALENDAR_WATCH_QUEUE, { retryLimit: 1 });
    await queue.work<CalendarWatchJob>(CALENDAR_WATCH_QUEUE, { concurrency: 1 }, async (job) => {
      await watch.runOnce({ connectionId: job.data.connectionId });
    });

    const client = createLeverClient({
      baseUrl: sandbox.url,
      auth: { kind: "apiKey", apiKey: sandbox.apiKey },
      connectionId: "default",
      performAs: adminId,
      ledger: createDatabaseWriteLedger(t.db),
      retryBaseMs: 5,
      retryMaxMs: 50,
    });
    const opportunity = [...sandbox.state.opportunities.values()].find((o) => o.applications.length > 0)!.id;
    const day = new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10);
    const who = (n: number) => ({ leverUserId: people[n]!.leverUserId, email: people[n]!.email, name: people[n]!.name });
    const b = parseBookingParams({
      opportunityId: opportunity,
      panelKey: `${opportunity}:onsite:channels`,
      candidate: { name: "Cleo Channel", timezone: "Europe/London" },
      sessions: [
        // Hosted on Google (person 0), person 1 a guest; then on Graph (person 2), person 1 a guest.
        { id: "hm", title: "Hiring manager", start: `${day}T09:00:00Z`, end: `${day}T09:45:00Z`, interviewers: [who(0), who(1)] },
        { id: "tech", title: "Technical", start: `${day}T10:00:00Z`, end: `${day}T11:00:00Z`, interviewers: [who(2), who(1)] },
      ],
    });
    booked = await bookPanel(b, {
      db: t.db,
      connectionId: "default",
      lever: { createPanel: (o, p, k) => client.createPanel(o, p as unknown as PanelInput, k), addNote: (o, n, k) => client.addNote(o, n, k) },
      calendars,
      providers: openProviders(calendars),
    });
    // A first read keeps each calendar's cursor, as the schedule's first tick would.
    await watch.runOnce();
  });
  after(async () => {
    await queue?.stop({ graceful: false, timeoutMs: 1000 });
    await cal?.close();
    await t?.drop();
    await sandbox?.close();
  });

  const channels = async () =>
    (
      await t.db.query<{ connection_id: string; calendar: string; provider: string; channel_id: string; address: string; expires_at: Date }>(
        "select * from calendar_push_channels order by provider",
      )
    ).rows;
  const keeper = (o: { publicUrl?: string | undefined; renewBeforeMs?: number } = {}) =>
    syncPushChannels({
      db: t.db,
      calendars,
      providers: openProviders(calendars),
      publicUrl: "publicUrl" in o ? o.publicUrl : PUBLIC,
      secret: (id) => calendarPushSecret(KEY, id),
      renewBeforeMs: o.renewBeforeMs,
    });
  const calendarEvents = async (n: number) => {
    for (const started = Date.now(); ; ) {
      const { rows } = await t.db.query<{ event: string; payload: { attendee?: string; sessionIds?: string[] } }>(
        "select event, payload from inbox_events where source = 'calendar' order by received_at",
      );
      if (rows.length >= n) return rows;
      assert.ok(Date.now() - started < 20_000, `a push had the watcher read the calendar (${rows.length} of ${n} events)`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  it("opens nothing without an https publicUrl, and says why", async () => {
    const none = await keeper({ publicUrl: undefined });
    assert.match(none.skipped ?? "", /publicUrl is not set/);
    const plain = await keeper({ publicUrl: "http://fulcrum.example.com" });
    assert.match(plain.skipped ?? "", /only to https addresses/);
    assert.deepEqual([none.opened, plain.opened], [0, 0]);
    assert.deepEqual(await channels(), []);
  });

  it("opens one channel per calendar holding the panel's events: a Google channel with the push secret as token, a Graph subscription after the handshake", async () => {
    const r = await keeper();
    assert.deepEqual([r.opened, r.renewed, r.closed, r.problems], [2, 0, 0, []]);
    const rows = await channels();
    assert.deepEqual(
      rows.map((c) => [c.provider, c.calendar, c.address]),
      [
        ["google", people[0]!.email, pushAddress(PUBLIC, "google", "sandbox-google")],
        ["graph", people[2]!.email, pushAddress(PUBLIC, "graph", "sandbox-graph")],
      ],
    );
    assert.equal([...cal.push.channels.values()][0]!.token, calendarPushSecret(KEY, "sandbox-google"));
    assert.equal([...cal.push.subscriptions.values()][0]!.clientState, calendarPushSecret(KEY, "sandbox-graph"));
    assert.ok(
      cal.push.attempts.some((a) => a.kind === "validation" && a.status === 200),
      "the push route answered Graph's handshake",
    );
    // Nothing to do the second time.
    assert.deepEqual(await keeper(), { opened: 0, renewed: 0, closed: 0, problems: [] });
  });

  it("a decline in Google and one in Graph each reach the inbox through their push, with no polling tick", async () => {
    const googleEvent = booked.events.find((e) => e.sessions.includes("hm"))!;
    cal.respond(googleEvent.id, people[1]!.email, "declined");
    let rows = await calendarEvents(1);
    assert.deepEqual(
      rows.map((r) => [r.event, r.payload.attendee, r.payload.sessionIds]),
      [["interviewer.declined", people[1]!.email, ["hm"]]],
    );

    const graphEvent = [...cal.store.events.values()].find((e) => e.organizer === people[2]!.email && e.status === "confirmed")!;
    cal.respond(graphEvent.id, people[1]!.email, "declined");
    rows = await calendarEvents(2);
    assert.deepEqual(rows[1]!.event, "interviewer.declined");
    assert.deepEqual(rows[1]!.payload.sessionIds, ["tech"]);
    await cal.push.settled();
    assert.ok(
      cal.push.attempts.filter((a) => a.kind === "exists" || a.kind === "notification").every((a) => a.status === 200 || a.status === 202),
      JSON.stringify(cal.push.attempts),
    );
  });

  it("renews channels before they expire: a new Google channel (the old one stopped), the Graph subscription extended", async () => {
    const before = await channels();
    const r = await keeper({ renewBeforeMs: 8 * 86_400_000 });
    assert.deepEqual([r.opened, r.renewed, r.closed, r.problems], [0, 2, 0, []]);
    const after = await channels();
    assert.notEqual(after[0]!.channel_id, before[0]!.channel_id, "Google: a new channel");
    assert.deepEqual([...cal.push.channels.keys()], [after[0]!.channel_id], "the old channel was stopped");
    assert.equal(after[1]!.channel_id, before[1]!.channel_id, "Graph: the same subscription");
    assert.ok(after[1]!.expires_at.getTime() >= before[1]!.expires_at.getTime());
  });

  it("keeps the channels when the provider is down (polling covers it), and closes them once no booked panel is ahead on their calendars", async () => {
    cal.faults.unavailableNext = 50;
    cal.faults.match = /subscriptions|watch|channels/;
    const down = await keeper({ renewBeforeMs: 8 * 86_400_000 });
    cal.faults.unavailableNext = 0;
    delete cal.faults.match;
    assert.equal(down.problems.length, 2, JSON.stringify(down));
    assert.match(down.problems.join("\n"), /503/);
    assert.equal((await channels()).length, 2, "nothing forgotten");

    // The panel took place a month ago: nothing left to watch.
    await t.db.query("update scheduling_holds set start_at = start_at - interval '35 days', end_at = end_at - interval '35 days' where panel_key = $1", [
      booked.panelKey,
    ]);
    const r = await keeper();
    assert.deepEqual([r.opened, r.closed, r.problems], [0, 2, []]);
    assert.deepEqual(await channels(), []);
    assert.equal(cal.push.channels.size + cal.push.subscriptions.size, 0, "closed at the providers too");
  });
});
