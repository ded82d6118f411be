/**
 * The console's own endpoints beyond sign-in, under `/console/api`: the overview for the first
 * view, audit search and chain verification, connections (list, add by API key, doctor, webhook
 * health), settings (mode ceiling, AI provider test), fairness and replay on history. Each one is
 * backed by a service from another module, passed in at start-up; a deployment without that service
 * answers 501 saying what is missing.
 */
import type { Hono } from "hono";
import type { AuditSearch } from "../../governance/index.ts";
import { AuditSearchError, resolveAuditSearch } from "./audit-search.ts";
import { z } from "zod";
import type { ConsoleGuard } from "./routes.ts";
import type {
  AiTestReply,
  AuditRecordView,
  AuditSearchReply,
  AuditVerify,
  ConnectionList,
  DoctorReply,
  FairnessReport,
  Settings,
  Overview,
  PromptChoice,
  PromptChoices,
  PromptList,
  PromptReply,
  PromptSaved,
  ReplayResult,
  StartCounts,
  WebhookHours,
  WorkflowFileReply,
} from "../../contract/console-api.ts";
import type { Database } from "../../store/index.ts";
import { FourEyesError } from "./four-eyes.ts";
import { namesOfActors } from "./people.ts";
import type { PostingsPort } from "./postings.ts";
import type { SandboxActivityPort } from "./sandbox-activity.ts";
import { BUILT_IN_PROMPTS_DIR } from "../../ai/index.ts";
import { approvePromptVersion, latestPrompt, listPrompts, PromptSaveError, proposePromptVersion } from "./workflow-files.ts";
import { startCounts, webhookHours } from "../../engine/index.ts";
import { permits } from "./roles.ts";
import { HttpError } from "../http-error.ts";

/** The audit trail as the console uses it (governance's `AuditTrail`). */
export interface AuditPort {
  search(query: AuditSearch): Promise<AuditRecordView[]>;
  verify(): Promise<AuditVerify>;
}

/** Connections as the console uses them (the engine's connection registry). */
export interface ConnectionsPort {
  list(): Promise<{ id: string; name: string; environment: string; baseUrl: string; authKind: string; oauthConnected?: boolean }[]>;
  add(input: {
    id: string;
    name?: string | undefined;
    apiKey?: string | undefined;
    baseUrl?: string | undefined;
    oauth?: { clientId: string; clientSecret: string; redirectUri: string } | undefined;
  }): Promise<unknown>;
  doctor(id: string): Promise<{ check: string; status: string; detail: string; fix?: string | undefined }[]>;
  /** Deliveries per event for a connection: last delivery, deliveries and failures. */
  webhookHealth?(id: string): Promise<{ event: string; lastDeliveryAt: string | null; deliveries: number; failures: number }[]>;
}

export interface SettingsPort {
  /** The effective ceiling (may be read live from the database). */
  modeCeiling(): string | Promise<string>;
  setModeCeiling?(mode: "shadow" | "assist" | "auto", by: string): Promise<void>;
  ai(): { provider: string; model?: string | undefined; configured: boolean };
  testAi?(): Promise<AiTestReply>;
  oauthAvailable?: boolean | undefined;
}

export interface ConsoleServices {
  audit?: AuditPort | undefined;
  connections?: ConnectionsPort | undefined;
  settings?: SettingsPort | undefined;
  /** The server's public URL (OAuth redirect URIs); the request's origin when absent. */
  publicUrl?: string | undefined;
  /** Set when Fulcrum runs against its built-in Lever sandbox. */
  sandbox?: { url: string } | undefined;
  /** The sandbox's demo activity ("Simulate activity" on Start), when the demo organisation runs. */
  sandboxActivity?: SandboxActivityPort | undefined;
  /** The fairness report (JSON) and its CSV export. */
  fairness?: { report(): Promise<FairnessReport>; csv(): Promise<string> } | undefined;
  /**
   * Runs a workflow in shadow over the last N events it ran on: as saved now (beside what it first
   * proposed), or with a prompt pinned to a saved version `name@version` (beside the current version).
   */
  replay?: ((input: { workflowId: string; prompt?: string | undefined; last: number }) => Promise<ReplayResult>) | undefined;
  /** The saved prompt versions a replay of the workflow can pin, with the current one of each. */
  replayPrompts?: ((workflowId: string) => Promise<PromptChoice[]>) | undefined;
  /** A loaded workflow with the text of its file. */
  workflowFile?: ((id: string) => { id: string; name: string; description?: string | undefined; origin: string; yaml: string } | undefined) | undefined;
  /**
   * Folder prompt versions saved from the console are written to (`<FULCRUM_DATA_DIR>/prompts`);
   * the built-in prompts/ folder is read beside it, never written. Without it prompts are read-only.
   */
  promptsDir?: string | undefined;
  /** Every Lever posting of every connection (a hiring manager's postings are picked from it). */
  postings?: PostingsPort | undefined;
  /** How many workflows are loaded (for the overview). */
  workflowCount?: (() => number) | undefined;
  /** How many jobs wait in the dead-letter queues (Start's "dead jobs" tile). */
  deadJobs?: (() => Promise<number>) | undefined;
}

/** Reads Start's `since` (the viewer's midnight): an ISO time within the last two days; UTC midnight when absent. */
export function startOfDay(since: string | undefined, now: Date): Date | { error: string } {
  if (since === undefined || since === "") return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const at = /^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})$/.test(since) ? new Date(since) : new Date(Number.NaN);
  if (Number.isNaN(at.getTime()))
    return { error: `since: "${since.slice(0, 40)}" is not a time; give the start of your day as ISO 8601, e.g. 2025-03-01T00:00:00+01:00.` };
  const age = now.getTime() - at.getTime();
  if (age < -3_600_000 || age > 2 * 86_400_000) return { error: `since: ${since.slice(0, 40)} is not the start of a day within the last two days.` };
  return at;
}

/** The refusal of a deployment that was started without the service an endpoint needs. */
const missing = (what: string) => new HttpError(501, "not_available", `${what} is not available in this deployment.`);

export function mountConsoleApi(api: Hono, guard: ConsoleGuard, services: ConsoleServices, db: Database): void {
  api.get("/overview", async (c) => {
    const g = await guard(c, "proposals:read");
    if (g instanceof Response) return g;
    return c.json({
      sandbox: services.sandbox !== undefined,
      sandboxUrl: g.caller.role === "admin" ? services.sandbox?.url : undefined,
      // Seconds between bursts of demo activity (null: only on demand); absent without the demo.
      activity: services.sandboxActivity ? { everySeconds: services.sandboxActivity.everySeconds } : undefined,
      modeCeiling: (await services.settings?.modeCeiling()) ?? "unknown",
      workflows: services.workflowCount?.(),
    } satisfies Overview);
  });

  // Start's count tiles: each figure only for a role that may open the page it links to.
  api.get("/start-counts", async (c) => {
    const g = await guard(c, "proposals:read");
    if (g instanceof Response) return g;
    const since = startOfDay(c.req.query("since"), new Date());
    if ("error" in since) throw new HttpError(400, "bad_query", since.error);
    const role = g.caller.role;
    const counts = await startCounts(db, { since, postingIds: role === "hiring_manager" ? (g.caller.postingIds ?? []) : undefined });
    const runs = permits(role, "runs:read");
    c.header("Cache-Control", "no-store");
    return c.json({
      waitingProposals: counts.waitingProposals,
      runsToday: runs ? counts.runsToday : undefined,
      failedRunsToday: runs ? counts.failedRunsToday : undefined,
      deadJobs: permits(role, "jobs:retry") && services.deadJobs ? await services.deadJobs() : undefined,
    } satisfies StartCounts);
  });

  // Webhook health for Start's sparkline: deliveries per hour over the last 24 hours.
  api.get("/webhook-hours", async (c) => {
    const g = await guard(c, "runs:read");
    if (g instanceof Response) return g;
    c.header("Cache-Control", "no-store");
    return c.json({ hours: await webhookHours(db, { now: new Date(), hours: 24 }) } satisfies WebhookHours);
  });

  api.get("/audit", async (c) => {
    const g = await guard(c, "audit:read");
    if (g instanceof Response) return g;
    if (!services.audit) throw missing("The audit trail");
    const q = c.req.query();
    let resolved;
    try {
      resolved = await resolveAuditSearch(db, {
        trace: q.trace,
        candidate: q.candidate,
        opportunity: q.opportunity,
        user: q.user,
        person: q.person,
        workflow: q.workflow,
        from: q.from,
        to: q.to,
      });
    } catch (error) {
      if (error instanceof AuditSearchError) throw new HttpError(400, "bad_query", error.message, { field: error.field });
      throw error;
    }
    const records = await services.audit.search(resolved.query);
    const actors = records.map((r) => r.actor);
    return c.json({ records, matched: resolved.matched, people: await namesOfActors(db, actors) } satisfies AuditSearchReply);
  });

  api.post("/audit/verify", async (c) => {
    const g = await guard(c, "audit:read");
    if (g instanceof Response) return g;
    if (!services.audit) throw missing("The audit trail");
    return c.json((await services.audit.verify()) satisfies AuditVerify);
  });

  api.get("/connections", async (c) => {
    const g = await guard(c, "connections:read");
    if (g instanceof Response) return g;
    if (!services.connections) throw missing("The connection registry");
    const connections = await services.connections.list();
    const withHealth = await Promise.all(
      connections.map(async (conn) => ({
        id: conn.id,
        name: conn.name,
        environment: conn.environment,
        baseUrl: conn.baseUrl,
        authKind: conn.authKind,
        oauthConnected: conn.oauthConnected ?? false,
        webhooks: (await services.connections!.webhookHealth?.(conn.id).catch(() => undefined)) ?? [],
      })),
    );
    return c.json({ connections: withHealth } satisfies ConnectionList);
  });

  const addSchema = z
    .object({
      id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, "use lower-case letters, digits, - and _ (at most 63)"),
      name: z.string().max(200).optional(),
      apiKey: z.string().min(1).max(500).optional(),
      baseUrl: z.url().optional(),
      oauth: z.object({ clientId: z.string().min(1).max(500), clientSecret: z.string().min(1).max(500) }).optional(),
    })
    .refine((v) => (v.apiKey === undefined) !== (v.oauth === undefined), { message: "give either an API key or an OAuth client, not both", path: ["apiKey"] });
  api.post("/connections", async (c) => {
    const g = await guard(c, "connections:write");
    if (g instanceof Response) return g;
    if (!services.connections) throw missing("The connection registry");
    const parsed = addSchema.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new HttpError(400, "bad_body", `${issue.path.join(".") || "body"}: ${issue.message}`);
    }
    const { oauth, ...rest } = parsed.data;
    // Lever sends the person back to this server's OAuth callback.
    const redirectUri = `${services.publicUrl ?? new URL(c.req.url).origin}/oauth/lever/callback`;
    try {
      await services.connections.add({ ...rest, oauth: oauth && { ...oauth, redirectUri } });
    } catch (error) {
      throw new HttpError(400, "connection_refused", (error as Error).message);
    }
    return c.json({ ok: true }, 201);
  });

  api.get("/connections/:id/doctor", async (c) => {
    const g = await guard(c, "connections:write");
    if (g instanceof Response) return g;
    if (!services.connections) throw missing("The connection registry");
    try {
      const rows = await services.connections.doctor(c.req.param("id"));
      return c.json({
        rows: rows.map((r) => ({ check: r.check, ok: r.status === "ok" || r.status === "skip", status: r.status, detail: r.detail, fix: r.fix })),
      } satisfies DoctorReply);
    } catch (error) {
      throw new HttpError(400, "doctor_failed", (error as Error).message);
    }
  });

  api.get("/settings", async (c) => {
    const g = await guard(c, "connections:read");
    if (g instanceof Response) return g;
    if (!services.settings) throw missing("Settings");
    return c.json({
      modeCeiling: await services.settings.modeCeiling(),
      modeCeilingSwitchable: services.settings.setModeCeiling !== undefined,
      ai: services.settings.ai(),
      aiTestable: services.settings.testAi !== undefined,
      oauthAvailable: services.settings.oauthAvailable ?? false,
    } satisfies Settings);
  });

  api.post("/settings/mode-ceiling", async (c) => {
    const g = await guard(c, "settings:write");
    if (g instanceof Response) return g;
    if (!services.settings?.setModeCeiling) throw missing("Changing the mode ceiling at run time");
    const parsed = z.object({ mode: z.enum(["shadow", "assist", "auto"]) }).safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) throw new HttpError(400, "bad_body", "mode: use shadow, assist or auto");
    await services.settings.setModeCeiling(parsed.data.mode, g.user.id);
    return c.json({ modeCeiling: await services.settings.modeCeiling() });
  });

  api.post("/settings/ai/test", async (c) => {
    const g = await guard(c, "settings:write");
    if (g instanceof Response) return g;
    if (!services.settings?.testAi) throw missing("Testing the AI provider");
    return c.json(await services.settings.testAi());
  });

  api.get("/fairness", async (c) => {
    const g = await guard(c, "fairness:read");
    if (g instanceof Response) return g;
    if (!services.fairness) throw missing("The fairness report");
    return c.json(await services.fairness.report());
  });

  api.get("/fairness.csv", async (c) => {
    const g = await guard(c, "fairness:read");
    if (g instanceof Response) return g;
    if (!services.fairness) throw missing("The fairness report");
    c.header("Content-Disposition", `attachment; filename="fulcrum-bias-audit-summary-${new Date().toISOString().slice(0, 10)}.csv"`);
    return c.body(await services.fairness.csv(), 200, { "Content-Type": "text/csv; charset=utf-8" });
  });

  api.get("/workflows/:id", async (c) => {
    const g = await guard(c, "workflows:read");
    if (g instanceof Response) return g;
    if (!services.workflowFile) throw missing("The workflow set");
    const wf = services.workflowFile(c.req.param("id"));
    if (!wf) throw new HttpError(404, "not_found", `No workflow "${c.req.param("id")}".`);
    return c.json({ workflow: wf } satisfies WorkflowFileReply);
  });

  api.get("/prompts", async (c) => {
    const g = await guard(c, "prompts:read");
    if (g instanceof Response) return g;
    const { rows } = await db.query<{ name: string; version: string; author: string; created_at: Date | string }>(
      "select name, version, author, created_at from prompt_versions where approved_by is null",
    );
    const authors = new Map(rows.map((r) => [`${r.name}@${r.version}`, { author: r.author, savedAt: new Date(r.created_at).toISOString() }]));
    const reply: PromptList = {
      prompts: listPrompts(services.promptsDir ?? BUILT_IN_PROMPTS_DIR).map((p) => ({
        ...p,
        pending: p.pending.map((version) => ({ version, ...(authors.get(`${p.name}@${version}`) ?? { author: null, savedAt: null }) })),
      })),
    };
    return c.json(reply);
  });

  api.get("/prompts/:name", async (c) => {
    const g = await guard(c, "prompts:read");
    if (g instanceof Response) return g;
    const p = latestPrompt(c.req.param("name"), services.promptsDir ?? BUILT_IN_PROMPTS_DIR);
    if (!p) throw new HttpError(404, "not_found", `No prompt "${c.req.param("name")}".`);
    return c.json({ prompt: { name: c.req.param("name"), ...p } } satisfies PromptReply);
  });

  api.post("/prompts", async (c) => {
    const g = await guard(c, "prompts:write");
    if (g instanceof Response) return g;
    const parsed = z.object({ name: z.string().max(63), text: z.string().max(100_000) }).safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) throw new HttpError(400, "bad_body", `${parsed.error.issues[0]!.path.join(".") || "body"}: ${parsed.error.issues[0]!.message}`);
    if (!services.promptsDir) throw missing("A data folder for saved prompt versions");
    try {
      const version = await proposePromptVersion(db, parsed.data.name, parsed.data.text, `user:${g.user.id}`, services.promptsDir);
      return c.json(
        {
          prompt: { name: parsed.data.name, version, status: "pending" },
          note: "saved; workflows run it once someone other than you approves it",
        } satisfies PromptSaved,
        201,
      );
    } catch (error) {
      if (error instanceof PromptSaveError) throw HttpError.of(error.kind, error.message);
      throw error;
    }
  });

  // Four eyes: the approver must not be the author (unless an admin turned the rule off).
  api.post("/prompts/:name/:version/approve", async (c) => {
    const g = await guard(c, "prompts:write");
    if (g instanceof Response) return g;
    if (!services.promptsDir) throw missing("A data folder for saved prompt versions");
    try {
      const { selfApproved } = await approvePromptVersion(db, c.req.param("name"), c.req.param("version"), `user:${g.user.id}`, services.promptsDir);
      return c.json({ prompt: { name: c.req.param("name"), version: c.req.param("version"), status: "approved", selfApproved } } satisfies PromptSaved);
    } catch (error) {
      if (error instanceof FourEyesError) throw HttpError.of(error.kind, error.message, "four_eyes");
      if (error instanceof PromptSaveError) throw HttpError.of(error.kind, error.message);
      throw error;
    }
  });

  api.get("/replay/:workflowId/prompts", async (c) => {
    const g = await guard(c, "workflows:read");
    if (g instanceof Response) return g;
    if (!services.replayPrompts) throw missing("Replay on history");
    return c.json({ prompts: await services.replayPrompts(c.req.param("workflowId")) } satisfies PromptChoices);
  });

  api.post("/replay", async (c) => {
    const g = await guard(c, "workflows:write");
    if (g instanceof Response) return g;
    if (!services.replay) throw missing("Replay on history");
    const parsed = z
      .object({
        workflowId: z.string().min(1).max(200),
        prompt: z
          .string()
          .regex(/^[a-z0-9][a-z0-9_-]{0,62}@v\d{1,6}$/, "give a saved prompt version as name@version, e.g. resume-evidence@v2")
          .optional(),
        last: z.number().int().min(1).max(200).default(20),
      })
      .safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) throw new HttpError(400, "bad_body", `${parsed.error.issues[0]!.path.join(".") || "body"}: ${parsed.error.issues[0]!.message}`);
    try {
      return c.json(await services.replay(parsed.data));
    } catch (error) {
      throw new HttpError(400, "replay_refused", (error as Error).message);
    }
  });
}
