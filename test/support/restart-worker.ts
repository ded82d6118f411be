/**
 * The worker process of the restart test: the job queue exactly as `fulcrum serve` starts it
 * (`startServeJobQueue`, default expiry, heartbeat and supervision), the inbox with its defaults, and
 * an event processor that writes one Lever note per event into the sandbox (idempotency key per
 * event, database write ledger). Prints `INFLIGHT <notes being written>` as it changes and with
 * `PROGRESS <processed events>` every 100 ms. The test kills it with SIGKILL while notes are in
 * flight and starts another.
 *
 * Environment: DATABASE_URL (PostgreSQL) or WORKER_DATA_DIR (PGlite folder), SANDBOX_URL, SANDBOX_KEY.
 */
import { openDatabase } from "../../src/store/index.ts";
import { createDatabaseWriteLedger } from "../../src/store/lever-write-ledger.ts";
import { createInbox } from "../../src/engine/inbox/index.ts";
import { createLeverClient } from "../../src/lever/index.ts";
import { silentLogger } from "../../src/observability/index.ts";
import { startServeJobQueue } from "../../src/cli/commands/serve.ts";

const env = process.env;
const db = await openDatabase(env.DATABASE_URL ? { url: env.DATABASE_URL, poolSize: 8 } : { dataDir: env.WORKER_DATA_DIR! });
const queue = await startServeJobQueue(db, silentLogger);
const inbox = createInbox({ db, queue });
await inbox.start();

const lever = createLeverClient({
  baseUrl: env.SANDBOX_URL!,
  auth: { kind: "apiKey", apiKey: env.SANDBOX_KEY! },
  connectionId: "default",
  rateLimiter: { take: async () => {} },
  ledger: createDatabaseWriteLedger(db),
  timeoutMs: 20_000,
});

// The count of notes in flight is printed as it changes, not from the timer below: that timer's
// query waits for a pooled connection, and while the handlers hold them all (a busy machine), it
// printed only once notes had finished, so the test never saw them in flight.
let inFlight = 0;
const reportInFlight = () => process.stdout.write(`INFLIGHT ${inFlight}\n`);
inbox.registerEventProcessor(async (event, ctx) => {
  const opportunityId = (event.payload as { data: { opportunityId: string } }).data.opportunityId;
  inFlight++;
  reportInFlight();
  try {
    await lever.addNote(opportunityId, { value: `Fulcrum processed event ${event.id}` }, { key: `restart-test/event-${event.id}`, signal: ctx.signal });
  } finally {
    inFlight--;
    reportInFlight();
  }
});
await inbox.startProcessing({ concurrency: 16 });

setInterval(async () => {
  const { rows } = await db.query<{ n: number }>("select count(*)::int as n from inbox_events where status = 'processed'");
  process.stdout.write(`INFLIGHT ${inFlight}\nPROGRESS ${rows[0]!.n}\n`);
}, 100);

process.once("SIGTERM", async () => {
  await queue.stop({ graceful: true, timeoutMs: 5000 });
  await db.close();
  process.exit(0);
});
