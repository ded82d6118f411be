/**
 * Signed inbound event sources. The intake route is the same for every source (size limit, JSON,
 * durable store, reply); a source only says whether a delivery is authentic and what event it
 * carries. Lever is the first; assessment and video platforms (HMAC-SHA256 per source) follow.
 */
import type { NewInboxEvent } from "../inbox/index.ts";

/** The port the intake uses to route and verify deliveries (implemented by the connection registry). */
export interface ConnectionDirectory {
  exists(id: string): Promise<boolean>;
  /** Every signature token that may have signed a delivery of `event` to this connection. */
  signatureTokens(id: string, event: string): Promise<string[]>;
}

/** A delivery as the intake received it: the connection it was addressed to and its parsed JSON body. */
export interface InboundDelivery {
  connectionId: string;
  body: unknown;
  headers: Headers;
  receivedAt: Date;
}

/**
 * What kind of refusal: `malformed`, a body that is not a delivery of this source (the sender's
 * error, never worth retrying as it is); `unauthenticated`, a delivery whose signature is missing,
 * wrong, unverifiable, or signed too long ago. The intake chooses the HTTP answer from it.
 */
export type RefusalKind = "malformed" | "unauthenticated";

/** Why a delivery was turned away. */
export interface Rejection {
  kind: "rejected";
  refusal: RefusalKind;
  /** Stable machine-readable reason, e.g. `signature_invalid`; also the metrics outcome. */
  code: string;
  /** What is wrong, for the sender's delivery log. Never echoes secrets or body contents. */
  message: string;
  /** The event name when it could be read. */
  event?: string;
  /**
   * Set on an authentic delivery refused only for its age: the dedupe key of the event it carries.
   * When that event is already stored, the delivery is a redelivery (Lever's delivery history
   * re-sends with the original `triggeredAt`) and is answered as a duplicate instead.
   */
  storedAs?: { source: string; dedupeKey: string };
}

export type Verdict =
  | { kind: "event"; event: NewInboxEvent }
  /** An authentic delivery that carries nothing to process (e.g. Lever's settings-page test). */
  | { kind: "ping"; event: string; connectionId?: string; triggeredAt?: Date; replayGuard?: { tokenHash: string; bodyHash: string } }
  | Rejection;

export interface EventSource {
  /** Stored as `inbox_events.source`. */
  readonly name: string;
  verify(delivery: InboundDelivery): Promise<Verdict>;
}

export function reject(refusal: RefusalKind, code: string, message: string, event?: string): Rejection {
  return event === undefined ? { kind: "rejected", refusal, code, message } : { kind: "rejected", refusal, code, message, event };
}

/**
 * A directory over a fixed map, for tests and single-process set-ups: connection id → tokens by
 * event name, with `*` for "any event".
 */
export function createMemoryConnectionDirectory(tokens: Record<string, Record<string, string | string[]>>): ConnectionDirectory {
  return {
    async exists(id) {
      return Object.hasOwn(tokens, id);
    },
    async signatureTokens(id, event) {
      const byEvent = tokens[id];
      if (!byEvent) return [];
      const all = [byEvent[event], byEvent["*"]].flat().filter((t): t is string => typeof t === "string" && t.length > 0);
      return [...new Set(all)];
    },
  };
}
