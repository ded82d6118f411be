/**
 * The REST API under `/api`: events, runs, proposals (approve / reject), dead jobs, workflows and
 * prompts. Callers are API bearer tokens, or console users resolved by the console's guard (which
 * runs before this app and sets `caller`). Every route checks the caller's role through one
 * `authorize` hook, which the console may replace.
 */
import { readFileSync } from "node:fs";
import { Hono, type Context } from "hono";
import { z } from "zod";
import type { AppContext } from "../context.ts";
import { HttpError } from "../http-error.ts";
import { actionForApiRequest, fourEyesRequired, permits, type Caller } from "../console/index.ts";
import {
  approveWorkflowChange,
  capMode,
  ceilingSource,
  describeWorkflowPatch,
  EngineError,
  formatProblem,
  getProposal,
  getRun,
  getWorkflowChange,
  listProposals,
  listRuns,
  listWorkflowChanges,
  rejectWorkflowChange,
  requestWorkflowChange,
  WorkflowChangeError,
  type Mode,
  type WorkflowEngine,
  type WorkflowSet,
} from "../../engine/index.ts";
import { verifyApiToken } from "./tokens.ts";
import { mountModeCeilingRoutes } from "./mode-ceiling.ts";
import { mountRediscoveryRoutes } from "./rediscovery.ts";
import { mountRubricRoutes } from "./rubrics.ts";
import { savedPromptsDir } from "../../ai/index.ts";
import { listPrompts, promptVersionFile } from "../console/workflow-files.ts";
import type {
  ActionModeView,
  DeadJobList,
  EventList,
  ProposalList,
  ProposalReply,
  RunList,
  RunReply,
  WorkflowList,
  WorkflowPatchReply,
  WorkflowState,
} from "../../contract/console-api.ts";

/** Decides whether a caller may make this request; throw HttpError(403) to refuse. */
export type Authorize = (caller: Caller, request: { method: string; path: string }) => void | Promise<void>;

/** The default: the console's role table (admin, recruiter, hiring manager, auditor). */
export const authorizeByRole: Authorize = (caller, { method, path }) => {
  const action = actionForApiRequest(method, path);
  if (!permits(caller.role, action)) throw new HttpError(403, "forbidden", `the ${caller.role} role may not do this (${action})`);
};

export interface ApiOptions {
  engine: WorkflowEngine;
  workflows: WorkflowSet;
  authorize?: Authorize | undefined;
  /** Folder of saved prompt versions, read beside the built-in ones (default: `<data folder>/prompts`). */
  promptsDir?: string | undefined;
}

const decisionBody = z.strictObject({ reason: z.string().max(2000).optional(), edits: z.record(z.string(), z.unknown()).optional() });
const workflowPatch = z.strictObject({ enabled: z.boolean().optional(), mode: z.enum(["shadow", "assist", "auto"]).optional() });
const changeDecisionBody = z.strictObject({ reason: z.string().max(2000).optional() });
const changeStatuses = ["pending", "approved", "rejected", "withdrawn", "superseded", "all"] as const;
const rerunBody = z.strictObject({ step: z.string().min(1) });
const manualBody = z.strictObject({
  connectionId: z.string().min(1),
  opportunityId: z.string().min(1).optional(),
  data: z.record(z.string(), z.unknown()).optional(),
});

function caller(c: Context): Caller {
  return (c.get as (k: string) => unknown)("caller") as Caller;
}

function actorOf(who: Caller): string {
  return `user:${who.userId}`;
}

function intParam(c: Context, name: string): number {
  const v = c.req.param(name) ?? "";
  if (!/^\d{1,15}$/.test(v)) throw new HttpError(400, "bad_id", `${name} must be a whole number, got "${v.slice(0, 40)}"`);
  return Number(v);
}

function intQuery(c: Context, name: string): number | undefined {
  const v = c.req.query(name);
  if (v === undefined || v === "") return undefined;
  if (!/^\d{1,15}$/.test(v)) throw new HttpError(400, "bad_query", `${name} must be a whole number`);
  return Number(v);
}

async function jsonBody<T>(c: Context, schema: z.ZodType<T>): Promise<T> {
  let raw: unknown = {};
  const text = await c.req.text();
  if (text.trim() !== "") {
    try {
      raw = JSON.parse(text);
    } catch {
      throw new HttpError(400, "bad_json", "the body is not valid JSON");
    }
  }
  const r = schema.safeParse(raw);
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw new HttpError(400, "bad_body", `${i.path.join(".") || "(body)"}: ${i.message}`);
  }
  return r.data;
}

function engineCall<T>(p: Promise<T>): Promise<T> {
  return p.catch((e: unknown) => {
    if (e instanceof EngineError) throw HttpError.of(e.kind, e.message);
    throw e;
  });
}

/** The `/api` sub-app. Mount with `app.route("/api", apiRoutes(ctx, { engine, workflows }))`. */
export function apiRoutes(ctx: AppContext, options: ApiOptions): Hono {
  const api = new Hono();
  const authorize = options.authorize ?? authorizeByRole;
  const { db, engine, workflows } = { db: ctx.db, ...options };

  api.use("*", async (c, next) => {
    let who = (c.get as (k: string) => unknown)("caller") as Caller | undefined;
    if (!who) {
      const header = c.req.header("authorization") ?? "";
      const m = /^bearer\s+(\S+)$/i.exec(header);
      if (!m) throw new HttpError(401, "unauthenticated", "send an API bearer token (Authorization: Bearer …) or sign in to the console");
      const token = await verifyApiToken(db, m[1]!);
      if (!token) throw new HttpError(401, "unauthenticated", "unknown or revoked API token");
      who = { userId: `token:${token.id}`, role: token.role, name: token.name };
      (c.set as (k: string, v: unknown) => void)("caller", who);
      (c.set as (k: string, v: unknown) => void)("auth", who);
    }
    await authorize(who, { method: c.req.method, path: c.req.path });
    await next();
  });

  api.get("/events", async (c) => {
    const status = c.req.query("status");
    const statuses = ["received", "processing", "processed", "failed", "ignored"] as const;
    if (status && !(statuses as readonly string[]).includes(status)) throw new HttpError(400, "bad_query", `status must be one of ${statuses.join(", ")}`);
    const connection = c.req.query("connection");
    const events = await ctx.inbox.listEvents({
      limit: intQuery(c, "limit") ?? 50,
      ...(intQuery(c, "before") ? { beforeId: intQuery(c, "before")! } : {}),
      ...(status ? { status: status as (typeof statuses)[number] } : {}),
      ...(connection ? { connectionId: connection } : {}),
    });
    // Payloads can carry contact details; the list shows what happened, not the body.
    const reply: EventList = {
      events: events.map(({ payload: _payload, ...e }) => ({
        ...e,
        triggeredAt: e.triggeredAt?.toISOString() ?? null,
        receivedAt: e.receivedAt.toISOString(),
        processedAt: e.processedAt?.toISOString() ?? null,
      })),
    };
    return c.json(reply);
  });

  api.get("/runs", async (c) => {
    const runs = await listRuns(db, {
      status: c.req.query("status"),
      workflowId: c.req.query("workflow"),
      opportunityId: c.req.query("opportunity"),
      overdue: c.req.query("overdue") === "true",
      beforeId: intQuery(c, "before"),
      limit: intQuery(c, "limit"),
    });
    return c.json({ runs } satisfies RunList);
  });

  api.get("/runs/:id", async (c) => {
    const run = await getRun(db, intParam(c, "id"));
    if (!run) throw new HttpError(404, "not_found", `no run ${c.req.param("id")}`);
    const proposals = await listProposals(db, { runId: run.id, limit: 500 });
    return c.json({ run: { ...run, proposals } } satisfies RunReply);
  });

  api.post("/runs/:id/rerun", async (c) => {
    const { step } = await jsonBody(c, rerunBody);
    const id = intParam(c, "id");
    await engineCall(engine.rerunFrom(id, step));
    return c.json({ run: await getRun(db, id) }, 202);
  });

  api.get("/proposals", async (c) => {
    const who = caller(c);
    const proposals = await listProposals(db, {
      status: c.req.query("status"),
      workflowId: c.req.query("workflow"),
      postingId: c.req.query("posting"),
      postingIds: who.role === "hiring_manager" ? (who.postingIds ?? []) : undefined,
      beforeId: intQuery(c, "before"),
      limit: intQuery(c, "limit"),
    });
    return c.json({ proposals } satisfies ProposalList);
  });

  api.get("/proposals/:id", async (c) => {
    const p = await getProposal(db, intParam(c, "id"));
    const who = caller(c);
    if (!p || (who.role === "hiring_manager" && !(who.postingIds ?? []).includes(p.postingId ?? "")))
      throw new HttpError(404, "not_found", `no proposal ${c.req.param("id")}`);
    return c.json({ proposal: p } satisfies ProposalReply);
  });

  for (const decision of ["approve", "reject"] as const) {
    api.post(`/proposals/:id/${decision}`, async (c) => {
      const id = intParam(c, "id");
      const body = await jsonBody(c, decisionBody);
      const who = caller(c);
      if (who.role === "hiring_manager") {
        const p = await getProposal(db, id);
        if (!p || !(who.postingIds ?? []).includes(p.postingId ?? "")) throw new HttpError(404, "not_found", `no proposal ${id}`);
      }
      await engineCall(engine.decideProposal(id, { actor: actorOf(who), decision, reason: body.reason, edits: body.edits }));
      return c.json({ proposal: await getProposal(db, id) } satisfies ProposalReply);
    });
  }

  api.get("/jobs/dead", async (c) => {
    const jobs = await ctx.queue.listDead({ limit: intQuery(c, "limit") ?? 100 });
    return c.json({ jobs: jobs.map((j) => ({ ...j, failedAt: j.failedAt.toISOString() })) } satisfies DeadJobList);
  });

  api.post("/jobs/:id/retry", async (c) => {
    const id = c.req.param("id");
    if (!/^[\w-]{1,64}$/.test(id)) throw new HttpError(400, "bad_id", "not a job id");
    if (!(await ctx.queue.retry(id))) throw new HttpError(404, "not_found", `no dead or failed job ${id}`);
    return c.json({ retried: id }, 202);
  });

  const modeCeiling = mountModeCeilingRoutes(api, db, ctx.config.modeCeiling, (c) => actorOf(caller(c)));

  /**
   * Each action's effective mode with the reason (the lowest of ceiling, workflow, per-action modes
   * and, on the built-in sandbox, the sandbox block), and the highest of them as the workflow's.
   */
  async function modesOf(): Promise<(id: string, fileMode: Mode) => { effectiveMode: Mode; actions: ActionModeView[] }> {
    const state = await modeCeiling.state();
    const modes = await engine.workflowModes(state.effective, ceilingSource(state));
    const onSandbox = ctx.config.sandbox.enabled;
    return (id, fileMode) => {
      const m = modes.get(id);
      if (!m) return { effectiveMode: capMode(fileMode, state.effective), actions: [] };
      const here = onSandbox ? m.onSandbox : m.actions;
      const actions = m.actions.map((a, i): ActionModeView => {
        const s = m.onSandbox[i]!;
        const sandbox = s.mode !== a.mode ? { onSandbox: { mode: s.mode, decidedBy: s.decidedBy, reason: s.reason } } : {};
        return { step: a.step, type: a.type, mode: a.mode, decidedBy: a.decidedBy, reason: a.reason, ignored: a.ignored, ...sandbox };
      });
      // The most any action may do: capMode(hi, a) is the lower of the two, so the other is the higher.
      const top = here.reduce<Mode>((hi, a) => (capMode(hi, a.mode) === hi ? a.mode : hi), "shadow");
      return { effectiveMode: here.length ? top : capMode(m.chosen?.mode ?? fileMode, state.effective), actions };
    };
  }

  /** The workflow as the list shows it: switches in force, each action's effective mode, and a change waiting for approval. */
  async function workflowView(id: string): Promise<WorkflowState> {
    const w = (await engine.effectiveWorkflows()).find((x) => x.id === id)!;
    const pendingChange = (await listWorkflowChanges(db, { workflowId: id, limit: 1 }))[0] ?? null;
    return { id, enabled: w.enabled, mode: w.mode, ceiling: await modeCeiling.get(), ...(await modesOf())(id, w.mode), pendingChange };
  }

  function changeRefused(error: unknown): never {
    if (error instanceof WorkflowChangeError) throw HttpError.of(error.code, error.message);
    throw error;
  }

  api.get("/workflows", async (c) => {
    const effective = new Map((await engine.effectiveWorkflows()).map((w) => [w.id, w]));
    const ceiling = await modeCeiling.get();
    const modes = await modesOf();
    const waiting = new Map((await listWorkflowChanges(db, { limit: 500 })).map((ch) => [ch.workflowId, ch]));
    const reply: WorkflowList = {
      workflows: workflows.list().map((l) => {
        const w = effective.get(l.workflow.id) ?? l.workflow;
        return {
          id: w.id,
          name: w.name,
          description: w.description ?? null,
          enabled: w.enabled,
          mode: w.mode,
          modes: w.modes,
          ceiling,
          ...modes(w.id, w.mode),
          pendingChange: waiting.get(w.id) ?? null,
          origin: l.origin,
          hash: l.hash,
          triggers: w.triggers,
          steps: w.steps.map((s) => ({ id: s.id, type: s.type })),
        };
      }),
      problems: workflows.problems().map((p) => ({ ...p, text: formatProblem(p) })),
    };
    return c.json(reply);
  });

  /** Workflow changes, newest first; `?status=` (default `pending`, or `all`) and `?workflow=`. */
  api.get("/workflows/changes", async (c) => {
    const status = c.req.query("status") ?? "pending";
    if (!(changeStatuses as readonly string[]).includes(status)) throw new HttpError(400, "bad_query", `status must be one of ${changeStatuses.join(", ")}`);
    const changes = await listWorkflowChanges(db, {
      status: status as (typeof changeStatuses)[number],
      workflowId: c.req.query("workflow") || undefined,
      limit: intQuery(c, "limit"),
    });
    return c.json({ changes });
  });

  /**
   * Lowering (a lower mode, disabling) applies at once. Raising (a higher mode, enabling) waits for
   * someone other than the caller while four eyes is on: 202 with the pending change.
   */
  api.patch("/workflows/:id", async (c) => {
    const id = c.req.param("id");
    const loaded = workflows.get(id);
    if (!loaded) throw new HttpError(404, "not_found", `no workflow "${id}"`);
    const body = await jsonBody(c, workflowPatch);
    const author = actorOf(caller(c));
    const r = await requestWorkflowChange(db, {
      workflowId: id,
      file: { enabled: loaded.workflow.enabled, mode: loaded.workflow.mode },
      patch: body,
      author,
      fourEyes: await fourEyesRequired(db),
    });
    const workflow = await workflowView(id);
    if (!r.pending) return c.json({ workflow, applied: r.applied, ...(r.selfApproved ? { selfApproved: true as const } : {}) } satisfies WorkflowPatchReply);
    const now = describeWorkflowPatch(r.applied);
    const message =
      `${now ? `Applied: ${now}. ` : ""}Waiting for approval: change ${r.pending.id} would ${describeWorkflowPatch({ enabled: r.pending.enabled ?? undefined, mode: r.pending.mode ?? undefined })}. ` +
      `Someone other than ${author} with the admin role must approve it (four eyes): POST /api/workflows/${id}/changes/${r.pending.id}/approve, or Approve on the console's Workflows page.`;
    return c.json({ workflow, applied: r.applied, change: r.pending, message } satisfies WorkflowPatchReply, 202);
  });

  for (const decision of ["approve", "reject"] as const) {
    api.post(`/workflows/:id/changes/:changeId/${decision}`, async (c) => {
      const id = c.req.param("id");
      const changeId = intParam(c, "changeId");
      const body = await jsonBody(c, changeDecisionBody);
      const change = await getWorkflowChange(db, changeId);
      if (change?.workflowId !== id) throw new HttpError(404, "not_found", `workflow "${id}" has no change ${changeId}`);
      const who = actorOf(caller(c));
      if (decision === "approve") {
        const file = (wf: string) => {
          const l = workflows.get(wf);
          return l ? { enabled: l.workflow.enabled, mode: l.workflow.mode } : undefined;
        };
        const r = await approveWorkflowChange(db, changeId, { approver: who, fourEyes: await fourEyesRequired(db), file }).catch(changeRefused);
        return c.json({ change: r.change, workflow: await workflowView(id), ...(r.selfApproved ? { selfApproved: true } : {}) });
      }
      const rejected = await rejectWorkflowChange(db, changeId, { actor: who, reason: body.reason }).catch(changeRefused);
      return c.json({ change: rejected, workflow: await workflowView(id) });
    });
  }

  api.post("/workflows/:id/run", async (c) => {
    const body = await jsonBody(c, manualBody);
    const runId = await engineCall(
      engine.startManual(c.req.param("id"), {
        connectionId: body.connectionId,
        opportunityId: body.opportunityId,
        data: body.data,
        actor: actorOf(caller(c)),
        traceId: crypto.randomUUID().replaceAll("-", ""),
      }),
    );
    return c.json({ runId }, 202);
  });

  mountRediscoveryRoutes(api, ctx, engine, (c) => actorOf(caller(c)), jsonBody);
  mountRubricRoutes(api, ctx, (c) => actorOf(caller(c)));

  // Built-in versions and those saved from the console (the data folder's), the saved ones first.
  const savedPrompts = options.promptsDir ?? savedPromptsDir(ctx.config.dataDir);
  api.get("/prompts", (c) => {
    const prompts = listPrompts(savedPrompts).map((p) => ({ name: p.name, versions: p.versions }));
    return c.json({ prompts });
  });

  api.get("/prompts/:name/:version", (c) => {
    const { name, version } = c.req.param();
    if (!/^[a-z0-9][a-z0-9_-]*$/.test(name) || !/^[\w.-]+$/.test(version)) throw new HttpError(400, "bad_name", "not a prompt name or version");
    const file = promptVersionFile(name, version, savedPrompts);
    if (!file) throw new HttpError(404, "not_found", `no prompt ${name}@${version}`);
    return c.json({ name, version, text: readFileSync(file, "utf8") });
  });

  return api;
}
