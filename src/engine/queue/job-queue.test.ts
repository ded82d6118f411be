import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { openTestDatabase, testEngines, type TestDatabase } from "../../store/testing.ts";
import { createJobQueue, type JobQueue } from "./index.ts";

async function waitFor<T>(what: string, fn: () => Promise<T | undefined | null | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

for (const engine of await testEngines()) {
  describe(`job queue on ${engine.kind}`, { skip: engine.skip }, () => {
    let t: TestDatabase;
    let queue: JobQueue;
    before(async () => {
      t = await openTestDatabase(engine.kind);
      queue = createJobQueue({ db: t.db, superviseIntervalSeconds: 1 });
      await queue.start();
      await t.db.exec("create table side_effects (id text primary key)");
    });
    after(async () => {
      await queue?.stop({ graceful: false, timeoutMs: 1000 });
      await t?.drop();
    });

    it("enqueues inside the caller's transaction: committed with it, gone when it rolls back", async () => {
      await queue.define("tx.test");
      await t.db.transaction(async (tx) => {
        await tx.query("insert into side_effects values ('committed')");
        await queue.send("tx.test", { which: "committed" }, {}, tx);
      });
      await assert.rejects(
        t.db.transaction(async (tx) => {
          await queue.send("tx.test", { which: "rolled-back" }, {}, tx);
          throw new Error("abort the transaction");
        }),
        /abort the transaction/,
      );
      const { rows } = await t.db.query<{ data: { which: string } }>("select data from pgboss.job where name = 'tx.test'");
      assert.deepEqual(
        rows.map((r) => r.data.which),
        ["committed"],
      );
      assert.equal(await queue.depth("tx.test"), 1);
    });

    it("makes the insert statement without running it; run in a batch with other writes, it enqueues once per job id", async () => {
      await queue.define("batch.test");
      const id = "6f1c2b3a-4d5e-4f60-8a7b-9c0d1e2f3a4b";
      const statement = await queue.insertStatement("batch.test", [{ data: { n: 1 }, options: { id, concurrencyKey: "acme" } }]);
      assert.equal(await queue.getJob(id), null, "nothing is enqueued until the statement runs");
      await t.db.batch([{ sql: "insert into side_effects values ($1)", params: ["batched"] }, statement]);
      const job = await queue.getJob(id);
      assert.equal(job?.queue, "batch.test");
      assert.deepEqual(job?.data, { n: 1 });
      // The same job id again (a redelivery written the same way) is skipped, not duplicated.
      await t.db.batch([await queue.insertStatement("batch.test", [{ data: { n: 2 }, options: { id } }])]);
      const { rows } = await t.db.query<{ n: number }>("select count(*)::int as n from pgboss.job where name = 'batch.test'");
      assert.equal(rows[0]!.n, 1);
      assert.deepEqual((await queue.getJob(id))?.data, { n: 1 });
      // A failing batch enqueues nothing.
      await assert.rejects(
        t.db.batch([await queue.insertStatement("batch.test", [{ data: { n: 3 } }]), { sql: "insert into side_effects values ($1)", params: ["batched"] }]),
      );
      assert.equal((await t.db.query<{ n: number }>("select count(*)::int as n from pgboss.job where name = 'batch.test'")).rows[0]!.n, 1);
    });

    it("retries a failing job, then moves it to the dead-letter queue with the failure reason, and retry puts it back", async () => {
      await queue.define("fail.test", { retryLimit: 1, retryDelay: 0, retryBackoff: false });
      let attempts = 0;
      let succeed = false;
      await queue.work<{ n: number }>("fail.test", { concurrency: 1 }, async () => {
        attempts++;
        if (!succeed) throw new Error("Lever answered 503 twice");
      });
      const id = await queue.send("fail.test", { n: 1 });
      assert.ok(id);
      const dead = await waitFor("the dead-lettered job", async () => (await queue.listDead()).find((d) => d.sourceId === id));
      assert.equal(attempts, 2);
      assert.equal(dead.queue, "fail.test");
      assert.equal(dead.error, "Lever answered 503 twice");
      assert.deepEqual(dead.data, { n: 1 });

      succeed = true;
      assert.equal(await queue.retry(dead.id), true);
      await waitFor("the retried job to run", async () => attempts === 3);
      await waitFor("the dead-letter queue to empty", async () => !(await queue.listDead()).some((d) => d.sourceId === id));
      assert.equal(await queue.retry(dead.id), false, "a job no longer dead cannot be retried again");
    });

    it("backs off exponentially between retries", async () => {
      await queue.define("backoff.test", { retryLimit: 3, retryDelay: 4, retryBackoff: true });
      const failedAt: number[] = [];
      await queue.work("backoff.test", {}, async () => {
        failedAt.push(Date.now());
        throw new Error("still failing");
      });
      const id = (await queue.send("backoff.test", {}))!;
      await waitFor("the first failure", async () => failedAt.length === 1);
      const job = await waitFor("the retry to be scheduled", async () => {
        const j = await queue.getJob(id);
        return j?.state === "retry" ? j : null;
      });
      const seenAt = Date.now();
      const delaySeconds = (job.startAfter.getTime() - failedAt[0]!) / 1000;
      // pg-boss's backoff is retryDelay * (2^n / 2 + jitter up to 2^n / 2): between 4 and 8 s here,
      // counted from when pg-boss recorded the failure — at most until we saw the retry, however
      // slow a loaded machine made that.
      const lag = (seenAt - failedAt[0]!) / 1000;
      assert.ok(delaySeconds >= 3 && delaySeconds <= 8 + lag + 0.5, `first backoff was ${delaySeconds}s (failure seen ${lag}s after it happened)`);
    });

    it("holds a delayed job until its time", async () => {
      await queue.define("delay.test");
      const ran: number[] = [];
      await queue.work("delay.test", {}, async () => {
        ran.push(Date.now());
      });
      const sentAt = Date.now();
      await queue.sendAfter("delay.test", { timer: "interview-ended" }, null, 2);
      await waitFor("the delayed job", async () => ran.length === 1);
      assert.ok(ran[0]! - sentAt >= 1900, `ran after ${ran[0]! - sentAt} ms`);
    });

    it("refuses a second job with the same singleton key while the first is waiting, in an exclusive queue", async () => {
      await queue.define("singleton.test", { policy: "exclusive" });
      const first = await queue.send("singleton.test", { a: 1 }, { singletonKey: "opp-1" });
      const second = await queue.send("singleton.test", { a: 2 }, { singletonKey: "opp-1" });
      const other = await queue.send("singleton.test", { a: 3 }, { singletonKey: "opp-2" });
      assert.ok(first);
      assert.equal(second, null);
      assert.ok(other);
      assert.equal(await queue.depth("singleton.test"), 2);
    });

    it("runs at most perKeyConcurrency jobs per key at once, and other keys alongside", async () => {
      await queue.define("perkey.test");
      const running = new Map<string, number>();
      const maxRunning = new Map<string, number>();
      let done = 0;
      await queue.work<{ key: string }>("perkey.test", { concurrency: 4, perKeyConcurrency: 1 }, async (job) => {
        const k = job.data.key;
        running.set(k, (running.get(k) ?? 0) + 1);
        maxRunning.set(k, Math.max(maxRunning.get(k) ?? 0, running.get(k)!));
        await sleep(150);
        running.set(k, running.get(k)! - 1);
        done++;
      });
      await queue.sendMany(
        "perkey.test",
        ["a", "a", "a", "b", "b", "b"].map((key) => ({ data: { key }, options: { concurrencyKey: key } })),
      );
      await waitFor("all six jobs", async () => done === 6);
      assert.equal(maxRunning.get("a"), 1);
      assert.equal(maxRunning.get("b"), 1);
    });

    it("registers a cron schedule", async () => {
      await queue.schedule("cron.test", "*/5 * * * *", { kind: "nudge" });
      const schedules = await queue.boss.getSchedules("cron.test");
      assert.equal(schedules.length, 1);
      assert.equal(schedules[0]!.cron, "*/5 * * * *");
    });
  });
}

for (const engine of await testEngines()) {
  describe(`job queue shutdown on ${engine.kind}`, { skip: engine.skip }, () => {
    it("finishes the job in flight before a graceful stop returns", async () => {
      const t = await openTestDatabase(engine.kind);
      const queue = createJobQueue({ db: t.db });
      try {
        await queue.start();
        let finished = false;
        let started = false;
        await queue.work("graceful.test", {}, async () => {
          started = true;
          await sleep(800);
          finished = true;
        });
        const id = (await queue.send("graceful.test", {}))!;
        await waitFor("the job to start", async () => started);
        await queue.stop({ graceful: true, timeoutMs: 5000 });
        assert.equal(finished, true);
        const { rows } = await t.db.query<{ state: string }>("select state::text as state from pgboss.job where id = $1", [id]);
        assert.equal(rows[0]!.state, "completed");
      } finally {
        await t.drop();
      }
    });
  });
}
