/**
 * The OAuth connect flow for partner (OAuth) connections, mounted at `/oauth`:
 * `GET /oauth/lever/start?connection=<id>` sends an admin to Lever's consent page, and
 * `GET /oauth/lever/callback` takes Lever's answer back, trades the code for tokens and stores them
 * sealed. Starting needs an admin (bearer FULCRUM_ADMIN_TOKEN, or the `authorize` hook the console
 * plugs in): otherwise anyone who can reach the server could tie a connection to their own Lever
 * account. The callback needs no login: the one-time, expiring `state` is its proof.
 */
import { timingSafeEqual } from "node:crypto";
import { Hono, type Context } from "hono";
import { OAuthConnectError, type ConnectionRegistry } from "../../engine/index.ts";
import type { Logger } from "../../observability/index.ts";

export interface OAuthRoutesOptions {
  /** The deployment's registry; without it the routes answer 503 with the reason. */
  registry: ConnectionRegistry | undefined;
  logger: Logger;
  /** FULCRUM_ADMIN_TOKEN: a bearer token equal to it may start a connect flow. */
  adminToken?: string | undefined;
  /** Extra check for who may start (e.g. a console session with the admin role). */
  authorize?: ((c: Context) => Promise<boolean> | boolean) | undefined;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function page(c: Context, status: 200 | 400 | 403 | 404 | 502 | 503, title: string, text: string) {
  c.header("cache-control", "no-store");
  c.header("referrer-policy", "no-referrer");
  return c.html(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} — Fulcrum</title></head>` +
      `<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p></body></html>`,
    status,
  );
}

function bearerMatches(c: Context, expected: string | undefined): boolean {
  if (!expected) return false;
  const header = c.req.header("authorization") ?? "";
  const match = /^Bearer\s+(.+)$/i.exec(header);
  if (!match) return false;
  const a = Buffer.from(match[1]!.trim());
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The `/oauth` sub-app. */
export function oauthRoutes(options: OAuthRoutesOptions): Hono {
  const app = new Hono();
  const { registry, logger } = options;

  app.get("/lever/start", async (c) => {
    if (!registry) return page(c, 503, "Not available", "This server was started without the connection registry, so it cannot connect Lever accounts.");
    const allowed = bearerMatches(c, options.adminToken) || (options.authorize ? await options.authorize(c) : false);
    if (!allowed) {
      return page(
        c,
        403,
        "Not allowed",
        "Only an administrator can connect a Lever account: send the admin token as a bearer token, sign in to the console as an admin, or run `fulcrum connections connect <id>` and open the link it prints.",
      );
    }
    const id = c.req.query("connection") ?? "default";
    const connection = await registry.get(id);
    if (!connection)
      return page(c, 404, "Unknown connection", `There is no connection "${id}". Add it first with fulcrum connections add ${id} --oauth-client-id … .`);
    if (connection.authKind !== "oauth")
      return page(c, 400, "Not an OAuth connection", `Connection "${id}" uses an API key; OAuth connect is for connections added with --oauth-client-id.`);
    const { url } = await registry.beginOAuthConnect(id);
    logger.info({ connectionId: id }, "OAuth connect started");
    if ((c.req.header("accept") ?? "").includes("application/json")) return c.json({ url });
    return c.redirect(url, 302);
  });

  app.get("/lever/callback", async (c) => {
    if (!registry) return page(c, 503, "Not available", "This server was started without the connection registry.");
    try {
      const { connectionId, scope } = await registry.completeOAuthConnect(new URL(c.req.url).searchParams);
      logger.info({ connectionId, scope }, "OAuth connect completed");
      return page(
        c,
        200,
        "Lever connected",
        `Connection "${connectionId}" is connected to Lever${scope ? ` with the scopes ${scope}` : ""}. You can close this page; run fulcrum doctor --connection ${connectionId} to check it.`,
      );
    } catch (error) {
      if (error instanceof OAuthConnectError) {
        logger.warn({ connectionId: error.connectionId, reason: error.code }, "OAuth connect did not complete");
        const title =
          error.code === "access_denied" ? "Access declined" : error.code === "invalid_state" ? "Link expired or already used" : "Could not connect";
        return page(c, error.code === "exchange_failed" ? 502 : 400, title, error.message);
      }
      throw error;
    }
  });

  return app;
}
