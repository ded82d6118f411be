/**
 * `fulcrum events …` and `fulcrum jobs …` against a database holding one processed event and one
 * whose job failed into the dead-letter queue. Commands run in this process through the same
 * program `fulcrum` builds (a process each would cost seconds apiece); the embedded-database
 * guard needs a second process and gets a real one.
 */
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { runFulcrum } from "./support/fulcrum-cli.ts";
import { migrate, openDatabase } from "../src/store/index.ts";
import { createPostgresDatabase, testEngines } from "../src/store/testing.ts";
import { createJobQueue } from "../src/engine/queue/index.ts";
import { createInbox } from "../src/engine/inbox/index.ts";

const run = promisify(execFile);
const MAIN = join(import.meta.dirname, "..", "src", "cli", "main.ts");

for (const engine of await testEngines()) {
  describe(`fulcrum events and jobs on ${engine.kind}`, { skip: engine.skip }, () => {
    let dataDir: string;
    let env: NodeJS.ProcessEnv;
    const savedEnv = { ...process.env };
    let dropDb: (() => Promise<void>) | undefined;
    let okId: number;
    let failedId: number;

    /** Runs `fulcrum <args>` in this process; resolves with its exit code and output. */
    const fulcrum = (...args: string[]) => runFulcrum(args);

    before(async () => {
      dataDir = mkdtempSync(join(tmpdir(), "fulcrum-cli-"));
      env = { ...savedEnv, FULCRUM_DATA_DIR: dataDir, FULCRUM_LOG_LEVEL: "silent" };
      delete env.FULCRUM_CONFIG;
      delete env.DATABASE_URL;
      if (engine.kind === "postgres") {
        const created = await createPostgresDatabase();
        dropDb = created.drop;
        env.DATABASE_URL = created.url;
        env.FULCRUM_SECRET_KEY = "a".repeat(64);
      }
      const db = await openDatabase(env.DATABASE_URL ? { url: env.DATABASE_URL } : { dataDir: join(dataDir, "db") });
      await migrate(db);
      const queue = createJobQueue({ db });
      await queue.start();
      const inbox = createInbox({ db, queue, retryLimit: 0 });
      await inbox.start();
      inbox.registerEventProcessor(async (event) => {
        if (event.dedupeKey === "bad") throw new Error("posting 123 has no hiring manager");
      });
      await inbox.startProcessing();
      const store = (key: string) =>
        inbox.storeEvent({
          connectionId: "default",
          source: "lever",
          event: "candidateHired",
          dedupeKey: key,
          triggeredAt: new Date(),
          payload: { data: { opportunityId: key } },
        });
      okId = (await store("good")).id!;
      failedId = (await store("bad")).id!;
      const deadline = Date.now() + 20_000;
      while ((await queue.listDead()).length === 0 || (await inbox.getEvent(okId))?.status !== "processed") {
        if (Date.now() > deadline) throw new Error("set-up: events were not processed");
        await sleep(100);
      }
      await queue.stop({ graceful: true, timeoutMs: 2000 });
      await db.close();
      process.env = env;
    });
    after(async () => {
      process.env = savedEnv;
      await dropDb?.();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it("lists events with their status, and shows one with its error and job", async () => {
      const list = await fulcrum("events", "list");
      assert.equal(list.code, 0, list.stderr);
      assert.match(list.stdout, new RegExp(`\\b${okId}\\b.*processed.*candidateHired`));
      assert.match(list.stdout, new RegExp(`\\b${failedId}\\b.*failed.*posting 123 has no hiring manager`));
      const failedOnly = await fulcrum("events", "list", "--status", "failed", "--json");
      assert.deepEqual(
        (JSON.parse(failedOnly.stdout) as { id: number }[]).map((e) => e.id),
        [failedId],
      );
      const show = await fulcrum("events", "show", String(failedId));
      assert.match(show.stdout, /status\s+failed/);
      assert.match(show.stdout, /error\s+posting 123 has no hiring manager/);
      assert.match(show.stdout, /job\s+[0-9a-f-]{36} \(failed/);
    });

    it("lists the dead job with its reason, retries it, and replays an event", async () => {
      const dead = await fulcrum("jobs", "dead", "--json");
      const jobs = JSON.parse(dead.stdout) as { id: string; queue: string; error: string }[];
      assert.equal(jobs.length, 1);
      assert.equal(jobs[0]!.queue, "inbox.process");
      assert.equal(jobs[0]!.error, "posting 123 has no hiring manager");
      const retried = await fulcrum("jobs", "retry", jobs[0]!.id);
      assert.equal(retried.code, 0, retried.stderr);
      assert.match(retried.stdout, /is back in inbox.process/);
      assert.match((await fulcrum("jobs", "dead")).stdout, /no dead jobs/);
      const again = await fulcrum("jobs", "retry", jobs[0]!.id);
      assert.equal(again.code, 1);
      const replay = await fulcrum("events", "replay", String(okId));
      assert.match(replay.stdout, new RegExp(`event ${okId} queued again as job [0-9a-f-]{36}`));
      const queued = await fulcrum("jobs", "list", "--queue", "inbox.process", "--state", "created", "--json");
      assert.equal((JSON.parse(queued.stdout) as unknown[]).length, 2);
    });

    it("refuses bad ids and unknown events with a clear message", async () => {
      const badId = await fulcrum("events", "show", "abc");
      assert.equal(badId.code, 2);
      assert.match(badId.stderr, /"abc" is not an event id/);
      const missing = await fulcrum("events", "replay", "999999");
      assert.equal(missing.code, 1);
      assert.match(missing.stderr, /no event 999999/);
      const badJob = await fulcrum("jobs", "retry", "not-a-uuid");
      assert.equal(badJob.code, 2);
      assert.match(badJob.stderr, /is not a job id/);
      const badState = await fulcrum("events", "list", "--status", "done");
      assert.match(badState.stderr, /--status "done" is not one of/);
    });

    it("documents every command in --help", async () => {
      for (const args of [
        ["events", "--help"],
        ["events", "list", "--help"],
        ["events", "replay", "--help"],
        ["jobs", "dead", "--help"],
        ["jobs", "retry", "--help"],
        ["serve", "--help"],
      ]) {
        const help = await fulcrum(...args);
        assert.equal(help.code, 0);
        assert.match(help.stdout, /Usage: fulcrum/);
      }
    });

    if (engine.kind === "pglite") {
      it("refuses to open the embedded database while fulcrum serve holds it", async () => {
        // This test process stands in for a running server: its pid is alive.
        writeFileSync(join(dataDir, "serve.pid"), `${process.pid}\n`);
        try {
          const res = await run(process.execPath, [MAIN, "events", "list"], { env }).then(
            () => ({ code: 0, stderr: "" }),
            (e: { code: number; stderr: string }) => e,
          );
          assert.equal(res.code, 75);
          assert.match(res.stderr, new RegExp(`^fulcrum: fulcrum serve \\(pid ${process.pid}\\) is using the embedded database`));
          assert.doesNotMatch(res.stderr, /\n\s+at /, "a message, not a stack trace");
        } finally {
          rmSync(join(dataDir, "serve.pid"));
        }
      });
    }
  });
}
