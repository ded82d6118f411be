/**
 * bench:lever — fetching opportunities one by one (as enrichment does) through one Lever connection,
 * against the Lever sandbox with Lever's real rate limit (10 requests/s, bursts of 20):
 *
 *   1. one process, the client's in-memory token bucket;
 *   2. two worker processes sharing the connection's bucket through a PostgreSQL database.
 *
 * Each phase prints the sustained rate after the burst beside the allowed 10 requests/s (the
 * baseline; target ≥ 95%) and the number of 429 answers (target 0).
 *
 * Usage: npm run bench:lever [-- --count N]   (default 1000 requests per phase, ~100 s each)
 */
import { fork } from "node:child_process";
import { parseArgs } from "node:util";
import { createLeverClient, LEVER_BURST, LEVER_RATE_LIMITS, LEVER_RATE_PER_SECOND, type RateLimiter } from "../src/lever/index.ts";
import { startSandbox } from "../src/sandbox/index.ts";
import { openDatabase } from "../src/store/database.ts";
import { createDatabaseRateLimiter } from "../src/store/lever-rate-limit.ts";
import { migrate } from "../src/store/migrate.ts";
import { createPostgresDatabase } from "../src/store/testing.ts";

interface WorkerJob {
  baseUrl: string;
  apiKey: string;
  databaseUrl: string;
  connectionId: string;
  ids: string[];
}

interface FetchResult {
  /** Completion time of each request (ms since the epoch, this machine's clock). */
  doneAt: number[];
  rateLimited: number;
  calls: number;
}

/** Fetches `ids` one at a time, counting every HTTP answer (429s included, even if retried). */
async function fetchOneByOne(job: Omit<WorkerJob, "databaseUrl">, rateLimiter?: RateLimiter): Promise<FetchResult> {
  let rateLimited = 0;
  let calls = 0;
  const countingFetch: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    calls++;
    if (response.status === 429) rateLimited++;
    return response;
  };
  const client = createLeverClient({
    baseUrl: job.baseUrl,
    auth: { kind: "apiKey", apiKey: job.apiKey },
    connectionId: job.connectionId,
    rateLimiter,
    fetch: countingFetch,
  });
  const doneAt: number[] = [];
  for (const id of job.ids) {
    await client.getOpportunity(id);
    doneAt.push(Date.now());
  }
  return { doneAt, rateLimited, calls };
}

/** Sustained rate after the burst: requests beyond the burst over the time from the burst's end. */
function summarise(label: string, startedAt: number, results: FetchResult[]): { ratio: number; rateLimited: number } {
  const done = results.flatMap((r) => r.doneAt).sort((a, b) => a - b);
  const rateLimited = results.reduce((n, r) => n + r.rateLimited, 0);
  const calls = results.reduce((n, r) => n + r.calls, 0);
  // The steady state starts once the burst and what refilled while it was spent are used up: count
  // from the first completion at least burst ÷ rate (2 s) after the start, to the last.
  const from = done.findIndex((t) => t >= startedAt + (LEVER_BURST / LEVER_RATE_PER_SECOND) * 1000);
  const last = done.at(-1)!;
  const sustained = (done.length - 1 - from) / ((last - done[from]!) / 1000);
  const ratio = sustained / LEVER_RATE_PER_SECOND;
  console.log(
    `${label.padEnd(44)} ${String(done.length).padStart(5)} fetched in ${((last - startedAt) / 1000).toFixed(1).padStart(6)} s | ` +
      `after the burst ${sustained.toFixed(2)} req/s vs allowed ${LEVER_RATE_PER_SECOND} req/s = ${(ratio * 100).toFixed(1)}% | ` +
      `429s: ${rateLimited} | HTTP calls: ${calls}`,
  );
  return { ratio, rateLimited };
}

async function runWorker(): Promise<void> {
  const job = await new Promise<WorkerJob>((resolve) => process.once("message", (m) => resolve(m as WorkerJob)));
  const db = await openDatabase({ url: job.databaseUrl, poolSize: 2 });
  const limiter = createDatabaseRateLimiter(db, LEVER_RATE_LIMITS);
  process.send?.({ ready: true });
  await new Promise<void>((resolve) => process.once("message", () => resolve()));
  const result = await fetchOneByOne(job, limiter);
  process.send?.({ result });
  await db.close();
  process.disconnect?.();
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { count: { type: "string", default: "1000" } } });
  const count = Number(values.count);
  if (!Number.isInteger(count) || count <= LEVER_BURST) throw new Error(`--count must be an integer above ${LEVER_BURST}, got ${values.count}`);

  const sandbox = await startSandbox({ seed: 1, rateLimit: true });
  const pg = await createPostgresDatabase();
  try {
    const oppIds = [...sandbox.state.opportunities.keys()];
    // The demo org has ~66 opportunities: the 1,000 fetches cycle through them (the rate limit, not
    // the data, is what is measured).
    const ids = Array.from({ length: count }, (_, i) => oppIds[i % oppIds.length]!);
    console.log(
      `bench:lever — ${count} GET /opportunities/:id per phase against the sandbox at Lever's limit (${LEVER_RATE_PER_SECOND}/s, burst ${LEVER_BURST})`,
    );

    // Phase 1: one process, in-memory bucket. setRateLimit resets the sandbox's bucket to full.
    sandbox.setRateLimit(true);
    let started = Date.now();
    const single = await fetchOneByOne({ baseUrl: sandbox.url, apiKey: sandbox.apiKey, connectionId: "bench", ids });
    const one = summarise("one process (in-memory bucket)", started, [single]);

    // Phase 2: two worker processes, one bucket in PostgreSQL.
    const db = await openDatabase({ url: pg.url, poolSize: 2 });
    await migrate(db);
    await db.close();
    sandbox.setRateLimit(true);
    const halves = [ids.filter((_, i) => i % 2 === 0), ids.filter((_, i) => i % 2 === 1)];
    const workers = halves.map(() => fork(import.meta.filename, ["--worker"], { stdio: ["ignore", "inherit", "inherit", "ipc"] }));
    const ready = workers.map((w) => new Promise<void>((resolve) => w.once("message", () => resolve())));
    workers.forEach((w, i) =>
      w.send({ baseUrl: sandbox.url, apiKey: sandbox.apiKey, databaseUrl: pg.url, connectionId: "bench-shared", ids: halves[i]! } satisfies WorkerJob),
    );
    await Promise.all(ready);
    const results = workers.map(
      (w) =>
        new Promise<FetchResult>((resolve, reject) => {
          w.once("message", (m) => resolve((m as { result: FetchResult }).result));
          w.once("exit", (code) => (code ? reject(new Error(`worker exited with ${code}`)) : undefined));
        }),
    );
    started = Date.now();
    for (const w of workers) w.send({ go: true });
    const two = summarise("two processes (bucket shared in PostgreSQL)", started, await Promise.all(results));

    const pass = (r: { ratio: number; rateLimited: number }) => (r.ratio >= 0.95 && r.rateLimited === 0 ? "met" : "MISSED");
    console.log(`targets (≥ 95% of allowed, 0 × 429): one process ${pass(one)}, two processes ${pass(two)}`);
  } finally {
    await sandbox.close();
    await pg.drop();
  }
}

if (process.argv.includes("--worker")) await runWorker();
else await main();
