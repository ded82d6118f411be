/**
 * The worker process of the crash-safety test: processes inbox events by writing one note per
 * event into the Lever sandbox through the Lever client (idempotency key per event, database write
 * ledger), and prints `PROGRESS <processed events>` every 100 ms. The test kills it with SIGKILL
 * in the middle and starts it again.
 *
 * Environment: DATABASE_URL (PostgreSQL) or WORKER_DATA_DIR (PGlite folder), SANDBOX_URL, SANDBOX_KEY.
 */
import { openDatabase } from "../../src/store/index.ts";
import { createDatabaseWriteLedger } from "../../src/store/lever-write-ledger.ts";
import { createJobQueue } from "../../src/engine/queue/index.ts";
import { createInbox } from "../../src/engine/inbox/index.ts";
import { createLeverClient } from "../../src/lever/index.ts";

const env = process.env;
const db = await openDatabase(env.DATABASE_URL ? { url: env.DATABASE_URL, poolSize: 8 } : { dataDir: env.WORKER_DATA_DIR! });
const queue = createJobQueue({ db, superviseIntervalSeconds: 1 });
await queue.start();
// A job whose process died stays "active" until it expires; 4 s keeps the test short.
const inbox = createInbox({ db, queue, retryLimit: 30, retryDelaySeconds: 1, expireInSeconds: 4 });
await inbox.start();

const lever = createLeverClient({
  baseUrl: env.SANDBOX_URL!,
  auth: { kind: "apiKey", apiKey: env.SANDBOX_KEY! },
  connectionId: "default",
  // The sandbox's rate limit is off for speed; the test injects 429 storms instead.
  rateLimiter: { take: async () => {} },
  ledger: createDatabaseWriteLedger(db),
  maxRetries: 10,
  retryBaseMs: 10,
  retryMaxMs: 200,
  timeoutMs: 3000,
});

inbox.registerEventProcessor(async (event, ctx) => {
  const opportunityId = (event.payload as { data: { opportunityId: string } }).data.opportunityId;
  await lever.addNote(opportunityId, { value: `Fulcrum processed event ${event.id}` }, { key: `crash-test/event-${event.id}`, signal: ctx.signal });
});
await inbox.startProcessing({ concurrency: 16 });

setInterval(async () => {
  const { rows } = await db.query<{ n: number }>("select count(*)::int as n from inbox_events where status = 'processed'");
  process.stdout.write(`PROGRESS ${rows[0]!.n}\n`);
}, 100);

process.once("SIGTERM", async () => {
  await queue.stop({ graceful: true, timeoutMs: 5000 });
  await db.close();
  process.exit(0);
});
process.stdout.write("READY\n");
