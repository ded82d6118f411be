/**
 * Lever webhook deliveries (reference §5): authentic when `body.signature` is the HMAC-SHA256 of
 * `token + triggeredAt` under one of the connection's signature tokens, fresh when `triggeredAt`
 * is inside the replay window.
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import { parseLeverWebhook, verifyLeverSignature } from "../../lever/index.ts";
import { findUnstorableValue } from "../inbox/index.ts";
import { reject, type ConnectionDirectory, type EventSource, type InboundDelivery, type Verdict } from "./source.ts";

export interface LeverSourceOptions {
  connections: ConnectionDirectory;
  /** Deliveries whose `triggeredAt` is further than this from now are refused (seconds). */
  replayWindowSeconds: number;
  now?: () => number;
}

/** The latest time a JavaScript Date can hold (year 275760): later "times" cannot be compared or shown. */
const MAX_TIME_MS = 8_640_000_000_000_000;
const TIME_MESSAGE = `must be milliseconds since 1970, at most ${MAX_TIME_MS}`;

/** The fields needed before anything else can be checked. */
const envelopeSchema = z.looseObject({
  event: z.string().min(1, "must not be empty").max(100, "must be at most 100 characters"),
  token: z.string().min(1, "must not be empty"),
  triggeredAt: z.union([
    z.number().int(TIME_MESSAGE).nonnegative(TIME_MESSAGE).max(MAX_TIME_MS, TIME_MESSAGE),
    z
      .string()
      .regex(/^\d{1,16}$/, TIME_MESSAGE)
      .refine((digits) => Number(digits) <= MAX_TIME_MS, TIME_MESSAGE),
  ]),
  signature: z.string().nullish(),
  // Lever's event ids are UUIDs; the id becomes the event's dedupe key, which is indexed.
  id: z.string().max(200, "must be at most 200 characters").nullish(),
  data: z.unknown().optional(),
});

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.length ? i.path.join(".") : "body"}: ${i.message}`)
    .join("; ");
}

/**
 * What makes two deliveries the same event. Lever's envelope `id` when present; otherwise the
 * event name, `triggeredAt` and every id in `data`. The per-request `token` is left out on
 * purpose: Lever describes it as random per request, so a retry may carry a new one (reference
 * §5.2, §5.5), and keying on it would let retries through as new events.
 */
export function leverDedupeKey(envelope: { id?: string | null; event: string; triggeredAt: number | string; data?: unknown }): string {
  if (envelope.id) return `id:${envelope.id}`;
  const data = (typeof envelope.data === "object" && envelope.data !== null ? envelope.data : {}) as Record<string, unknown>;
  const ids = Object.keys(data)
    .filter((k) => /id$/i.test(k) && (typeof data[k] === "string" || typeof data[k] === "number"))
    .sort()
    .map((k) => `${k}=${String(data[k])}`);
  const digest = createHash("sha256")
    .update([envelope.event, String(envelope.triggeredAt), ...ids].join("\n"))
    .digest("hex");
  return `h:${digest}`;
}

/**
 * The body as text with its object keys sorted and no whitespace, so one body always hashes the
 * same however it was serialised. Called only on bodies checked by `findUnstorableValue`, whose
 * nesting is bounded, so the recursion is too.
 */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    const record = value as Record<string, unknown>;
    return `{${Object.keys(record)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/**
 * What the inbox remembers of a delivery to refuse its signature with another body: Lever signs
 * only `token` and `triggeredAt`, so without this a captured delivery could be re-sent with any
 * id, event or data while its triggeredAt is inside the replay window. The key is the signed text
 * itself (`token` followed by `triggeredAt`'s digits), not the token: the text can be split
 * differently (a token's last digit moved in front of triggeredAt) and keep its signature.
 */
export function leverReplayGuard(token: string, triggeredAt: number | string, body: unknown): { tokenHash: string; bodyHash: string } {
  return {
    tokenHash: createHash("sha256")
      .update(`${token}${String(triggeredAt)}`)
      .digest("hex"),
    bodyHash: createHash("sha256").update(canonicalJson(body)).digest("hex"),
  };
}

/**
 * A test ping is what Lever's settings page sends with its test button: an ordinary signed envelope
 * whose `data` is the empty object `{}` (reference §5.1, §7.2). It is verified like any delivery
 * (a forged ping is still refused) and then acknowledged without being stored.
 */
export function isLeverTestPing(body: { data?: unknown }): boolean {
  const d = body.data;
  return typeof d === "object" && d !== null && !Array.isArray(d) && Object.keys(d).length === 0;
}

export function createLeverSource(options: LeverSourceOptions): EventSource {
  const now = options.now ?? Date.now;
  return {
    name: "lever",
    async verify(delivery: InboundDelivery): Promise<Verdict> {
      const { connectionId, body } = delivery;
      if (typeof body !== "object" || body === null || Array.isArray(body)) {
        return reject("malformed", "body_not_object", "the body must be a JSON object (a Lever webhook envelope)");
      }
      const envelope = envelopeSchema.safeParse(body);
      const eventName = typeof (body as { event?: unknown }).event === "string" ? (body as { event: string }).event : undefined;
      if (!envelope.success) {
        // Without these fields the signature cannot be checked, so this says nothing about who sent it.
        return reject("malformed", "envelope_invalid", `not a Lever webhook envelope: ${describeIssues(envelope.error)}`, eventName);
      }
      const env = envelope.data;
      if (!env.signature) {
        return reject(
          "unauthenticated",
          "signature_missing",
          "the delivery carries no signature; turn on the webhook's signing token in Lever and give Fulcrum the same token",
          env.event,
        );
      }
      const tokens = await options.connections.signatureTokens(connectionId, env.event);
      if (tokens.length === 0) {
        return reject(
          "unauthenticated",
          "signature_unverifiable",
          `no signature token is configured for event "${env.event}" on connection "${connectionId}"`,
          env.event,
        );
      }
      if (!tokens.some((t) => verifyLeverSignature(body, t))) {
        return reject(
          "unauthenticated",
          "signature_invalid",
          `the signature does not match any signature token of connection "${connectionId}" for event "${env.event}"`,
          env.event,
        );
      }
      // The signature covers triggeredAt, so an old, validly signed delivery is a replay: refused
      // as unauthenticated rather than malformed.
      const triggeredAt = Number(env.triggeredAt);
      const skewSeconds = Math.abs(now() - triggeredAt) / 1000;
      if (skewSeconds > options.replayWindowSeconds) {
        // Lever's "Rerun" from its delivery history keeps the original triggeredAt: the intake
        // answers it as a duplicate when the event is stored (`storedAs`), and with this 401
        // (saying how to widen the window) when it never was.
        return {
          ...reject(
            "unauthenticated",
            "outside_replay_window",
            `triggeredAt ${new Date(triggeredAt).toISOString()} is ${Math.round(skewSeconds)} s from now, outside the replay window of ${options.replayWindowSeconds} s, and this event was never stored here. To accept a redelivery this old, set FULCRUM_WEBHOOK_REPLAY_WINDOW to more than ${Math.ceil(skewSeconds)} seconds, restart, and deliver it again (then lower it back; see docs/security.md)`,
            env.event,
          ),
          storedAs: { source: "lever", dedupeKey: leverDedupeKey(env) },
        };
      }
      // What PostgreSQL could never store (a NUL, a lone surrogate, deep nesting) is the sender's
      // error: answered 400 with the field, not 503, which would have Lever retry it forever.
      const unstorable = findUnstorableValue(body);
      if (unstorable) return reject("malformed", unstorable.code, unstorable.message, env.event);
      // A ping is signed like any delivery: its token is remembered too, or a captured ping could
      // come back within the window carrying data.
      if (isLeverTestPing(env))
        return {
          kind: "ping",
          event: env.event,
          connectionId,
          triggeredAt: new Date(triggeredAt),
          replayGuard: leverReplayGuard(env.token, env.triggeredAt, body),
        };
      let parsed;
      try {
        parsed = parseLeverWebhook(body);
      } catch (error) {
        const message = error instanceof z.ZodError ? describeIssues(error) : String(error);
        return reject("malformed", "data_invalid", `the ${env.event} delivery's fields are not as Lever sends them: ${message}`, env.event);
      }
      return {
        kind: "event",
        event: {
          connectionId,
          source: "lever",
          event: env.event,
          dedupeKey: leverDedupeKey(env),
          triggeredAt: new Date(triggeredAt),
          payload: parsed.envelope,
          replayGuard: leverReplayGuard(env.token, env.triggeredAt, body),
        },
      };
    },
  };
}
