/**
 * Runs one Lever write so that it is applied at most once per idempotency key, even across retries,
 * timeouts and process crashes:
 *
 * 1. A key recorded `done` in the ledger returns the recorded result without calling Lever.
 * 2. A key left `pending` (a crash mid-write) or `unknown` (no answer) is first checked against
 *    Lever's state — the write's marker in a note, the tag already on the opportunity, the webhook
 *    already subscribed — and only written again when Lever does not have it.
 * 3. Inside one call, an attempt whose outcome is unknown (5xx, timeout, connection lost after
 *    sending) is followed by the same check before the next attempt.
 */
import { LeverApiError, LeverIdempotencyKeyConflictError, LeverResponseError, LeverWriteOutcomeUnknownError } from "./errors.ts";
import type { WriteLedger } from "./ports.ts";
import { sleep } from "./sleep.ts";
import { backoffDelay, outcomeUnknown, type LeverRequest, type Transport } from "./transport.ts";

export interface WriteSpec<T> {
  key: string;
  request: LeverRequest;
  /** Reads Lever's answer; throws (a LeverResponseError) when it does not fit. */
  parse(body: unknown): T;
  /** The id of what the write made, for the ledger. */
  leverId(result: T): string | null;
  /** What to keep in the ledger (secrets removed). Default: the result. */
  toRecord?(result: T): unknown;
  /** Rebuilds a result from the ledger. Default: `parse` of the record. */
  fromRecord?(record: unknown): T;
  /**
   * How to tell whether an earlier attempt was applied:
   * - a function: looks for the write's effect in Lever and returns it, or undefined when absent;
   * - "repeat": the write is naturally idempotent (a full replace, a set operation): just send it again;
   * - "unverifiable": cannot be checked and must not be repeated blindly: report the outcome as unknown.
   */
  check: (() => Promise<T | undefined>) | "repeat" | "unverifiable";
  /** For deletes: a 404 after an attempt whose outcome was unknown means that attempt deleted it. */
  notFoundMeansDone?: { value: T };
}

export interface WriteContext {
  transport: Transport;
  ledger: WriteLedger;
  /** Attempts after the first whose outcome is unknown. */
  maxRetries: number;
  retryBaseMs: number;
  retryMaxMs: number;
}

/**
 * Writes in flight in this process, by connection and key. A job can run twice at once in one
 * process (the queue hands out an expired job again while its first run is still finishing); the
 * second run must wait for the first and then find its outcome in the ledger. Without this both
 * see no marker in Lever yet and both write. Across processes the ledger's `pending` record and
 * the check against Lever remain the guard.
 */
const inFlight = new Map<string, Promise<unknown>>();

export async function runIdempotentWrite<T>(ctx: WriteContext, spec: WriteSpec<T>): Promise<T> {
  const slot = `${ctx.transport.connectionId}\u0000${spec.key}`;
  for (let earlier = inFlight.get(slot); earlier; earlier = inFlight.get(slot)) {
    await earlier.catch(() => {});
  }
  const run = writeOnce(ctx, spec);
  inFlight.set(slot, run);
  try {
    return await run;
  } finally {
    if (inFlight.get(slot) === run) inFlight.delete(slot);
  }
}

async function writeOnce<T>(ctx: WriteContext, spec: WriteSpec<T>): Promise<T> {
  const { transport, ledger } = ctx;
  const connectionId = transport.connectionId;
  const operation = spec.request.endpoint;
  if (!spec.key) throw new TypeError(`Lever ${operation}: a write needs an idempotency key ({ key })`);

  const record = await ledger.get(connectionId, spec.key);
  if (record && record.operation !== operation) {
    throw new LeverIdempotencyKeyConflictError(spec.key, record.operation, operation);
  }
  if (record?.status === "done") return (spec.fromRecord ?? spec.parse)(record.result);

  let unknown = record?.status === "pending" || record?.status === "unknown";
  await ledger.begin(connectionId, spec.key, operation);

  const done = async (result: T): Promise<T> => {
    await ledger.settle(connectionId, spec.key, {
      status: "done",
      leverId: spec.leverId(result),
      result: spec.toRecord ? spec.toRecord(result) : result,
    });
    return result;
  };

  for (let n = 0; ; n++) {
    if (unknown) {
      if (typeof spec.check === "function") {
        const found = await spec.check();
        if (found !== undefined) return done(found);
      } else if (spec.check === "unverifiable") {
        await ledger.settle(connectionId, spec.key, { status: "unknown", error: "cannot be checked against Lever" });
        throw new LeverWriteOutcomeUnknownError(operation, spec.key, {
          reason: "an earlier attempt may have been applied and this write cannot be checked against Lever",
        });
      }
    }
    let body: unknown;
    try {
      const response = await transport.request({ ...spec.request, retryUnknownOutcome: false });
      body = response.body;
    } catch (error) {
      if (unknown && spec.notFoundMeansDone !== undefined && error instanceof LeverApiError && error.status === 404) {
        return done(spec.notFoundMeansDone.value);
      }
      if (outcomeUnknown(error)) {
        unknown = true;
        if (n < ctx.maxRetries && spec.check !== "unverifiable") {
          await sleep(backoffDelay(n, ctx.retryBaseMs, ctx.retryMaxMs), spec.request.signal);
          continue;
        }
        await ledger.settle(connectionId, spec.key, { status: "unknown", error: String((error as Error).message) });
        throw new LeverWriteOutcomeUnknownError(operation, spec.key, { cause: error });
      }
      // Lever refused it (4xx, or 429 after every retry): nothing was applied.
      await ledger.settle(connectionId, spec.key, { status: "failed", error: String((error as Error).message) });
      throw error;
    }
    let result: T;
    try {
      result = spec.parse(body);
    } catch (error) {
      // Lever applied the write but answered with a shape we cannot read: the next attempt checks.
      await ledger.settle(connectionId, spec.key, { status: "unknown", error: String((error as Error).message) });
      throw error instanceof LeverResponseError ? error : new LeverResponseError(operation, String(error), { cause: error });
    }
    return done(result);
  }
}
