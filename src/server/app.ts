/**
 * The HTTP application. Each area is a sub-app mounted here; others add theirs with a one-line
 * targeted edit (e.g. `app.route("/api", apiRoutes(ctx))`). Errors become JSON in one place.
 */
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import type { AppContext } from "./context.ts";
import { errorReply, HttpError } from "./http-error.ts";
import { healthRoutes } from "./health-routes.ts";
import { webhookRoutes } from "./webhook-routes.ts";
import { oauthRoutes } from "./oauth/index.ts";
import { apiRoutes, toolWebhookRoutes } from "./api/index.ts";
import { consoleAdmin, consoleServicesFor, createConsole } from "./console/index.ts";
import { bookingLinkRevealFor, bookingPageFor } from "./booking-page/index.ts";
import { errorKind, loggablePath } from "./booking-page/routes.ts";
import { calendarPushRoutesFor } from "./calendar-push-routes.ts";

/**
 * @example
 * const app = createApp(ctx);
 * serve({ fetch: app.fetch, port: ctx.config.port });
 */
export function createApp(ctx: AppContext): Hono {
  const app = new Hono();

  app.onError((error, c) => {
    if (error instanceof HttpError) return errorReply(c, error);
    if (error instanceof HTTPException) {
      return c.json({ error: { code: `http_${error.status}`, message: error.message || "request refused" } }, error.status);
    }
    // The public booking page's errors may carry a candidate's address or the link's token: only their kind is logged.
    const path = loggablePath(c.req.path);
    ctx.logger.error({ err: path === c.req.path ? error : errorKind(error), path, method: c.req.method }, "unhandled error in a request");
    return c.json({ error: { code: "internal", message: "internal error" } }, 500);
  });
  app.notFound((c) => c.json({ error: { code: "not_found", message: `no route for ${c.req.method} ${c.req.path}` } }, 404));

  // The console's guard resolves session cookies, checks CSRF and roles before the API sees a request.
  const consoleApp = createConsole({
    db: ctx.db,
    logger: ctx.logger,
    publicUrl: ctx.config.publicUrl,
    sso: ctx.config.oidc,
    services: consoleServicesFor(ctx),
    extend: bookingLinkRevealFor(ctx), // "Copy link" for a self-scheduling link the coordinator sends
  });
  app.use("/api/*", consoleApp.apiGuard);

  app.route("/", healthRoutes(ctx));
  app.route("/webhooks/calendars", calendarPushRoutesFor(ctx)); // Google push and Graph change notifications
  app.route("/webhooks", webhookRoutes(ctx));
  app.route(
    "/oauth",
    oauthRoutes({ registry: ctx.connectionRegistry, logger: ctx.logger, adminToken: ctx.config.adminToken, authorize: consoleAdmin(ctx.db) }),
  );
  if (ctx.engine && ctx.workflows) app.route("/api", apiRoutes(ctx, { engine: ctx.engine, workflows: ctx.workflows }));
  app.route("/webhooks/tools", toolWebhookRoutes(ctx));
  app.route("/book", bookingPageFor(ctx)); // the candidate's self-scheduling page (public, by token)
  app.route("/", consoleApp.routes); // last: the console page answers every other navigation
  return app;
}
