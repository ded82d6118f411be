/**
 * A posting's rubric over the REST API — what screening scores the posting by:
 *
 * - `GET /api/postings/:id/rubric[?connection=]` — every version, newest first, the one in force
 *   marked `active` (none yet: the posting's own requirements are read at the first screening).
 * - `PUT /api/postings/:id/rubric` — a recruiter's override (`{ title?, criteria: [...] }`, the
 *   same shape as a rubric file): saved as a new version that scores nobody until approved. 400
 *   names the field of the first problem.
 * - `POST /api/postings/:id/rubric/:version/approve` — approves an override; the approval (who,
 *   when) is kept with the version and in the audit trail. Its author may not approve it (403)
 *   unless an admin has turned four eyes off (see console/four-eyes.ts).
 *
 * Reading needs `rubrics:read` (admin, recruiter, auditor); writing `rubrics:write` (admin, recruiter).
 */
import type { Context, Hono } from "hono";
import type { AppContext } from "../context.ts";
import { HttpError } from "../http-error.ts";
import { createAuditTrail } from "../../governance/index.ts";
import { fourEyesRequired } from "../console/index.ts";
import { approveRubricOverride, rubricVersions, RubricVersionError, saveRubricOverride } from "../../screening/index.ts";
import { connectionFor } from "./rediscovery.ts";

const LEVER_ID = /^[\w-]{1,100}$/;
/** Sixty criteria with long labels fit easily; anything bigger is not a rubric. */
const MAX_RUBRIC_CHARS = 256 * 1024;

function postingOf(c: Context): string {
  const id = c.req.param("id") ?? "";
  if (!LEVER_ID.test(id)) throw new HttpError(400, "bad_id", "not a Lever posting id");
  return id;
}

function refused(error: unknown): never {
  if (error instanceof RubricVersionError) {
    throw HttpError.of(error.code, error.message, error.code === "invalid" ? "bad_rubric" : error.code, error.path ? { field: error.path } : undefined);
  }
  throw error;
}

export function mountRubricRoutes(api: Hono, ctx: AppContext, actor: (c: Context) => string): void {
  const audit = createAuditTrail(ctx.db);

  api.get("/postings/:id/rubric", async (c) => {
    const postingId = postingOf(c);
    const connectionId = await connectionFor(ctx, c.req.query("connection"));
    return c.json({ postingId, connectionId, versions: await rubricVersions(ctx.db, connectionId, postingId) });
  });

  api.put("/postings/:id/rubric", async (c) => {
    const postingId = postingOf(c);
    const connectionId = await connectionFor(ctx, c.req.query("connection"));
    let body: unknown;
    const text = await c.req.text();
    if (text.length > MAX_RUBRIC_CHARS) throw new HttpError(413, "too_large", `a rubric is at most ${MAX_RUBRIC_CHARS / 1024} KiB of JSON`);
    try {
      body = JSON.parse(text);
    } catch {
      throw new HttpError(400, "bad_json", "the body is not valid JSON");
    }
    const version = await saveRubricOverride(ctx.db, connectionId, postingId, body, actor(c), audit).catch(refused);
    const saved = (await rubricVersions(ctx.db, connectionId, postingId)).find((v) => v.version === version)!;
    return c.json({ version: saved, note: "saved; it scores nobody until someone approves it" }, 201);
  });

  api.post("/postings/:id/rubric/:version/approve", async (c) => {
    const postingId = postingOf(c);
    const versionText = c.req.param("version");
    if (!/^\d{1,9}$/.test(versionText)) throw new HttpError(400, "bad_id", "version must be a whole number");
    const connectionId = await connectionFor(ctx, c.req.query("connection"));
    const allowSelfApproval = !(await fourEyesRequired(ctx.db));
    const approved = await approveRubricOverride(ctx.db, connectionId, postingId, Number(versionText), actor(c), audit, { allowSelfApproval }).catch(refused);
    return c.json({ version: approved });
  });
}
