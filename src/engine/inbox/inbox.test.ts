import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { openTestDatabase, testEngines, type TestDatabase } from "../../store/testing.ts";
import { createJobQueue, type JobQueue } from "../queue/index.ts";
import {
  createInbox,
  createGroupCommit,
  INBOX_FANOUT_QUEUE,
  INBOX_QUEUE,
  SignatureTokenReusedError,
  UnstorableEventError,
  type Inbox,
  type InboxEvent,
  type NewInboxEvent,
} from "./index.ts";

// Awaited before any test is registered: under --test-force-exit a file exits once the tests it
// knows have run, so tests registered after a later top-level await would be dropped unreported.
const ENGINES = await testEngines();

async function waitFor<T>(what: string, fn: () => Promise<T | undefined | null | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

function leverEvent(n: number, overrides: Partial<NewInboxEvent> = {}): NewInboxEvent {
  return {
    connectionId: "default",
    source: "lever",
    event: "candidateStageChange",
    dedupeKey: `evt-${n}`,
    triggeredAt: new Date(1_767_268_800_000 + n),
    payload: { event: "candidateStageChange", data: { opportunityId: `opp-${n}` } },
    ...overrides,
  };
}

describe("group commit", () => {
  it("writes requests that arrive while a write is in flight as one batch, each getting its own result", async () => {
    const batches: number[][] = [];
    const gc = createGroupCommit<number, number>({
      maxBatch: 100,
      maxInFlight: 1,
      async write(items) {
        batches.push(items);
        await sleep(20);
        return items.map((i) => i * 10);
      },
    });
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => gc.submit(i)));
    assert.deepEqual(
      results,
      Array.from({ length: 50 }, (_, i) => i * 10),
    );
    assert.equal(batches[0]!.length, 1, "the first request is written at once, not held back");
    assert.equal(batches.length, 2, "the other 49 wait for the first write and go together");
  });

  it("with a linger time, gathers requests arriving in separate event-loop turns into one batch", async (t) => {
    // The linger timer is mocked: on a loaded machine five event-loop turns can take longer than
    // the 20 ms, and the test is about gathering, not about the clock.
    t.mock.timers.enable({ apis: ["setTimeout"] });
    const batches: number[] = [];
    const gc = createGroupCommit<number, number>({
      maxBatch: 100,
      maxInFlight: 1,
      lingerMs: 20,
      async write(items) {
        batches.push(items.length);
        return items;
      },
    });
    const pending: Promise<number>[] = [];
    for (let i = 0; i < 5; i++) {
      pending.push(gc.submit(i));
      await new Promise((resolve) => setImmediate(resolve));
    }
    assert.deepEqual(batches, [], "nothing is written before the linger time is up");
    t.mock.timers.tick(20);
    assert.deepEqual(await Promise.all(pending), [0, 1, 2, 3, 4]);
    assert.deepEqual(batches, [5]);
  });

  it("writes a partial batch beside one in flight only once it is full, so a backlog is not split into small transactions", async () => {
    const batches: number[][] = [];
    const releases: (() => void)[] = [];
    let writing = 0;
    let mostAtOnce = 0;
    const gc = createGroupCommit<number, number>({
      maxBatch: 10,
      maxInFlight: 4,
      async write(items) {
        batches.push(items);
        mostAtOnce = Math.max(mostAtOnce, ++writing);
        await new Promise<void>((resolve) => releases.push(resolve));
        writing--;
        return items;
      },
    });
    const first = gc.submit(0); // written at once: nothing is in flight
    const rest = Array.from({ length: 15 }, (_, i) => gc.submit(i + 1));
    // 10 of the 15 make a full batch, written beside the first; the other 5 wait while any write is in flight.
    assert.deepEqual(batches, [[0], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]]);
    releases.shift()!();
    await first;
    await new Promise(setImmediate); // lets the finished write's bookkeeping (its microtasks) run
    assert.equal(batches.length, 2);
    releases.shift()!();
    await rest[9];
    await new Promise(setImmediate);
    assert.deepEqual(batches[2], [11, 12, 13, 14, 15]);
    while (releases.length) releases.shift()!();
    assert.deepEqual(
      await Promise.all(rest),
      Array.from({ length: 15 }, (_, i) => i + 1),
    );
    assert.equal(mostAtOnce, 2);
    await gc.drain();
  });

  it("rejects every request of a batch whose write fails, and keeps going", async () => {
    let calls = 0;
    const gc = createGroupCommit<number, number>({
      maxBatch: 10,
      maxInFlight: 1,
      async write(items) {
        calls++;
        if (calls === 1) throw new Error("disk full");
        return items;
      },
    });
    await assert.rejects(gc.submit(1), /disk full/);
    assert.equal(await gc.submit(2), 2);
  });
});

for (const engine of ENGINES) {
  describe(`inbox on ${engine.kind}`, { skip: engine.skip }, () => {
    let t: TestDatabase;
    let queue: JobQueue;
    let inbox: Inbox;
    let behaviour: (event: InboxEvent) => Promise<void> = async () => {};
    const seen: { id: number; traceId: string; attempt: number }[] = [];

    before(async () => {
      t = await openTestDatabase(engine.kind);
      queue = createJobQueue({ db: t.db, superviseIntervalSeconds: 1 });
      await queue.start();
      inbox = createInbox({ db: t.db, queue, retryLimit: 1, retryDelaySeconds: 1 });
      await inbox.start();
    });
    after(async () => {
      await queue?.stop({ graceful: false, timeoutMs: 1000 });
      await t?.drop();
    });

    /** `inbox.process` jobs for the event (they name it by id, or by key when written with it). */
    async function jobsFor(eventId: number): Promise<number> {
      const { rows } = await t.db.query<{ n: number }>(
        `select count(*)::int as n from pgboss.job j, inbox_events e
          where e.id = $2 and j.name = $1
            and ((j.data->>'eventId')::bigint = e.id
              or (j.data->'event'->>'connectionId' = e.connection_id and j.data->'event'->>'source' = e.source and j.data->'event'->>'dedupeKey' = e.dedupe_key))`,
        [INBOX_QUEUE, eventId],
      );
      return rows[0]!.n;
    }

    /** Jobs that carry the event: its own `inbox.process` jobs and fan-out jobs naming it. */
    async function firstJobsFor(eventId: number): Promise<number> {
      const { rows } = await t.db.query<{ n: number }>(
        `select count(*)::int as n from pgboss.job j, inbox_events e
          where e.id = $1 and j.name = $2
            and (j.data->'eventIds' @> to_jsonb(e.id)
              or exists (select 1 from jsonb_array_elements(j.data->'events') g
                          where g->>'connectionId' = e.connection_id and g->>'source' = e.source and g->'dedupeKeys' @> to_jsonb(e.dedupe_key)))`,
        [eventId, INBOX_FANOUT_QUEUE],
      );
      return (await jobsFor(eventId)) + rows[0]!.n;
    }

    it("stores an event together with its first job", async () => {
      const result = await inbox.storeEvent(leverEvent(1));
      assert.equal(result.status, "stored");
      assert.ok(result.status === "stored" && /^[0-9a-f]{32}$/.test(result.traceId));
      const stored = await inbox.getEvent(result.id!);
      assert.equal(stored?.status, "received");
      assert.deepEqual(stored?.payload, leverEvent(1).payload);
      // A lone event gets its own job, with the id its row names.
      assert.equal(await jobsFor(result.id!), 1);
      assert.equal(await firstJobsFor(result.id!), 1);
      assert.equal((await queue.getJob(stored!.lastJobId!))?.queue, INBOX_QUEUE);
    });

    it("answers a redelivery with duplicate and stores nothing more", async () => {
      const first = await inbox.storeEvent(leverEvent(2));
      const again = await inbox.storeEvent(leverEvent(2, { payload: { changed: true } }));
      assert.equal(again.status, "duplicate");
      assert.equal(again.id, first.id);
      assert.equal(await firstJobsFor(first.id!), 1);
      assert.deepEqual((await inbox.getEvent(first.id!))?.payload, leverEvent(2).payload);
    });

    it("keeps the same dedupe key apart across connections", async () => {
      const a = await inbox.storeEvent(leverEvent(3, { connectionId: "acme" }));
      const b = await inbox.storeEvent(leverEvent(3, { connectionId: "globex" }));
      assert.equal(a.status, "stored");
      assert.equal(b.status, "stored");
    });

    it("stores 300 concurrent events with one row and one first job each (fanned out in batches), twins deduplicated", async () => {
      const before = await t.db.query<{ n: number }>("select count(*)::int as n from inbox_events");
      const requests = Array.from({ length: 300 }, (_, i) => leverEvent(1000 + (i % 250)));
      const results = await Promise.all(requests.map((r) => inbox.storeEvent(r)));
      assert.equal(results.filter((r) => r.status === "stored").length, 250);
      assert.equal(results.filter((r) => r.status === "duplicate").length, 50);
      // Each twin answers with the id of the row that holds its key.
      const idOfKey = new Map(results.flatMap((r, i) => (r.status === "stored" ? [[requests[i]!.dedupeKey, r.id]] : [])));
      results.forEach((r, i) => assert.equal(r.id, idOfKey.get(requests[i]!.dedupeKey)));
      const after = await t.db.query<{ n: number }>("select count(*)::int as n from inbox_events");
      assert.equal(after.rows[0]!.n - before.rows[0]!.n, 250);
      const ids = results.filter((r) => r.status === "stored").map((r) => r.id!);
      // Every stored event is carried by a first job: its own, or (batches of 8 or more) a fan-out
      // job. A twin that reached a later batch is named by that batch's fan-out too, which then
      // skips it: its job exists (one job per event is checked below, where they are expanded).
      for (const id of ids) assert.ok((await firstJobsFor(id)) >= 1, `event ${id}`);
      const fanOuts = await t.db.query<{ n: number }>("select count(*)::int as n from pgboss.job where name = $1", [INBOX_FANOUT_QUEUE]);
      assert.ok(fanOuts.rows[0]!.n >= 1 && fanOuts.rows[0]!.n < 10, `${fanOuts.rows[0]!.n} fan-out jobs for 250 events`);
    });

    it("fails only the event the database refuses when it shares a batch with good ones", async () => {
      const results = await Promise.allSettled([
        inbox.storeEvent(leverEvent(5000)),
        inbox.storeEvent(leverEvent(5001)),
        // PostgreSQL refuses a NUL character inside jsonb text.
        inbox.storeEvent(leverEvent(5002, { payload: { note: "a\u0000b" } })),
        inbox.storeEvent(leverEvent(5003)),
      ]);
      assert.deepEqual(
        results.map((r) => r.status),
        ["fulfilled", "fulfilled", "rejected", "fulfilled"],
      );
      const { rows } = await t.db.query("select 1 from inbox_events where dedupe_key = 'evt-5002'");
      assert.equal(rows.length, 0);
    });

    it("refuses an event the database could never store before it reaches a batch, naming the field", async () => {
      const refused = async (event: NewInboxEvent, code: string, message: RegExp) => {
        await assert.rejects(inbox.storeEvent(event), (error: unknown) => {
          assert.ok(error instanceof UnstorableEventError);
          assert.equal(error.code, code);
          assert.match(error.message, message);
          return true;
        });
        const { rows } = await t.db.query("select 1 from inbox_events where dedupe_key = $1", [event.dedupeKey]);
        assert.equal(rows.length, 0);
      };
      await refused(leverEvent(5100, { payload: { data: { names: ["ok", "a\u0000b"] } } }), "nul_character", /^data\.names\[1\]: contains the NUL/);
      await refused(leverEvent(5101, { payload: { data: { note: "\udc00" } } }), "lone_surrogate", /^data\.note: contains a lone UTF-16 surrogate/);
      await refused(leverEvent(5102, { event: "stage\u0000change" }), "nul_character", /^event: /);
      await refused(leverEvent(5103, { dedupeKey: `evt-5103-${"k".repeat(600)}` }), "field_too_long", /^dedupeKey: longer than 500 characters/);
      await refused(leverEvent(5104, { triggeredAt: new Date(8.7e15) }), "time_out_of_range", /^triggeredAt: not a time between the years 1 and 9999/);
      await refused(leverEvent(5105, { triggeredAt: new Date(1e15) }), "time_out_of_range", /^triggeredAt: not a time between the years 1 and 9999/);
    });

    describe("signature tokens (for sources that sign only part of the body)", () => {
      const guarded = (n: number, token: string, body: string, overrides: Partial<NewInboxEvent> = {}) =>
        leverEvent(n, { triggeredAt: new Date(), replayGuard: { tokenHash: `token-${token}`, bodyHash: `body-${body}` }, ...overrides });

      it("stores a token's first body, answers the same body again as a duplicate and refuses another body", async () => {
        const first = await inbox.storeEvent(guarded(5200, "a", "one"));
        assert.equal(first.status, "stored");
        // The same delivery again (same key, token and body).
        assert.deepEqual(await inbox.storeEvent(guarded(5200, "a", "one")), { status: "duplicate", id: first.status === "stored" ? first.id : -1 });
        // The token with another body, as a new event or as the same one.
        await assert.rejects(inbox.storeEvent(guarded(5201, "a", "two")), SignatureTokenReusedError);
        await assert.rejects(inbox.storeEvent(guarded(5200, "a", "two")), SignatureTokenReusedError);
        const { rows } = await t.db.query("select 1 from inbox_events where dedupe_key = 'evt-5201'");
        assert.equal(rows.length, 0);
        // The refused event's job, which went in with its batch, is gone as well.
        const jobs = await t.db.query("select 1 from pgboss.job where name = $1 and data->'event'->>'dedupeKey' = 'evt-5201'", [INBOX_QUEUE]);
        assert.equal(jobs.rows.length, 0);
      });

      it("keeps tokens apart per connection", async () => {
        assert.equal((await inbox.storeEvent(guarded(5210, "b", "one"))).status, "stored");
        assert.equal((await inbox.storeEvent(guarded(5211, "b", "two", { connectionId: "acme" }))).status, "stored");
      });

      it("remembers the token of every delivery in a batch, twins included", async () => {
        // Two deliveries of one event (a retry with a new token) written in one batch: both tokens count.
        const [a, b] = await Promise.all([inbox.storeEvent(guarded(5220, "c1", "one")), inbox.storeEvent(guarded(5220, "c2", "one-again"))]);
        assert.deepEqual([a.status, b.status].sort(), ["duplicate", "stored"]);
        await assert.rejects(inbox.storeEvent(guarded(5221, "c1", "forged")), SignatureTokenReusedError);
        await assert.rejects(inbox.storeEvent(guarded(5222, "c2", "forged")), SignatureTokenReusedError);
      });

      it("forgets tokens whose triggeredAt is further back than the replay window and a margin, and schedules that", async () => {
        const windowed = createInbox({ db: t.db, queue, replayWindowSeconds: 600 });
        const longAgo = new Date(Date.now() - (600 + 300 + 60) * 1000);
        await windowed.storeEvent(guarded(5230, "old", "one", { triggeredAt: longAgo }));
        await windowed.storeEvent(guarded(5231, "recent", "one", { triggeredAt: new Date(Date.now() - 590 * 1000) }));
        assert.ok((await windowed.forgetExpiredReplayTokens()) >= 1);
        const { rows } = await t.db.query<{ token_hash: string }>(
          "select token_hash from webhook_replay_tokens where token_hash = any($1::text[]) order by token_hash",
          [["token-old", "token-recent"]],
        );
        assert.deepEqual(
          rows.map((r) => r.token_hash),
          ["token-recent"],
        );
        const schedules = await t.db.query("select cron from pgboss.schedule where name = 'inbox.forget-replay-tokens'");
        assert.deepEqual(schedules.rows, [{ cron: "*/15 * * * *" }]);
      });
    });

    it("hands each stored event to the processor once, with its trace id, and marks it processed", async () => {
      inbox.registerEventProcessor(async (event, ctx) => {
        seen.push({ id: event.id, traceId: ctx.traceId, attempt: ctx.attempt });
        await behaviour(event);
      });
      await inbox.startProcessing({ concurrency: 4 });
      const stored = await inbox.storeEvent(leverEvent(6000));
      assert.equal(stored.status, "stored");
      const event = await waitFor("the event to be processed", async () => {
        const e = await inbox.getEvent(stored.id!);
        return e?.status === "processed" ? e : null;
      });
      const calls = seen.filter((s) => s.id === stored.id);
      assert.equal(calls.length, 1);
      assert.equal(calls[0]!.traceId, event.traceId);
      assert.equal(event.attempts, 1);
    });

    it("expands fan-out jobs into one job per event, with the id each row names, and a second run of one adds nothing", async () => {
      // The 250 events stored above were fanned out; processing (started above) expands and runs them.
      const { rows: events } = await t.db.query<{ id: number; last_job_id: string }>(
        "select id, last_job_id from inbox_events where dedupe_key like 'evt-1%' and length(dedupe_key) = 8 order by id",
      );
      assert.equal(events.length, 250);
      await waitFor("every fanned-out event to be processed", async () => {
        const { rows } = await t.db.query<{ n: number }>("select count(*)::int as n from inbox_events where id = any($1::bigint[]) and status = 'processed'", [
          events.map((e) => e.id),
        ]);
        return rows[0]!.n === 250;
      });
      // Each event's job: made by the fan-out (naming the event by id) or, for the few that were
      // written in a batch too small to fan out, with the event (naming it by key).
      const perEvent = async () =>
        (
          await t.db.query<{ id: string; event_id: number }>(
            `select j.id::text, e.id as event_id from pgboss.job j join inbox_events e
                on (j.data->>'eventId')::bigint = e.id
                or (j.data->'event'->>'connectionId' = e.connection_id and j.data->'event'->>'source' = e.source and j.data->'event'->>'dedupeKey' = e.dedupe_key)
              where j.name = $1 and e.id = any($2::bigint[])`,
            [INBOX_QUEUE, events.map((e) => e.id)],
          )
        ).rows;
      const jobs = await perEvent();
      assert.equal(jobs.length, 250);
      assert.deepEqual(new Map(jobs.map((j) => [Number(j.event_id), j.id])), new Map(events.map((e) => [Number(e.id), e.last_job_id])));
      // A fan-out job that runs again (its process died after the jobs were committed) changes nothing.
      const again = await queue.send(INBOX_FANOUT_QUEUE, { eventIds: events.map((e) => e.id) });
      await waitFor("the repeated fan-out to complete", async () => (await queue.getJob(again!))?.state === "completed");
      assert.equal((await perEvent()).length, 250);
      // The same, for a fan-out job that names its events by key (as the intake writes them).
      const byKey = await queue.send(INBOX_FANOUT_QUEUE, {
        events: [{ connectionId: "default", source: "lever", dedupeKeys: Array.from({ length: 250 }, (_, i) => `evt-${1000 + i}`) }],
      });
      await waitFor("the fan-out by key to complete", async () => (await queue.getJob(byKey!))?.state === "completed");
      assert.equal((await perEvent()).length, 250);
      assert.equal(seen.filter((s) => events.some((e) => e.id === s.id)).length, 250, "each event processed once");
    });

    it("retries a failing event, marks it failed with the reason, dead-letters the job, and replays it on request", async () => {
      let fail = true;
      behaviour = async (event) => {
        if (fail && (event.payload as { data?: { opportunityId?: string } }).data?.opportunityId === "opp-7000") {
          throw new Error("workflow step crashed: missing posting");
        }
      };
      const stored = await inbox.storeEvent(leverEvent(7000));
      const failed = await waitFor("the event to fail", async () => {
        const e = await inbox.getEvent(stored.id!);
        return e?.status === "failed" ? e : null;
      });
      assert.equal(failed.error, "workflow step crashed: missing posting");
      assert.equal(failed.attempts, 2);
      const dead = await waitFor("the dead-lettered job", async () =>
        (await queue.listDead()).find((d) => (d.data as { event?: { dedupeKey?: string } }).event?.dedupeKey === "evt-7000"),
      );
      assert.equal(dead.error, "workflow step crashed: missing posting");

      fail = false;
      const jobId = await inbox.replayEvent(stored.id!);
      assert.ok(jobId);
      const done = await waitFor("the replayed event to be processed", async () => {
        const e = await inbox.getEvent(stored.id!);
        return e?.status === "processed" ? e : null;
      });
      assert.equal(done.replays, 1);
      assert.equal(done.error, null);
      assert.equal(await inbox.replayEvent(999_999_999), null);
    });

    it("lists events newest first, by status", async () => {
      const all = await inbox.listEvents({ limit: 5 });
      assert.equal(all.length, 5);
      assert.ok(all[0]!.id > all[1]!.id);
      const processed = await inbox.listEvents({ status: "processed" });
      assert.ok(processed.length >= 2);
      assert.ok(processed.every((e) => e.status === "processed"));
    });
  });
}
