/**
 * Webhook intake: `POST /webhooks/lever` (the `default` connection) and
 * `POST /webhooks/lever/:connection`. Checks run cheapest first and nothing is stored unless every
 * one passes: size (413, refused before the body is read in full), connection (404), JSON (400),
 * envelope (400), signature (401), replay window (401, except a redelivery of a stored event: 200
 * duplicate), what the database cannot store (400: a
 * NUL character, a lone surrogate, nesting deeper than 64 levels, named by field path), test ping
 * (200, not stored), then the durable write of the inbox row and its first job (200 once
 * committed; duplicates 200 as no-ops). In that same write the delivery's signature token is
 * remembered for the replay window: the token again with the same body is a duplicate, with
 * another body a 401 (`signature_token_reused`). Nothing a sender controls may produce a 5xx: a
 * 503 means our database failed, and the same delivery may succeed later. The reply never waits
 * on workers.
 * Bodies are never logged.
 */
import { Hono, type MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { leverEventNames } from "../config/index.ts";
import { webhookReplaysRejected, webhooksReceived } from "../observability/index.ts";
import {
  countWebhookRefusal,
  createLeverSource,
  SignatureTokenReusedError,
  UnstorableEventError,
  type EventSource,
  type RefusalKind,
} from "../engine/index.ts";
import type { AppContext } from "./context.ts";
import { HttpError } from "./http-error.ts";

const KNOWN_EVENTS = new Set<string>(leverEventNames);

/** The answer to a refused delivery: a malformed one is the sender's error; an unauthenticated one may not be from the sender at all. */
const STATUS_OF_REFUSAL: Record<RefusalKind, 400 | 401> = { malformed: 400, unauthenticated: 401 };

/** Metric labels stay bounded whatever a sender puts in `event`. */
function eventLabel(event: string | undefined): string {
  if (event === undefined) return "unknown";
  return KNOWN_EVENTS.has(event) ? event : "other";
}

/**
 * A connection name as it may appear in a path: anything else cannot name a connection (and a NUL
 * in it would make the database refuse the lookup itself).
 */
export function plausibleConnectionId(id: string): boolean {
  return id.length <= 200 && !id.includes("\u0000") && id.isWellFormed();
}

/** JSON.parse's message quotes the input; keep only the position so no body text is echoed. */
function jsonErrorMessage(error: unknown): string {
  const position = error instanceof Error ? /position (\d+)/.exec(error.message)?.[1] : undefined;
  return `the body is not valid JSON${position ? ` (error at byte ${position})` : ""}`;
}

export function webhookRoutes(ctx: AppContext): Hono {
  const app = new Hono();
  const lever: EventSource =
    ctx.leverSource ?? createLeverSource({ connections: ctx.connections, replayWindowSeconds: ctx.config.webhook.replayWindowSeconds });
  const maxBytes = ctx.config.webhook.maxBodyBytes;
  const log = ctx.logger.child({ component: "webhooks" });

  const tooLarge = (): never => {
    webhooksReceived.inc({ source: "lever", event: "unknown", outcome: "rejected_body_too_large" });
    throw new HttpError(413, "body_too_large", `the body is larger than the limit of ${maxBytes} bytes`);
  };
  // A body without a declared length (chunked) is counted as it streams and refused once past the
  // limit, without being read in full.
  const streamedLimit = bodyLimit({ maxSize: maxBytes, onError: tooLarge });
  /**
   * The size check. A declared length (what Lever sends) is checked without touching the body, as
   * hono's bodyLimit does, so the body is then read straight from Node's request (@hono/node-server
   * reads it without building a web ReadableStream: the costliest part of a small request);
   * asking hono's bodyLimit first would build that stream for every request. Anything else goes
   * through bodyLimit itself, on any runtime.
   */
  const limit: MiddlewareHandler = async (c, next) => {
    const headers = c.req.raw.headers;
    const declared = headers.get("content-length");
    if (declared !== null && !headers.has("transfer-encoding")) {
      if (parseInt(declared, 10) > maxBytes) tooLarge();
      return next();
    }
    return streamedLimit(c, next);
  };

  app.post("/lever/:connection?", limit, async (c) => {
    const connectionId = c.req.param("connection") ?? "default";
    const receivedAt = new Date();
    const outcome = (event: string | undefined, result: string) => webhooksReceived.inc({ source: "lever", event: eventLabel(event), outcome: result });
    /**
     * A refusal to a known connection is also counted by hour for the console's webhook health.
     * Counting must never change the answer: a failed count is logged and the refusal stands.
     */
    const countRefusal = async (code: string) => {
      try {
        await countWebhookRefusal(ctx.db, { connectionId, source: "lever", code, at: receivedAt });
      } catch (error) {
        log.warn({ connectionId, code, error: (error as Error).message }, "webhook refusal could not be counted");
      }
    };

    if (!plausibleConnectionId(connectionId) || !(await ctx.connections.exists(connectionId))) {
      outcome(undefined, "rejected_connection_unknown");
      log.warn({ connectionId, outcome: "connection_unknown" }, "webhook refused");
      throw new HttpError(404, "connection_unknown", `no connection named "${connectionId}" receives webhooks here`);
    }
    const text = await c.req.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (error) {
      outcome(undefined, "rejected_malformed_json");
      log.warn({ connectionId, outcome: "malformed_json", bytes: text.length }, "webhook refused");
      await countRefusal("malformed_json");
      throw new HttpError(400, "malformed_json", jsonErrorMessage(error));
    }

    const verdict = await lever.verify({ connectionId, body, headers: c.req.raw.headers, receivedAt });
    if (verdict.kind === "rejected" && verdict.storedAs) {
      // Authentic but older than the replay window: a redelivery from Lever's history of an event
      // stored here is answered as any duplicate (nothing stored twice); anything else is refused.
      let stored;
      try {
        stored = await ctx.inbox.findEvent({ connectionId, ...verdict.storedAs });
      } catch (error) {
        const { message, code } = error as { message?: string; code?: string };
        log.error({ connectionId, event: eventLabel(verdict.event), error: message, code }, "webhook redelivery could not be looked up");
        throw new HttpError(503, "store_failed", "the delivery could not be checked against stored events; deliver it again later");
      }
      if (stored) {
        outcome(verdict.event, "duplicate");
        log.info(
          { connectionId, event: eventLabel(verdict.event), eventId: stored.id, outcome: "duplicate", redelivery: true },
          "webhook redelivered outside the replay window, already stored",
        );
        return c.json({ status: "duplicate", eventId: stored.id });
      }
    }
    if (verdict.kind === "rejected") {
      outcome(verdict.event, `rejected_${verdict.code}`);
      log.warn({ connectionId, event: eventLabel(verdict.event), outcome: verdict.code }, "webhook refused");
      await countRefusal(verdict.code);
      throw new HttpError(STATUS_OF_REFUSAL[verdict.refusal], verdict.code, verdict.message);
    }
    if (verdict.kind === "ping") {
      if (verdict.replayGuard && verdict.triggeredAt) {
        try {
          await ctx.inbox.rememberSignatureToken(connectionId, verdict.replayGuard, verdict.triggeredAt);
        } catch (error) {
          if (error instanceof SignatureTokenReusedError) throw await tokenReused(verdict.event, error);
          const { message, code } = error as { message?: string; code?: string };
          log.error({ connectionId, event: eventLabel(verdict.event), error: message, code }, "webhook test ping's token could not be recorded");
          throw new HttpError(503, "store_failed", "the test delivery could not be recorded; deliver it again later");
        }
      }
      outcome(verdict.event, "ping");
      log.info({ connectionId, event: eventLabel(verdict.event), outcome: "ping" }, "webhook test ping acknowledged");
      return c.json({ status: "ping", message: "test delivery verified; nothing to process" });
    }

    /** A body changed under a used token: refused as a forgery, counted. */
    async function tokenReused(event: string, error: SignatureTokenReusedError): Promise<HttpError> {
      outcome(event, "rejected_signature_token_reused");
      await countRefusal("signature_token_reused");
      webhookReplaysRejected.inc({ source: "lever", connection: connectionId });
      log.warn({ connectionId, event: eventLabel(event), outcome: "signature_token_reused" }, "webhook refused");
      return new HttpError(
        401,
        "signature_token_reused",
        `${error.message}. Lever signs only token and triggeredAt, so a body changed under a used token is refused as a forgery; the same body again is answered as a duplicate`,
      );
    }

    let stored;
    try {
      stored = await ctx.inbox.storeEvent(verdict.event);
    } catch (error) {
      if (error instanceof SignatureTokenReusedError) throw await tokenReused(verdict.event.event, error);
      if (error instanceof UnstorableEventError) {
        outcome(verdict.event.event, `rejected_${error.code}`);
        log.warn({ connectionId, event: eventLabel(verdict.event.event), outcome: error.code }, "webhook refused");
        await countRefusal(error.code);
        throw new HttpError(400, error.code, error.message);
      }
      outcome(verdict.event.event, "store_failed");
      // Only the message and code: a database error's detail can quote the payload it refused.
      const { message, code } = error as { message?: string; code?: string };
      log.error({ connectionId, event: eventLabel(verdict.event.event), error: message, code }, "webhook could not be stored");
      // Not acknowledged, so Lever delivers it again later.
      throw new HttpError(503, "store_failed", "the event could not be stored; deliver it again later");
    }
    outcome(verdict.event.event, stored.status === "stored" ? "accepted" : "duplicate");
    if (stored.status === "duplicate") {
      log.info({ connectionId, event: eventLabel(verdict.event.event), eventId: stored.id, outcome: "duplicate" }, "webhook already stored");
      return c.json({ status: "duplicate", eventId: stored.id });
    }
    log.info({ connectionId, event: eventLabel(verdict.event.event), eventId: stored.id, traceId: stored.traceId, outcome: "accepted" }, "webhook stored");
    return c.json({ status: "accepted", eventId: stored.id, traceId: stored.traceId });
  });
  return app;
}
