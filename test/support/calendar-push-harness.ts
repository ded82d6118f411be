/**
 * The parts the calendar-push tests run against, started once per test file: a test database with
 * the job queue and inbox, the Lever sandbox, the calendar sandbox (Google and Graph imitations)
 * delivering its notifications to the public address — answered in process by the push routes,
 * mounted where `fulcrum serve` mounts them — and the watcher's worker without its schedule. Each
 * file says which calendars its people are on and how the watcher's job runs, then books a panel.
 */
import assert from "node:assert/strict";
import { Hono } from "hono";
import { calendarsConfigSchema, type CalendarProvider, type CalendarsConfig } from "../../src/calendars/index.ts";
import { createInbox, type Inbox } from "../../src/engine/inbox/index.ts";
import { createJobQueue, type JobQueue } from "../../src/engine/queue/index.ts";
import {
  calendarLifecycleTrigger,
  calendarPushSecret,
  calendarPushTrigger,
  CALENDAR_WATCH_QUEUE,
  createCalendarWatch,
  type CalendarWatch,
  type CalendarWatchJob,
} from "../../src/engine/runs/calendar-watch.ts";
import { createLeverClient, type PanelInput } from "../../src/lever/index.ts";
import { silentLogger, type Logger } from "../../src/observability/index.ts";
import { startCalendarSandbox, startSandbox, type CalendarSandbox, type Sandbox } from "../../src/sandbox/index.ts";
import { bookPanel, parseBookingParams } from "../../src/scheduling/index.ts";
import { openProviders } from "../../src/scheduling/booking/testing.ts";
import { createDatabaseWriteLedger } from "../../src/store/index.ts";
import { openTestDatabase, type TestDatabase } from "../../src/store/testing.ts";
import { calendarPushRoutes } from "../../src/server/calendar-push-routes.ts";

/** The address the imitations deliver to. */
export const PUBLIC = "https://fulcrum.example.com";

export interface Person {
  leverUserId: string;
  email: string;
  name: string;
}

export interface PushHarness {
  t: TestDatabase;
  queue: JobQueue;
  inbox: Inbox;
  sandbox: Sandbox;
  cal: CalendarSandbox;
  calendars: CalendarsConfig;
  watch: CalendarWatch;
  people: Person[];
  /** The service as the providers reach it. */
  service: Hono;
  /** Books a panel five days out, each session's interviewers named by their index in `people`. */
  book(panel: {
    key: string;
    candidate: string;
    sessions: { id: string; title: string; start: string; end: string; interviewers: number[] }[];
  }): Promise<Awaited<ReturnType<typeof bookPanel>>>;
  close(): Promise<void>;
}

export interface PushHarnessOptions {
  engine: Parameters<typeof openTestDatabase>[0];
  /** The key the connections' push secrets are derived from. */
  key: Buffer;
  /** Seeds of the Lever sandbox and of the calendar sandbox. */
  seeds: { lever: number; calendars: number };
  /** How many of the sandbox's active users take part. */
  people: number;
  /** The calendars config for those people (connections from `cal`). */
  calendars(cal: CalendarSandbox, people: Person[]): unknown;
  /** Providers for the watcher, e.g. wrapped to note its reads (default: openProviders). */
  providers?(calendars: CalendarsConfig): Map<string, CalendarProvider>;
  /** How the watcher's worker runs a queued job. */
  runJob(watch: CalendarWatch, job: CalendarWatchJob): Promise<unknown>;
  logger?: Logger;
}

/** Starts the parts (see the file's comment); `close` stops them. */
export async function startPushHarness(o: PushHarnessOptions): Promise<PushHarness> {
  const { key } = o;
  const t = await openTestDatabase(o.engine);
  const queue = createJobQueue({ db: t.db, superviseIntervalSeconds: 1 });
  await queue.start();
  const inbox = createInbox({ db: t.db, queue, retryLimit: 1, retryDelaySeconds: 1 });
  await inbox.start();
  const sandbox = await startSandbox({ seed: o.seeds.lever, rateLimit: false, candidates: 6 });
  const users = [...sandbox.state.users.values()].filter((u) => u.deactivatedAt === null && u.email);
  const adminId = users.find((u) => u.accessRole === "super admin")!.id;
  const people = users.slice(0, o.people).map((u) => ({ leverUserId: u.id, email: u.email.toLowerCase(), name: u.name }));
  const service = new Hono();
  // The imitations POST to the https address; here it is answered by the service in this process.
  const cal = await startCalendarSandbox({
    seed: o.seeds.calendars,
    demo: false,
    people,
    deliver: async (req) => {
      const url = new URL(req.url);
      assert.equal(url.origin, PUBLIC, "notifications go to the public address");
      return await service.request(url.pathname + url.search, { method: req.method, headers: req.headers, body: await req.text() });
    },
  });
  const calendars = calendarsConfigSchema.parse(o.calendars(cal, people));
  service.route(
    "/webhooks/calendars",
    calendarPushRoutes({
      calendars,
      secret: (id) => calendarPushSecret(key, id),
      trigger: calendarPushTrigger(queue, { coalesceMs: 0 }),
      lifecycle: calendarLifecycleTrigger(t.db, queue),
      logger: o.logger ?? silentLogger,
    }),
  );
  const watch = createCalendarWatch({
    db: t.db,
    inbox,
    calendars,
    providers: (o.providers ?? openProviders)(calendars),
    push: { publicUrl: PUBLIC, secretKey: () => key },
  });
  await queue.define(CALENDAR_WATCH_QUEUE, { retryLimit: 1 });
  await queue.work<CalendarWatchJob>(CALENDAR_WATCH_QUEUE, { concurrency: 1 }, async (job) => {
    await o.runJob(watch, job.data);
  });
  const client = createLeverClient({
    baseUrl: sandbox.url,
    auth: { kind: "apiKey", apiKey: sandbox.apiKey },
    connectionId: "default",
    performAs: adminId,
    ledger: createDatabaseWriteLedger(t.db),
    retryBaseMs: 5,
    retryMaxMs: 50,
  });
  const book: PushHarness["book"] = async (panel) => {
    const opportunity = [...sandbox.state.opportunities.values()].find((x) => x.applications.length > 0)!.id;
    const day = new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10);
    const params = parseBookingParams({
      opportunityId: opportunity,
      panelKey: `${opportunity}:onsite:${panel.key}`,
      candidate: { name: panel.candidate, timezone: "Europe/London" },
      sessions: panel.sessions.map((s) => ({
        id: s.id,
        title: s.title,
        start: `${day}T${s.start}:00Z`,
        end: `${day}T${s.end}:00Z`,
        interviewers: s.interviewers.map((n) => people[n]!),
      })),
    });
    return await bookPanel(params, {
      db: t.db,
      connectionId: "default",
      lever: { createPanel: (x, p, k) => client.createPanel(x, p as unknown as PanelInput, k), addNote: (x, n, k) => client.addNote(x, n, k) },
      calendars,
      providers: openProviders(calendars),
    });
  };
  return {
    t,
    queue,
    inbox,
    sandbox,
    cal,
    calendars,
    watch,
    people,
    service,
    book,
    close: async () => {
      await queue.stop({ graceful: false, timeoutMs: 1000 });
      await cal.close();
      await t.drop();
      await sandbox.close();
    },
  };
}
