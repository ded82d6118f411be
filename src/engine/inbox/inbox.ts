/**
 * The inbox: every inbound event is stored (deduplicated) together with its first job in one
 * transaction before the sender gets its 2xx; a worker then hands it to the registered
 * `EventProcessor` (the workflow engine). Nothing is lost (the row and the job commit together)
 * and nothing is done twice by the inbox (a redelivery is a no-op; a processed event is skipped).
 */
import { hash, randomBytes, randomUUID } from "node:crypto";
import type { Database, Queryable } from "../../store/index.ts";
import { silentLogger, type Logger } from "../../observability/index.ts";
import type { JobQueue } from "../queue/index.ts";
import { createGroupCommit, type GroupCommit } from "./group-commit.ts";
import { findUnstorableName, findUnstorableValue, MAX_DEDUPE_KEY_LENGTH, MAX_NAME_LENGTH, UnstorableEventError } from "./storable-event.ts";

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
  /**
   * For a source whose signature does not cover the whole body (Lever signs only `token` and
   * `triggeredAt`): digests of what the signature covers (`tokenHash`) and of the whole body. A
   * signed token is accepted with one body only; another body is refused with
   * `SignatureTokenReusedError`. Needs `triggeredAt`, which decides when the token is forgotten.
   */
  replayGuard?: { tokenHash: string; bodyHash: string };
}

export type StoreEventResult = { status: "stored"; id: number; traceId: string } | { status: "duplicate"; id: number | null };

/** What a batch answers per delivery: stored, a duplicate, or a reused token (thrown as the error below). */
type WriteResult = StoreEventResult | { status: "token_reused" };

/**
 * Thrown by `Inbox.storeEvent` when the event's signature token was seen before, within the
 * replay window, with another body: a captured delivery re-sent with new data. Nothing was
 * stored. Not worth retrying: the same token with that body will always be refused.
 */
export class SignatureTokenReusedError extends Error {
  override readonly name = "SignatureTokenReusedError";
  constructor() {
    super("this delivery's signature token was already used, within the replay window, for a delivery with another body");
  }
}

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
   * Milliseconds a group commit waits for more events before writing. Default 0 (at once: the
   * events that arrive while a batch is written make the next one), and 1 when the embedded
   * database runs on this thread (`db.onThisThread`): requests are then only read between writes,
   * so a batch written at once would hold one event (2 ms gathered no larger batches there and
   * left the loop idle longer). Measured on its own thread, 0 ms beat 1 ms on both saturated
   * throughput and the tail at a steady 250 requests/s (`bench:intake`).
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
  /**
   * How long signature tokens are remembered (seconds after their `triggeredAt`): the webhook
   * replay window (`FULCRUM_WEBHOOK_REPLAY_WINDOW`). Default 24 hours.
   */
  replayWindowSeconds?: number;
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
  /** The stored event with this identity (connection, source, dedupe key), if any. */
  findEvent(key: { connectionId: string; source: string; dedupeKey: string }): Promise<InboxEvent | null>;
  listEvents(options?: ListEventsOptions): Promise<InboxEvent[]>;
  /** Counts by status, for health pages. */
  countByStatus(): Promise<Record<string, number>>;
  /** Waits for writes in progress to commit (for shutdown). */
  drain(): Promise<void>;
  /**
   * Forgets signature tokens whose `triggeredAt` is further back than the replay window (and a
   * margin for clocks): a delivery that old is refused by its time stamp alone. Resolves to the
   * number forgotten. Runs every 15 minutes in processes that `startProcessing`.
   */
  forgetExpiredReplayTokens(): Promise<number>;
  /**
   * Records a signed delivery's token that is acknowledged without being stored (a test ping), so
   * the same token cannot come back later with data. Throws {@link SignatureTokenReusedError} when
   * the token was already seen with another body; a repeat of the same body passes.
   */
  rememberSignatureToken(connectionId: string, guard: { tokenHash: string; bodyHash: string }, triggeredAt: Date): Promise<void>;
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

/** What identifies an event before its row has an id: its dedupe key, within its connection and source. */
interface EventKey {
  connectionId: string;
  source: string;
  dedupeKey: string;
}

/**
 * An `inbox.process` job names its event by id (jobs made by a fan-out or a replay) or, when it was
 * written in the same round trip as the event's row (the intake's own), by the event's key.
 */
type JobData = { eventId: number; traceId: string } | { event: EventKey; traceId: string };

/** A fan-out job names its events by id, or (written together with them) by key, grouped. */
type FanOutData = { eventIds: number[] } | { events: { connectionId: string; source: string; dedupeKeys: string[] }[] };

/**
 * The id of an event's first job, made from its key: a redelivery of the event, written in the same
 * round trip as its (refused) row, names a job that already exists, and pg-boss skips it.
 */
export function firstJobId(connectionId: string, source: string, dedupeKey: string): string {
  const h = hash("sha256", `${connectionId}\u0000${source}\u0000${dedupeKey}`, "hex");
  // Shaped as an RFC 9562 version 8 (custom) UUID.
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The keys of a batch's rows, grouped by connection and source (a fan-out job's data). */
function groupKeys(rows: { c: string; s: string; d: string }[]): { connectionId: string; source: string; dedupeKeys: string[] }[] {
  const groups = new Map<string, { connectionId: string; source: string; dedupeKeys: string[] }>();
  for (const row of rows) {
    const key = `${row.c}\u0000${row.s}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { connectionId: row.c, source: row.s, dedupeKeys: [] }));
    group.dedupeKeys.push(row.d);
  }
  return [...groups.values()];
}

/**
 * One statement stores a batch: its signature tokens (`$2`), then its events (`$1`). An event
 * that carries a token is written only when this very statement recorded that token with the
 * event's body hash: a token seen before (a repeat, or a captured delivery re-sent with new data)
 * or recorded here for another body of the same batch lets nothing through, and the caller tells
 * the two apart afterwards. The token check thus needs no round trip of its own; under
 * concurrent batches the primary key makes the second writer of a token wait for the first and
 * then skip it. Tokens come as a parameter of their own because twins (one event, several
 * deliveries) are written once while each delivery's token must be remembered.
 */
const INSERT_EVENTS = `with seen as (
    insert into webhook_replay_tokens (connection_id, token_hash, body_hash, triggered_at)
    select c, k, h, t from jsonb_to_recordset($2::jsonb) as y(c text, k text, h text, t timestamptz)
    on conflict (connection_id, token_hash) do nothing
    returning connection_id, token_hash, body_hash
  )
  insert into inbox_events (connection_id, source, event, dedupe_key, triggered_at, trace_id, payload, last_job_id)
  select c, s, e, d, t, tr, p, j
    from jsonb_to_recordset($1::jsonb) as x(c text, s text, e text, d text, t timestamptz, tr text, p jsonb, j text, k text, h text)
   where x.k is null or exists (select 1 from seen where seen.connection_id = x.c and seen.token_hash = x.k and seen.body_hash = x.h)
  on conflict (connection_id, source, dedupe_key) do nothing
  returning id, last_job_id`;

/**
 * For each delivery of a batch that was not stored: the id of the event already stored under its
 * key (null when none), and whether its token was recorded with another body (a reuse).
 */
const LOOK_UP_UNSTORED = `select x.n, e.id, (w.body_hash is not null and w.body_hash <> x.h) as reused
    from jsonb_to_recordset($1::jsonb) as x(n int, c text, s text, d text, k text, h text)
    left join inbox_events e on e.connection_id = x.c and e.source = x.s and e.dedupe_key = x.d
    left join webhook_replay_tokens w on x.k is not null and w.connection_id = x.c and w.token_hash = x.k`;

/** Clocks of several processes may differ a little; tokens are kept this much longer. */
const REPLAY_TOKEN_MARGIN_SECONDS = 300;

/** The queue of the periodic job that forgets expired signature tokens. */
const FORGET_TOKENS_QUEUE = "inbox.forget-replay-tokens";

/**
 * The times a `timestamptz` round-trips as an ISO string: a Date can hold years up to 275760, but
 * PostgreSQL cannot read the signed six-digit years (`+010000-…`) or year 0 and below that
 * `toISOString` gives for them, and the whole batch would fail.
 */
const EARLIEST_STORABLE_MS = Date.parse("0001-01-01T00:00:00Z");
const LATEST_STORABLE_MS = Date.parse("+010000-01-01T00:00:00Z");

/** Every event `storeEvent` is given is checked here first; the first problem found is thrown. */
function assertStorable(event: NewInboxEvent): void {
  const problem =
    findUnstorableName("connection", event.connectionId, MAX_NAME_LENGTH) ??
    findUnstorableName("source", event.source, MAX_NAME_LENGTH) ??
    findUnstorableName("event", event.event, MAX_NAME_LENGTH) ??
    findUnstorableName("dedupeKey", event.dedupeKey, MAX_DEDUPE_KEY_LENGTH) ??
    findUnstorableValue(event.payload);
  if (problem) throw new UnstorableEventError(problem);
  if (event.triggeredAt && !(event.triggeredAt.getTime() >= EARLIEST_STORABLE_MS && event.triggeredAt.getTime() < LATEST_STORABLE_MS)) {
    throw new UnstorableEventError({ code: "time_out_of_range", path: "triggeredAt", message: "triggeredAt: not a time between the years 1 and 9999" });
  }
  if (event.replayGuard && !event.triggeredAt) throw new Error("inbox: an event with a replayGuard needs its triggeredAt");
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
   * One transaction for the whole batch, sent as one `db.batch`: a multi-row insert that skips
   * known dedupe keys, and the batch's first jobs (one `inbox.process` job each, or one fan-out job
   * for a batch of `fanOutFrom` or more). The two statements do not wait on each other's results
   * (on the embedded database the whole transaction is one call into PGlite): each job names its
   * event by key, with an id made from that key, so the job of an event already stored exists
   * already and is skipped. The rows go in as one JSON parameter (each payload nested as JSON,
   * not escaped again as text), so the statement text is the same for every batch size and is
   * prepared once per session.
   */
  async function writeBatch(items: NewInboxEvent[]): Promise<WriteResult[]> {
    const keyOf = (c: string, s: string, d: string) => `${c}\u0000${s}\u0000${d}`;
    // Twins in one batch: the first is written, the others answer as its duplicates.
    const byKey = new Map<string, NewInboxEvent>();
    for (const i of items) {
      const key = keyOf(i.connectionId, i.source, i.dedupeKey);
      if (!byKey.has(key)) byKey.set(key, i);
    }
    const unique = [...byKey.values()];
    const entropy = randomBytes(16 * unique.length).toString("hex");
    const rows = unique.map((i, n) => ({
      c: i.connectionId,
      s: i.source,
      e: i.event,
      d: i.dedupeKey,
      t: i.triggeredAt ? i.triggeredAt.toISOString() : null,
      // A trace id each (32 hex digits, as newTraceId makes), from one draw of randomness.
      tr: entropy.slice(32 * n, 32 * n + 32),
      p: i.payload,
      j: firstJobId(i.connectionId, i.source, i.dedupeKey),
      k: i.replayGuard?.tokenHash ?? null,
      h: i.replayGuard?.bodyHash ?? null,
    }));
    // Every delivery's token, the first body of each token in the batch.
    const tokens = new Map<string, { c: string; k: string; h: string; t: string }>();
    for (const i of items) {
      if (!i.replayGuard) continue;
      const key = `${i.connectionId}\u0000${i.replayGuard.tokenHash}`;
      if (!tokens.has(key)) tokens.set(key, { c: i.connectionId, k: i.replayGuard.tokenHash, h: i.replayGuard.bodyHash, t: i.triggeredAt!.toISOString() });
    }
    const jobs =
      fanOutFrom > 0 && rows.length >= fanOutFrom
        ? await queue.insertStatement<FanOutData>(INBOX_FANOUT_QUEUE, [{ data: { events: groupKeys(rows) } }])
        : await queue.insertStatement<JobData>(
            INBOX_QUEUE,
            rows.map((row) => ({
              data: { event: { connectionId: row.c, source: row.s, dedupeKey: row.d }, traceId: row.tr },
              options: { id: row.j, concurrencyKey: row.c },
            })),
          );
    const [inserted] = await db.batch([{ sql: INSERT_EVENTS, params: [JSON.stringify(rows), JSON.stringify([...tokens.values()])] }, jobs]);
    // Each new row is told apart by its job id (made from its key), so only the id comes back.
    const idByJob = new Map(inserted!.rows.map((r) => [String(r.last_job_id), Number(r.id)]));
    const rowOf = new Map(rows.map((row) => [keyOf(row.c, row.s, row.d), row]));
    const results: (WriteResult | undefined)[] = items.map((item) => {
      const key = keyOf(item.connectionId, item.source, item.dedupeKey);
      const row = rowOf.get(key)!;
      const id = idByJob.get(row.j);
      // The first of twins is the one written; the rest are looked up below.
      return id !== undefined && byKey.get(key) === item ? { status: "stored", id, traceId: row.tr } : undefined;
    });
    // Deliveries not written: a duplicate of an event stored before (or of a twin written just
    // now), or a signature token reused with another body. Rare, so a second round trip.
    const unstored = items.flatMap((item, n) => (results[n] ? [] : [{ n, item }]));
    if (unstored.length > 0) {
      const { rows: found } = await db.query<{ n: number; id: number | null; reused: boolean }>(LOOK_UP_UNSTORED, [
        JSON.stringify(
          unstored.map(({ n, item }) => ({
            n,
            c: item.connectionId,
            s: item.source,
            d: item.dedupeKey,
            k: item.replayGuard?.tokenHash ?? null,
            h: item.replayGuard?.bodyHash ?? null,
          })),
        ),
      ]);
      const strayJobs: string[] = [];
      for (const r of found) {
        const item = items[r.n]!;
        if (r.reused) {
          results[r.n] = { status: "token_reused" };
          // Its job went in with the batch; with no event of that key it has nothing to do.
          if (r.id === null) strayJobs.push(firstJobId(item.connectionId, item.source, item.dedupeKey));
        } else {
          results[r.n] = { status: "duplicate", id: r.id === null ? null : Number(r.id) };
        }
      }
      if (strayJobs.length > 0 && !(fanOutFrom > 0 && rows.length >= fanOutFrom)) {
        await queue.boss.deleteJob(INBOX_QUEUE, strayJobs);
      }
    }
    return results.map((r) => r ?? { status: "duplicate", id: null });
  }

  /**
   * Writes a batch; when the batch fails as a whole (one event PostgreSQL refuses, say a NUL in
   * its JSON), writes each event alone so only the bad one fails and the others are not bounced.
   */
  async function writeBatchIsolatingFailures(items: NewInboxEvent[]): Promise<(WriteResult | Error)[]> {
    try {
      return await writeBatch(items);
    } catch (error) {
      if (items.length === 1) return [error instanceof Error ? error : new Error(String(error))];
      const results: (WriteResult | Error)[] = [];
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

  const groupCommit: GroupCommit<NewInboxEvent, WriteResult | Error> = createGroupCommit({
    write: writeBatchIsolatingFailures,
    maxBatch: options.maxBatch ?? 256,
    maxInFlight: options.maxInFlight ?? (db.kind === "pglite" ? 1 : 4),
    lingerMs: options.lingerMs ?? (db.onThisThread ? 1 : 0),
  });

  async function loadEvent(q: Queryable, id: number): Promise<InboxEvent | null> {
    const { rows } = await q.query<InboxRow>(`select ${COLUMNS} from inbox_events where id = $1`, [id]);
    return rows[0] ? toEvent(rows[0]) : null;
  }

  async function loadEventByKey(key: EventKey): Promise<InboxEvent | null> {
    const { rows } = await db.query<InboxRow>(`select ${COLUMNS} from inbox_events where connection_id = $1 and source = $2 and dedupe_key = $3`, [
      key.connectionId,
      key.source,
      key.dedupeKey,
    ]);
    return rows[0] ? toEvent(rows[0]) : null;
  }

  async function handle(job: { id: string; data: JobData; retryCount: number; signal: AbortSignal }): Promise<void> {
    const event = "eventId" in job.data ? await loadEvent(db, job.data.eventId) : await loadEventByKey(job.data.event);
    if (!event) {
      logger.warn({ jobId: job.id }, "inbox job for an event that no longer exists");
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
    const data = job.data;
    const named = "eventIds" in data ? data.eventIds.length : data.events.reduce((n, g) => n + g.dedupeKeys.length, 0);
    await db.transaction(async (tx) => {
      const { rows } = await tx.query<{ id: number; trace_id: string; connection_id: string; last_job_id: string | null }>(
        "eventIds" in data
          ? `select id, trace_id, connection_id, last_job_id from inbox_events where id = any($1::bigint[]) order by id`
          : `select id, trace_id, connection_id, last_job_id from inbox_events
              where (connection_id, source, dedupe_key) in (
                select g.c, g.s, k.d from jsonb_to_recordset($1::jsonb) as g(c text, s text, ds jsonb), jsonb_array_elements_text(g.ds) as k(d))
              order by id`,
        "eventIds" in data ? [data.eventIds] : [JSON.stringify(data.events.map((g) => ({ c: g.connectionId, s: g.source, ds: g.dedupeKeys })))],
      );
      if (rows.length < named) {
        logger.warn({ jobId: job.id, missing: named - rows.length }, "fan-out job names events that no longer exist");
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
  const replayWindowSeconds = options.replayWindowSeconds ?? 24 * 3600;

  async function forgetExpiredReplayTokens(): Promise<number> {
    // The database's clock, the same for every process that shares it.
    const { rowCount } = await db.query(`delete from webhook_replay_tokens where triggered_at < now() - make_interval(secs => $1)`, [
      replayWindowSeconds + REPLAY_TOKEN_MARGIN_SECONDS,
    ]);
    return rowCount ?? 0;
  }

  async function rememberSignatureToken(connectionId: string, guard: { tokenHash: string; bodyHash: string }, triggeredAt: Date): Promise<void> {
    // The insert and the look-up share one snapshot: a row found by the select was there before
    // this statement, and only such a row can hold another body.
    const { rows } = await db.query<{ earlier: string | null }>(
      `with added as (
         insert into webhook_replay_tokens (connection_id, token_hash, body_hash, triggered_at) values ($1, $2, $3, $4)
         on conflict (connection_id, token_hash) do nothing returning 1
       )
       select (select body_hash from webhook_replay_tokens where connection_id = $1 and token_hash = $2) as earlier`,
      [connectionId, guard.tokenHash, guard.bodyHash, triggeredAt.toISOString()],
    );
    const earlier = rows[0]?.earlier ?? null;
    if (earlier !== null && earlier !== guard.bodyHash) throw new SignatureTokenReusedError();
  }

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
      await queue.define(FORGET_TOKENS_QUEUE, { retryLimit: 2, expireInSeconds: 600 });
      await queue.schedule(FORGET_TOKENS_QUEUE, "*/15 * * * *");
    },
    async storeEvent(event) {
      assertStorable(event);
      const result = await groupCommit.submit(event);
      if (result instanceof Error) throw result;
      if (result.status === "token_reused") throw new SignatureTokenReusedError();
      return result;
    },
    registerEventProcessor(fn) {
      processor = fn;
    },
    async startProcessing(processingOptions = {}) {
      await queue.work<FanOutData>(INBOX_FANOUT_QUEUE, { concurrency: 2 }, fanOut);
      await queue.work(FORGET_TOKENS_QUEUE, { concurrency: 1 }, async () => {
        const forgotten = await forgetExpiredReplayTokens();
        if (forgotten > 0) logger.info({ forgotten }, "expired webhook signature tokens forgotten");
      });
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
        const jobId = await queue.send<JobData>(INBOX_QUEUE, { eventId: Number(row.id), traceId: row.trace_id }, { concurrencyKey: row.connection_id }, tx);
        await tx.query(`update inbox_events set status = 'received', error = null, replays = replays + 1, last_job_id = $2 where id = $1`, [id, jobId]);
        return jobId;
      });
    },
    getEvent(id) {
      return loadEvent(db, id);
    },
    findEvent(key) {
      return loadEventByKey(key);
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
      const { rows } = await db.query<{ status: string; n: number }>("select status, count(*)::int as n from inbox_events group by status");
      return Object.fromEntries(rows.map((r) => [r.status, r.n]));
    },
    drain() {
      return groupCommit.drain();
    },
    forgetExpiredReplayTokens,
    rememberSignatureToken,
  };
}
