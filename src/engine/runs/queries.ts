/** Reading runs and their steps for the API, CLI and console. */
import type { Queryable } from "../../store/index.ts";
import { createFilters } from "../../store/index.ts";

export interface RunSummary {
  id: number;
  workflowId: string;
  connectionId: string;
  event: string;
  source: string;
  opportunityId: string | null;
  postingId: string | null;
  status: string;
  /** Still running or waiting past its deadline. */
  overdue: boolean;
  dryRun: boolean;
  currentStep: string | null;
  generation: number;
  traceId: string;
  error: string | null;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
  deadlineAt: string;
}

export interface StepView {
  stepId: string;
  position: number;
  type: string;
  generation: number;
  status: string;
  attempts: number;
  /**
   * What the step was given, as the engine rendered it: the AI step's input object (before the AI
   * layer's redaction), the task's `with`, the action an action step would carry out, the time a
   * wait waits until, the case a branch took, the kinds a fetch loaded. Over 64 KiB it is cut (see
   * `storedInput`). Null for a step that has not run or was skipped by its condition.
   */
  input: unknown;
  output: unknown;
  error: string | null;
  startedAt: string | null;
  finishedAt: string | null;
}

const iso = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string).toISOString());

const RUN_COLUMNS = `id, workflow_id, connection_id, event, opportunity_id, posting_id, status, dry_run, current_step, generation, trace_id,
  error, created_at, updated_at, finished_at, deadline_at, (status in ('running', 'waiting') and deadline_at < now()) as overdue`;

function toRun(r: Record<string, unknown>): RunSummary {
  const event = r.event as { name?: string; source?: string };
  return {
    id: Number(r.id),
    workflowId: r.workflow_id as string,
    connectionId: r.connection_id as string,
    event: event.name ?? "",
    source: event.source ?? "",
    opportunityId: (r.opportunity_id as string | null) ?? null,
    postingId: (r.posting_id as string | null) ?? null,
    status: r.status as string,
    overdue: r.overdue === true,
    dryRun: r.dry_run === true,
    currentStep: (r.current_step as string | null) ?? null,
    generation: Number(r.generation),
    traceId: r.trace_id as string,
    error: (r.error as string | null) ?? null,
    createdAt: iso(r.created_at)!,
    updatedAt: iso(r.updated_at)!,
    finishedAt: iso(r.finished_at),
    deadlineAt: iso(r.deadline_at)!,
  };
}

export interface ListRunsOptions {
  status?: string | undefined;
  workflowId?: string | undefined;
  opportunityId?: string | undefined;
  overdue?: boolean | undefined;
  beforeId?: number | undefined;
  limit?: number | undefined;
}

/** Newest first. */
export async function listRuns(db: Queryable, o: ListRunsOptions = {}): Promise<RunSummary[]> {
  const f = createFilters();
  if (o.status) f.add("status = ?", o.status);
  if (o.workflowId) f.add("workflow_id = ?", o.workflowId);
  if (o.opportunityId) f.add("opportunity_id = ?", o.opportunityId);
  if (o.beforeId) f.add("id < ?", o.beforeId);
  if (o.overdue) f.raw("status in ('running', 'waiting') and deadline_at < now()");
  const limit = f.param(Math.min(Math.max(o.limit ?? 50, 1), 500));
  const { rows } = await db.query(`select ${RUN_COLUMNS} from workflow_runs ${f.where()} order by id desc limit ${limit}`, f.params);
  return rows.map(toRun);
}

/** One run with the steps of its current generation (and earlier generations' steps under `history`). */
export async function getRun(db: Queryable, id: number): Promise<(RunSummary & { steps: StepView[]; history: StepView[]; context: unknown }) | null> {
  const { rows } = await db.query(`select ${RUN_COLUMNS}, context from workflow_runs where id = $1`, [id]);
  const r = rows[0];
  if (!r) return null;
  const run = toRun(r);
  const steps = await db.query(
    "select step_id, position, type, generation, status, attempts, input, output, error, started_at, finished_at from workflow_steps where run_id = $1 order by generation desc, position",
    [id],
  );
  const views: StepView[] = steps.rows.map((s) => ({
    stepId: s.step_id as string,
    position: Number(s.position),
    type: s.type as string,
    generation: Number(s.generation),
    status: s.status as string,
    attempts: Number(s.attempts),
    input: s.input ?? null,
    output: s.output,
    error: (s.error as string | null) ?? null,
    startedAt: iso(s.started_at),
    finishedAt: iso(s.finished_at),
  }));
  const ctx = (r.context ?? {}) as Record<string, unknown>;
  // The stored context can be large (resume text); the API shows what was loaded, not all of it.
  const context = Object.fromEntries(
    Object.entries(ctx).map(([k, v]) => [
      k,
      k === "resume" && v ? { ...(v as object), text: `[${String((v as { text?: string }).text ?? "").length} characters]` } : v,
    ]),
  );
  return { ...run, steps: views.filter((s) => s.generation === run.generation), history: views.filter((s) => s.generation !== run.generation), context };
}
