/**
 * Lever webhook signatures. Lever signs the concatenation of two body fields, `token` (random per
 * delivery) and `triggeredAt` (its decimal digits), with HMAC-SHA256 keyed by the subscription's
 * signature token, and sends the hex digest as `body.signature`. It is not an HMAC of the raw body
 * and there is no signature header (reference §5.4).
 */
import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from "node:crypto";

/**
 * Signature tokens as key objects, made once each: an HMAC keyed with a key object skips turning
 * the string into key material on every delivery. Tokens are few (one per event type and
 * connection at most); the map is cleared should it ever grow past a bound.
 */
const keys = new Map<string, KeyObject>();

function keyOf(signatureToken: string): KeyObject {
  let key = keys.get(signatureToken);
  if (!key) {
    if (keys.size >= 1000) keys.clear();
    keys.set(signatureToken, (key = createSecretKey(Buffer.from(signatureToken, "utf8"))));
  }
  return key;
}

/** The hex signature Lever would send for these values. */
export function signLeverWebhook(token: string, triggeredAt: number | string, signatureToken: string): string {
  return createHmac("sha256", keyOf(signatureToken))
    .update(`${token}${String(triggeredAt)}`)
    .digest("hex");
}

/**
 * True when the delivery was signed with `signatureToken`. `body` is the parsed JSON body (or the
 * raw JSON text). The comparison takes the same time whatever the signature, so it leaks nothing.
 * @example
 * if (!verifyLeverSignature(JSON.parse(raw), token)) return c.text("bad signature", 401);
 */
export function verifyLeverSignature(body: unknown, signatureToken: string): boolean {
  let value = body;
  if (typeof value === "string") {
    try {
      value = JSON.parse(value);
    } catch {
      return false;
    }
  }
  if (typeof value !== "object" || value === null || signatureToken.length === 0) return false;
  const { token, triggeredAt, signature } = value as Record<string, unknown>;
  if (typeof token !== "string" || token.length === 0) return false;
  if (typeof triggeredAt !== "number" && typeof triggeredAt !== "string") return false;
  if (typeof triggeredAt === "string" && !/^\d+$/.test(triggeredAt)) return false;
  // Exactly 64 hex digits: Buffer.from(hex) would silently drop trailing junk otherwise.
  if (typeof signature !== "string" || !/^[0-9a-fA-F]{64}$/.test(signature)) return false;
  const expected = Buffer.from(signLeverWebhook(token, triggeredAt, signatureToken), "hex");
  return timingSafeEqual(expected, Buffer.from(signature, "hex"));
}
