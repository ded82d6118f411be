/**
 * Signed events from other hiring tools (assessment and interview platforms) at
 * `POST /webhooks/tools/:tool[/:connection]`. Each tool has its own secret (`FULCRUM_TOOL_SECRET_<TOOL>`,
 * e.g. FULCRUM_TOOL_SECRET_CODILITY); by default the sender signs `<unix seconds>.<raw body>` with
 * HMAC-SHA256 and sends `X-Fulcrum-Signature: t=<unix seconds>,v1=<hex>`; a platform with an HMAC
 * scheme of its own (header, algorithm, encoding, prefix, time stamp) has it described in
 * `tools.<id>.signature` (see verify-tool-signature.ts). The event is stored in the inbox
 * before the 2xx, like Lever's, and workflows with a `source: <tool>` trigger pick it up.
 * Whatever a sender puts in the body gets a 4xx when it is wrong: what the database cannot store
 * (a NUL character, a lone surrogate, nesting deeper than 64 levels) and a `triggeredAt` that is
 * not a time are 400s naming the field. The whole raw body is signed, so a captured delivery
 * cannot be re-sent with other data; re-sent as it was, it is a duplicate.
 */
import { createHash } from "node:crypto";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { findUnstorableValue, UnstorableEventError } from "../../engine/index.ts";
import type { AppContext } from "../context.ts";
import { HttpError } from "../http-error.ts";
import { plausibleConnectionId } from "../webhook-routes.ts";
import { verifyToolSignature } from "./verify-tool-signature.ts";

/** The latest time a JavaScript Date can hold (year 275760). */
const MAX_TIME_MS = 8_640_000_000_000_000;

/** The secrets a tool's deliveries may be signed with (several during a rotation). */
export type ToolSecrets = (tool: string) => string[];

export const envToolSecrets =
  (env: NodeJS.ProcessEnv = process.env): ToolSecrets =>
  (tool) => {
    const base = `FULCRUM_TOOL_SECRET_${tool.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`;
    return [env[base], env[`${base}_PREVIOUS`]].filter((s): s is string => typeof s === "string" && s.length >= 16);
  };

export function toolWebhookRoutes(ctx: AppContext, secrets: ToolSecrets = envToolSecrets()): Hono {
  const app = new Hono();
  const maxBytes = ctx.config.webhook.maxBodyBytes;
  const log = ctx.logger.child({ component: "tool-webhooks" });
  const limit = bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new HttpError(413, "body_too_large", `the body is larger than the limit of ${maxBytes} bytes`);
    },
  });
  app.post("/:tool/:connection?", limit, async (c) => {
    const tool = c.req.param("tool");
    const connectionId = c.req.param("connection") ?? "default";
    if (!/^[a-z0-9][a-z0-9_-]{0,62}$/.test(tool)) throw new HttpError(404, "tool_unknown", "not a tool name");
    const keys = secrets(tool);
    if (keys.length === 0)
      throw new HttpError(
        404,
        "tool_unknown",
        `no secret is configured for tool "${tool}" (set FULCRUM_TOOL_SECRET_${tool.toUpperCase().replace(/[^A-Z0-9]/g, "_")})`,
      );
    if (!plausibleConnectionId(connectionId) || !(await ctx.connections.exists(connectionId)))
      throw new HttpError(404, "connection_unknown", `no connection named "${connectionId}"`);
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    const tools = ctx.config.tools ?? {};
    const scheme = Object.hasOwn(tools, tool) ? tools[tool]!.signature : undefined;
    const verdict = verifyToolSignature({
      scheme,
      header: (name) => c.req.header(name),
      body: bytes,
      secrets: keys,
      nowSeconds: Math.floor(Date.now() / 1000),
      replayWindowSeconds: ctx.config.webhook.replayWindowSeconds,
    });
    if (!verdict.ok) throw new HttpError(401, verdict.code, verdict.message);
    const raw = new TextDecoder().decode(bytes);
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      throw new HttpError(400, "malformed_json", "the body is not valid JSON");
    }
    if (!body || typeof body !== "object" || Array.isArray(body)) throw new HttpError(400, "malformed_event", "the body must be a JSON object");
    if (typeof body.event !== "string" || !/^[\w.:-]{1,100}$/.test(body.event))
      throw new HttpError(400, "malformed_event", '"event" must name the event, e.g. "assessment.completed"');
    const unstorable = findUnstorableValue(body);
    if (unstorable) throw new HttpError(400, unstorable.code, unstorable.message);
    // A number a Date cannot hold (beyond ±8.64e15, the year 275760) is not a time.
    if (typeof body.triggeredAt === "number" && Number.isNaN(new Date(body.triggeredAt).getTime())) {
      throw new HttpError(400, "malformed_event", `triggeredAt: must be milliseconds since 1970, between -${MAX_TIME_MS} and ${MAX_TIME_MS}`);
    }
    // The event's own id, else the delivery's (Standard Webhooks keeps webhook-id across retries,
    // which may change the body), else a hash of the body. Cut to 200 characters without splitting
    // a character in two (half a pair cannot be stored).
    const deliveryId = scheme && "scheme" in scheme && scheme.scheme === "standard-webhooks" ? c.req.header("webhook-id") : undefined;
    const ownId = typeof body.id === "string" && body.id ? body.id : deliveryId ? `webhook-id:${deliveryId}` : undefined;
    const dedupeKey = ownId ? ownId.slice(0, 200).toWellFormed() : createHash("sha256").update(raw).digest("hex");
    const triggeredAt = typeof body.triggeredAt === "number" ? new Date(body.triggeredAt) : new Date();
    let stored;
    try {
      stored = await ctx.inbox.storeEvent({ connectionId, source: `tool:${tool}`, event: body.event, dedupeKey, triggeredAt, payload: body });
    } catch (error) {
      if (error instanceof UnstorableEventError) throw new HttpError(400, error.code, error.message);
      // Only the message and code: a database error's detail can quote the payload it refused.
      const { message, code } = error as { message?: string; code?: string };
      log.error({ tool, connectionId, error: message, code }, "tool webhook could not be stored");
      throw new HttpError(503, "store_failed", "the event could not be stored; deliver it again later");
    }
    if (stored.status === "duplicate") return c.json({ status: "duplicate", eventId: stored.id });
    return c.json({ status: "accepted", eventId: stored.id, traceId: stored.traceId });
  });
  return app;
}
