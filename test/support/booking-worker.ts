/**
 * The worker process of the booking crash test: books one panel (BOOKING, JSON) into Radicale
 * calendars, the SMTP sink and the Lever sandbox. With STOP_AT set it prints `STOPPED <stage>` when
 * that stage is done and waits there to be killed with SIGKILL; otherwise it prints `DONE <result>`.
 *
 * Environment: DATABASE_URL (PostgreSQL) or WORKER_DATA_DIR (PGlite folder), SANDBOX_URL,
 * SANDBOX_KEY, PERFORM_AS, RADICALE_URL, PEOPLE (JSON), SMTP_PORT, BOOKING, STOP_AT.
 */
import { createLeverClient, type PanelInput } from "../../src/lever/index.ts";
import { bookPanel, parseBookingParams } from "../../src/scheduling/index.ts";
import { openProviders, radicaleCalendars } from "../../src/scheduling/booking/testing.ts";
import { createDatabaseWriteLedger, openDatabase } from "../../src/store/index.ts";

const env = process.env;
const db = await openDatabase(env.DATABASE_URL ? { url: env.DATABASE_URL, poolSize: 2 } : { dataDir: env.WORKER_DATA_DIR! });
const client = createLeverClient({
  baseUrl: env.SANDBOX_URL!,
  auth: { kind: "apiKey", apiKey: env.SANDBOX_KEY! },
  connectionId: "default",
  performAs: env.PERFORM_AS!,
  ledger: createDatabaseWriteLedger(db),
  retryBaseMs: 5,
  retryMaxMs: 50,
});
const calendars = radicaleCalendars(env.RADICALE_URL!, JSON.parse(env.PEOPLE!));
const result = await bookPanel(parseBookingParams(JSON.parse(env.BOOKING!)), {
  db,
  connectionId: "default",
  lever: { createPanel: (o, p, k) => client.createPanel(o, p as unknown as PanelInput, k), addNote: (o, n, k) => client.addNote(o, n, k) },
  calendars,
  providers: openProviders(calendars),
  smtp: { host: "127.0.0.1", port: Number(env.SMTP_PORT), secure: false, from: "recruiting@example.com" },
  async onStage(stage) {
    if (stage !== env.STOP_AT) return;
    process.stdout.write(`STOPPED ${stage}\n`);
    await new Promise(() => {});
  },
});
process.stdout.write(`DONE ${JSON.stringify(result)}\n`);
await db.close();
process.exit(0);
