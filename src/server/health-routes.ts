/**
 * Operations: `/healthz` (the process answers), `/readyz` (database and job queue reachable), and
 * `/metrics` (Prometheus text; queue depths are read from the database at scrape time).
 */
import { Hono } from "hono";
import { registry } from "../observability/index.ts";
import { queueDepth } from "../observability/index.ts";
import type { AppContext } from "./context.ts";

export function healthRoutes(ctx: AppContext): Hono {
  const app = new Hono();
  app.get("/healthz", (c) => c.json({ status: "ok" }));

  app.get("/readyz", async (c) => {
    const checks: Record<string, string> = {};
    let ok = true;
    try {
      await ctx.db.query("select 1");
      checks.database = "ok";
    } catch (error) {
      ok = false;
      checks.database = `unreachable: ${error instanceof Error ? error.message : String(error)}`;
    }
    try {
      await ctx.queue.depths();
      checks.queue = "ok";
    } catch (error) {
      ok = false;
      checks.queue = `unavailable: ${error instanceof Error ? error.message : String(error)}`;
    }
    return c.json({ status: ok ? "ready" : "not ready", checks }, ok ? 200 : 503);
  });

  app.get("/metrics", async (c) => {
    try {
      const depths = await ctx.queue.depths();
      queueDepth.reset();
      for (const [queue, n] of depths) queueDepth.set({ queue }, n);
    } catch (error) {
      ctx.logger.warn({ err: error }, "queue depth unavailable for /metrics");
    }
    return c.body(await registry.metrics(), 200, { "content-type": registry.contentType });
  });
  return app;
}
