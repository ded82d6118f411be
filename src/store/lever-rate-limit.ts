/**
 * The Lever rate limit shared by every process on one database: a token bucket per connection in
 * `lever_rate_buckets`, taken with one atomic statement. Time comes from the database clock (one
 * clock for every process), never from the process.
 */
import { setTimeout as delay } from "node:timers/promises";
import type { Queryable } from "./database.ts";

// One statement per take, so concurrent takers serialise on the bucket's row lock and no two can
// take the same token. Refill is computed from the time since updated_at, capped at the burst; the
// balance may go below zero: the taker has reserved the next free token and waits for it, which keeps
// callers in order and the rate exact without polling. Taking from a full bucket sets updated_at a
// safety margin into the future, so refill starts late (see LEVER_SAFETY_MARGIN_MS). `greatest(0, …)`
// covers updated_at in the future and a taker whose clock reading predates the row it waited for.
// $1 connection, $2 rate per second, $3 burst, $4 margin in ms.
const REFILLED = "least($3::float8, b.tokens + greatest(0, extract(epoch from (c.t - b.updated_at))::float8) * $2::float8)";
const TAKE_SQL = `
with c as (select clock_timestamp() as t)
insert into lever_rate_buckets as b (connection_id, tokens, updated_at)
select $1, $3::float8 - 1, c.t + make_interval(secs => $4::float8 / 1000) from c
on conflict (connection_id) do update set
  tokens = (select ${REFILLED} - 1 from c),
  updated_at = (select case when ${REFILLED} >= $3::float8 then c.t + make_interval(secs => $4::float8 / 1000)
                            else greatest(b.updated_at, c.t) end from c)
returning tokens,
  (extract(epoch from updated_at) * 1000)::float8 as at_ms,
  (select (extract(epoch from c.t) * 1000)::float8 from c) as now_ms`;

export interface Reservation {
  /** How long the taker waits before sending (ms). */
  waitMs: number;
  /** When the token becomes the taker's, on the database clock (ms since the epoch). */
  grantAtMs: number;
}

/**
 * The bucket's limits. The caller, who knows the API, says them (`src/lever/ports.ts` holds Lever's):
 * the store keeps the bucket, not the knowledge of whose limit it is.
 */
export interface RateLimits {
  ratePerSecond: number;
  burst: number;
  /** How long refill waits after a full bucket is taken from: absorbs jitter, keeps the rate. */
  safetyMarginMs: number;
}

/** Satisfies the Lever client's `RateLimiter` port, shared by every process on the database. */
export interface DatabaseRateLimiter {
  /** Resolves when this caller may send one request on `connectionId`. */
  take(connectionId: string, signal?: AbortSignal): Promise<void>;
  /** Takes a token (possibly a future one) and says how long to wait for it. */
  reserve(connectionId: string): Promise<Reservation>;
  backOff(connectionId: string, pauseMs: number): Promise<void>;
}

/**
 * A rate limiter backed by the database.
 * @example
 * const limiter = createDatabaseRateLimiter(db, LEVER_RATE_LIMITS); // 10/s, burst 20: Lever's limits
 * const lever = createLeverClient({ ..., rateLimiter: limiter });
 */
export function createDatabaseRateLimiter(db: Queryable, limits: RateLimits): DatabaseRateLimiter {
  const { ratePerSecond: rate, burst, safetyMarginMs: margin } = limits;
  async function reserve(connectionId: string): Promise<Reservation> {
    const { rows } = await db.query<{ tokens: number; at_ms: number; now_ms: number }>(TAKE_SQL, [connectionId, rate, burst, margin]);
    const row = rows[0];
    if (!row) throw new Error("lever_rate_buckets: the take statement returned no row");
    const tokens = Number(row.tokens);
    const nowMs = Number(row.now_ms);
    const waitMs = tokens >= 0 ? 0 : Math.max(0, Number(row.at_ms) - nowMs) + (-tokens / rate) * 1000;
    return { waitMs, grantAtMs: nowMs + waitMs };
  }
  return {
    reserve,
    async backOff(connectionId, pauseMs) {
      // Empty the bucket and push its refill start past the pause: every process waits it out.
      await db.query(
        `insert into lever_rate_buckets as b (connection_id, tokens, updated_at)
         values ($1, 0, clock_timestamp() + make_interval(secs => $2::float8 / 1000))
         on conflict (connection_id) do update set
           tokens = least(b.tokens, 0),
           updated_at = greatest(b.updated_at, excluded.updated_at)`,
        [connectionId, pauseMs],
      );
    },
    async take(connectionId, signal) {
      const { waitMs } = await reserve(connectionId);
      if (waitMs > 0) await delay(waitMs, undefined, signal ? { signal } : undefined);
    },
  };
}
