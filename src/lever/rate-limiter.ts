/**
 * An in-memory token bucket, for library use without a database (one process only). Deployments use
 * the database-backed limiter from `src/store/lever-rate-limit.ts`, which every process shares.
 */
import { LEVER_BURST, LEVER_RATE_PER_SECOND, LEVER_SAFETY_MARGIN_MS, type RateLimiter } from "./ports.ts";
import { sleep } from "./sleep.ts";

/**
 * A token bucket per connection. A taker reserves the next token even when the bucket is empty
 * (the balance goes negative) and waits until that token would have been added: callers are served
 * in order and the rate is exact, with no polling. The refill clock starts a safety margin after a
 * full bucket is first taken from (see LEVER_SAFETY_MARGIN_MS): that shifts the schedule without
 * lowering the rate.
 */
export function createMemoryRateLimiter(
  options: { ratePerSecond?: number; burst?: number; safetyMarginMs?: number; now?: () => number } = {},
): RateLimiter & { reserve(connectionId: string): number; backOff(connectionId: string, pauseMs: number): Promise<void> } {
  const rate = options.ratePerSecond ?? LEVER_RATE_PER_SECOND;
  const margin = options.safetyMarginMs ?? LEVER_SAFETY_MARGIN_MS;
  const burst = options.burst ?? LEVER_BURST;
  const now = options.now ?? (() => performance.now());
  const buckets = new Map<string, { tokens: number; at: number }>();
  function reserve(connectionId: string): number {
    const t = now();
    const bucket = buckets.get(connectionId);
    // Refill runs from `at`, which may lie in the future (the lag after a full bucket, see ports.ts).
    const refilled = bucket ? Math.min(burst, bucket.tokens + (Math.max(0, t - bucket.at) / 1000) * rate) : burst;
    const full = refilled >= burst;
    const at = full ? t + margin : Math.max(bucket?.at ?? t, t);
    const tokens = refilled - 1;
    buckets.set(connectionId, { tokens, at });
    return tokens >= 0 ? 0 : Math.max(0, at - t) + (-tokens / rate) * 1000;
  }
  return {
    reserve,
    async backOff(connectionId, pauseMs) {
      const t = now();
      const bucket = buckets.get(connectionId);
      buckets.set(connectionId, { tokens: Math.min(bucket?.tokens ?? 0, 0), at: Math.max(bucket?.at ?? t, t + pauseMs) });
    },
    async take(connectionId, signal) {
      const waitMs = reserve(connectionId);
      if (waitMs > 0) await sleep(waitMs, signal);
    },
  };
}
