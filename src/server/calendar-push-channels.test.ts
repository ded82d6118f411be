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
import type { CalendarsConfig } from "../calendars/index.ts";
import { calendarPushSecret } from "../engine/runs/calendar-watch.ts";
import type { CalendarSandbox } from "../sandbox/index.ts";
import { pushAddress, syncPushChannels } from "../scheduling/index.ts";
import { openProviders } from "../scheduling/booking/testing.ts";
import { testEngines, type TestDatabase } from "../store/testing.ts";
import { PUBLIC, startPushHarness, type Person, type PushHarness } from "../../test/support/calendar-push-harness.ts";

const [engine] = await testEngines();
const KEY = randomBytes(32);

describe("push channels on the calendars of booked panels", { skip: engine!.skip }, () => {
  let t: TestDatabase;
  let cal: CalendarSandbox;
  let calendars: CalendarsConfig;
  let people: Person[];
  let booked: Awaited<ReturnType<PushHarness["book"]>>;
  let h: PushHarness;

  before(async () => {
    h = await startPushHarness({
      engine: engine!.kind,
      key: KEY,
      seeds: { lever: 29, calendars: 11 },
      people: 3,
      // People 0 and 1 are on Google Workspace; person 2 on Microsoft 365.
      calendars: (c, ps) => ({
        connections: [c.googleConnection({ domains: [ps[0]!.email.split("@")[1]!] }), c.graphConnection()],
        identities: [{ lever: ps[2]!.email, connection: "sandbox-graph" }],
      }),
      // The watcher's worker without its schedule: only pushes queue reads.
      runJob: (w, job) => w.runOnce({ connectionId: job.connectionId }),
    });
    ({ t, cal, calendars, people } = h);
    booked = await h.book({
      key: "channels",
      candidate: "Cleo Channel",
      sessions: [
        // Hosted on Google (person 0), person 1 a guest; then on Graph (person 2), person 1 a guest.
        { id: "hm", title: "Hiring manager", start: "09:00", end: "09:45", interviewers: [0, 1] },
        { id: "tech", title: "Technical", start: "10:00", end: "11:00", interviewers: [2, 1] },
      ],
    });
    // A first read keeps each calendar's cursor, as the schedule's first tick would.
    await h.watch.runOnce();
  });
  after(async () => {
    await h?.close();
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
