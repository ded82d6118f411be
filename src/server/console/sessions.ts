/**
 * Server-side sessions. The browser holds a random 256-bit id in an HttpOnly cookie; the table holds
 * only its SHA-256, the user, a CSRF token bound to the session, and the expiry. A session ends after
 * 12 hours of inactivity or 7 days in all, on sign-out, on a password change and when the account is
 * disabled.
 */
import { createHash, randomBytes } from "node:crypto";
import type { Queryable } from "../../store/index.ts";
import { pruneThrottle } from "./login-throttle.ts";

export const SESSION_IDLE_MS = 12 * 3600 * 1000;
export const SESSION_MAX_MS = 7 * 24 * 3600 * 1000;

export interface Session {
  userId: string;
  csrfToken: string;
  createdAt: Date;
  expiresAt: Date;
}

export function hashSessionId(id: string): string {
  return createHash("sha256").update(id).digest("hex");
}

function newToken(): string {
  return randomBytes(32).toString("base64url");
}

/** Starts a session; returns the cookie value (shown once, never stored) and the CSRF token. */
export async function createSession(
  db: Queryable,
  userId: string,
  meta: { ip?: string | undefined; userAgent?: string | undefined },
  now = new Date(),
): Promise<{ id: string; csrfToken: string; expiresAt: Date }> {
  const id = newToken();
  const csrfToken = newToken();
  const expiresAt = new Date(now.getTime() + SESSION_IDLE_MS);
  await db.query(
    `insert into console_sessions (id_hash, user_id, csrf_token, ip, user_agent, created_at, last_seen_at, expires_at)
     values ($1, $2, $3, $4, $5, $6, $6, $7)`,
    [hashSessionId(id), userId, csrfToken, meta.ip ?? null, meta.userAgent?.slice(0, 300) ?? null, now, expiresAt],
  );
  return { id, csrfToken, expiresAt };
}

/**
 * The live session for a cookie value, sliding its idle expiry forward (at most once a minute, to
 * spare the database a write per request); undefined when unknown or expired.
 */
export async function readSession(db: Queryable, id: string, now = new Date()): Promise<Session | undefined> {
  if (!/^[\w-]{20,100}$/.test(id)) return undefined;
  const idHash = hashSessionId(id);
  const { rows } = await db.query<{ user_id: string; csrf_token: string; created_at: Date | string; expires_at: Date | string; last_seen_at: Date | string }>(
    "select user_id, csrf_token, created_at, expires_at, last_seen_at from console_sessions where id_hash = $1",
    [idHash],
  );
  const row = rows[0];
  if (!row) return undefined;
  const createdAt = new Date(row.created_at);
  const expiresAt = new Date(row.expires_at);
  if (expiresAt <= now || now.getTime() - createdAt.getTime() > SESSION_MAX_MS) {
    await db.query("delete from console_sessions where id_hash = $1", [idHash]);
    return undefined;
  }
  let effectiveExpiry = expiresAt;
  if (now.getTime() - new Date(row.last_seen_at).getTime() > 60_000) {
    effectiveExpiry = new Date(now.getTime() + SESSION_IDLE_MS);
    await db.query("update console_sessions set last_seen_at = $2, expires_at = $3 where id_hash = $1", [idHash, now, effectiveExpiry]);
  }
  return { userId: row.user_id, csrfToken: row.csrf_token, createdAt, expiresAt: effectiveExpiry };
}

export async function deleteSession(db: Queryable, id: string): Promise<void> {
  await db.query("delete from console_sessions where id_hash = $1", [hashSessionId(id)]);
}

/** Removes expired sessions, old sign-in attempts and idle throttle counters; cheap enough to call on every sign-in. */
export async function pruneSessions(db: Queryable, now = new Date()): Promise<void> {
  await db.query("delete from console_sessions where expires_at <= $1", [now]);
  await db.query("delete from console_login_attempts where at < $1", [new Date(now.getTime() - 24 * 3600 * 1000)]);
  await pruneThrottle(db, now);
}
