/**
 * The two ports the Lever client needs from storage. `src/store/lever-rate-limit.ts` and
 * `src/store/lever-write-ledger.ts` implement them on the database (shared by every process) without
 * importing them: the engine hands the store's implementations to the client, and the compiler
 * checks there that they fit. `rate-limiter.ts` and `write-ledger.ts` here implement them in memory for library use.
 */

/** Lever's documented limit: a token bucket per API key, 10 requests/s steady, bursts of 20. */
export const LEVER_RATE_PER_SECOND = 10;
export const LEVER_BURST = 20;
/**
 * How far our bucket's refill lags behind Lever's. Lever's bucket starts refilling when our first
 * request of a burst is *processed*, which can be 100 ms or more after we took its token (a cold
 * process, a new TLS connection), while later requests travel faster on a warm connection; a token due exactly on our clock would then
 * reach Lever a little early and be refused with a 429. So after taking from a full bucket, ours
 * starts refilling this much later than the take: a constant shift of the whole schedule, which
 * absorbs the jitter without lowering the sustained rate.
 */
export const LEVER_SAFETY_MARGIN_MS = 250;

/** Lever's limits as a rate limiter takes them (`createDatabaseRateLimiter` in the store). */
export const LEVER_RATE_LIMITS = { ratePerSecond: LEVER_RATE_PER_SECOND, burst: LEVER_BURST, safetyMarginMs: LEVER_SAFETY_MARGIN_MS } as const;

/** Waits for a turn to call Lever on a connection, so the connection never exceeds Lever's limit. */
export interface RateLimiter {
  /** Resolves when this caller may send one request on `connectionId`. */
  take(connectionId: string, signal?: AbortSignal): Promise<void>;
  /**
   * Lever answered 429 although our bucket allowed the call (another client shares the key, or
   * Lever's limit varies with load): empty the bucket and hold refills for `pauseMs`, so every
   * process sharing the connection slows down, not only the one that got the 429.
   */
  backOff?(connectionId: string, pauseMs: number): Promise<void>;
}

/** How long the shared bucket pauses after a 429 without `Retry-After`. */
export const LEVER_RATE_LIMITED_PAUSE_MS = 1000;

/** Where a write stands. */
export type LeverWriteStatus =
  /** Being sent (or a process crashed while sending it: treat as unknown). */
  | "pending"
  /** Lever applied it; `result` holds what Lever answered. */
  | "done"
  /** Sent, but no answer: Lever may or may not have applied it. */
  | "unknown"
  /** Lever refused it (a 4xx): nothing was applied; a new attempt writes again. */
  | "failed";

export interface LeverWriteRecord {
  connectionId: string;
  key: string;
  /** The endpoint, e.g. `POST /opportunities/:opportunity/notes`. */
  operation: string;
  status: LeverWriteStatus;
  /** The id of what the write made (note, panel, opportunity …), when it made something. */
  leverId: string | null;
  /** Lever's answer (secrets removed), returned as is when the key is used again. */
  result: unknown;
  error: string | null;
  attempts: number;
}

/** Records each write's idempotency key and outcome. */
export interface WriteLedger {
  get(connectionId: string, key: string): Promise<LeverWriteRecord | undefined>;
  /** Marks the write as being sent (creating the record, or counting one more attempt). */
  begin(connectionId: string, key: string, operation: string): Promise<void>;
  /** Records the final or unknown outcome. */
  settle(
    connectionId: string,
    key: string,
    outcome: { status: "done"; leverId: string | null; result: unknown } | { status: "unknown" | "failed"; error: string },
  ): Promise<void>;
}
