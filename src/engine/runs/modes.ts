/**
 * Modes: the workflows with the settings people changed (enabled, mode) over their files' values,
 * the mode a person chose, and the effective mode of each action (what the console lists, and
 * what a proposal is decided under).
 */
import { actionModes, lowestMode, modeLimits, type ActionMode, type Mode } from "../policy/index.ts";
import type { ActionStep, Step, Workflow } from "../workflows/index.ts";
import type { EngineContext, RunRow } from "./context.ts";

/** Workflow settings changed through the API (enabled, mode) over the file's values. */
export async function effectiveWorkflows(engine: EngineContext): Promise<Workflow[]> {
  const { db, options } = engine;
  const { rows } = await db.query<{ workflow_id: string; enabled: boolean | null; mode: Mode | null }>(
    "select workflow_id, enabled, mode from workflow_settings",
  );
  const overrides = new Map(rows.map((r) => [r.workflow_id, r]));
  return options.workflows.list().map(({ workflow }) => {
    const o = overrides.get(workflow.id);
    if (!o) return workflow;
    return { ...workflow, enabled: o.enabled ?? workflow.enabled, mode: o.mode ?? workflow.mode };
  });
}

/** The mode a person chose for a workflow (console, API, CLI), read at each decision. */
async function chosenMode(engine: EngineContext, workflowId: string): Promise<{ mode: Mode; by: string | null } | null> {
  const { db } = engine;
  const { rows } = await db.query<{ mode: Mode | null; updated_by: string | null }>("select mode, updated_by from workflow_settings where workflow_id = $1", [
    workflowId,
  ]);
  const r = rows[0];
  return r?.mode ? { mode: r.mode, by: r.updated_by } : null;
}

/**
 * The effective mode of every action of every workflow, with the reason: on a Lever account and,
 * for a workflow with a `sandbox:` block, on the built-in sandbox. What the console lists.
 */
export async function workflowModes(
  engine: EngineContext,
  ceiling: Mode,
  ceilingSource?: string,
): Promise<Map<string, { chosen: { mode: Mode; by: string | null } | null; actions: ActionMode[]; onSandbox: ActionMode[] }>> {
  const { db, options } = engine;
  const { rows } = await db.query<{ workflow_id: string; mode: Mode | null; updated_by: string | null }>(
    "select workflow_id, mode, updated_by from workflow_settings",
  );
  const chosen = new Map(rows.filter((r) => r.mode).map((r) => [r.workflow_id, { mode: r.mode!, by: r.updated_by }]));
  return new Map(
    options.workflows.list().map(({ workflow }) => {
      const c = chosen.get(workflow.id) ?? null;
      const inputs = { ceiling, ceilingSource, chosen: c, autoArchive: options.autoArchive };
      return [
        workflow.id,
        { chosen: c, actions: actionModes(workflow, { ...inputs, sandbox: false }), onSandbox: actionModes(workflow, { ...inputs, sandbox: true }) },
      ];
    }),
  );
}

/**
 * Mode of one action or approval gate: the lowest of the workflow's mode (a person's choice read
 * now, so lowering it reaches runs already under way), its per-action modes, and the sandbox
 * block on the sandbox. The ceiling is left to `decide`, which says when it capped the mode.
 */
export async function modeFor(
  engine: EngineContext,
  run: RunRow,
  step: ActionStep | Extract<Step, { type: "approval" }>,
): Promise<{ mode: Mode; reason: string }> {
  const { options } = engine;
  const chosen = await chosenMode(engine, run.workflow_id);
  const limits = modeLimits(run.workflow, step, {
    ceiling: "auto",
    chosen,
    sandbox: options.isSandboxConnection?.(run.connection_id) === true,
    autoArchive: options.autoArchive,
  }).filter((l) => l.layer !== "ceiling");
  const { mode, reason } = lowestMode(limits);
  return { mode, reason };
}
