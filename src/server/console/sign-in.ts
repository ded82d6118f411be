/**
 * The sign-in decision: throttles, password check, session rotation. Pure of HTTP so it
 * can be tested and reused by other front ends (single sign-on lands here too).
 */
import type { Queryable } from "../../store/index.ts";
import {
  accountKey,
  countAttempt,
  DEFAULT_THROTTLE,
  ipKey,
  recordAccountSuccess,
  recordAttempt,
  refundAttempt,
  type ThrottlePolicy,
} from "./login-throttle.ts";
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
  | { ok: false; reason: "invalid" | "throttled"; retryAfterSeconds?: number | undefined; message: string };

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

  // Counted before the password is checked, so concurrent guesses cannot all reach the check.
  const keys = [ipKey(request.ip), accountKey(email)];
  const ipWait = await countAttempt(db, keys[0]!, policy.ip, now);
  if (ipWait > 0) return throttled(ipWait, "from this address");
  const accountWait = await countAttempt(db, keys[1]!, policy.account, now);
  if (accountWait > 0) return throttled(accountWait, "for this account");

  const user = email ? await findUserByEmail(db, email) : undefined;
  const stored = user ? await passwordHashOf(db, user.id) : null;
  if (!user || !stored || user.disabled) {
    await verifyPassword(request.password, await decoyHash(options.scryptCost ?? DEFAULT_SCRYPT_COST));
    await recordAttempt(db, email, request.ip, false, now);
    return { ok: false, reason: "invalid", message: INVALID };
  }

  const good = await verifyPassword(request.password, stored);
  await recordAttempt(db, email, request.ip, good, now);
  if (!good) return { ok: false, reason: "invalid", message: INVALID };

  // Only this attempt's own count is given back: the failures before it keep counting.
  await refundAttempt(db, keys);
  await recordAccountSuccess(db, user.id, now);
  // Session fixation: whatever id the browser arrived with is ended; the signed-in session always
  // gets a new id that no one could have planted.
  if (request.previousSessionId) await deleteSession(db, request.previousSessionId);
  await pruneSessions(db, now);
  const session = await createSession(db, user.id, { ip: request.ip, userAgent: request.userAgent }, now);
  return { ok: true, user, session };
}

function throttled(seconds: number, scope: string): SignInResult {
  const wait = seconds < 120 ? `${seconds} second(s)` : `${Math.ceil(seconds / 60)} minute(s)`;
  return { ok: false, reason: "throttled", retryAfterSeconds: seconds, message: `Too many failed sign-ins ${scope}. Try again in ${wait}.` };
}
