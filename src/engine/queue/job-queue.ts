/**
 * Durable jobs over pg-boss 12, one code path for both engines: pg-boss talks to PGlite through its
 * `fromPglite` adapter (`backend: "pglite"`) and to PostgreSQL through the same `pg` pool the rest
 * of Fulcrum uses. Every queue gets a dead-letter queue (`<name>.dead`) that keeps the failure
 * reason; jobs retry with exponential backoff first.
 */
import { PgBoss, fromPglite, type ConstructorOptions, type Db as IDatabase, type JobInsert, type JobResult, type JobWithMetadata } from "pg-boss";
import type { PGlite } from "@electric-sql/pglite";
import type pg from "pg";
import type { Database, PgliteThread, Queryable, Statement } from "../../store/index.ts";
import { jobDuration, jobFailures, silentLogger, type Logger } from "../../observability/index.ts";

/** pg-boss keeps its tables in this schema on both engines. */
export const QUEUE_SCHEMA = "pgboss";

/** Suffix of every queue's dead-letter queue. */
export const DEAD_LETTER_SUFFIX = ".dead";

/** How a queue retries and how long a job may run before it counts as lost. */
export interface QueueDefinition {
  /** Retries after the first attempt before the job lands in dead-letter. Default 5. */
  retryLimit?: number;
  /** First retry delay in seconds; doubled per retry when `retryBackoff`. Default 1. */
  retryDelay?: number;
  /** Exponential backoff (with pg-boss's jitter). Default true. */
  retryBackoff?: boolean;
  /** Cap on one backoff delay, in seconds. Default 300. */
  retryDelayMax?: number;
  /**
   * Seconds a job may stay active at most, even while its process is alive and heartbeating;
   * after that it is failed and retried. Default 900.
   */
  expireInSeconds?: number;
  /**
   * A job whose worker has not refreshed its heartbeat for this many seconds counts as lost (its
   * process was killed or hangs) and is retried; a live worker refreshes it every third of that,
   * however long the job runs. At least 10; null turns heartbeats off, leaving only
   * `expireInSeconds`. Default 30.
   */
  heartbeatSeconds?: number | null;
  /**
   * What `singletonKey` means in this queue (pg-boss policies): `standard` (no limit per key
   * unless throttled), `short` (one queued job per key), `singleton` (one active), `stately` (one
   * queued and one active), `exclusive` (one queued or active). Set when the queue is created.
   */
  policy?: "standard" | "short" | "singleton" | "stately" | "exclusive";
}

/** Options for one job. */
export interface SendOptions {
  /** The job's id (a UUID), when the caller must know it before the job exists. */
  id?: string;
  /** Deduplication key; what it limits depends on the queue's `policy` (see `QueueDefinition`). */
  singletonKey?: string;
  /** Groups jobs for per-key concurrency (see `WorkOptions.perKeyConcurrency`), e.g. a connection id. */
  concurrencyKey?: string;
  retryLimit?: number;
  retryDelay?: number;
  retryBackoff?: boolean;
  /** Run no earlier than this. */
  startAfter?: Date | number | string;
  expireInSeconds?: number;
  priority?: number;
}

/** One job given to a handler. */
export interface Job<T> {
  id: string;
  queue: string;
  data: T;
  /** Retries so far (0 on the first attempt). */
  retryCount: number;
  /** Aborted when the job expires or the queue stops without waiting. */
  signal: AbortSignal;
}

export interface WorkOptions {
  /** Jobs of this queue run at once in this process. Default 1. */
  concurrency?: number;
  /** Jobs sharing a `concurrencyKey` that may run at once in this process (exact). */
  perKeyConcurrency?: number;
  /**
   * Apply `perKeyConcurrency` across every process instead, checked against the active jobs in the
   * database at fetch time; two processes fetching at the same instant may briefly exceed it.
   */
  perKeyAcrossProcesses?: boolean;
  /** Jobs fetched at once by one poller (default min(8, concurrency)). */
  batchSize?: number;
  /** Seconds between polls when idle. Default 0.5. */
  pollingIntervalSeconds?: number;
}

/** A job that failed every retry and waits in a dead-letter queue. */
export interface DeadJob {
  /** Id of the job in the dead-letter queue (what `retry` takes). */
  id: string;
  /** The queue it failed on. */
  queue: string;
  /** Id of the job that failed. */
  sourceId: string | null;
  data: unknown;
  /** The failure reason: the last error's message. */
  error: string;
  retries: number | null;
  failedAt: Date;
}

export interface JobSummary {
  id: string;
  queue: string;
  state: string;
  retryCount: number;
  createdOn: Date;
  startAfter: Date;
  completedOn: Date | null;
}

export interface JobInfo {
  id: string;
  queue: string;
  state: string;
  data: unknown;
  retryCount: number;
  createdOn: Date;
  startAfter: Date;
  completedOn: Date | null;
  output: unknown;
}

export interface CreateJobQueueOptions {
  db: Database;
  logger?: Logger;
  /**
   * Seconds between pg-boss supervision and monitor passes: a job whose process died is retried
   * at the first pass after its `expireInSeconds`. Default 10 on PostgreSQL, 60 on PGlite.
   */
  superviseIntervalSeconds?: number;
  /** Run cron schedules in this process. Default true. */
  schedule?: boolean;
  /**
   * Run pg-boss's background duties (supervision, cron, maintenance). Default true; false for
   * short-lived processes such as CLI commands that only read or retry jobs.
   */
  background?: boolean;
  /**
   * This process is the only one working this database (the embedded database, held by `serve`):
   * at `start()` every job still active was claimed by a process that is gone (killed, crashed), so
   * it is failed at once and retried as usual, instead of waiting for its heartbeat or expiry.
   * Never set it where other processes share the database: it would take their jobs away.
   */
  recoverAtStart?: boolean;
}

export interface StopOptions {
  /** Wait for jobs in flight to finish (default true). */
  graceful?: boolean;
  /** How long to wait for them, in milliseconds (default 30 000). */
  timeoutMs?: number;
}

/** The durable job queue. See `createJobQueue`. */
export interface JobQueue {
  start(): Promise<void>;
  stop(options?: StopOptions): Promise<void>;
  /** Creates the queue (and its dead-letter queue) or updates its retry settings. Idempotent. */
  define(queue: string, definition?: QueueDefinition): Promise<void>;
  /**
   * Enqueues a job; with `tx`, inside the caller's open transaction (it exists only if that commits).
   * Resolves to the job id, or null when a `singletonKey` job is already queued.
   */
  send<T extends object>(queue: string, data: T, options?: SendOptions, tx?: Queryable): Promise<string | null>;
  /** Enqueues many jobs in one statement (inside `tx` when given); resolves to their ids. */
  sendMany<T extends object>(queue: string, jobs: { data: T; options?: SendOptions }[], tx?: Queryable): Promise<string[]>;
  /**
   * The statement that enqueues `jobs` (pg-boss's own insert, as `sendMany` would run it), without
   * running it: for a caller that sends it together with its own statements in one `db.batch`.
   * Jobs whose id already exists are skipped when it runs.
   */
  insertStatement<T extends object>(queue: string, jobs: { data: T; options?: SendOptions }[]): Promise<Statement>;
  /** Enqueues a job that runs at `when` (a date) or after `when` seconds. */
  sendAfter<T extends object>(queue: string, data: T, options: SendOptions | null, when: Date | number, tx?: Queryable): Promise<string | null>;
  /** Runs `handler` for each job; a throw fails the attempt (retried, then dead-lettered). */
  work<T>(queue: string, options: WorkOptions, handler: (job: Job<T>) => Promise<void>): Promise<void>;
  /** Sends `data` to `queue` on a cron schedule (UTC). */
  schedule<T extends object>(queue: string, cron: string, data?: T, options?: { key?: string; tz?: string }): Promise<void>;
  /** Puts a dead-lettered or failed job back in its queue. Returns false when no such job exists. */
  retry(jobId: string): Promise<boolean>;
  listDead(options?: { limit?: number }): Promise<DeadJob[]>;
  getJob(jobId: string): Promise<JobInfo | null>;
  /** Jobs newest first, optionally of one queue and/or state (created, retry, active, completed, failed, cancelled). */
  listJobs(options?: { queue?: string; state?: string; limit?: number }): Promise<JobSummary[]>;
  /** Jobs waiting (queued or waiting to retry) in `queue`. */
  depth(queue: string): Promise<number>;
  /** Waiting jobs for every queue. */
  depths(): Promise<Map<string, number>>;
  /** The underlying pg-boss, for what this interface does not cover. */
  readonly boss: PgBoss;
}

const DEFAULTS: Required<Omit<QueueDefinition, "policy">> = {
  retryLimit: 5,
  retryDelay: 1,
  retryBackoff: true,
  retryDelayMax: 300,
  expireInSeconds: 900,
  // With expiry alone, a job whose process was killed waited its whole expiry (15 minutes) before
  // anyone retried it. A heartbeat lets a long step run its course while a dead one is noticed
  // within this many seconds plus one supervision pass (about 30 s on PostgreSQL, whose pass runs
  // every 10 s). pg-boss refreshes a live job's heartbeat every half of it: one small update per running job every 10 s.
  heartbeatSeconds: 20,
};

/** Message stored on a job that `recoverAtStart` found still claimed by a dead process. */
export const RECOVERED_AT_START = "the process running this job stopped before it finished (found at start-up)";

/** Adapts one of our `Queryable`s (usually an open transaction) to the executor pg-boss takes per call. */
export function queryableExecutor(q: Queryable): IDatabase {
  return { executeSql: (text, values) => q.query(text, values) };
}

function toJobOptions(options: SendOptions | undefined): Omit<JobInsert, "data"> {
  if (!options) return {};
  const out: Omit<JobInsert, "data"> = {};
  if (options.id !== undefined) out.id = options.id;
  if (options.singletonKey !== undefined) out.singletonKey = options.singletonKey;
  if (options.concurrencyKey !== undefined) out.group = { id: options.concurrencyKey };
  if (options.retryLimit !== undefined) out.retryLimit = options.retryLimit;
  if (options.retryDelay !== undefined) out.retryDelay = options.retryDelay;
  if (options.retryBackoff !== undefined) out.retryBackoff = options.retryBackoff;
  if (options.startAfter !== undefined) out.startAfter = options.startAfter;
  if (options.expireInSeconds !== undefined) out.expireInSeconds = options.expireInSeconds;
  if (options.priority !== undefined) out.priority = options.priority;
  return out;
}

function errorMessage(output: unknown): string {
  if (output && typeof output === "object" && "message" in output) return String((output as { message: unknown }).message);
  if (output === null || output === undefined) return "unknown failure";
  return typeof output === "string" ? output : JSON.stringify(output);
}

/**
 * Creates the job queue for `db`. Call `start()` before use and `stop()` on shutdown.
 *
 * @example
 * const queue = createJobQueue({ db, logger });
 * await queue.start();
 * await queue.define("mail.send", { retryLimit: 3 });
 * await db.transaction(async (tx) => {
 *   await tx.query("insert into outbox ...");
 *   await queue.send("mail.send", { to: "ops" }, {}, tx);
 * });
 * await queue.work("mail.send", { concurrency: 4 }, async (job) => deliver(job.data));
 */
export function createJobQueue(options: CreateJobQueueOptions): JobQueue {
  const { db } = options;
  const logger = options.logger ?? silentLogger;
  // A pass aggregates over the job table. On PGlite that runs on this event loop (measured: ~0.3 s
  // with 8,000 queued jobs), stalling every request, so the embedded default is pg-boss's minute.
  const passSeconds = options.superviseIntervalSeconds ?? (db.kind === "pglite" ? 60 : 10);
  const common: ConstructorOptions = {
    schema: QUEUE_SCHEMA,
    superviseIntervalSeconds: passSeconds,
    // Expired jobs (their process died) are found by the monitor pass, which pg-boss runs once a
    // minute by default; run it with every supervision so lost jobs come back within seconds.
    monitorIntervalSeconds: passSeconds,
    schedule: (options.background ?? true) && (options.schedule ?? true),
    supervise: options.background ?? true,
    // One row per process in pg-boss's registry is noise for us; our own health checks cover it.
    registerInstance: false,
    openTelemetry: { enabled: false },
    // Workers wake on a NOTIFY when a job is created instead of waiting for their next poll.
    useListenNotify: true,
  };
  const boss =
    db.kind === "pglite"
      ? new PgBoss({ ...common, db: fromPglite(db.raw as PGlite | PgliteThread), backend: "pglite" })
      : // pg-boss keeps its own small pool on the same server: it needs a session of its own for
        // LISTEN/NOTIFY, and its load then never starves the request path of connections.
        new PgBoss({ ...common, connectionString: connectionStringOf(db.raw as pg.Pool), max: 4 });
  boss.on("error", (error) => logger.error({ err: error }, "job queue error"));
  boss.on("warning", (warning) => logger.warn({ warning: warning.message }, "job queue warning"));

  const defined = new Set<string>();

  async function define(queue: string, definition: QueueDefinition = {}): Promise<void> {
    const { policy, ...rest } = definition;
    const settings: Partial<typeof DEFAULTS> = { ...DEFAULTS, ...rest };
    // pg-boss accepts a delay cap only together with backoff.
    if (!settings.retryBackoff) delete settings.retryDelayMax;
    const dead = queue + DEAD_LETTER_SUFFIX;
    if (!(await boss.getQueue(dead))) await createIfMissing(dead, { retryLimit: 0 });
    const { heartbeatSeconds, ...others } = settings;
    const existing = await boss.getQueue(queue);
    if (existing) {
      // An existing queue gets the heartbeat too (jobs queued before keep their expiry only).
      await boss.updateQueue(queue, { ...others, heartbeatSeconds: heartbeatSeconds ?? null, notify: true, deadLetter: dead });
    } else {
      await createIfMissing(queue, {
        ...others,
        ...(heartbeatSeconds ? { heartbeatSeconds } : {}),
        notify: true,
        deadLetter: dead,
        ...(policy ? { policy } : {}),
      });
    }
    defined.add(queue);
  }

  async function createIfMissing(queue: string, settings: Parameters<PgBoss["createQueue"]>[1]): Promise<void> {
    try {
      await boss.createQueue(queue, settings);
    } catch (error) {
      // Two processes starting together may both try; the loser finds it made.
      if (!(await boss.getQueue(queue))) throw error;
    }
  }

  async function ensure(queue: string): Promise<void> {
    if (!defined.has(queue)) await define(queue);
  }

  const sendMany: JobQueue["sendMany"] = async (queue, jobs, tx) => {
    if (jobs.length === 0) return [];
    await ensure(queue);
    const inserts: JobInsert[] = jobs.map((j) => ({ ...toJobOptions(j.options), data: j.data }));
    const ids = await boss.insert(queue, inserts, {
      returnId: true,
      ...(tx ? { db: queryableExecutor(tx) } : {}),
    });
    return ids ?? [];
  };

  const insertStatement: JobQueue["insertStatement"] = async (queue, jobs) => {
    await ensure(queue);
    // pg-boss builds the statement and its JSON parameter and hands them to the executor it is
    // given; this one keeps them instead of running them.
    let statement: Statement | undefined;
    const keep: IDatabase = {
      executeSql: async (sql, params) => {
        statement = { sql, params: params ?? [] };
        return { rows: [] };
      },
    };
    await boss.insert(
      queue,
      jobs.map((j) => ({ ...toJobOptions(j.options), data: j.data })),
      { returnId: true, db: keep },
    );
    if (!statement) throw new Error(`the job queue made no insert statement for ${queue}`);
    return statement;
  };

  const queue: JobQueue = {
    boss,
    insertStatement,
    async start() {
      await boss.start();
      if (options.recoverAtStart) await recoverOrphans();
    },
    async stop(stopOptions = {}) {
      // close: false — the pool or PGlite instance belongs to the caller, who closes it after us.
      await boss.stop({ graceful: stopOptions.graceful ?? true, timeout: stopOptions.timeoutMs ?? 30_000, close: false });
    },
    define,
    async send(name, data, sendOptions, tx) {
      await ensure(name);
      return boss.send(name, data, { ...toJobOptions(sendOptions), ...(tx ? { db: queryableExecutor(tx) } : {}) });
    },
    sendMany,
    async sendAfter(name, data, sendOptions, when, tx) {
      await ensure(name);
      const startAfter = typeof when === "number" ? new Date(Date.now() + when * 1000) : when;
      return boss.send(name, data, {
        ...toJobOptions(sendOptions ?? undefined),
        startAfter,
        ...(tx ? { db: queryableExecutor(tx) } : {}),
      });
    },
    async work<T>(name: string, workOptions: WorkOptions, handler: (job: Job<T>) => Promise<void>) {
      await ensure(name);
      const concurrency = Math.max(1, workOptions.concurrency ?? 1);
      // Each pg-boss worker fetches a batch and we run its jobs side by side, settling each on its
      // own. A full batch fetches again at once (burst); otherwise the worker waits for a poll or a
      // NOTIFY. One job per fetch would cap a worker at one job per polling interval.
      // pg-boss counts an in-process per-key limit against its pollers, so that mode fetches one
      // job per poller (and so runs at most `concurrency` jobs per polling interval when backlogged).
      const perKeyLocal = workOptions.perKeyConcurrency !== undefined && !workOptions.perKeyAcrossProcesses;
      const batchSize = perKeyLocal ? 1 : Math.max(1, Math.min(workOptions.batchSize ?? 8, concurrency));
      await boss.work<T>(
        name,
        {
          batchSize,
          localConcurrency: Math.ceil(concurrency / batchSize),
          burstWhenBatchFull: batchSize > 1,
          perJobResults: true,
          pollingIntervalSeconds: workOptions.pollingIntervalSeconds ?? 0.5,
          // Three refreshes per heartbeat period, so one slow or failed refresh does not lose the job.
          heartbeatRefreshSeconds: Math.max(1, heartbeatOf(await boss.getQueue(name)) / 3),
          // NOTIFY only announces new jobs; retries and delayed jobs come due silently, so polling
          // keeps its pace while NOTIFY is active.
          notifyPollingIntervalSeconds: workOptions.pollingIntervalSeconds ?? 0.5,
          // pg-boss offers one of two per-key limits: an exact in-memory count per process, or a
          // check of every process's active jobs at fetch time (two fetches at the same instant
          // can each take one, so that bound can be briefly exceeded).
          ...(workOptions.perKeyConcurrency
            ? workOptions.perKeyAcrossProcesses
              ? { groupConcurrency: workOptions.perKeyConcurrency }
              : { localGroupConcurrency: workOptions.perKeyConcurrency }
            : {}),
        },
        async (jobs) =>
          Promise.all(
            jobs.map(async (j): Promise<JobResult> => {
              const started = performance.now();
              try {
                await handler({ id: j.id, queue: name, data: j.data, retryCount: j.retryCount, signal: j.signal });
                jobDuration.observe({ queue: name, outcome: "completed" }, (performance.now() - started) / 1000);
                return { id: j.id, status: "completed" };
              } catch (error) {
                jobDuration.observe({ queue: name, outcome: "failed" }, (performance.now() - started) / 1000);
                jobFailures.inc({ queue: name });
                logger.warn({ queue: name, jobId: j.id, retryCount: j.retryCount, err: error }, "job attempt failed");
                const e = error instanceof Error ? error : new Error(String(error));
                return { id: j.id, status: "failed", output: { name: e.name, message: e.message } };
              }
            }),
          ),
      );
    },
    async schedule(name, cron, data, scheduleOptions = {}) {
      await ensure(name);
      await boss.schedule(name, cron, data ?? null, {
        tz: scheduleOptions.tz ?? "UTC",
        ...(scheduleOptions.key ? { key: scheduleOptions.key } : {}),
      });
    },
    async retry(jobId) {
      const found = await findJobRow(jobId);
      if (!found) return false;
      if (found.name.endsWith(DEAD_LETTER_SUFFIX)) {
        if (found.state !== "created" && found.state !== "retry") return false;
        const moved = await boss.redrive(found.name, { ids: [jobId] });
        return moved > 0;
      }
      if (found.state !== "failed" && found.state !== "cancelled") return false;
      await boss.retry(found.name, jobId);
      return true;
    },
    async listDead(listOptions = {}) {
      const limit = listOptions.limit ?? 100;
      const queues = (await boss.getQueues()).filter((q) => q.name.endsWith(DEAD_LETTER_SUFFIX));
      const dead: DeadJob[] = [];
      for (const q of queues) {
        const jobs = (await boss.findJobs<unknown>(q.name, { queued: true, limit })) as JobWithMetadata<unknown>[];
        for (const j of jobs) {
          dead.push({
            id: j.id,
            queue: j.sourceName ?? q.name.slice(0, -DEAD_LETTER_SUFFIX.length),
            sourceId: j.sourceId,
            data: j.data,
            error: errorMessage(j.sourceOutput),
            retries: j.sourceRetryCount,
            failedAt: j.createdOn,
          });
        }
      }
      return dead.sort((a, b) => b.failedAt.getTime() - a.failedAt.getTime()).slice(0, limit);
    },
    async getJob(jobId) {
      const found = await findJobRow(jobId);
      if (!found) return null;
      const [j] = (await boss.findJobs<unknown>(found.name, { id: jobId })) as JobWithMetadata<unknown>[];
      if (!j) return null;
      return {
        id: j.id,
        queue: j.name,
        state: j.state,
        data: j.data,
        retryCount: j.retryCount,
        createdOn: j.createdOn,
        startAfter: j.startAfter,
        completedOn: j.completedOn,
        output: j.output,
      };
    },
    async listJobs(listOptions = {}) {
      const where: string[] = [];
      const params: unknown[] = [];
      if (listOptions.queue) where.push(`name = $${params.push(listOptions.queue)}`);
      if (listOptions.state) where.push(`state::text = $${params.push(listOptions.state)}`);
      const limit = Math.min(Math.max(listOptions.limit ?? 50, 1), 1000);
      const { rows } = await db.query<{
        id: string;
        name: string;
        state: string;
        retry_count: number;
        created_on: Date | string;
        start_after: Date | string;
        completed_on: Date | string | null;
      }>(
        `select id, name, state::text as state, retry_count, created_on, start_after, completed_on from ${QUEUE_SCHEMA}.job
          ${where.length ? `where ${where.join(" and ")}` : ""} order by created_on desc limit ${limit}`,
        params,
      );
      return rows.map((r) => ({
        id: String(r.id),
        queue: r.name,
        state: r.state,
        retryCount: r.retry_count,
        createdOn: new Date(r.created_on),
        startAfter: new Date(r.start_after),
        completedOn: r.completed_on === null ? null : new Date(r.completed_on),
      }));
    },
    async depth(name) {
      return (await queue.depths()).get(name) ?? 0;
    },
    async depths() {
      // A direct count rather than getQueues(): pg-boss caches its counts for up to a minute,
      // and /metrics wants the depth at scrape time.
      const { rows } = await db.query<{ name: string; n: number }>(
        `select name, count(*)::int as n from ${QUEUE_SCHEMA}.job where state in ('created', 'retry') group by name`,
      );
      return new Map(rows.map((r) => [r.name, r.n]));
    },
  };

  /** Fails every active job (see `recoverAtStart`); each is retried, or dead-lettered, as its queue says. */
  async function recoverOrphans(): Promise<void> {
    const { rows } = await db.query<{ name: string; id: string }>(`select name, id from ${QUEUE_SCHEMA}.job where state = 'active'`);
    const byQueue = new Map<string, string[]>();
    for (const r of rows) byQueue.set(r.name, [...(byQueue.get(r.name) ?? []), String(r.id)]);
    for (const [name, ids] of byQueue) {
      await boss.fail(name, ids, { message: RECOVERED_AT_START });
      logger.warn({ queue: name, jobs: ids.length }, "jobs left active by a stopped process were put back to be retried");
    }
  }

  async function findJobRow(jobId: string): Promise<{ name: string; state: string } | null> {
    if (!/^[0-9a-f-]{36}$/i.test(jobId)) return null;
    const { rows } = await db.query<{ name: string; state: string }>(`select name, state::text as state from ${QUEUE_SCHEMA}.job where id = $1`, [jobId]);
    return rows[0] ?? null;
  }

  return queue;
}

/** The heartbeat period of a queue; pg-boss's refresh must be shorter, so a queue without one gets a nominal 30. */
function heartbeatOf(queue: { heartbeatSeconds?: number | null } | null): number {
  return queue?.heartbeatSeconds ?? DEFAULTS.heartbeatSeconds ?? 30;
}

function connectionStringOf(pool: pg.Pool): string {
  const url = (pool as unknown as { options: { connectionString?: string } }).options.connectionString;
  if (!url) throw new Error("the PostgreSQL pool was opened without a connection string; the job queue needs one");
  return url;
}
