/**
 * Push channels of the calendar providers, so a decline or a move is seen at once instead of at the
 * next poll (`calendars.pollSeconds`):
 *
 * - `POST /webhooks/calendars/google/:connection` — Google's push notifications for an
 *   `events.watch` channel. Its token must be the connection's push secret (`calendarPushSecret`);
 *   `sync` (the channel just opened) triggers nothing.
 * - `POST /webhooks/calendars/graph/:connection` — Microsoft Graph change notifications: a
 *   `validationToken` is echoed back as text/plain (the subscription handshake); otherwise only
 *   notifications whose `clientState` is the connection's push secret count.
 * - `POST /webhooks/calendars/graph/:connection/lifecycle` — Graph's lifecycle notifications for
 *   the connection's subscriptions (reauthorizationRequired, subscriptionRemoved, missed), with the
 *   same handshake and clientState check; those for a subscription Fulcrum holds are queued for the
 *   watcher's job, which renews the subscription, makes it again, or reads the calendar in full.
 *   Those with another clientState, or for a subscription Fulcrum does not hold (an old one whose
 *   deletion failed), are ignored and logged; Graph is answered 202 all the same, as for changes.
 *
 * A notification tells us that something changed, not what: the watcher reads that connection's
 * calendars through their change feeds, as on its schedule, so a forged or repeated one costs a
 * read and changes nothing. Bodies are small and never logged.
 */
import { type Context, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import {
  graphValidationResponse,
  verifyGooglePush,
  verifyGraphLifecycleNotifications,
  verifyGraphNotifications,
  type CalendarsConfig,
  type GraphLifecycleNotification,
} from "../calendars/index.ts";
import { calendarLifecycleTrigger, calendarPushSecret, calendarPushTrigger, loadSecretKey } from "../engine/index.ts";
import type { Logger } from "../observability/index.ts";
import type { AppContext } from "./context.ts";
import { HttpError } from "./http-error.ts";

export interface CalendarPushDeps {
  calendars: CalendarsConfig | undefined;
  /** The push secret of a connection (its Google channel token or Graph clientState). */
  secret(connectionId: string): string;
  /** Starts the watcher for that connection's calendars. */
  trigger(connectionId: string): Promise<unknown>;
  /** Queues Graph lifecycle notifications for the watcher; returns the ids of subscriptions Fulcrum does not hold. */
  lifecycle(connectionId: string, notifications: readonly GraphLifecycleNotification[]): Promise<{ unknown: string[] }>;
  logger: Logger;
}

/** Graph sends notifications in batches of at most a few hundred small objects. */
const MAX_BYTES = 1024 * 1024;

export function calendarPushRoutes(deps: CalendarPushDeps): Hono {
  const app = new Hono();
  // As the application answers them (app.ts), so the routes say the same on their own.
  app.onError((error) => {
    if (error instanceof HttpError) return Response.json(error.toJSON(), { status: error.status });
    throw error;
  });
  const log = deps.logger.child({ component: "calendar-push" });
  const connection = (id: string, provider: "google" | "graph") => {
    const found = deps.calendars?.connections.find((c) => c.id === id && c.provider === provider);
    if (!found)
      throw new HttpError(
        404,
        "connection_unknown",
        `no ${provider === "google" ? "Google Calendar" : "Microsoft Graph"} connection named "${id.slice(0, 80)}" receives push notifications here`,
      );
    return found;
  };
  const limit = bodyLimit({
    maxSize: MAX_BYTES,
    onError: () => {
      throw new HttpError(413, "too_large", `a change notification is at most ${MAX_BYTES} bytes`);
    },
  });

  app.post("/google/:connection", async (c) => {
    const id = c.req.param("connection");
    connection(id, "google");
    const headers: Record<string, string> = {};
    c.req.raw.headers.forEach((v, k) => (headers[k] = v));
    const push = verifyGooglePush(headers, deps.secret(id));
    if (!push) {
      log.warn({ connectionId: id }, "a Google push notification without this connection's channel token was ignored");
      throw new HttpError(401, "token_invalid", "the channel token is not this connection's");
    }
    // `sync` only says the channel is open; everything else says the calendar changed.
    if (push.state !== "sync") await deps.trigger(id);
    return c.body(null, 200);
  });

  app.post("/graph/:connection", limit, async (c) => {
    const id = c.req.param("connection");
    connection(id, "graph");
    const verdict = await graphBatch(c, () => deps.secret(id), verifyGraphNotifications, { what: "a change notification", code: "not_a_notification" });
    if (verdict instanceof Response) return verdict;
    if (verdict.rejected > 0)
      log.warn({ connectionId: id, rejected: verdict.rejected }, "Graph change notifications without this connection's clientState were ignored");
    if (verdict.accepted.length > 0) await deps.trigger(id);
    // Graph wants 202 for a batch it delivered, ours or not (a 4xx would make it retry).
    return c.body(null, 202);
  });

  app.post("/graph/:connection/lifecycle", limit, async (c) => {
    const id = c.req.param("connection");
    connection(id, "graph");
    // Graph validates the lifecycleNotificationUrl as it does the notificationUrl.
    const verdict = await graphBatch(c, () => deps.secret(id), verifyGraphLifecycleNotifications, {
      what: "a lifecycle notification",
      code: "not_a_lifecycle_notification",
    });
    if (verdict instanceof Response) return verdict;
    if (verdict.rejected > 0)
      log.warn({ connectionId: id, rejected: verdict.rejected }, "Graph lifecycle notifications without this connection's clientState were ignored");
    const { unknown } = verdict.accepted.length > 0 ? await deps.lifecycle(id, verdict.accepted) : { unknown: [] };
    if (unknown.length > 0)
      log.warn(
        { connectionId: id, unknown: unknown.length, subscriptions: unknown.slice(0, 10).map((u) => u.slice(0, 80)) },
        "Graph lifecycle notifications for subscriptions Fulcrum does not hold were ignored (an old one whose deletion failed posts until it expires)",
      );
    // As for change notifications: 202 for a batch Graph delivered, ours or not. A 4xx would have
    // Graph retry it for hours, and an endpoint that keeps failing risks its notifications being dropped.
    return c.body(null, 202);
  });
  return app;
}

/**
 * A POST from Graph: the subscription handshake's answer (the token echoed as text, within 10
 * seconds) when Graph is validating the URL, else the batch checked by `verify`. A body that is not
 * JSON, or not such a batch, is a 400 saying what was expected.
 */
async function graphBatch<T>(
  c: Context,
  secret: () => string,
  verify: (body: unknown, secret: string) => { accepted: T[]; rejected: number },
  o: { what: string; code: string },
): Promise<Response | { accepted: T[]; rejected: number }> {
  const validation = graphValidationResponse(new URL(c.req.url));
  if (validation) return c.text(validation.body, validation.status, { "content-type": "text/plain; charset=utf-8" });
  let body: unknown;
  try {
    body = JSON.parse(await c.req.text());
  } catch {
    throw new HttpError(400, "malformed_json", `${o.what} is a JSON object with a value array`);
  }
  const key = secret();
  try {
    return verify(body, key);
  } catch (error) {
    throw new HttpError(400, o.code, (error as Error).message);
  }
}

/** The routes as `fulcrum serve` mounts them: the service's secret key and the watcher's queue. */
export function calendarPushRoutesFor(ctx: AppContext): Hono {
  let key: Buffer | undefined;
  return calendarPushRoutes({
    calendars: ctx.config.calendars,
    secret: (id) => calendarPushSecret((key ??= loadSecretKey(ctx.config).key), id),
    trigger: calendarPushTrigger(ctx.queue),
    lifecycle: calendarLifecycleTrigger(ctx.db, ctx.queue),
    logger: ctx.logger,
  });
}
