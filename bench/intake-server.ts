/**
 * The server side of `bench:intake`, run as a child process so the load generator does not share
 * its event loop: `bare` is a plain node:http server that reads the body and answers 200;
 * `pglite` and `postgres` are Fulcrum's real intake (Hono app, signature check, group-committed
 * inbox row + job) on the embedded database (on disk) or a PostgreSQL server.
 * Prints `READY <port>` when listening.
 */
import { createServer, type Server } from "node:http";
import { createInterface } from "node:readline";
import type { AddressInfo } from "node:net";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve } from "@hono/node-server";
import { loadConfig } from "../src/config/index.ts";
import { silentLogger } from "../src/observability/index.ts";
import { migrate, openDatabase } from "../src/store/index.ts";
import { createJobQueue } from "../src/engine/queue/index.ts";
import { createInbox } from "../src/engine/inbox/index.ts";
import { createMemoryConnectionDirectory } from "../src/engine/sources/index.ts";
import { createApp } from "../src/server/app.ts";

export const BENCH_SIGNATURE_TOKEN = "bench-intake-signature-token";

const mode = process.argv[2];
let cleanup = async () => {};
/** Rows in the inbox and the group-commit transactions that wrote them. */
let stats = async (): Promise<{ rows: number; batches: number } | null> => null;
let server: Server;

if (mode === "bare") {
  server = createServer((req, res) => {
    req.on("data", () => {});
    req.on("end", () => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end('{"status":"ok"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
} else if (mode === "pglite" || mode === "postgres") {
  const dataDir = mkdtempSync(join(tmpdir(), "fulcrum-bench-"));
  const db = await openDatabase(
    mode === "postgres"
      ? { url: process.argv[3], poolSize: 10 }
      : { dataDir: join(dataDir, "db"), pgliteThread: process.env.BENCH_PGLITE_THREAD === "main" ? "main" : "worker" },
  );
  await migrate(db);
  const queue = createJobQueue({ db, logger: silentLogger });
  await queue.start();
  // Group-commit settings can be overridden for experiments (defaults: the inbox's own).
  const tuning = (name: string) => (process.env[name] ? { [name]: Number(process.env[name]) } : {});
  const {
    BENCH_MAX_BATCH: maxBatch,
    BENCH_MAX_IN_FLIGHT: maxInFlight,
    BENCH_LINGER_MS: lingerMs,
  } = {
    ...tuning("BENCH_MAX_BATCH"),
    ...tuning("BENCH_MAX_IN_FLIGHT"),
    ...tuning("BENCH_LINGER_MS"),
  } as Record<string, number | undefined>;
  const inbox = createInbox({
    db,
    queue,
    logger: silentLogger,
    ...(maxBatch !== undefined ? { maxBatch } : {}),
    ...(maxInFlight !== undefined ? { maxInFlight } : {}),
    ...(lingerMs !== undefined ? { lingerMs } : {}),
  });
  await inbox.start();
  const config = loadConfig({ PORT: "0" });
  const connections = createMemoryConnectionDirectory({ default: { "*": BENCH_SIGNATURE_TOKEN } });
  const app = createApp({ config, db, logger: silentLogger, queue, inbox, connections });
  server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s as Server));
  });
  stats = async () => {
    // Each group commit is one transaction, so distinct xmin values count the batches.
    const { rows } = await db.query<{ n: number; batches: number }>("select count(*)::int as n, count(distinct xmin::text)::int as batches from inbox_events");
    return { rows: rows[0]!.n, batches: rows[0]!.batches };
  };
  cleanup = async () => {
    const counts = (await stats())!;
    process.stdout.write(`STORED ${counts.rows}\nBATCHES ${counts.batches}\n`);
    await queue.stop({ graceful: false, timeoutMs: 1000 });
    await db.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
} else {
  throw new Error(`usage: intake-server.ts bare|pglite|postgres [url]`);
}

process.stdout.write(`READY ${(server.address() as AddressInfo).port}\n`);
// The bench asks for counts between phases ("STATS") and ends the server by closing stdin.
createInterface({ input: process.stdin }).on("line", async (line) => {
  if (line !== "STATS") return;
  const counts = await stats();
  process.stdout.write(counts ? `STATS ${counts.rows} ${counts.batches}\n` : "STATS\n");
});
process.stdin.on("end", async () => {
  server.close();
  server.closeAllConnections();
  await cleanup();
  process.exit(0);
});
