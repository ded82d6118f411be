/**
 * `npm run bench:intake`: signed Lever webhooks from 50 concurrent keep-alive connections against
 * Fulcrum's intake (stored durably — inbox row and job — before each 200) on the embedded
 * database and on PostgreSQL, each beside a bare node:http server that only reads the body and
 * answers 200, measured in the same run. Prints requests/s, the ratio to bare, and p50/p99 ack
 * latency. Targets (issue 2): PostgreSQL ≥ 50 % of bare, embedded ≥ 25 %, p99 ≤ 20 ms.
 *
 * Two measurements per server: saturation (50 connections each sending its next request as soon
 * as the previous is answered: requests/s, and latencies that by Little's law are ≈ 50 / rate),
 * and ack latency at a fixed offered rate (BENCH_RATE, default 250 req/s, over the same 50
 * connections), which is what a sender below saturation sees.
 *
 * The machine's other load moves both figures, so bare and Fulcrum run side by side and the load
 * alternates between them (BENCH_ROUNDS rounds); medians are shown.
 *
 * Options (environment): BENCH_SECONDS (per phase, default 3), BENCH_ROUNDS (default 3),
 * BENCH_CONNECTIONS (default 50), BENCH_RATE (default 250), BENCH_ONLY (`embedded` or `postgres`).
 * The server children also take BENCH_MAX_BATCH, BENCH_MAX_IN_FLIGHT and BENCH_LINGER_MS to try
 * other group-commit settings than the inbox's defaults, and BENCH_PGLITE_THREAD=main to run the
 * embedded database on the server's main thread instead of its own.
 *
 * Where /proc exists (Linux), a second table says where the CPU went during the saturated
 * phases: CPU milliseconds per request of the server process, of this load generator, and of the
 * PostgreSQL backends serving the bench's database, and events per group-commit transaction. The
 * three share the machine's cores, so their sum bounds what any server can reach on it.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { Agent, request } from "node:http";
import { randomBytes } from "node:crypto";
import { createInterface } from "node:readline";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { signLeverWebhook } from "../src/lever/index.ts";
import { createPostgresDatabase, postgresAvailable } from "../src/store/testing.ts";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const RATE = Number(process.env.BENCH_RATE ?? 250);
/** `embedded` or `postgres` to run only that engine's comparison. */
const ONLY = process.env.BENCH_ONLY;
const WARMUP_SECONDS = 1;
const TOKEN = "bench-intake-signature-token";

interface Phase {
  name: string;
  requests: number;
  errors: number;
  perSecond: number;
  p50: number;
  p99: number;
  /** Ack latency at the fixed offered rate. */
  rateP50: number;
  rateP99: number;
  stored?: number;
  /** CPU ms per request while saturated (Linux only): server process, load generator, PostgreSQL backends. */
  cpu?: { server: number; loadGenerator: number; postgres: number | null };
  /** Events per group-commit transaction while saturated. */
  perBatch?: number;
}

type Saturated = Omit<Phase, "rateP50" | "rateP99">;

const PROC = existsSync("/proc/self/stat");
/** Clock ticks per second of /proc's CPU times (USER_HZ; 100 on Linux). */
const TICK_MS = 10;

/** CPU time (ms) of a process, from /proc; 0 once it is gone. */
function processCpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return 0;
  }
}

/** CPU time (ms) by pid of the PostgreSQL backends connected to `database`. */
function postgresCpuMs(database: string): Map<number, number> {
  const out = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // A backend's title: "postgres: <cluster>: <user> <database> <client> <state>".
      const title = readFileSync(`/proc/${entry}/cmdline`, "utf8");
      if (title.startsWith("postgres") && title.includes(` ${database} `)) out.set(Number(entry), processCpuMs(Number(entry)));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

interface Server {
  port: number;
  child: ChildProcess;
  stopped: Promise<string[]>;
  /** Rows in the inbox and group-commit transactions that wrote them (Fulcrum servers only). */
  stats(): Promise<{ rows: number; batches: number } | null>;
  /** The PostgreSQL database the server writes to, for CPU accounting. */
  database?: string;
}

async function startServer(mode: string, url?: string): Promise<Server> {
  const child = spawn(process.execPath, [join(import.meta.dirname, "intake-server.ts"), mode, ...(url ? [url] : [])], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout! });
  const output: string[] = [];
  let resolvePort: (port: number) => void;
  const port = new Promise<number>((resolve) => (resolvePort = resolve));
  const stopped = new Promise<string[]>((resolve) => child.once("exit", () => resolve(output)));
  let onStats: ((line: string) => void) | undefined;
  lines.on("line", (line) => {
    output.push(line);
    const m = /^READY (\d+)$/.exec(line);
    if (m) resolvePort(Number(m[1]));
    if (line.startsWith("STATS ")) onStats?.(line);
  });
  child.once("exit", (code) => {
    if (code !== 0) process.stderr.write(`bench server ${mode} exited with ${code}\n`);
  });
  const stats = async () => {
    if (mode === "bare") return null;
    const line = await new Promise<string>((resolve) => {
      onStats = resolve;
      child.stdin!.write("STATS\n");
    });
    const [, rows, batches] = line.split(" ").map(Number);
    return { rows: rows!, batches: batches! };
  };
  return { port: await port, child, stopped, stats, ...(url ? { database: new URL(url).pathname.slice(1) } : {}) };
}

function body(): string {
  const triggeredAt = Date.now();
  const token = randomBytes(24).toString("hex");
  return JSON.stringify({
    id: randomBytes(16).toString("hex"),
    event: "candidateStageChange",
    triggeredAt,
    token,
    signature: signLeverWebhook(token, triggeredAt, TOKEN),
    data: {
      opportunityId: randomBytes(16).toString("hex"),
      candidateId: randomBytes(16).toString("hex"),
      contactId: randomBytes(16).toString("hex"),
      fromStageId: "applicant-new",
      toStageId: "c7a9f0c4-2b51-4a8e-9d7e-3f1b2c4d5e6f",
    },
  });
}

function post(agent: Agent, port: number, payload: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: "127.0.0.1",
        port,
        path: "/webhooks/lever",
        method: "POST",
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(payload) },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

/** Sends RATE requests/s on a fixed schedule (open loop) and returns the sorted ack latencies. */
async function fixedRate(port: number): Promise<{ latencies: number[]; errors: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  const total = RATE * SECONDS;
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const payload = body();
    // Measured from when the request was due, so a stalled server cannot hide its queue.
    inFlight.push(
      post(agent, port, payload).then(
        (status) => {
          if (status === 200) latencies.push(performance.now() - due);
          else errors++;
        },
        () => void errors++,
      ),
    );
  }
  await Promise.all(inFlight);
  agent.destroy();
  return { latencies: latencies.sort((a, b) => a - b), errors };
}

async function load(name: string, server: Server): Promise<Saturated> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const latencies: number[] = [];
  let errors = 0;
  let measuring = false;
  const statsAtStart = await server.stats();
  const warmupEnds = Date.now() + WARMUP_SECONDS * 1000;
  const ends = warmupEnds + SECONDS * 1000;
  // Batches are counted over the whole phase (a count query while measuring would stall the
  // embedded server); CPU from the end of the warm-up to the end of the phase.
  let cpuAtStart: { server: number; self: NodeJS.CpuUsage; postgres: Map<number, number> } | undefined;
  setTimeout(() => {
    measuring = true;
    if (PROC)
      cpuAtStart = {
        server: processCpuMs(server.child.pid!),
        self: process.cpuUsage(),
        postgres: server.database ? postgresCpuMs(server.database) : new Map(),
      };
  }, WARMUP_SECONDS * 1000);
  async function loop(): Promise<void> {
    while (Date.now() < ends) {
      const payload = body();
      const started = performance.now();
      const status = await post(agent, port, payload).catch(() => 0);
      const took = performance.now() - started;
      if (!measuring) continue;
      if (status === 200) latencies.push(took);
      else errors++;
    }
  }
  const port = server.port;
  await Promise.all(Array.from({ length: CONNECTIONS }, loop));
  let cpu: Phase["cpu"];
  if (cpuAtStart && latencies.length > 0) {
    const self = process.cpuUsage(cpuAtStart.self);
    let postgres: number | null = null;
    if (server.database) {
      postgres = 0;
      // Backends opened during the phase count from zero.
      for (const [pid, ms] of postgresCpuMs(server.database)) postgres += ms - (cpuAtStart.postgres.get(pid) ?? 0);
    }
    const n = latencies.length + errors;
    cpu = {
      server: (processCpuMs(server.child.pid!) - cpuAtStart.server) / n,
      loadGenerator: (self.user + self.system) / 1000 / n,
      postgres: postgres === null ? null : postgres / n,
    };
  }
  agent.destroy();
  const [before, after] = [statsAtStart, await server.stats()];
  latencies.sort((a, b) => a - b);
  return {
    name,
    requests: latencies.length,
    errors,
    perSecond: latencies.length / SECONDS,
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
    ...(cpu ? { cpu } : {}),
    ...(before && after && after.batches > before.batches ? { perBatch: (after.rows - before.rows) / (after.batches - before.batches) } : {}),
  };
}

/**
 * Bare and Fulcrum servers run side by side; load alternates between them for ROUNDS rounds so
 * that drift in the machine's other load hits both alike. Each figure is the median over rounds,
 * and the ratio is the median of the rounds' paired ratios.
 */
async function compare(name: string, mode: string, url?: string): Promise<{ bare: Phase; fulcrum: Phase; ratio: number }> {
  const bareServer = await startServer("bare");
  const server = await startServer(mode, url);
  const bareRuns: Saturated[] = [];
  const runs: Saturated[] = [];
  const ratios: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const b = await load("bare node:http", bareServer);
    const f = await load(name, server);
    bareRuns.push(b);
    runs.push(f);
    ratios.push(f.perSecond / b.perSecond);
  }
  const bareRated = await fixedRate(bareServer.port);
  const rated = await fixedRate(server.port);
  bareServer.child.stdin!.end();
  server.child.stdin!.end();
  await bareServer.stopped;
  const output = await server.stopped;
  const stored = output.map((l) => /^STORED (\d+)$/.exec(l)?.[1]).find(Boolean);
  const summarise = (label: string, list: Saturated[], r: { latencies: number[]; errors: number }): Phase => {
    const cpuRuns = list.flatMap((x) => (x.cpu ? [x.cpu] : []));
    const postgres = cpuRuns.flatMap((c) => (c.postgres === null ? [] : [c.postgres]));
    const perBatch = list.flatMap((x) => (x.perBatch ? [x.perBatch] : []));
    return {
      name: label,
      requests: list.reduce((n, x) => n + x.requests, 0),
      errors: list.reduce((n, x) => n + x.errors, 0) + r.errors,
      perSecond: median(list.map((x) => x.perSecond)),
      p50: median(list.map((x) => x.p50)),
      p99: median(list.map((x) => x.p99)),
      rateP50: quantile(r.latencies, 0.5),
      rateP99: quantile(r.latencies, 0.99),
      ...(cpuRuns.length
        ? {
            cpu: {
              server: median(cpuRuns.map((c) => c.server)),
              loadGenerator: median(cpuRuns.map((c) => c.loadGenerator)),
              postgres: postgres.length ? median(postgres) : null,
            },
          }
        : {}),
      ...(perBatch.length ? { perBatch: median(perBatch) } : {}),
    };
  };
  const fulcrum = summarise(name, runs, rated);
  return {
    bare: summarise(`bare node:http (beside ${mode === "pglite" ? "embedded" : "PostgreSQL"})`, bareRuns, bareRated),
    fulcrum: stored ? { ...fulcrum, stored: Number(stored) } : fulcrum,
    ratio: median(ratios),
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function row(p: Phase, ratio: number | null, target?: { ratio: number }): string {
  const checks: string[] = [];
  if (target && ratio !== null) {
    checks.push(ratio >= target.ratio ? `ratio ≥ ${target.ratio * 100}% ✓` : `ratio < ${target.ratio * 100}% ✗`);
    checks.push(p.rateP99 <= 20 ? `p99 at ${RATE}/s ≤ 20 ms ✓` : `p99 at ${RATE}/s > 20 ms ✗`);
  }
  return `| ${p.name} | ${p.perSecond.toFixed(0)} | ${ratio !== null ? `${(ratio * 100).toFixed(0)}%` : "—"} | ${p.p50.toFixed(1)} / ${p.p99.toFixed(1)} | ${p.rateP50.toFixed(1)} / ${p.rateP99.toFixed(1)} | ${p.errors} | ${p.stored ?? "—"} | ${checks.join(", ")} |`;
}

const cpus = (await import("node:os")).availableParallelism();
const load1 = (await import("node:os")).loadavg()[0]!.toFixed(1);
process.stdout.write(
  `bench:intake — ${CONNECTIONS} connections; ${ROUNDS} alternating rounds of ${SECONDS} s saturated (after ${WARMUP_SECONDS} s warm-up) per server, medians shown; then ${SECONDS} s at ${RATE} req/s; ${cpus} CPUs (load average ${load1} at start), Node ${process.version}\n\n`,
);
process.stdout.write(
  `| server | req/s (saturated) | of bare | p50 / p99 ms saturated | p50 / p99 ms at ${RATE}/s | errors | stored | targets |\n|---|---|---|---|---|---|---|---|\n`,
);

const measured: Phase[] = [];
if (ONLY !== "postgres") {
  const embedded = await compare("Fulcrum intake, embedded (PGlite on disk)", "pglite");
  process.stdout.write(row(embedded.bare, null) + "\n");
  process.stdout.write(row(embedded.fulcrum, embedded.ratio, { ratio: 0.25 }) + "\n");
  measured.push(embedded.bare, embedded.fulcrum);
}
if (ONLY === "embedded") {
  // PostgreSQL not asked for.
} else if (await postgresAvailable()) {
  const pgDb = await createPostgresDatabase();
  try {
    const pg = await compare("Fulcrum intake, PostgreSQL", "postgres", pgDb.url);
    process.stdout.write(row(pg.bare, null) + "\n");
    process.stdout.write(row(pg.fulcrum, pg.ratio, { ratio: 0.5 }) + "\n");
    measured.push(pg.bare, pg.fulcrum);
  } finally {
    await pgDb.drop();
  }
} else {
  process.stdout.write("| Fulcrum intake, PostgreSQL | skipped: no server at 127.0.0.1:5432 (set FULCRUM_TEST_POSTGRES_URL) |\n");
}

if (measured.some((p) => p.cpu)) {
  const ms = (v: number | null | undefined) => (v === null || v === undefined ? "—" : v.toFixed(3));
  process.stdout.write(
    `\nCPU while saturated, ms per request (medians over rounds; the three share ${cpus} CPUs, so 1000 × ${cpus} / their sum bounds req/s on this machine):\n\n` +
      "| server | server process | load generator | PostgreSQL backends | sum | bound req/s | events per transaction |\n|---|---|---|---|---|---|---|\n",
  );
  for (const p of measured) {
    if (!p.cpu) continue;
    const sum = p.cpu.server + p.cpu.loadGenerator + (p.cpu.postgres ?? 0);
    process.stdout.write(
      `| ${p.name} | ${ms(p.cpu.server)} | ${ms(p.cpu.loadGenerator)} | ${ms(p.cpu.postgres)} | ${ms(sum)} | ${((1000 * cpus) / sum).toFixed(0)} | ${p.perBatch ? p.perBatch.toFixed(1) : "—"} |\n`,
    );
  }
}
