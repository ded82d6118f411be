/**
 * Microsoft Graph lifecycle notifications end to end, against real parts: a panel booked into the
 * sandbox's Graph imitation, the channel keeper subscribing with a lifecycleNotificationUrl (both
 * handshakes answered by the push routes), the imitation sending reauthorizationRequired,
 * subscriptionRemoved and missed to that address as Microsoft documents them, the watcher's job
 * acting on each, and the inbox on the database. No schedule runs.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import type { Hono } from "hono";
import type { CalendarsConfig } from "../calendars/index.ts";
import { calendarPushSecret, type CalendarWatch } from "../engine/runs/calendar-watch.ts";
import { createLogger } from "../observability/index.ts";
import type { CalendarSandbox } from "../sandbox/index.ts";
import { lifecycleAddress, syncPushChannels } from "../scheduling/index.ts";
import { openProviders } from "../scheduling/booking/testing.ts";
import { testEngines, type TestDatabase } from "../store/testing.ts";
import { PUBLIC, startPushHarness, type Person, type PushHarness } from "../../test/support/calendar-push-harness.ts";

const [engine] = await testEngines();
const KEY = randomBytes(32);
const CONNECTION = "sandbox-graph";

/** What the push routes logged (warnings and above). */
const logged: string[] = [];

describe("Microsoft Graph lifecycle notifications", { skip: engine!.skip }, () => {
  let t: TestDatabase;
  let cal: CalendarSandbox;
  let calendars: CalendarsConfig;
  let watch: CalendarWatch;
  let people: Person[];
  const reads: ("full" | "delta")[] = [];
  /** The service as Graph reaches it: the push routes where `fulcrum serve` mounts them. */
  let service: Hono;
  let h: PushHarness;

  before(async () => {
    h = await startPushHarness({
      engine: engine!.kind,
      key: KEY,
      seeds: { lever: 31, calendars: 13 },
      people: 4,
      // Everyone is on Microsoft 365.
      calendars: (c, ps) => ({ connections: [c.graphConnection()], identities: ps.map((p) => ({ lever: p.email, connection: CONNECTION })) }),
      // The watcher's Graph provider, noting whether each read starts from a kept delta link.
      providers: (calendars) => {
        const providers = openProviders(calendars);
        const graph = providers.get(CONNECTION)!;
        const changes = graph.changes!.bind(graph);
        graph.changes = async (identity, cursor, range) => {
          reads.push(cursor === undefined ? "full" : "delta");
          return await changes(identity, cursor, range);
        };
        return providers;
      },
      runJob: (w, job) => w.runJob(job),
      logger: createLogger({ level: "warn", destination: { write: (line: string) => void logged.push(line) } }),
    });
    ({ t, cal, calendars, watch, people, service } = h);
    // Person 0 hosts every session; each has another guest, so each test has a decline of its own.
    await h.book({
      key: "lifecycle",
      candidate: "Lia Lifecycle",
      sessions: [
        { id: "hm", title: "Hiring manager", start: "09:00", end: "09:45", interviewers: [0, 1] },
        { id: "tech", title: "Technical", start: "10:00", end: "11:00", interviewers: [0, 2] },
        { id: "values", title: "Values", start: "11:15", end: "12:00", interviewers: [0, 3] },
      ],
    });
    await watch.runOnce();
  });
  after(async () => {
    await h?.close();
  });

  const channels = async () =>
    (
      await t.db.query<{ channel_id: string; expires_at: Date; renewed_at: Date | null }>(
        "select channel_id, expires_at, renewed_at from calendar_push_channels",
      )
    ).rows;
  const keeper = () =>
    syncPushChannels({ db: t.db, calendars, providers: openProviders(calendars), publicUrl: PUBLIC, secret: (id) => calendarPushSecret(KEY, id) });
  const eventOf = (guest: number) =>
    [...cal.store.events.values()].find((e) => e.organizer === people[0]!.email && e.status === "confirmed" && cal.store.onCalendar(e, people[guest]!.email))!;
  const declines = async () =>
    (
      await t.db.query<{ payload: { attendee?: string } }>("select payload from inbox_events where source = 'calendar' and event = 'interviewer.declined'")
    ).rows.map((r) => r.payload.attendee);
  const until = async <T>(what: string, check: () => Promise<T | undefined> | T | undefined): Promise<T> => {
    for (const started = Date.now(); ; ) {
      const v = await check();
      if (v !== undefined && v !== false) return v;
      assert.ok(Date.now() - started < 20_000, `timed out waiting until ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const subscription = () => [...cal.push.subscriptions.values()][0]!;
  const lifecycleUrl = () => lifecycleAddress(PUBLIC, CONNECTION);

  it("subscribes with a lifecycleNotificationUrl on its own path, after Graph's handshake with it is answered", async () => {
    const r = await keeper();
    assert.deepEqual([r.opened, r.problems], [1, []]);
    assert.equal(cal.push.subscriptions.size, 1);
    assert.equal(lifecycleUrl(), `${PUBLIC}/webhooks/calendars/graph/${CONNECTION}/lifecycle`);
    assert.equal(subscription().lifecycleNotificationUrl, lifecycleUrl());
    assert.ok(cal.push.attempts.some((a) => a.kind === "validation" && a.address === lifecycleUrl() && a.status === 200));
  });

  it("reauthorizationRequired: the subscription is renewed at once, and change notifications flow again", async () => {
    const before = (await channels())[0]!;
    cal.push.lifecycle(subscription().id, "reauthorizationRequired");
    await until("the subscription is reauthorized", () => !subscription().reauthorizationRequired);
    await until("the renewal is stored", async () => (await channels())[0]!.renewed_at !== null);
    assert.equal((await channels())[0]!.channel_id, before.channel_id, "the same subscription");
    cal.respond(eventOf(1).id, people[1]!.email, "declined");
    await until("the decline reaches the inbox through its push", async () => (await declines()).includes(people[1]!.email));
    await cal.push.settled();
    assert.ok(cal.push.attempts.filter((a) => a.kind === "lifecycle").every((a) => a.status === 202));
  });

  it("subscriptionRemoved: a new subscription is made and kept, and the calendar is read again so a change made meanwhile is seen", async () => {
    const old = subscription().id;
    cal.push.lifecycle(old, "subscriptionRemoved");
    // Graph no longer notifies: this decline comes only from the re-read.
    cal.respond(eventOf(2).id, people[2]!.email, "declined");
    const fresh = await until("a new subscription is stored", async () => {
      const c = (await channels())[0];
      return c && c.channel_id !== old ? c.channel_id : undefined;
    });
    assert.deepEqual([...cal.push.subscriptions.keys()], [fresh]);
    assert.equal(subscription().lifecycleNotificationUrl, lifecycleUrl());
    await until("the decline made meanwhile reaches the inbox", async () => (await declines()).includes(people[2]!.email));
  });

  it("missed: the calendar is read again in full, so a change whose notification was lost is seen", async () => {
    const id = subscription().id;
    cal.push.throttle(id);
    cal.respond(eventOf(3).id, people[3]!.email, "declined");
    await cal.push.settled();
    await new Promise((r) => setTimeout(r, 500));
    assert.ok(!(await declines()).includes(people[3]!.email), "the change notification was lost");
    reads.length = 0;
    cal.push.lifecycle(id, "missed");
    await until("the lost decline reaches the inbox", async () => (await declines()).includes(people[3]!.email));
    assert.deepEqual(reads, ["full"], "a full read, not one from the kept delta link");
  });

  it("ignores lifecycle notifications with another clientState or for a subscription Fulcrum does not hold, answering Graph 202, and changes nothing", async () => {
    const held = await channels();
    const subs = [...cal.push.subscriptions.keys()];
    const post = (n: Record<string, unknown>) =>
      service.request(`/webhooks/calendars/graph/${CONNECTION}/lifecycle`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          value: [{ subscriptionExpirationDateTime: new Date(Date.now() + 86_400_000).toISOString(), tenantId: cal.push.tenantId, ...n }],
        }),
      });
    // Graph retries anything but a 2xx for hours: an old subscription whose deletion failed would keep at it.
    const forged = await post({ subscriptionId: subs[0], clientState: "not-the-secret", lifecycleEvent: "subscriptionRemoved" });
    assert.equal(forged.status, 202);
    const unknown = await post({ subscriptionId: "0f0f0f0f-unknown", clientState: calendarPushSecret(KEY, CONNECTION), lifecycleEvent: "subscriptionRemoved" });
    assert.equal(unknown.status, 202);
    const said = logged.join("");
    assert.match(said, /without this connection's clientState were ignored/);
    assert.match(said, /subscriptions Fulcrum does not hold were ignored.*0f0f0f0f-unknown|0f0f0f0f-unknown.*subscriptions Fulcrum does not hold were ignored/);
    assert.ok(!said.includes("not-the-secret") && !said.includes(calendarPushSecret(KEY, CONNECTION)), "no clientState reaches the log");
    const garbled = await post({ subscriptionId: subs[0], clientState: calendarPushSecret(KEY, CONNECTION), lifecycleEvent: "exploded" });
    assert.equal(garbled.status, 400);
    assert.match(((await garbled.json()) as { error: { message: string } }).error.message, /lifecycleEvent/);
    await new Promise((r) => setTimeout(r, 500));
    assert.deepEqual(await channels(), held, "the stored subscription is untouched");
    assert.deepEqual([...cal.push.subscriptions.keys()], subs, "nothing was recreated at Graph");
  });
});
