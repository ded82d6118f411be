/**
 * Crash safety (issue 2, part 6): a worker process writes one Lever note per inbox event through
 * the Lever client against the sandbox, which injects 5xx errors (before and after carrying out
 * the write) and 429 storms. The worker is killed with SIGKILL in the middle and started again.
 * Afterwards every event is processed and every event has exactly one note: nothing lost,
 * nothing written twice.
 */
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { migrate, openDatabase, type Database } from "../src/store/index.ts";
import { createPostgresDatabase, testEngines } from "../src/store/testing.ts";
import { createJobQueue } from "../src/engine/queue/index.ts";
import { createInbox } from "../src/engine/inbox/index.ts";
import { hasWriteMarker } from "../src/lever/index.ts";
import { startSandbox, type Sandbox } from "../src/sandbox/index.ts";

const EVENTS = 1000;
const WORKER = join(import.meta.dirname, "support", "crash-worker.ts");

interface Worker {
  child: ChildProcess;
  progress: number;
  /** Resolves once the worker's progress reaches `n`. */
  reached(n: number, timeoutMs: number): Promise<void>;
  exited: Promise<number | null>;
}

/** Every worker started, so `after` can kill one a failed test left running. */
const started: ChildProcess[] = [];

function startWorker(env: NodeJS.ProcessEnv): Worker {
  const child = spawn(process.execPath, [WORKER], { env: { ...process.env, ...env, FULCRUM_LOG_LEVEL: "silent" }, stdio: ["ignore", "pipe", "pipe"] });
  started.push(child);
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()).slice(-4000));
  const worker: Worker = {
    child,
    progress: 0,
    reached(n, timeoutMs) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`worker progress stuck at ${worker.progress} of ${n}; stderr: ${stderr}`)), timeoutMs);
        const check = () => {
          if (worker.progress >= n) {
            clearTimeout(timer);
            resolve();
          } else setTimeout(check, 20);
        };
        check();
      });
    },
    exited: new Promise((resolve) => child.once("exit", (code) => resolve(code))),
  };
  createInterface({ input: child.stdout! }).on("line", (line) => {
    const m = /^PROGRESS (\d+)$/.exec(line);
    if (m) worker.progress = Number(m[1]);
  });
  return worker;
}

async function storeEvents(db: Database, sandbox: Sandbox): Promise<void> {
  const queue = createJobQueue({ db, background: false });
  await queue.start();
  const inbox = createInbox({ db, queue, retryLimit: 30, retryDelaySeconds: 1, expireInSeconds: 4 });
  await inbox.start();
  const opportunities = [...sandbox.state.opportunities.keys()];
  const results = await Promise.all(
    Array.from({ length: EVENTS }, (_, i) =>
      inbox.storeEvent({
        connectionId: "default",
        source: "lever",
        event: "candidateStageChange",
        dedupeKey: `crash-${i}`,
        triggeredAt: new Date(),
        payload: { event: "candidateStageChange", data: { opportunityId: opportunities[i % opportunities.length] } },
      }),
    ),
  );
  assert.equal(results.filter((r) => r.status === "stored").length, EVENTS);
  await queue.stop({ graceful: false, timeoutMs: 1000 });
}

for (const engine of await testEngines()) {
  describe(`crash safety on ${engine.kind}`, { skip: engine.skip }, () => {
    let sandbox: Sandbox;
    let storm: NodeJS.Timeout;
    let workerEnv: NodeJS.ProcessEnv;
    let dataDir: string;
    let dropDb: (() => Promise<void>) | undefined;
    const openDb = () => openDatabase(workerEnv.DATABASE_URL ? { url: workerEnv.DATABASE_URL } : { dataDir: workerEnv.WORKER_DATA_DIR! });

    before(async () => {
      sandbox = await startSandbox({ port: 0, seed: 7, candidates: 20, rateLimit: false, faults: { errorRate: 0.05, errorAfterWriteRate: 0.05 } });
      dataDir = mkdtempSync(join(tmpdir(), "fulcrum-crash-"));
      workerEnv = { SANDBOX_URL: sandbox.url, SANDBOX_KEY: sandbox.apiKey };
      if (engine.kind === "postgres") {
        const created = await createPostgresDatabase();
        dropDb = created.drop;
        workerEnv.DATABASE_URL = created.url;
      } else {
        workerEnv.WORKER_DATA_DIR = join(dataDir, "db");
      }
      // The embedded database belongs to one process at a time: this one closes it before the worker starts.
      const db = await openDb();
      await migrate(db);
      await storeEvents(db, sandbox);
      await db.close();
      // 429 storms: 150 ms of nothing but 429s every 700 ms.
      storm = setInterval(() => {
        sandbox.faults.rateLimitStorm = true;
        setTimeout(() => (sandbox.faults.rateLimitStorm = false), 150);
      }, 700);
    });
    after(async () => {
      for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      clearInterval(storm);
      await sandbox?.close();
      await dropDb?.();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it("loses no event and writes no note twice when the worker is killed with SIGKILL mid-way", { timeout: 400_000 }, async () => {
      const first = startWorker(workerEnv);
      await first.reached(EVENTS * 0.25, 150_000);
      first.child.kill("SIGKILL");
      await first.exited;
      const atKill = first.progress;
      assert.ok(atKill < EVENTS, "the worker was killed before it finished");

      const second = startWorker(workerEnv);
      await second.reached(EVENTS, 220_000);
      second.child.kill("SIGTERM");
      await second.exited;

      const db = await openDb();
      try {
        const { rows } = await db.query<{ status: string; n: number }>("select status, count(*)::int as n from inbox_events group by status");
        assert.deepEqual(rows, [{ status: "processed", n: EVENTS }]);
        const { rows: ids } = await db.query<{ id: number }>("select id from inbox_events order by id");
        const notes = [...sandbox.state.notes.values()].filter((n) => n.deletedAt === null);
        const perEvent = new Map<number, number>();
        for (const { id } of ids) perEvent.set(Number(id), 0);
        for (const note of notes) {
          const value = note.fields.map((f) => String(f.value)).join("\n");
          const id = Number(/Fulcrum processed event (\d+)/.exec(value)?.[1]);
          if (perEvent.has(id) && hasWriteMarker(value, `crash-test/event-${id}`)) perEvent.set(id, perEvent.get(id)! + 1);
        }
        const missing = [...perEvent].filter(([, n]) => n === 0).map(([id]) => id);
        const doubled = [...perEvent].filter(([, n]) => n > 1).map(([id]) => id);
        assert.deepEqual(missing, [], "events without their note");
        assert.deepEqual(doubled, [], "events whose note was written twice");
      } finally {
        await db.close();
      }
      assert.ok(sandbox.faultCounts.error > 0, "5xx errors were injected");
      assert.ok(sandbox.faultCounts.errorAfterWrite > 0, "writes answered with 5xx after being carried out were injected");
      assert.ok(sandbox.faultCounts.rateLimit > 0, "429s were injected");
    });
  });
}
