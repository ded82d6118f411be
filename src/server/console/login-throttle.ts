/**
 * Sign-in throttling, kept in the database so every process of a deployment counts the same
 * attempts. Two counters apply to every attempt: one for the client address and one for the
 * account named (known or not, so throttling does not reveal which accounts exist).
 *
 * An attempt is counted *before* its password is checked, by one atomic upsert per counter: after
 * `freeFailures`, each further failure makes the next attempt wait `baseDelayMs`, then twice that,
 * and so on up to `maxDelayMs`. An attempt made during a wait is refused unchecked (and does not
 * lengthen the wait), so a burst of concurrent guesses reaches the password check at most
 * `freeFailures` times. A successful sign-in gives back only its own count: failures counted
 * before it stay. A counter is forgotten after `forgetAfterMs` without failures, or when an admin
 * sets a new password for the account.
 *
 * There is no hard lock: an attacker can keep an account waiting only by spending one guess per
 * (doubling) wait, and the real person gets in as soon as a wait is over.
 */
import { isIPv6 } from "node:net";
import type { Queryable } from "../../store/index.ts";

export interface ThrottleRule {
  /** Failures allowed before waits begin. */
  freeFailures: number;
  /** The first wait; each further failure doubles it. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A counter with no failure for this long starts again from zero. */
  forgetAfterMs: number;
}

export interface ThrottlePolicy {
  ip: ThrottleRule;
  account: ThrottleRule;
}

export const DEFAULT_THROTTLE: ThrottlePolicy = {
  account: { freeFailures: 5, baseDelayMs: 1000, maxDelayMs: 15 * 60 * 1000, forgetAfterMs: 24 * 3600 * 1000 },
  ip: { freeFailures: 20, baseDelayMs: 1000, maxDelayMs: 15 * 60 * 1000, forgetAfterMs: 24 * 3600 * 1000 },
};

/**
 * The counter of a client address. An IPv6 client usually holds a whole /64 and can pick any
 * address in it, so IPv6 addresses count per /64; IPv4 (also IPv4-mapped IPv6) per address.
 */
export function ipKey(ip: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped) return `ip:${mapped[1]}`;
  if (isIPv6(ip)) {
    const [head = "", tail = ""] = ip.toLowerCase().split("%")[0]!.split("::");
    const left = head ? head.split(":") : [];
    const right = ip.includes("::") ? (tail ? tail.split(":") : []) : [];
    const groups = ip.includes("::") ? [...left, ...Array<string>(8 - left.length - right.length).fill("0"), ...right] : left;
    return `ip:${groups
      .slice(0, 4)
      .map((g) => g.padStart(4, "0"))
      .join(":")}::/64`;
  }
  return `ip:${ip.slice(0, 100)}`;
}

export function accountKey(email: string): string {
  return `account:${email.trim().toLowerCase().slice(0, 254)}`;
}

/** The wait after the `failures`-th failure, or 0 while failures are still free. */
export function waitAfter(failures: number, rule: ThrottleRule): number {
  if (failures < rule.freeFailures) return 0;
  return Math.min(rule.maxDelayMs, rule.baseDelayMs * 2 ** Math.min(failures - rule.freeFailures, 40));
}

/**
 * Counts an attempt against `key` unless the key is waiting. Returns 0 when the attempt may go on
 * to the password check, or the seconds to wait when it is refused.
 */
export async function countAttempt(db: Queryable, key: string, rule: ThrottleRule, now = new Date()): Promise<number> {
  const forgetBefore = new Date(now.getTime() - rule.forgetAfterMs);
  // One statement, so concurrent attempts (from any process) are counted one after another by the
  // row lock: the attempt that reaches the allowance sets the wait, and the ones behind it see it.
  // The wait is computed in SQL from the new count; 2^n is capped before the power to stay finite.
  const { rows } = await db.query<{ failures: number }>(
    `insert into console_login_throttle as t (key, failures, blocked_until, last_failure_at)
     values ($1, 1, $3, $2)
     on conflict (key) do update set
       failures = case when t.last_failure_at < $4 then 1 else t.failures + 1 end,
       blocked_until = case
         when (case when t.last_failure_at < $4 then 1 else t.failures + 1 end) < $5 then null
         else $2::timestamptz + least($7::float8, $6::float8 * power(2::float8, least((case when t.last_failure_at < $4 then 1 else t.failures + 1 end) - $5, 40)::float8)) * interval '1 millisecond'
       end,
       last_failure_at = $2
     where t.blocked_until is null or t.blocked_until <= $2
     returning failures`,
    [
      key,
      now,
      waitAfter(1, rule) > 0 ? new Date(now.getTime() + waitAfter(1, rule)) : null,
      forgetBefore,
      rule.freeFailures,
      rule.baseDelayMs,
      rule.maxDelayMs,
    ],
  );
  if (rows.length > 0) return 0;
  const waiting = await db.query<{ blocked_until: Date | string | null }>("select blocked_until from console_login_throttle where key = $1", [key]);
  const until = waiting.rows[0]?.blocked_until;
  return Math.max(1, Math.ceil(((until ? new Date(until).getTime() : now.getTime()) - now.getTime()) / 1000));
}

/** A successful sign-in: gives back the count it took, leaving earlier failures and any wait in place. */
export async function refundAttempt(db: Queryable, keys: string[]): Promise<void> {
  await db.query("update console_login_throttle set failures = greatest(failures - 1, 0) where key = any($1::text[])", [keys]);
}

/** Forgets an account's failures (an admin set a new password). */
export async function clearAccountThrottle(db: Queryable, email: string): Promise<void> {
  await db.query("delete from console_login_throttle where key = $1", [accountKey(email)]);
}

/** Removes counters with nothing left to remember. */
export async function pruneThrottle(db: Queryable, now = new Date(), keepMs = DEFAULT_THROTTLE.account.forgetAfterMs): Promise<void> {
  await db.query("delete from console_login_throttle where last_failure_at < $1 and (blocked_until is null or blocked_until < $2)", [
    new Date(now.getTime() - keepMs),
    now,
  ]);
}

/** Logs a sign-in whose password was checked (the table holds checks, not refused attempts). */
export async function recordAttempt(db: Queryable, email: string, ip: string, succeeded: boolean, now = new Date()): Promise<void> {
  await db.query("insert into console_login_attempts (email, ip, succeeded, at) values ($1, $2, $3, $4)", [email.slice(0, 254), ip, succeeded, now]);
}

/** Notes a successful sign-in on the account. */
export async function recordAccountSuccess(db: Queryable, userId: string, now = new Date()): Promise<void> {
  await db.query("update console_users set last_login_at = $2 where id = $1", [userId, now]);
}
