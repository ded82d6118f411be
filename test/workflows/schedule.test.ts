/**
 * Cron-triggered workflows: a workflow file with `schedule` triggers (in FULCRUM_WORKFLOWS_DIR) gets
 * its pg-boss schedules registered, kept in step with the file, and each tick of SCHEDULE_QUEUE
 * starts one run per connection, once per minute. Ticks are sent to the queue by hand (the queue's
 * own cron pass is off here), so nothing depends on the clock.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { loadConfig } from "../../src/config/index.ts";
import { silentLogger } from "../../src/observability/index.ts";
import { openTestDatabase, testEngines, type TestDatabase } from "../../src/store/testing.ts";
import { createJobQueue, type JobQueue } from "../../src/engine/queue/index.ts";
import { createInbox } from "../../src/engine/inbox/index.ts";
import { createLeverClient } from "../../src/lever/index.ts";
import { startSandbox, type Sandbox } from "../../src/sandbox/index.ts";
import { reconcileSchedules, SCHEDULE_QUEUE, startEngineRuntime, type EngineRuntime } from "../../src/engine/runs/runtime.ts";

const CONNECTIONS = ["acme", "globex"];

/** Two schedule triggers, a manual one, and a step that records in shadow and calls nothing. */
function digestYaml(crons: { cron: string; tz?: string }[]): string {
  return [
    "id: weekly-digest",
    "name: Weekly digest",
    "mode: shadow",
    "triggers:",
    ...crons.flatMap((c) => [`  - schedule: "${c.cron}"`, ...(c.tz ? [`    timezone: ${c.tz}`] : [])]),
    "  - manual: true",
    "steps:",
    "  - id: post",
    "    type: notify",
    "    channel: slack",
    "    to: https://hooks.slack.example/services/T0/B0/x",
    '    message: "This week in hiring"',
    "",
  ].join("\n");
}

for (const e of await testEngines()) {
  describe(`cron-triggered workflows on ${e.kind}`, { skip: e.skip }, () => {
    let t: TestDatabase;
    let sandbox: Sandbox;
    let queue: JobQueue;
    let runtime: EngineRuntime;
    let dir: string;

    before(async () => {
      dir = mkdtempSync(join(tmpdir(), "fulcrum-schedules-"));
      writeFileSync(join(dir, "weekly-digest.yaml"), digestYaml([{ cron: "0 7 * * 1", tz: "Europe/Berlin" }, { cron: "30 16 * * 5" }]));
      t = await openTestDatabase(e.kind);
      sandbox = await startSandbox({ port: 0, seed: 3, rateLimit: false, candidates: 4 });
      // No cron pass in this process: the only ticks are the ones the tests send.
      queue = createJobQueue({ db: t.db, logger: silentLogger, schedule: false });
      await queue.start();
      const inbox = createInbox({ db: t.db, queue, logger: silentLogger });
      await inbox.start();
      const client = createLeverClient({
        baseUrl: sandbox.url,
        auth: { kind: "apiKey", apiKey: sandbox.apiKey },
        connectionId: "default",
        maxRetries: 1,
        retryBaseMs: 10,
      });
      runtime = await startEngineRuntime({
        config: loadConfig({ FULCRUM_SANDBOX: "off", FULCRUM_LOG_LEVEL: "silent", FULCRUM_WORKFLOWS_DIR: dir }),
        db: t.db,
        logger: silentLogger,
        queue,
        inbox,
        client: async () => client,
        connectionIds: async () => CONNECTIONS,
        // Nothing may be sent from here: the step runs in shadow.
        notify: async () => {
          throw new Error("a shadow step must not notify");
        },
      });
    });
    after(async () => {
      runtime?.close();
      await queue?.stop({ graceful: false, timeoutMs: 1000 });
      await sandbox?.close();
      await t?.drop();
      rmSync(dir, { recursive: true, force: true });
    });

    const schedules = async () =>
      (await queue.boss.getSchedules(SCHEDULE_QUEUE))
        .filter((s) => (s.data as { workflowId?: string } | undefined)?.workflowId === "weekly-digest")
        .map((s) => ({ key: s.key, cron: s.cron, timezone: s.timezone }))
        .sort((a, b) => a.key.localeCompare(b.key));

    const runs = async () =>
      (
        await t.db.query<{ run_key: string; connection_id: string; status: string }>(
          "select run_key, connection_id, status from workflow_runs where workflow_id = 'weekly-digest' order by id",
        )
      ).rows;

    /** Sends a tick and waits until its job is done (and the runs it started have finished). */
    async function tick(at?: string): Promise<void> {
      const id = await queue.send(SCHEDULE_QUEUE, { workflowId: "weekly-digest", ...(at ? { at } : {}) });
      assert.ok(id);
      const until = Date.now() + 30_000;
      for (;;) {
        const job = await queue.getJob(id);
        const running = await t.db.query<{ n: number }>(
          "select count(*)::int as n from workflow_runs where workflow_id = 'weekly-digest' and status in ('running')",
        );
        if (job?.state === "completed" && running.rows[0]!.n === 0) return;
        if (job?.state === "failed") throw new Error(`the tick failed: ${JSON.stringify(job.output)}`);
        if (Date.now() > until) throw new Error(`the tick did not finish (job ${job?.state})`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }

    it("registers one pg-boss schedule per schedule trigger, with its time zone", async () => {
      assert.deepEqual(await schedules(), [
        { key: "weekly-digest", cron: "0 7 * * 1", timezone: "Europe/Berlin" },
        { key: "weekly-digest/2", cron: "30 16 * * 5", timezone: "UTC" },
      ]);
    });

    it("starts one run per connection on a tick, and none more for another tick in the same minute", async () => {
      await tick("2030-01-07T06:00:05.000Z");
      let rows = await runs();
      assert.deepEqual(rows.map((r) => r.connection_id).sort(), CONNECTIONS);
      const minute = Math.floor(Date.parse("2030-01-07T06:00:05.000Z") / 60_000);
      assert.deepEqual(
        rows.map((r) => r.run_key).sort(),
        CONNECTIONS.map((c) => `weekly-digest:${c}:schedule:${minute}`),
      );
      assert.ok(
        rows.every((r) => r.status === "succeeded"),
        JSON.stringify(rows),
      );
      const proposals = await t.db.query<{ status: string }>("select status from proposals where workflow_id = 'weekly-digest'");
      assert.deepEqual(
        proposals.rows.map((p) => p.status),
        ["shadow", "shadow"],
        "recorded, not sent",
      );

      // The other trigger (or a redelivered tick) in the same minute starts nothing new.
      await tick("2030-01-07T06:00:55.000Z");
      rows = await runs();
      assert.equal(rows.length, 2);

      // The next minute is a new tick.
      await tick("2030-01-07T06:01:00.000Z");
      rows = await runs();
      assert.equal(rows.length, 4);
      assert.deepEqual(
        rows
          .slice(2)
          .map((r) => r.connection_id)
          .sort(),
        CONNECTIONS,
      );
    });

    it("keys a tick by when the job was created, not when it runs", async () => {
      const before = (await runs()).length;
      await tick();
      const rows = await runs();
      assert.equal(rows.length, before + 2);
      const job = (await queue.listJobs({ queue: SCHEDULE_QUEUE, limit: 1 }))[0]!;
      const minute = Math.floor(job.createdOn.getTime() / 60_000);
      assert.deepEqual(
        rows
          .slice(before)
          .map((r) => r.run_key)
          .sort(),
        CONNECTIONS.map((c) => `weekly-digest:${c}:schedule:${minute}`),
      );
    });

    it("does not start a disabled workflow", async () => {
      await t.db.query("insert into workflow_settings (workflow_id, enabled, updated_by) values ('weekly-digest', false, 'test')");
      try {
        const before = (await runs()).length;
        await tick("2030-01-14T06:00:00.000Z");
        assert.equal((await runs()).length, before);
      } finally {
        await t.db.query("delete from workflow_settings where workflow_id = 'weekly-digest'");
      }
    });

    it("follows the file: a changed trigger is updated and a removed one unscheduled", async () => {
      writeFileSync(join(dir, "weekly-digest.yaml"), digestYaml([{ cron: "15 8 * * 1-5", tz: "America/New_York" }]));
      runtime.workflows.reload();
      await runtime.syncSchedules();
      assert.deepEqual(await schedules(), [{ key: "weekly-digest", cron: "15 8 * * 1-5", timezone: "America/New_York" }]);

      writeFileSync(join(dir, "weekly-digest.yaml"), digestYaml([]));
      runtime.workflows.reload();
      await runtime.syncSchedules();
      assert.deepEqual(await schedules(), []);
      // The built-in workflows' schedules are untouched.
      assert.ok((await queue.boss.getSchedules(SCHEDULE_QUEUE)).some((s) => s.key === "talent-rediscovery"));
    });

    it("registers the good schedules and names the workflow of one pg-boss refuses", async () => {
      const problems = await reconcileSchedules(queue, [
        { id: "bad-zone", triggers: [{ schedule: "0 1 * * *", timezone: "Mars/Olympus_Mons" }] },
        { id: "good-one", triggers: [{ schedule: "0 2 * * *" }] },
      ]);
      assert.equal(problems.length, 1, JSON.stringify(problems));
      assert.match(problems[0]!, /^workflow bad-zone: schedule "0 1 \* \* \*" \(Mars\/Olympus_Mons\) was not registered/);
      assert.deepEqual(
        (await queue.boss.getSchedules(SCHEDULE_QUEUE)).map((s) => s.key),
        ["good-one"],
      );
      // Back to the loaded files.
      await runtime.syncSchedules();
      assert.ok((await queue.boss.getSchedules(SCHEDULE_QUEUE)).some((s) => s.key === "talent-rediscovery"));
    });
  });
}
