/**
 * Sign-in rate limiting and lock-out, kept in the database so every process of a deployment
 * counts the same attempts.
 * - Per address: more than IP_MAX_FAILURES failed attempts within IP_WINDOW refuse further
 *   attempts from that address (HTTP 429) until the window has moved on.
 * - Per account: ACCOUNT_MAX_FAILURES failures in a row lock the account for ACCOUNT_LOCK; a
 *   correct password during the lock is refused too, so guessing on cannot find it.
 */
import type { Queryable } from "../../store/index.ts";

export interface ThrottlePolicy {
  ipMaxFailures: number;
  ipWindowMs: number;
  accountMaxFailures: number;
  accountLockMs: number;
}

export const DEFAULT_THROTTLE: ThrottlePolicy = {
  ipMaxFailures: 20,
  ipWindowMs: 15 * 60 * 1000,
  accountMaxFailures: 5,
  accountLockMs: 15 * 60 * 1000,
};

/** Seconds until the address may try again, or 0 when it may try now. */
export async function ipRetryAfter(db: Queryable, ip: string, policy: ThrottlePolicy, now = new Date()): Promise<number> {
  const since = new Date(now.getTime() - policy.ipWindowMs);
  const { rows } = await db.query<{ n: number; oldest: Date | string | null }>(
    "select count(*)::int as n, min(at) as oldest from console_login_attempts where ip = $1 and not succeeded and at > $2",
    [ip, since],
  );
  const row = rows[0]!;
  if (row.n < policy.ipMaxFailures || !row.oldest) return 0;
  const freeAt = new Date(row.oldest).getTime() + policy.ipWindowMs;
  return Math.max(1, Math.ceil((freeAt - now.getTime()) / 1000));
}

export async function recordAttempt(db: Queryable, email: string, ip: string, succeeded: boolean, now = new Date()): Promise<void> {
  await db.query("insert into console_login_attempts (email, ip, succeeded, at) values ($1, $2, $3, $4)", [email.slice(0, 254), ip, succeeded, now]);
}

/** Counts a failure against the account and locks it when the limit is reached; returns the lock's end if locked now. */
export async function recordAccountFailure(db: Queryable, userId: string, policy: ThrottlePolicy, now = new Date()): Promise<Date | null> {
  const { rows } = await db.query<{ failed_logins: number }>(
    "update console_users set failed_logins = failed_logins + 1 where id = $1 returning failed_logins",
    [userId],
  );
  const failures = rows[0]?.failed_logins ?? 0;
  if (failures >= policy.accountMaxFailures) {
    const until = new Date(now.getTime() + policy.accountLockMs);
    await db.query("update console_users set locked_until = $2, failed_logins = 0 where id = $1", [userId, until]);
    return until;
  }
  return null;
}

export async function recordAccountSuccess(db: Queryable, userId: string, now = new Date()): Promise<void> {
  await db.query("update console_users set failed_logins = 0, locked_until = null, last_login_at = $2 where id = $1", [userId, now]);
}
