/**
 * A run as its steps read it: its row, its steps' outputs, the scope templates and conditions see,
 * and context loaded on demand (stored with the step's outcome by `settle`).
 */
import type { Queryable } from "../../store/index.ts";
import { fetchContext } from "../steps/index.ts";
import type { RunContext } from "../ports.ts";
import type { EngineContext, RunRow, StepRow } from "./context.ts";

export async function loadRun(q: Queryable, runId: number): Promise<RunRow | undefined> {
  const { rows } = await q.query<RunRow>(
    "select id, run_key, workflow_id, workflow, connection_id, event, trace_id, opportunity_id, posting_id, status, dry_run, generation, context from workflow_runs where id = $1",
    [runId],
  );
  const r = rows[0];
  return r ? { ...r, id: Number(r.id) } : undefined;
}

export async function stepOutputs(q: Queryable, run: RunRow): Promise<Record<string, { status: string; output: Record<string, unknown> | null }>> {
  const { rows } = await q.query<StepRow>("select step_id, status, output from workflow_steps where run_id = $1 and generation = $2", [run.id, run.generation]);
  return Object.fromEntries(rows.map((r) => [r.step_id, { status: r.status, output: r.output }]));
}

export function scopeOf(run: RunRow, steps: Record<string, unknown>): Record<string, unknown> {
  const e = run.event;
  return {
    event: { name: e.name, source: e.source, tool: e.tool, data: e.data, triggeredAt: e.triggeredAt },
    context: run.context,
    steps,
    settings: run.workflow.settings,
    workflow: { id: run.workflow.id, name: run.workflow.name },
    run: { id: run.id, traceId: run.trace_id },
  };
}

/**
 * Loads context kinds the run does not have yet. Only steps call this; what they load is stored
 * with the step's outcome (or its failure), in the statement that records it.
 */
export async function ensureContext(engine: EngineContext, run: RunRow, kinds: string[]): Promise<RunContext> {
  const { lever, options } = engine;
  const missing = kinds.filter((k) => !(k in run.context));
  if (missing.length === 0) return run.context;
  const loaded = await fetchContext(run.context, missing, run.opportunity_id ?? undefined, await lever(run.connection_id), options.readResume);
  if (loaded.length > 0) run.contextChanged = true;
  return run.context;
}
