/**
 * The session and CSRF cookies, and resolving a request to its signed-in caller.
 */
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { Queryable } from "../../store/index.ts";
import type { Caller } from "./roles.ts";
import { readSession, type Session } from "./sessions.ts";
import { findUserById, type ConsoleUser } from "./users.ts";

export const SESSION_COOKIE = "fulcrum_session";
export const CSRF_COOKIE = "fulcrum_csrf";

export interface SignedIn {
  sessionId: string;
  session: Session;
  user: ConsoleUser;
  caller: Caller;
}

function secure(c: Context, publicUrl: string | undefined): boolean {
  return new URL(c.req.url).protocol === "https:" || (publicUrl?.startsWith("https:") ?? false);
}

export function setSessionCookies(c: Context, publicUrl: string | undefined, session: { id: string; csrfToken: string }): void {
  const isSecure = secure(c, publicUrl);
  // HttpOnly: page scripts (and so injected ones) cannot read the session id. SameSite=Lax: other
  // sites' forms and scripts do not carry it on POST; the CSRF token covers the rest.
  setCookie(c, SESSION_COOKIE, session.id, { httpOnly: true, sameSite: "Lax", path: "/", secure: isSecure, maxAge: 7 * 24 * 3600 });
  setCookie(c, CSRF_COOKIE, session.csrfToken, { httpOnly: false, sameSite: "Strict", path: "/", secure: isSecure, maxAge: 7 * 24 * 3600 });
}

export function clearSessionCookies(c: Context): void {
  deleteCookie(c, SESSION_COOKIE, { path: "/" });
  deleteCookie(c, CSRF_COOKIE, { path: "/" });
}

export function toCaller(user: ConsoleUser): Caller {
  return {
    userId: user.id,
    role: user.role,
    postingIds: user.role === "hiring_manager" ? user.postingIds : undefined,
    email: user.email,
    name: user.name ?? undefined,
  };
}

/** The signed-in person behind the request's session cookie, or undefined. */
export async function readSignedIn(c: Context, db: Queryable): Promise<SignedIn | undefined> {
  const sessionId = getCookie(c, SESSION_COOKIE);
  if (!sessionId) return undefined;
  const session = await readSession(db, sessionId);
  if (!session) return undefined;
  const user = await findUserById(db, session.userId);
  if (!user || user.disabled) return undefined;
  return { sessionId, session, user, caller: toCaller(user) };
}

/** The address the request came from (the socket's; proxies' headers are not trusted). */
export function clientIp(c: Context): string {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? "unknown";
}
