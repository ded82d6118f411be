/**
 * The sign-in decision: throttles, lock-out, password check, session rotation. Pure of HTTP so it
 * can be tested and reused by other front ends (single sign-on lands here too).
 */
import type { Queryable } from "../../store/index.ts";
import { DEFAULT_THROTTLE, ipRetryAfter, recordAccountFailure, recordAccountSuccess, recordAttempt, type ThrottlePolicy } from "./login-throttle.ts";
import { DEFAULT_SCRYPT_COST, hashPassword, verifyPassword, type ScryptCost } from "./passwords.ts";
import { createSession, deleteSession, pruneSessions } from "./sessions.ts";
import { findUserByEmail, passwordHashOf, type ConsoleUser } from "./users.ts";

export interface SignInRequest {
  email: string;
  password: string;
  ip: string;
  userAgent?: string | undefined;
  /** The session cookie the browser presented before signing in; it is ended, never reused. */
  previousSessionId?: string | undefined;
}

export type SignInResult =
  | { ok: true; user: ConsoleUser; session: { id: string; csrfToken: string; expiresAt: Date } }
  | { ok: false; reason: "invalid" | "locked" | "throttled"; retryAfterSeconds?: number | undefined; message: string };

export interface SignInOptions {
  throttle?: ThrottlePolicy | undefined;
  scryptCost?: ScryptCost | undefined;
  now?: (() => Date) | undefined;
}

const INVALID = "The e-mail address or password is not right.";

// Unknown accounts are checked against this hash so that a wrong e-mail takes as long as a
// wrong password: the timing must not tell which addresses have accounts.
const decoys = new Map<string, Promise<string>>();
function decoyHash(cost: ScryptCost): Promise<string> {
  const key = `${cost.N}/${cost.r}/${cost.p}`;
  let hash = decoys.get(key);
  if (!hash) decoys.set(key, (hash = hashPassword("decoy password that matches nothing", cost)));
  return hash;
}

/** Checks a sign-in and, when it succeeds, starts a fresh session (ending any presented one). */
export async function signIn(db: Queryable, request: SignInRequest, options: SignInOptions = {}): Promise<SignInResult> {
  const policy = options.throttle ?? DEFAULT_THROTTLE;
  const now = options.now?.() ?? new Date();
  const email = request.email.trim().slice(0, 254);

  const retryAfter = await ipRetryAfter(db, request.ip, policy, now);
  if (retryAfter > 0) {
    return { ok: false, reason: "throttled", retryAfterSeconds: retryAfter, message: `Too many failed sign-ins from this address. Try again in ${Math.ceil(retryAfter / 60)} minute(s).` };
  }

  const user = email ? await findUserByEmail(db, email) : undefined;
  const stored = user ? await passwordHashOf(db, user.id) : null;
  if (!user || !stored || user.disabled) {
    await verifyPassword(request.password, await decoyHash(options.scryptCost ?? DEFAULT_SCRYPT_COST));
    await recordAttempt(db, email, request.ip, false, now);
    return { ok: false, reason: "invalid", message: INVALID };
  }
  if (user.lockedUntil && user.lockedUntil > now) {
    await recordAttempt(db, email, request.ip, false, now);
    const seconds = Math.ceil((user.lockedUntil.getTime() - now.getTime()) / 1000);
    return { ok: false, reason: "locked", retryAfterSeconds: seconds, message: `This account is locked after repeated failed sign-ins. Try again in ${Math.ceil(seconds / 60)} minute(s), or ask an admin.` };
  }

  const good = await verifyPassword(request.password, stored);
  await recordAttempt(db, email, request.ip, good, now);
  if (!good) {
    const lockedUntil = await recordAccountFailure(db, user.id, policy, now);
    if (lockedUntil) {
      const seconds = Math.ceil((lockedUntil.getTime() - now.getTime()) / 1000);
      return { ok: false, reason: "locked", retryAfterSeconds: seconds, message: `This account is now locked for ${Math.ceil(seconds / 60)} minute(s) after repeated failed sign-ins.` };
    }
    return { ok: false, reason: "invalid", message: INVALID };
  }

  await recordAccountSuccess(db, user.id, now);
  // Session fixation: whatever id the browser arrived with is ended; the signed-in session always
  // gets a new id that no one could have planted.
  if (request.previousSessionId) await deleteSession(db, request.previousSessionId);
  await pruneSessions(db, now);
  const session = await createSession(db, user.id, { ip: request.ip, userAgent: request.userAgent }, now);
  return { ok: true, user, session };
}
