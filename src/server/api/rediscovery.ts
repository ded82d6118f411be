/**
 * Talent rediscovery over the REST API.
 *
 * - `GET /api/rediscovery?posting=<id>[&connection=<id>&limit=10&includeActive=true]` — a preview:
 *   the past candidates who fit, with reasons and scores, exactly as `fulcrum rediscover` prints
 *   them. Nothing is written anywhere.
 * - `POST /api/rediscovery` `{ "postingId": "…", "connectionId"?: "…" }` — starts the
 *   `talent-rediscovery` workflow for that posting: each candidate found becomes a proposal in the
 *   inbox (one approval each; the tag and the note follow it). Answers 202 with the run id.
 *
 * - `POST /api/rediscovery/backfill` `{ "connectionId"?, "since"?: "2025-01-31", "includeConfidential"? }`
 *   — fills the index from Lever in the background (as `fulcrum backfill` does, which cannot run
 *   while `fulcrum serve` holds the embedded database); 202 with the request's id.
 *   `GET /api/rediscovery/backfill/:id` — its status and, once done, its report.
 *
 * Preview and start need the `rediscovery:run` permission (admins and recruiters); backfills are
 * an administrator's (`connections:write` to start, `connections:read` to read).
 */
import type { Context, Hono } from "hono";
import { z } from "zod";
import type { AppContext } from "../context.ts";
import { HttpError } from "../http-error.ts";
import { EngineError, getBackfill, requestBackfill, type WorkflowEngine } from "../../engine/index.ts";
import { rediscoverForPosting, type PostingInput } from "../../screening/index.ts";
import { createEmbedder } from "../../ai/index.ts";

const LEVER_ID = /^[\w-]{1,100}$/;
const backfillBody = z.strictObject({
  connectionId: z.string().min(1).max(100).optional(),
  since: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "a date like 2025-01-31")
    .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), "not a real date")
    .optional(),
  includeConfidential: z.boolean().optional(),
});
const startBody = z.strictObject({
  postingId: z.string().regex(LEVER_ID, "a Lever posting id"),
  connectionId: z.string().min(1).max(100).optional(),
});

/** The connection a request means: the one named, else the only one, else `default`. */
export async function connectionFor(ctx: AppContext, named: string | undefined): Promise<string> {
  const registry = ctx.connectionRegistry;
  if (!registry) throw new HttpError(503, "no_connections", "this server has no Lever connection registry");
  const all = await registry.list();
  if (named) {
    if (!all.some((c) => c.id === named)) throw new HttpError(404, "not_found", `no connection "${named.slice(0, 100)}"`);
    return named;
  }
  if (all.length === 1) return all[0]!.id;
  if (all.some((c) => c.id === "default")) return "default";
  if (all.length === 0) throw new HttpError(409, "no_connection", "no Lever connection is configured");
  throw new HttpError(400, "bad_query", `several connections exist (${all.map((c) => c.id).join(", ")}): choose one with connection=<id>`);
}

export function mountRediscoveryRoutes(
  api: Hono,
  ctx: AppContext,
  engine: WorkflowEngine,
  actor: (c: Context) => string,
  body: <T>(c: Context, schema: z.ZodType<T>) => Promise<T>,
): void {
  api.get("/rediscovery", async (c) => {
    const postingId = c.req.query("posting") ?? "";
    if (!LEVER_ID.test(postingId)) throw new HttpError(400, "bad_query", "posting must be a Lever posting id (posting=<id>)");
    const limitText = c.req.query("limit") ?? "10";
    if (!/^\d{1,3}$/.test(limitText) || Number(limitText) < 1 || Number(limitText) > 100)
      throw new HttpError(400, "bad_query", "limit must be a whole number from 1 to 100");
    const includeActive = c.req.query("includeActive");
    if (includeActive !== undefined && includeActive !== "true" && includeActive !== "false")
      throw new HttpError(400, "bad_query", "includeActive must be true or false");
    const connectionId = await connectionFor(ctx, c.req.query("connection"));
    const lever = await ctx.connectionRegistry!.client(connectionId);
    const embedding = createEmbedder({ config: ctx.config });
    try {
      const { posting, rubric, proposals, semantic } = await rediscoverForPosting(ctx.db, {
        connectionId,
        postingId,
        getPosting: async (id) => (await lever.getPosting(id)) as PostingInput,
        limit: Number(limitText),
        archivedOnly: includeActive !== "true",
        embedder: embedding.embedder,
        embedderUnavailable: embedding.reason,
      });
      return c.json({ posting: { id: posting.id, title: posting.text ?? "" }, rubric: rubric.source, semantic, proposals });
    } catch (error) {
      if ((error as { status?: number }).status === 404) throw new HttpError(404, "not_found", `Lever has no posting ${postingId}`);
      throw error;
    }
  });

  api.post("/rediscovery/backfill", async (c) => {
    const input = await body(c, backfillBody);
    const connectionId = await connectionFor(ctx, input.connectionId);
    const id = await requestBackfill(ctx.db, ctx.queue, {
      connectionId,
      since: input.since ? new Date(`${input.since}T00:00:00Z`) : undefined,
      includeConfidential: input.includeConfidential,
      requestedBy: actor(c),
    });
    return c.json({ backfill: await getBackfill(ctx.db, id) }, 202);
  });

  api.get("/rediscovery/backfill/:id", async (c) => {
    const idText = c.req.param("id");
    if (!/^\d{1,15}$/.test(idText)) throw new HttpError(400, "bad_id", "id must be a whole number");
    const row = await getBackfill(ctx.db, Number(idText));
    if (!row) throw new HttpError(404, "not_found", `no backfill ${idText}`);
    return c.json({ backfill: row });
  });

  api.post("/rediscovery", async (c) => {
    const input = await body(c, startBody);
    const connectionId = await connectionFor(ctx, input.connectionId);
    try {
      const runId = await engine.startManual("talent-rediscovery", {
        connectionId,
        actor: actor(c),
        traceId: crypto.randomUUID().replaceAll("-", ""),
        data: { postingId: input.postingId },
      });
      return c.json({ runId, workflowId: "talent-rediscovery", postingId: input.postingId }, 202);
    } catch (error) {
      if (error instanceof EngineError)
        throw new HttpError(error.kind === "invalid" ? 400 : 409, "workflow_unavailable", `talent rediscovery cannot start: ${error.message}`);
      throw error;
    }
  });
}
