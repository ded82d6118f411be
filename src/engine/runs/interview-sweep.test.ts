/**
 * The server's daily retention sweep: `fulcrum serve` schedules it on the job queue, and its job
 * deletes transcripts older than `interviews.retentionDays` and recordings a crash left behind,
 * audited as `fulcrum interview sweep` audits them. The tick is sent by hand (no cron pass here).
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { loadConfig } from "../../config/index.ts";
import { createAuditTrail } from "../../governance/index.ts";
import { silentLogger } from "../../observability/index.ts";
import { openTestDatabase, testEngines, type TestDatabase } from "../../store/testing.ts";
import { createInbox } from "../inbox/index.ts";
import { createJobQueue, type JobQueue } from "../queue/index.ts";
import { INTERVIEW_SWEEP_CRON, INTERVIEW_SWEEP_QUEUE } from "./interview-sweep.ts";
import { startEngineRuntime, type EngineRuntime } from "./runtime.ts";

const DAY = 86_400_000;
// PGlite: the sweep's SQL is the CLI's, covered on PostgreSQL there; here the job is the subject.
const engines = (await testEngines()).slice(0, 1);

for (const e of engines) {
  describe(`the server's daily interview retention sweep on ${e.kind}`, { skip: e.skip }, () => {
    let t: TestDatabase;
    let queue: JobQueue;
    let runtime: EngineRuntime;
    let dir: string;
    let work: string;

    before(async () => {
      dir = mkdtempSync(join(tmpdir(), "fulcrum-interview-sweep-"));
      work = join(dir, "work");
      mkdirSync(work);
      const file = join(dir, "config.yaml");
      writeFileSync(file, `interviews:\n  retentionDays: 30\n  workDir: ${JSON.stringify(work)}\n`);
      t = await openTestDatabase(e.kind);
      queue = createJobQueue({ db: t.db, logger: silentLogger, schedule: false });
      await queue.start();
      const inbox = createInbox({ db: t.db, queue, logger: silentLogger });
      await inbox.start();
      runtime = await startEngineRuntime({
        config: loadConfig({ FULCRUM_SANDBOX: "off", FULCRUM_LOG_LEVEL: "silent", FULCRUM_CONFIG: file, FULCRUM_DATA_DIR: dir, FULCRUM_WORKFLOWS_DIR: dir }),
        db: t.db,
        logger: silentLogger,
        queue,
        inbox,
        client: async () => {
          throw new Error("the sweep calls no Lever");
        },
        connectionIds: async () => [],
      });
    });
    after(async () => {
      runtime?.close();
      await queue?.stop({ graceful: false, timeoutMs: 1000 });
      await t?.drop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    async function insertTranscript(opportunity: string, ageDays: number): Promise<void> {
      await t.db.query(
        `insert into interview_transcripts (connection_id, opportunity_id, tool, trace_id, source, engine, language, duration_seconds, transcript, created_at, expires_at)
         values ('default', $1, 'willo', $2, 'platform-transcript', 'transcript', 'en', 60, $3::jsonb, $4, $5)`,
        [
          opportunity,
          `trace-${opportunity}`,
          JSON.stringify({ segments: [{ start: 0, end: 2, text: "I led the team." }] }),
          new Date(Date.now() - ageDays * DAY),
          // Stored under a longer period: the period configured now is what counts.
          new Date(Date.now() + 300 * DAY),
        ],
      );
    }

    /** Sends the daily job as the schedule would and waits for it to finish. */
    async function tick(): Promise<void> {
      const id = await queue.send(INTERVIEW_SWEEP_QUEUE, {});
      assert.ok(id);
      const until = Date.now() + 30_000;
      for (;;) {
        const job = await queue.getJob(id);
        if (job?.state === "completed") return;
        if (job?.state === "failed") throw new Error(`the sweep failed: ${JSON.stringify(job.output)}`);
        if (Date.now() > until) throw new Error(`the sweep did not finish (job ${job?.state})`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }

    it("is scheduled once a day", async () => {
      const schedules = await queue.boss.getSchedules(INTERVIEW_SWEEP_QUEUE);
      assert.deepEqual(
        schedules.map((s) => s.cron),
        [INTERVIEW_SWEEP_CRON],
      );
      assert.match(INTERVIEW_SWEEP_CRON, /^\d+ \d+ \* \* \*$/, "a fixed minute and hour, every day");
    });

    it("deletes a transcript older than the retention period and a crash's leftover recording, audited, and keeps a fresh one", async () => {
      await insertTranscript("opp-old", 40);
      await insertTranscript("opp-fresh", 2);
      mkdirSync(join(work, "fulcrum-media-stale"));
      writeFileSync(join(work, "fulcrum-media-stale", "recording.mp4"), "x");
      const old = new Date(Date.now() - 2 * DAY);
      utimesSync(join(work, "fulcrum-media-stale"), old, old);
      mkdirSync(join(work, "fulcrum-media-running"));

      await tick();

      const { rows } = await t.db.query<{ opportunity_id: string }>("select opportunity_id from interview_transcripts order by opportunity_id");
      assert.deepEqual(
        rows.map((r) => r.opportunity_id),
        ["opp-fresh"],
      );
      assert.deepEqual(readdirSync(work), ["fulcrum-media-running"], "a download younger than a day may still be in use");
      const { rows: records } = await t.db.query<{ kind: string; actor: string; data: { data: Record<string, unknown> } }>(
        "select kind, actor, data from audit_records where kind like 'interview.%' order by seq",
      );
      assert.equal(records.length, 1, JSON.stringify(records));
      assert.equal(records[0]!.kind, "interview.swept");
      assert.equal(records[0]!.actor, "server:sweep");
      const { data } = records[0]!.data;
      assert.equal(data.retentionDays, 30);
      assert.equal(data.transcripts, 1);
      assert.equal(data.leftoverMedia, 1);
      assert.deepEqual(data.opportunities, [{ connectionId: "default", opportunityId: "opp-old", transcripts: 1 }]);
      assert.doesNotMatch(JSON.stringify(records), /led the team/, "no transcript text in the audit trail");
      assert.ok((await createAuditTrail(t.db).verify()).ok);
    });

    it("writes no audit record when nothing was due", async () => {
      const before = (await t.db.query<{ n: number }>("select count(*)::int as n from audit_records where kind = 'interview.swept'")).rows[0]!.n;
      await tick();
      const after = (await t.db.query<{ n: number }>("select count(*)::int as n from audit_records where kind = 'interview.swept'")).rows[0]!.n;
      assert.equal(after, before);
      const { rows } = await t.db.query<{ opportunity_id: string }>("select opportunity_id from interview_transcripts");
      assert.deepEqual(
        rows.map((r) => r.opportunity_id),
        ["opp-fresh"],
      );
    });
  });
}
