/**
 * The calendar providers' push endpoints against real parts: the job queue and inbox on the
 * database, the built-in sandbox's Google Calendar imitation holding a booked panel, the Lever
 * sandbox. A push with the connection's secret has the watcher read that connection's calendars
 * at once (the schedule would wait `calendars.pollSeconds`); anything else triggers nothing.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { calendarsConfigSchema, type CalendarsConfig } from "../calendars/index.ts";
import { createInbox, type Inbox } from "../engine/inbox/index.ts";
import { createJobQueue, type JobQueue } from "../engine/queue/index.ts";
import { calendarLifecycleTrigger, calendarPushSecret, calendarPushTrigger, CALENDAR_WATCH_QUEUE, startCalendarWatch } from "../engine/runs/calendar-watch.ts";
import { createLeverClient, type PanelInput } from "../lever/index.ts";
import { silentLogger } from "../observability/index.ts";
import { startCalendarSandbox, startSandbox, type CalendarSandbox, type Sandbox } from "../sandbox/index.ts";
import { bookPanel, parseBookingParams } from "../scheduling/index.ts";
import { openProviders } from "../scheduling/booking/testing.ts";
import { createDatabaseWriteLedger } from "../store/index.ts";
import { openTestDatabase, testEngines, type TestDatabase } from "../store/testing.ts";
import { calendarPushRoutes } from "./calendar-push-routes.ts";

const [engine] = await testEngines();
const KEY = randomBytes(32);

describe("calendar push notifications", { skip: engine!.skip }, () => {
  let t: TestDatabase;
  let queue: JobQueue;
  let inbox: Inbox;
  let sandbox: Sandbox;
  let cal: CalendarSandbox;
  let calendars: CalendarsConfig;
  let app: ReturnType<typeof calendarPushRoutes>;
  const people: { leverUserId: string; email: string; name: string }[] = [];
  let adminId: string;

  before(async () => {
    t = await openTestDatabase(engine!.kind);
    queue = createJobQueue({ db: t.db, superviseIntervalSeconds: 1 });
    await queue.start();
    inbox = createInbox({ db: t.db, queue, retryLimit: 1, retryDelaySeconds: 1 });
    await inbox.start();
    sandbox = await startSandbox({ seed: 23, rateLimit: false, candidates: 6 });
    const users = [...sandbox.state.users.values()].filter((u) => u.deactivatedAt === null && u.email);
    adminId = users.find((u) => u.accessRole === "super admin")!.id;
    for (const u of users.slice(0, 2)) people.push({ leverUserId: u.id, email: u.email.toLowerCase(), name: u.name });
    cal = await startCalendarSandbox({ seed: 9, demo: false, people });
    calendars = calendarsConfigSchema.parse({ connections: [cal.googleConnection({ domains: [people[0]!.email.split("@")[1]!] }), cal.graphConnection()] });
    app = calendarPushRoutes({
      calendars,
      secret: (id) => calendarPushSecret(KEY, id),
      trigger: calendarPushTrigger(queue, { coalesceMs: 0 }),
      lifecycle: calendarLifecycleTrigger(t.db, queue),
      logger: silentLogger,
    });
  });
  after(async () => {
    await queue?.stop({ graceful: false, timeoutMs: 1000 });
    await t?.drop();
    await cal?.close();
    await sandbox?.close();
  });

  const watchJobs = async () =>
    (await t.db.query<{ data: { connectionId?: string } }>("select data from pgboss.job where name = $1", [CALENDAR_WATCH_QUEUE])).rows.filter(
      (r) => r.data?.connectionId,
    );
  const google = (id: string, headers: Record<string, string>) => app.request(`/google/${id}`, { method: "POST", headers });
  const pushHeaders = (token: string, state = "exists") => ({
    "x-goog-channel-id": "ch-1",
    "x-goog-channel-token": token,
    "x-goog-resource-id": "res-1",
    "x-goog-resource-state": state,
    "x-goog-message-number": "2",
  });

  it("refuses a Google push without the connection's channel token and ignores the channel's sync message", async () => {
    assert.equal((await google("sandbox-google", pushHeaders("not-the-token"))).status, 401);
    assert.equal(
      (await google("sandbox-google", pushHeaders(calendarPushSecret(KEY, "sandbox-graph")))).status,
      401,
      "another connection's secret is not this one's",
    );
    assert.equal((await google("sandbox-google", pushHeaders(calendarPushSecret(KEY, "sandbox-google"), "sync"))).status, 200);
    assert.equal((await google("nobody", pushHeaders("x"))).status, 404);
    assert.equal((await google("sandbox-graph", pushHeaders(calendarPushSecret(KEY, "sandbox-graph")))).status, 404, "a Graph connection takes no Google push");
    assert.deepEqual(await watchJobs(), []);
  });

  it("answers Graph's validation handshake with the token as text, and triggers only for notifications with the connection's clientState", async () => {
    const shake = await app.request("/graph/sandbox-graph?validationToken=Validation%3A%20Testing%20client%20application%20reachability", { method: "POST" });
    assert.equal(shake.status, 200);
    assert.match(shake.headers.get("content-type")!, /^text\/plain/);
    assert.equal(await shake.text(), "Validation: Testing client application reachability");
    const note = (clientState: string) => ({
      value: [{ subscriptionId: "sub-1", clientState, changeType: "updated", resource: "Users/x/Events/y", resourceData: { id: "y" } }],
    });
    const post = (body: unknown) =>
      app.request("/graph/sandbox-graph", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: typeof body === "string" ? body : JSON.stringify(body),
      });
    assert.equal((await post(note("guessed"))).status, 202, "Graph is told it was delivered");
    assert.deepEqual(await watchJobs(), [], "but nothing is read");
    assert.equal((await post("{not json")).status, 400);
    const wrong = await post({ value: [{ changeType: "updated" }] });
    assert.equal(wrong.status, 400);
    assert.match(((await wrong.json()) as { error: { message: string } }).error.message, /not a Graph change notification \(value\.0\.subscriptionId/);
    assert.equal((await post(note(calendarPushSecret(KEY, "sandbox-graph")))).status, 202);
    assert.deepEqual(
      (await watchJobs()).map((j) => j.data.connectionId),
      ["sandbox-graph"],
    );
    await t.db.query("delete from pgboss.job where name = $1", [CALENDAR_WATCH_QUEUE]);
  });

  it("a burst of pushes from one connection is one read", async () => {
    let clock = 1_000_000;
    const trigger = calendarPushTrigger({ send: async () => "job" } as never, { coalesceMs: 2000, now: () => clock });
    assert.equal(await trigger("a"), true);
    assert.equal(await trigger("a"), false);
    assert.equal(await trigger("b"), true, "another connection is its own");
    clock += 2001;
    assert.equal(await trigger("a"), true, "after the queued read started, a new push reads again");
  });

  it("a decline in Google is in the inbox seconds after its push, long before the next poll", async () => {
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
    const b = parseBookingParams({
      opportunityId: opportunity,
      panelKey: `${opportunity}:onsite:push`,
      candidate: { name: "Pia Push", timezone: "Europe/London" },
      sessions: [
        {
          id: "tech",
          title: "Technical",
          start: `${day}T10:00:00Z`,
          end: `${day}T11:00:00Z`,
          interviewers: people.map((p) => ({ leverUserId: p.leverUserId, email: p.email, name: p.name })),
        },
      ],
    });
    const providers = openProviders(calendars);
    const booked = await bookPanel(b, {
      db: t.db,
      connectionId: "default",
      lever: { createPanel: (o, p, k) => client.createPanel(o, p as unknown as PanelInput, k), addNote: (o, n, k) => client.addNote(o, n, k) },
      calendars,
      providers,
    });
    // The watcher as serve starts it (its schedule reads every five minutes), then a first read sets the cursors.
    await startCalendarWatch({ db: t.db, queue, inbox, calendars, logger: silentLogger });
    await queue.send(CALENDAR_WATCH_QUEUE, { connectionId: "sandbox-google" });
    const cursors = async () => (await t.db.query<{ n: number }>("select count(*)::int as n from scheduling_change_cursors")).rows[0]!.n;
    for (let i = 0; (await cursors()) === 0; i++) {
      assert.ok(i < 200, "the first read sets a cursor");
      await new Promise((r) => setTimeout(r, 50));
    }

    cal.respond(booked.events[0]!.id, people[1]!.email, "declined");
    const pushed = calendarPushRoutes({
      calendars,
      secret: (id) => calendarPushSecret(KEY, id),
      trigger: calendarPushTrigger(queue, { coalesceMs: 0 }),
      lifecycle: calendarLifecycleTrigger(t.db, queue),
      logger: silentLogger,
    });
    const started = Date.now();
    assert.equal(
      (await pushed.request("/google/sandbox-google", { method: "POST", headers: pushHeaders(calendarPushSecret(KEY, "sandbox-google")) })).status,
      200,
    );
    for (;;) {
      const { rows } = await t.db.query<{ event: string; payload: { attendee?: string } }>("select event, payload from inbox_events where source = 'calendar'");
      if (rows.length > 0) {
        assert.deepEqual(
          rows.map((r) => [r.event, r.payload.attendee]),
          [["interviewer.declined", people[1]!.email]],
        );
        break;
      }
      assert.ok(Date.now() - started < 20_000, "the push had the watcher read the calendar");
      await new Promise((r) => setTimeout(r, 100));
    }
  });
});
