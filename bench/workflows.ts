/**
 * `npm run bench:workflows`: the application-screening workflow with the local engines against the
 * Lever sandbox (zero latency, no rate limit), on the embedded database.
 *
 * Prints, each beside a baseline measured in the same run:
 *   - screening runs per second through the engine (runs, steps, proposals, audit records, Lever
 *     writes with idempotency keys), sequential and 8 at once;
 *   - p50 / p99 of the engine's overhead per run (wall time minus the time inside Lever calls and
 *     inside the screening code), beside the raw cost of the same Lever calls made directly;
 *   - the number of Lever calls per screening run, by endpoint;
 *   - the SQL statements and transactions a run sends, and the CPU time of this process per run
 *     (everything on PGlite, which runs inside it; the client side only on a PostgreSQL server).
 *
 * Each database is measured in a process of its own, so one phase's heap and JIT state never weigh
 * on the next. The Lever sandbox runs in that process too: measured, a sandbox in a process of its
 * own made every run slower on this machine (each call then wakes two processes instead of one).
 *
 * `BENCH_RUNS` (default 300) sets the runs per phase. `BENCH_ENGINES` (default `pglite,postgres`)
 * picks the databases: `pglite` is the embedded database on its own thread (the default way
 * Fulcrum opens it), `pglite-main` the same on the engine's thread, `postgres` the server.
 */
import { randomBytes } from "node:crypto";
import { fork } from "node:child_process";
import { startBenchSandbox } from "./workflows-sandbox.ts";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { silentLogger } from "../src/observability/index.ts";
import { migrate, openDatabase, type Database, type Queryable } from "../src/store/index.ts";
import { createPostgresDatabase, postgresAvailable } from "../src/store/testing.ts";
import { createLeverClient } from "../src/lever/index.ts";
import { createAi, DEFAULT_AI_CONFIG } from "../src/ai/index.ts";
import { createAuditTrail } from "../src/governance/index.ts";
import { WorkflowSet } from "../src/engine/workflows/index.ts";
import { createInlineDispatcher, createWorkflowEngine, type TaskHandler } from "../src/engine/runs/index.ts";
import { aiStepRunner } from "../src/engine/runs/runtime.ts";
import { leverGateway } from "../src/engine/steps/index.ts";
import { builtInTasks, readResumeWithScreening } from "../src/engine/steps/tasks/index.ts";

const RUNS = Number(process.env.BENCH_RUNS ?? 300);
const CONCURRENCY = 8;
const ENGINES = (process.env.BENCH_ENGINES ?? "pglite,postgres").split(",");
const PHASE = process.env.BENCH_PHASE;

if (!PHASE) {
  // The orchestrator: one child process per database, one after the other.
  let first = true;
  for (const engine of ENGINES) {
    if (engine === "postgres" && !(await postgresAvailable())) {
      console.log("PostgreSQL: skipped (no server answered)");
      continue;
    }
    if (!first) console.log("");
    first = false;
    const child = fork(new URL(import.meta.url), [], { env: { ...process.env, BENCH_PHASE: engine }, stdio: "inherit" });
    const [code] = (await once(child, "exit")) as [number | null];
    if (code !== 0) process.exit(code ?? 1);
  }
  process.exit(0);
}

/** Counts the statements and transactions sent through `db` (while `sql.on`). */
const sql = { on: false, statements: 0, transactions: 0, trace: process.env.BENCH_TRACE_SQL === "1" };
function counted(db: Database): Database {
  const wrap = (q: Queryable): Queryable => ({
    query: (text, params) => {
      if (sql.on) sql.statements++;
      if (sql.on && sql.trace) console.log(`SQL ${q === db ? "  " : "tx"} ${text.replace(/\s+/g, " ").slice(0, 140)}`);
      return q.query(text, params);
    },
  });
  return Object.assign(Object.create(db) as Database, {
    query: wrap(db).query,
    transaction: <T>(fn: (tx: Queryable) => Promise<T>) => {
      if (sql.on) sql.transactions++;
      if (sql.on && sql.trace) console.log("SQL begin … commit");
      return db.transaction((tx) => fn(wrap(tx)));
    },
  });
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
};
const ms = (x: number) => `${x.toFixed(2)} ms`;

// The sandbox, with every application this phase screens made in advance.
const sandbox = await startBenchSandbox(10 + 3 * RUNS);
const performAs = sandbox.performAs;
const applications = sandbox.opportunities[Symbol.iterator]();
const calls = new Map<string, number>();
let leverMs = 0;
let counting = true;
const timedFetch: typeof fetch = async (input, init) => {
  const t0 = performance.now();
  try {
    return await fetch(input, init);
  } finally {
    leverMs += performance.now() - t0;
    if (counting) {
      const u = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
      const path = u.pathname.replace(/^\/v1/, "").replace(/[0-9a-f-]{36}/g, ":id");
      const key = `${init?.method ?? "GET"} ${path}`;
      calls.set(key, (calls.get(key) ?? 0) + 1);
    }
  }
};
// The sandbox runs without its rate limit here, so the client does not pace itself either: this
// measures the engine, not Lever's 10 requests/s.
const noLimit = { take: async () => {} };
let client = newClient();
function newClient() {
  return createLeverClient({
    baseUrl: sandbox.url,
    auth: { kind: "apiKey", apiKey: sandbox.apiKey },
    connectionId: "bench",
    performAs,
    fetch: timedFetch,
    maxRetries: 0,
    rateLimiter: noLimit,
  });
}

function newApplication(): string {
  const next = applications.next();
  if (next.done) throw new Error("the sandbox made too few applications for this phase");
  return next.value;
}

let round = 0;
async function measure(plainDb: Database, label: string): Promise<void> {
  round++;
  const db = counted(plainDb);
  leverMs = 0;
  // A fresh client per database: its write ledger must not remember the other database's run keys.
  client = newClient();
  counting = true;
  calls.clear();
  const workflows = new WorkflowSet();
  const inline = createInlineDispatcher(db);
  let taskMs = 0;
  const tasks = builtInTasks();
  const screen = tasks["screening.screen"]!;
  const timedScreen: TaskHandler = async (input) => {
    // The Lever reads the task makes are inside leverMs; only the pure screening work counts here.
    const l0 = leverMs;
    const t0 = performance.now();
    try {
      return await screen(input);
    } finally {
      taskMs += performance.now() - t0 - (leverMs - l0);
    }
  };
  let readMs = 0;
  const timedRead: typeof readResumeWithScreening = async (bytes, file) => {
    const t0 = performance.now();
    try {
      return await readResumeWithScreening(bytes, file);
    } finally {
      readMs += performance.now() - t0;
    }
  };
  const engine = createWorkflowEngine({
    db,
    workflows,
    lever: () => leverGateway(client),
    dispatcher: inline.dispatcher,
    modeCeiling: "auto",
    ai: aiStepRunner(createAi({ config: { ai: DEFAULT_AI_CONFIG }, logger: silentLogger })),
    tasks: { ...tasks, "screening.screen": timedScreen },
    readResume: timedRead,
    audit: createAuditTrail(db),
    isSandboxConnection: () => true,
    logger: silentLogger,
  });

  function eventFor(opportunityId: string, i: number) {
    return {
      key: `bench:${i}:${opportunityId}`,
      connectionId: "bench",
      source: "lever" as const,
      name: "applicationCreated",
      triggeredAt: Date.now(),
      data: { opportunityId },
      traceId: randomBytes(16).toString("hex"),
    };
  }

  // Warm-up (JIT, prepared statements, taxonomy load).
  for (let i = 0; i < 10; i++) {
    await engine.handleEvent(eventFor(newApplication(), -i - 1 - 1000 * round));
    await inline.drain(engine);
  }

  // Sequential: per-run overhead.
  const opps = Array.from({ length: RUNS }, () => newApplication());
  calls.clear();
  const overhead: number[] = [];
  const leverPerRun: number[] = [];
  Object.assign(sql, { on: true, statements: 0, transactions: 0 });
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (const [i, opp] of opps.entries()) {
    const l0 = leverMs,
      k0 = taskMs,
      r0 = readMs;
    const s = performance.now();
    await engine.handleEvent(eventFor(opp, i));
    await inline.drain(engine);
    const wall = performance.now() - s;
    const lever = leverMs - l0;
    leverPerRun.push(lever);
    overhead.push(wall - lever - (taskMs - k0) - (readMs - r0));
  }
  const seqSeconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuPerRun = (cpu.user + cpu.system) / 1000 / RUNS;
  sql.on = false;
  const callsPerRun = [...calls.values()].reduce((a, b) => a + b, 0) / RUNS;
  const byEndpoint = [...calls.entries()].map(([k, v]) => `${k} ×${(v / RUNS).toFixed(2)}`);
  counting = false;

  // Concurrent: 8 runs at a time, each drained by its own inline dispatcher over the same database.
  const engines = Array.from({ length: CONCURRENCY }, () => {
    const d = createInlineDispatcher(db);
    const e = createWorkflowEngine({
      db,
      workflows,
      lever: () => leverGateway(client),
      dispatcher: d.dispatcher,
      modeCeiling: "auto",
      tasks,
      readResume: readResumeWithScreening,
      ai: aiStepRunner(createAi({ config: { ai: DEFAULT_AI_CONFIG }, logger: silentLogger })),
      audit: createAuditTrail(db),
      isSandboxConnection: () => true,
      logger: silentLogger,
    });
    return { e, d };
  });
  const opps2 = Array.from({ length: RUNS }, () => newApplication());
  calls.clear();
  counting = false;
  const t1 = performance.now();
  let next = 0;
  await Promise.all(
    engines.map(async ({ e, d }) => {
      for (;;) {
        const i = next++;
        if (i >= opps2.length) return;
        await e.handleEvent(eventFor(opps2[i]!, RUNS + i));
        await d.drain(e);
      }
    }),
  );
  const concSeconds = (performance.now() - t1) / 1000;

  // Baseline: the same Lever calls made directly, and the same screening code, with no engine.
  const opps3 = Array.from({ length: RUNS }, () => newApplication());
  const direct: number[] = [];
  const t2 = performance.now();
  for (const [i, opp] of opps3.entries()) {
    const s = performance.now();
    const o = await client.getOpportunity(opp, { expand: ["applications", "stage"] });
    const app = o.applications?.[0] as { posting?: string | { id: string } } | undefined;
    const pid = typeof app?.posting === "string" ? app.posting : app?.posting?.id;
    await client.getPosting(pid!);
    const resumes = await client.listResumes(opp).toArray();
    await client.downloadResume(opp, resumes[0]!.id);
    await client.addNote(opp, { value: "bench note", secret: true }, { key: `direct:${i}:note` });
    await client.addTags(opp, ["fulcrum-screen-bench"], { key: `direct:${i}:tags` });
    direct.push(performance.now() - s);
  }
  const directSeconds = (performance.now() - t2) / 1000;

  const { rows } = await db.query<{ status: string; n: number }>("select status, count(*)::int as n from workflow_runs group by status");
  const proposals = await db.query<{ status: string; n: number }>("select status, count(*)::int as n from proposals group by status");

  console.log(`bench:workflows — application screening, local engines, Lever sandbox (zero latency), ${label}, ${RUNS} runs per phase`);
  console.log("");
  console.log(
    `runs/s, sequential                      ${(RUNS / seqSeconds).toFixed(1).padStart(8)}   | same Lever calls made directly, per s ${(RUNS / directSeconds).toFixed(1).padStart(8)}   ratio ${(RUNS / seqSeconds / (RUNS / directSeconds)).toFixed(2)}`,
  );
  console.log(`runs/s, ${CONCURRENCY} at once                         ${(RUNS / concSeconds).toFixed(1).padStart(8)}   | (target ≥ 50 on 2 cores)`);
  console.log(
    `engine overhead per run p50 / p99        ${ms(pct(overhead, 50)).padStart(9)} / ${ms(pct(overhead, 99))}   | raw Lever calls per run p50 / p99 ${ms(pct(direct, 50))} / ${ms(pct(direct, 99))}   ratio p50 ${(pct(overhead, 50) / pct(direct, 50)).toFixed(2)}`,
  );
  console.log(
    `time inside Lever calls per engine run p50 ${ms(pct(leverPerRun, 50))}; resume parsing ${ms(readMs / (RUNS + 10 + RUNS))} and screening ${ms(taskMs / (RUNS + 10))} per run on average`,
  );
  console.log(`Lever calls per screening run           ${callsPerRun.toFixed(2).padStart(8)}   | ${byEndpoint.join(", ")}`);
  console.log(
    `SQL per screening run                    ${(sql.statements / RUNS).toFixed(2).padStart(8)}   | statements (besides begin/commit), in ${(sql.transactions / RUNS).toFixed(2)} transactions`,
  );
  console.log(
    `CPU of this process per run, sequential  ${ms(cpuPerRun).padStart(9)}   | of ${ms((seqSeconds * 1000) / RUNS)} wall (the sandbox, the Lever client and screening included${plainDb.kind === "pglite" ? ", and the embedded database" : ""})`,
  );
  console.log(`runs by status: ${rows.map((r) => `${r.status} ${r.n}`).join(", ")}; proposals: ${proposals.rows.map((r) => `${r.status} ${r.n}`).join(", ")}`);

  workflows.close();
}

if (PHASE === "pglite" || PHASE === "pglite-main") {
  // On disk, as `fulcrum serve` keeps it (a temporary folder, removed after).
  const folder = mkdtempSync(join(tmpdir(), "fulcrum-bench-workflows-"));
  const embedded = await openDatabase({ dataDir: join(folder, "db"), pgliteThread: PHASE === "pglite" ? "worker" : "main" });
  await migrate(embedded);
  await measure(embedded, PHASE === "pglite" ? "embedded PGlite (own thread)" : "embedded PGlite (on the engine's thread)");
  await embedded.close();
  rmSync(folder, { recursive: true, force: true });
} else if (PHASE === "postgres") {
  const created = await createPostgresDatabase();
  const pg = await openDatabase({ url: created.url, poolSize: 10 });
  await migrate(pg);
  await measure(pg, "PostgreSQL server");
  await pg.close();
  await created.drop();
} else {
  throw new Error(`BENCH_ENGINES: unknown database "${PHASE}" (pglite, pglite-main or postgres)`);
}
await sandbox.close();
