/**
 * `GET` and `PUT /api/settings/mode-ceiling`: the live switch that caps every workflow. Admin only
 * (the role table maps `/settings` to `connections:read` and `settings:write`); with a console
 * session the console's guard also checks CSRF first. A change is stored with its audit record in
 * one transaction and announced to open consoles.
 */
import type { Hono, Context } from "hono";
import { z } from "zod";
import type { Database } from "../../store/index.ts";
import { createAuditTrail } from "../../governance/index.ts";
import { createModeCeiling, engineEvents, type Mode, type ModeCeiling, type ModeCeilingState } from "../../engine/index.ts";
import { HttpError } from "../http-error.ts";
import type { ModeCeilingReply } from "../../contract/console-api.ts";

const body = z.strictObject({ mode: z.enum(["shadow", "assist", "auto"]) });

/** Stores the console's ceiling, appends `settings.mode_ceiling` to the audit trail, then tells open consoles. */
export async function changeModeCeiling(db: Database, ceiling: ModeCeiling, mode: Mode, actor: string): Promise<ModeCeilingState> {
  const audit = createAuditTrail(db);
  // Read before the transaction: the embedded database has one connection, so a query outside
  // the transaction would wait for it.
  const before = await ceiling.state();
  const state = await db.transaction(async (tx) => {
    const after = await ceiling.set(mode, actor, tx);
    await audit.append(
      {
        kind: "settings.mode_ceiling",
        actor,
        subject: { userId: actor.replace(/^user:/, "") },
        data: { requested: mode, before: before.effective, effective: after.effective, environment: after.environment },
      },
      tx,
    );
    return after;
  });
  engineEvents.emit("settings.modeCeiling", { effective: state.effective, override: state.override, environment: state.environment, actor });
  return state;
}

/** The answer both routes give: what is in force and why. */
export function describeCeiling(s: ModeCeilingState) {
  return {
    ...s,
    capped: s.override !== null && s.override !== s.effective,
    note:
      s.override !== null && s.override !== s.effective
        ? `FULCRUM_MODE_CEILING=${s.environment} is lower than ${s.override}; the environment's cap wins and cannot be raised from here.`
        : undefined,
  };
}

/** Mounts both routes; returns the live ceiling so other routes can show the one in force. */
export function mountModeCeilingRoutes(api: Hono, db: Database, environment: Mode, actorOf: (c: Context) => string): ModeCeiling {
  const ceiling = createModeCeiling(db, environment);
  api.get("/settings/mode-ceiling", async (c) => c.json({ modeCeiling: describeCeiling(await ceiling.state()) } satisfies ModeCeilingReply));
  api.put("/settings/mode-ceiling", async (c) => {
    let raw: unknown;
    try {
      raw = JSON.parse(await c.req.text());
    } catch {
      throw new HttpError(400, "bad_json", "the body is not valid JSON");
    }
    const parsed = body.safeParse(raw);
    if (!parsed.success) throw new HttpError(400, "bad_body", "mode: use shadow, assist or auto");
    return c.json({ modeCeiling: describeCeiling(await changeModeCeiling(db, ceiling, parsed.data.mode, actorOf(c))) } satisfies ModeCeilingReply);
  });
  return ceiling;
}
