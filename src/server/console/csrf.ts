/**
 * Cross-site request forgery defence for cookie-authenticated requests, two checks together:
 * 1. Origin: a state-changing request must come from the console's own origin (the `Origin`
 *    header, else `Referer`; a browser that sends `Sec-Fetch-Site: cross-site` is refused too).
 * 2. Token: the `X-CSRF-Token` header must equal the token bound to the session on the server.
 *    The page reads it from the readable `fulcrum_csrf` cookie or from `/console/api/session`;
 *    another site can make the browser send cookies but cannot read them or set this header.
 * Bearer-token clients (scripts) carry no ambient credentials and are not subject to it.
 */
import { timingSafeEqual } from "node:crypto";
import type { Context } from "hono";

export const CSRF_HEADER = "x-csrf-token";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function isStateChanging(method: string): boolean {
  return !SAFE_METHODS.has(method.toUpperCase());
}

/** The origins a state-changing request may come from. */
export function allowedOrigins(c: Context, publicUrl: string | undefined): Set<string> {
  const origins = new Set<string>([new URL(c.req.url).origin]);
  if (publicUrl) origins.add(new URL(publicUrl).origin);
  return origins;
}

/** Why the request's origin is refused, or undefined when it is acceptable. */
export function originProblem(c: Context, publicUrl: string | undefined): string | undefined {
  const allowed = allowedOrigins(c, publicUrl);
  const origin = c.req.header("origin");
  if (origin) return allowed.has(origin) ? undefined : `requests from ${origin} are not accepted`;
  const referer = c.req.header("referer");
  if (referer) {
    try {
      return allowed.has(new URL(referer).origin) ? undefined : "the request came from another site";
    } catch {
      return "the Referer header is not a URL";
    }
  }
  if (c.req.header("sec-fetch-site") === "cross-site") return "the request came from another site";
  return undefined;
}

/** Why the request's CSRF token is refused, or undefined when it matches the session's. */
export function tokenProblem(c: Context, sessionToken: string): string | undefined {
  const sent = c.req.header(CSRF_HEADER);
  if (!sent) return `the ${CSRF_HEADER} header is missing`;
  const a = Buffer.from(sent);
  const b = Buffer.from(sessionToken);
  if (a.length !== b.length || !timingSafeEqual(a, b)) return `the ${CSRF_HEADER} header does not match this session`;
  return undefined;
}
