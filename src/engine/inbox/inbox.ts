/**
 * The inbox: every inbound event is stored (deduplicated) together with its first job in one
 * transaction before the sender gets its 2xx; a worker then hands it to the registered
 * `EventProcessor` (the workflow engine). Nothing is lost (the row and the job commit together)
 * and nothing is done twice by the inbox (a redelivery is a no-op; a processed event is skipped).
 */
import { randomBytes, randomUUID } from "node:crypto";
import type { Database, Queryable } from "../../store/index.ts";
import { silentLogger, type Logger } from "../../observability/index.ts";
import type { JobQueue } from "../queue/index.ts";
import { createGroupCommit, type GroupCommit } from "./group-commit.ts";

/** The queue that carries each stored event to its processor. */
export const INBOX_QUEUE = "inbox.process";

/**
 * The queue of fan-out jobs: a group commit of many events stores one job here, naming them,
 * instead of one `inbox.process` job each; a worker then creates those jobs (with the ids the
 * inbox rows already name). See `CreateInboxOptions.fanOutFrom`.
 */
export const INBOX_FANOUT_QUEUE = "inbox.fanout";

export type InboxStatus = "received" | "processing" | "processed" | "failed" | "ignored";

/** An event as stored in the inbox. */
export interface InboxEvent {
  id: number;
  connectionId: string;
  /** Where it came from: `lever`, or another signed source. */
  source: string;
  /** The source's event name, e.g. `candidateStageChange`. */
  event: string;
  dedupeKey: string;
  triggeredAt: Date | null;
  receivedAt: Date;
  /** Follows the event through runs, steps, Lever writes and audit records. */
  traceId: string;
  payload: unknown;
  status: InboxStatus;
  processedAt: Date | null;
  error: string | null;
  attempts: number;
  replays: number;
  lastJobId: string | null;
}

/** What a source hands to `storeEvent`. */
export interface NewInboxEvent {
  connectionId: string;
  source: string;
  event: string;
  /** Same key = same event: a second store is a no-op. */
  dedupeKey: string;
  triggeredAt: Date | null;
  payload: unknown;
}

export type StoreEventResult =
  | { status: "stored"; id: number; traceId: string }
  | { status: "duplicate"; id: number | null };

export interface EventProcessorContext {
  traceId: string;
  /** 1 on the first attempt. */
  attempt: number;
  logger: Logger;
  /** Aborted when the job expires or the process shuts down without waiting. */
  signal: AbortSignal;
}

/**
 * The port the workflow engine implements. It may run more than once for one event (a crash
 * between its work and the inbox's bookkeeping), so what it does must be idempotent. A throw
 * fails the attempt: retried with backoff, then dead-lettered with the error's message.
 */
export type EventProcessor = (event: InboxEvent, ctx: EventProcessorContext) => Promise<void>;

export interface CreateInboxOptions {
  db: Database;
  queue: JobQueue;
  logger?: Logger;
  /** Most events written in one group-commit transaction. Default 256. */
  maxBatch?: number;
  /** Group-commit transactions at once. Default 1 on PGlite (one connection), 4 on PostgreSQL. */
  maxInFlight?: number;
  /**
   * Milliseconds a group commit waits for more events before writing. Default 1 on PGlite (its
   * queries run on this event loop, so requests are only read between writes; 2 ms gathered no
   * larger batches and left the loop idle longer), 0 on PostgreSQL.
   */
  lingerMs?: number;
  /**
   * A batch that stores at least this many new events commits one `inbox.fanout` job naming them
   * instead of one `inbox.process` job each; a worker turns it into those jobs (same ids,
   * connection and trace), so the acknowledgement no longer waits on writing N jobs. Smaller
   * batches (a lone webhook) get their jobs directly, as before. Default 8; 0 turns fan-out off.
   */
  fanOutFrom?: number;
  /** Retries of `inbox.process` before dead-letter. Default 5. */
  retryLimit?: number;
  /** First retry delay (seconds), doubled per retry. Default 2. */
  retryDelaySeconds?: number;
  /** Seconds an attempt may run before it is taken as lost (e.g. its process was killed). Default 300. */
  expireInSeconds?: number;
}

export interface ListEventsOptions {
  limit?: number;
  status?: InboxStatus;
  connectionId?: string;
  /** Only events with an id below this (paging back in time). */
  beforeId?: number;
}

/** See `createInbox`. */
export interface Inbox {
  /** Creates the inbox's queues (`inbox.process`, `inbox.fanout`). Call once after the job queue has started. */
  start(): Promise<void>;
  /**
   * Stores the event and its first job durably (its `inbox.process` job, or under load a fan-out
   * job that names it); a redelivery returns `duplicate` and does nothing.
   */
  storeEvent(event: NewInboxEvent): Promise<StoreEventResult>;
  /** Sets the processor (one per process; the last one set wins). */
  registerEventProcessor(processor: EventProcessor): void;
  /** Starts handing stored events to the processor in this process (and expanding fan-out jobs). */
  startProcessing(options?: { concurrency?: number; perConnectionConcurrency?: number }): Promise<void>;
  /** Queues the event again (whatever its status). Resolves to the new job id, or null when no such event. */
  replayEvent(id: number): Promise<string | null>;
  getEvent(id: number): Promise<InboxEvent | null>;
  listEvents(options?: ListEventsOptions): Promise<InboxEvent[]>;
  /** Counts by status, for health pages. */
  countByStatus(): Promise<Record<string, number>>;
  /** Waits for writes in progress to commit (for shutdown). */
  drain(): Promise<void>;
}

interface InboxRow {
  id: number;
  connection_id: string;
  source: string;
  event: string;
  dedupe_key: string;
  triggered_at: Date | string | null;
  received_at: Date | string;
  trace_id: string;
  payload: unknown;
  status: InboxStatus;
  processed_at: Date | string | null;
  error: string | null;
  attempts: number;
  replays: number;
  last_job_id: string | null;
}

const COLUMNS =
  "id, connection_id, source, event, dedupe_key, triggered_at, received_at, trace_id, payload, status, processed_at, error, attempts, replays, last_job_id";

function toDate(value: Date | string): Date {
  return value instanceof Date ? value : new Date(value);
}

function toEvent(row: InboxRow): InboxEvent {
  return {
    id: Number(row.id),
    connectionId: row.connection_id,
    source: row.source,
    event: row.event,
    dedupeKey: row.dedupe_key,
    triggeredAt: row.triggered_at === null ? null : toDate(row.triggered_at),
    receivedAt: toDate(row.received_at),
    traceId: row.trace_id,
    payload: row.payload,
    status: row.status,
    processedAt: row.processed_at === null ? null : toDate(row.processed_at),
    error: row.error,
    attempts: row.attempts,
    replays: row.replays,
    lastJobId: row.last_job_id,
  };
}

/** A W3C-style trace id (32 hex digits). */
export function newTraceId(): string {
  return randomBytes(16).toString("hex");
}

interface JobData {
  eventId: number;
  traceId: string;
}

interface FanOutData {
  eventIds: number[];
}

/**
 * Creates the inbox over `db` and `queue`.
 *
 * @example
 * const inbox = createInbox({ db, queue, logger });
 * await inbox.start();
 * inbox.registerEventProcessor(async (event, ctx) => engine.handle(event, ctx));
 * await inbox.startProcessing({ concurrency: 8 });
 * const result = await inbox.storeEvent({ connectionId: "default", source: "lever", event, dedupeKey, triggeredAt, payload });
 */
export function createInbox(options: CreateInboxOptions): Inbox {
  const { db, queue } = options;
  const logger = options.logger ?? silentLogger;
  const retryLimit = options.retryLimit ?? 5;
  const fanOutFrom = options.fanOutFrom ?? 8;
  let processor: EventProcessor | undefined;

  /**
   * One transaction for the whole batch: a multi-row insert that skips known dedupe keys and
   * returns the rows it made, then the jobs for exactly those rows (one each, or one fan-out job
   * for a batch of `fanOutFrom` or more). The rows go in
   * as one JSON parameter (each payload nested as JSON, not escaped again as text), so the
   * statement text is the same for every batch size and is prepared once per session (the
   * store prepares every statement with parameters: see `store/database.ts`).
   */
  async function writeBatch(items: NewInboxEvent[]): Promise<StoreEventResult[]> {
    const entropy = randomBytes(16 * items.length).toString("hex");
    const rows = items.map((i, n) => ({
      c: i.connectionId,
      s: i.source,
      e: i.event,
      d: i.dedupeKey,
      t: i.triggeredAt ? i.triggeredAt.toISOString() : null,
      // A trace id each (32 hex digits, as newTraceId makes), from one draw of randomness.
      tr: entropy.slice(32 * n, 32 * n + 32),
      p: i.payload,
      // Job ids are made here so the inbox row can name its job in the same insert.
      j: randomUUID(),
    }));
    return db.transaction(async (tx) => {
      // Each row is told apart by its job id (unique, made above), so only the id comes back.
      const inserted = await tx.query<{ id: number; last_job_id: string }>(
        `insert into inbox_events (connection_id, source, event, dedupe_key, triggered_at, trace_id, payload, last_job_id)
         select c, s, e, d, t, tr, p, j
           from jsonb_to_recordset($1::jsonb) as x(c text, s text, e text, d text, t timestamptz, tr text, p jsonb, j text)
         on conflict (connection_id, source, dedupe_key) do nothing
         returning id, last_job_id`,
        [JSON.stringify(rows)],
      );
      const idByJob = new Map(inserted.rows.map((r) => [r.last_job_id, Number(r.id)]));
      const made = rows.flatMap((row) => {
        const id = idByJob.get(row.j);
        return id === undefined ? [] : [{ id, row }];
      });
      if (fanOutFrom > 0 && made.length >= fanOutFrom) {
        await queue.sendMany<FanOutData>(INBOX_FANOUT_QUEUE, [{ data: { eventIds: made.map((m) => m.id) } }], tx);
      } else if (made.length > 0) {
        await queue.sendMany<JobData>(
          INBOX_QUEUE,
          made.map(({ id, row }) => ({ data: { eventId: id, traceId: row.tr }, options: { id: row.j, concurrencyKey: row.c } })),
          tx,
        );
      }
      // A request whose row was written is "stored"; any other (an earlier delivery of the same
      // key, or a twin in this very batch) is a duplicate of the row that has its key.
      const keyOf = (c: string, s: string, d: string) => `${c}\u0000${s}\u0000${d}`;
      const idByKey = new Map(made.map(({ id, row }) => [keyOf(row.c, row.s, row.d), id]));
      const unknown = rows.filter((row) => !idByJob.has(row.j) && !idByKey.has(keyOf(row.c, row.s, row.d)));
      if (unknown.length > 0) {
        const { rows: found } = await tx.query<{ id: number; connection_id: string; source: string; dedupe_key: string }>(
          `select id, connection_id, source, dedupe_key from inbox_events
            where (connection_id, source, dedupe_key) in (select c, s, d from jsonb_to_recordset($1::jsonb) as x(c text, s text, d text))`,
          [JSON.stringify(unknown.map((row) => ({ c: row.c, s: row.s, d: row.d })))],
        );
        for (const r of found) idByKey.set(keyOf(r.connection_id, r.source, r.dedupe_key), Number(r.id));
      }
      return rows.map((row): StoreEventResult => {
        const id = idByJob.get(row.j);
        if (id !== undefined) return { status: "stored", id, traceId: row.tr };
        return { status: "duplicate", id: idByKey.get(keyOf(row.c, row.s, row.d)) ?? null };
      });
    });
  }

  /**
   * Writes a batch; when the batch fails as a whole (one event PostgreSQL refuses, say a NUL in
   * its JSON), writes each event alone so only the bad one fails and the others are not bounced.
   */
  async function writeBatchIsolatingFailures(items: NewInboxEvent[]): Promise<(StoreEventResult | Error)[]> {
    try {
      return await writeBatch(items);
    } catch (error) {
      if (items.length === 1) return [error instanceof Error ? error : new Error(String(error))];
      const results: (StoreEventResult | Error)[] = [];
      for (const item of items) {
        try {
          results.push((await writeBatch([item]))[0]!);
        } catch (e) {
          results.push(e instanceof Error ? e : new Error(String(e)));
        }
      }
      return results;
    }
  }

  const groupCommit: GroupCommit<NewInboxEvent, StoreEventResult | Error> = createGroupCommit({
    write: writeBatchIsolatingFailures,
    maxBatch: options.maxBatch ?? 256,
    maxInFlight: options.maxInFlight ?? (db.kind === "pglite" ? 1 : 4),
    lingerMs: options.lingerMs ?? (db.kind === "pglite" ? 1 : 0),
  });

  async function loadEvent(q: Queryable, id: number): Promise<InboxEvent | null> {
    const { rows } = await q.query<InboxRow>(`select ${COLUMNS} from inbox_events where id = $1`, [id]);
    return rows[0] ? toEvent(rows[0]) : null;
  }

  async function handle(job: { id: string; data: JobData; retryCount: number; signal: AbortSignal }): Promise<void> {
    const event = await loadEvent(db, job.data.eventId);
    if (!event) {
      logger.warn({ eventId: job.data.eventId, jobId: job.id }, "inbox job for an event that no longer exists");
      return;
    }
    // A job can run again after its work was done (the process died before pg-boss recorded the
    // completion): a processed event is left alone. A replay resets the status first.
    if (event.status === "processed" || event.status === "ignored") return;
    const log = logger.child({ traceId: event.traceId, eventId: event.id, event: event.event, connectionId: event.connectionId });
    await db.query(`update inbox_events set status = 'processing', attempts = attempts + 1 where id = $1`, [event.id]);
    if (!processor) {
      await db.query(`update inbox_events set status = 'ignored', processed_at = now(), error = $2 where id = $1`, [
        event.id,
        "no event processor is registered in this process",
      ]);
      return;
    }
    try {
      await processor(event, { traceId: event.traceId, attempt: job.retryCount + 1, logger: log, signal: job.signal });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const final = job.retryCount >= retryLimit;
      await db.query(`update inbox_events set status = $2, error = $3 where id = $1`, [event.id, final ? "failed" : "received", message]);
      log.warn({ attempt: job.retryCount + 1, final, err: error }, "event processing failed");
      throw error;
    }
    await db.query(`update inbox_events set status = 'processed', processed_at = now(), error = null where id = $1`, [event.id]);
  }

  /**
   * Creates the `inbox.process` job of each event a fan-out job names, in one transaction, with the
   * id its inbox row already carries (`last_job_id`). Running again after a crash (jobs committed,
   * fan-out not yet marked done) creates nothing more: a job id that exists is skipped. An event
   * replayed meanwhile names its replay's job, which exists, so it is not queued twice either.
   */
  async function fanOut(job: { id: string; data: FanOutData }): Promise<void> {
    await db.transaction(async (tx) => {
      const { rows } = await tx.query<{ id: number; trace_id: string; connection_id: string; last_job_id: string | null }>(
        `select id, trace_id, connection_id, last_job_id from inbox_events where id = any($1::bigint[]) order by id`,
        [job.data.eventIds],
      );
      if (rows.length < job.data.eventIds.length) {
        logger.warn({ jobId: job.id, missing: job.data.eventIds.length - rows.length }, "fan-out job names events that no longer exist");
      }
      if (rows.length === 0) return;
      await queue.sendMany<JobData>(
        INBOX_QUEUE,
        rows.map((r) => ({
          data: { eventId: Number(r.id), traceId: r.trace_id },
          options: { id: r.last_job_id ?? randomUUID(), concurrencyKey: r.connection_id },
        })),
        tx,
      );
    });
  }

  const expireInSeconds = options.expireInSeconds ?? 300;

  return {
    async start() {
      await queue.define(INBOX_QUEUE, {
        retryLimit,
        retryDelay: options.retryDelaySeconds ?? 2,
        retryBackoff: true,
        retryDelayMax: 600,
        expireInSeconds,
      });
      // Fan-out is a few statements: a lost attempt (its process died) is retried within 30 s.
      await queue.define(INBOX_FANOUT_QUEUE, {
        retryLimit: Math.max(retryLimit, 10),
        retryDelay: options.retryDelaySeconds ?? 2,
        retryBackoff: true,
        retryDelayMax: 60,
        expireInSeconds: Math.min(expireInSeconds, 30),
      });
    },
    async storeEvent(event) {
      const result = await groupCommit.submit(event);
      if (result instanceof Error) throw result;
      return result;
    },
    registerEventProcessor(fn) {
      processor = fn;
    },
    async startProcessing(processingOptions = {}) {
      await queue.work<FanOutData>(INBOX_FANOUT_QUEUE, { concurrency: 2 }, fanOut);
      await queue.work<JobData>(
        INBOX_QUEUE,
        {
          concurrency: processingOptions.concurrency ?? 4,
          ...(processingOptions.perConnectionConcurrency ? { perKeyConcurrency: processingOptions.perConnectionConcurrency } : {}),
        },
        handle,
      );
    },
    async replayEvent(id) {
      return db.transaction(async (tx) => {
        const { rows } = await tx.query<{ id: number; trace_id: string; connection_id: string }>(
          `select id, trace_id, connection_id from inbox_events where id = $1 for update`,
          [id],
        );
        const row = rows[0];
        if (!row) return null;
        const jobId = await queue.send<JobData>(
          INBOX_QUEUE,
          { eventId: Number(row.id), traceId: row.trace_id },
          { concurrencyKey: row.connection_id },
          tx,
        );
        await tx.query(
          `update inbox_events set status = 'received', error = null, replays = replays + 1, last_job_id = $2 where id = $1`,
          [id, jobId],
        );
        return jobId;
      });
    },
    getEvent(id) {
      return loadEvent(db, id);
    },
    async listEvents(listOptions = {}) {
      const where: string[] = [];
      const params: unknown[] = [];
      if (listOptions.status) where.push(`status = $${params.push(listOptions.status)}`);
      if (listOptions.connectionId) where.push(`connection_id = $${params.push(listOptions.connectionId)}`);
      if (listOptions.beforeId !== undefined) where.push(`id < $${params.push(listOptions.beforeId)}`);
      const limit = Math.min(Math.max(listOptions.limit ?? 50, 1), 1000);
      const { rows } = await db.query<InboxRow>(
        `select ${COLUMNS} from inbox_events ${where.length ? `where ${where.join(" and ")}` : ""} order by id desc limit ${limit}`,
        params,
      );
      return rows.map(toEvent);
    },
    async countByStatus() {
      const { rows } = await db.query<{ status: string; n: number }>(
        "select status, count(*)::int as n from inbox_events group by status",
      );
      return Object.fromEntries(rows.map((r) => [r.status, r.n]));
    },
    drain() {
      return groupCommit.drain();
    },
  };
}
