/**
 * The run engine: turns events into runs, runs steps as durable jobs, and carries proposals
 * through policy and approval. State lives in our own tables (`workflow_runs`, `workflow_steps`,
 * `proposals`); each state change and the job that follows it commit in one transaction, so a
 * crash never loses a step or runs one twice into Lever (writes carry the step's idempotency key).
 */
import type { Database, Queryable } from "../../store/index.ts";
import type { ToolConfig } from "../../config/index.ts";
import { silentLogger, type Logger } from "../../observability/index.ts";
import { actionModes, capMode, decide, lowestMode, modeLimits, type ActionMode, type Mode } from "../policy/index.ts";
import {
  armTimers,
  contextNeeds,
  evaluate,
  isActionStep,
  matchWorkflows,
  opportunityIdOf,
  parseDuration,
  render,
  renderText,
  type ActionStep,
  type EngineEvent,
  type LoadedWorkflow,
  type Step,
  type Workflow,
} from "../workflows/index.ts";
import { applyAction, EDITABLE, renderAction, type Action } from "../steps/actions.ts";
import type { PanelBooker, PanelRebooker } from "../steps/scheduling-book.ts";
import { fetchContext, postingIdOf } from "../steps/context.ts";
import { isInterviewEvent, resolveInterviewEvent } from "./interview-events.ts";
import { EngineError, StepFailure } from "../errors.ts";
import { engineEvents } from "./events.ts";
import type { AiStepRunner, AuditSink, LeverGateway, Notifier, ResumeReader, RunContext, StepDispatcher, StepJob, TaskHandler } from "../ports.ts";

export interface WorkflowSource {
  list(): LoadedWorkflow[];
  get(id: string): LoadedWorkflow | undefined;
}

export interface EngineOptions {
  db: Database;
  workflows: WorkflowSource;
  /** The Lever gateway of a connection. */
  lever: (connectionId: string) => LeverGateway | Promise<LeverGateway>;
  dispatcher: StepDispatcher;
  /** The cap on every workflow: fixed, or read live at each decision (see `createModeCeiling`). */
  modeCeiling: Mode | { get(): Promise<Mode> };
  ai?: AiStepRunner | undefined;
  tasks?: Record<string, TaskHandler> | undefined;
  readResume?: ResumeReader | undefined;
  notify?: Notifier | undefined;
  audit?: EngineAuditSink | undefined;
  /** An admin allowed archives in auto (config `policy.autoArchive`); otherwise they wait for a person. */
  autoArchive?: boolean | undefined;
  /** True for the built-in sandbox connection: workflows use their `sandbox` modes there. */
  isSandboxConnection?: ((connectionId: string) => boolean) | undefined;
  /** Hosts the signed HTTP step may reach over http / on private addresses (tests only). */
  allowHosts?: readonly string[] | undefined;
  /** Other hiring tools by id (the config file's `tools:`), for `assessment.send` and `tool.status`. */
  tools?: Readonly<Record<string, ToolConfig>> | undefined;
  /** Books panels for `scheduling.book` (see `createPanelBooker`); absent when no calendars are configured. */
  book?: PanelBooker | undefined;
  /** Re-books booked panels for `scheduling.rebook` (see `createPanelRebooker`); absent when no calendars are configured. */
  rebook?: PanelRebooker | undefined;
  env?: NodeJS.ProcessEnv | undefined;
  logger?: Logger | undefined;
  now?: (() => number) | undefined;
  /** Attempts of a failing step before the run fails. Default 3. */
  maxAttempts?: number | undefined;
}

interface RunRow {
  id: number;
  run_key: string;
  workflow_id: string;
  workflow: Workflow;
  connection_id: string;
  event: EngineEvent;
  trace_id: string;
  opportunity_id: string | null;
  posting_id: string | null;
  status: string;
  dry_run: boolean;
  generation: number;
  context: RunContext;
  /** Set when a step loaded more context; the context is stored with the step's outcome. */
  contextChanged?: boolean;
  /** Set when a task named the run's opportunity (the event did not); stored with the step's outcome. */
  opportunityFound?: boolean;
}

interface StepRow {
  id: number;
  step_id: string;
  position: number;
  status: string;
  attempts: number;
  output: Record<string, unknown> | null;
  generation: number;
}

export interface ProposalRow {
  id: number;
  run_id: number;
  step_id: string;
  generation: number;
  workflow_id: string;
  connection_id: string;
  opportunity_id: string | null;
  kind: string;
  action: Action;
  status: string;
  mode: string;
  expires_at: Date | null;
  escalate_at: Date | null;
  escalated_at: Date | null;
  /** Set while pending only when the proposal was withdrawn (its subject changed): why it expires now. */
  decision_reason: string | null;
  trace_id: string;
}

type Outcome = (
  | { kind: "done"; output: Record<string, unknown> }
  | { kind: "skipped"; output?: Record<string, unknown> }
  | { kind: "goto"; target: string; output: Record<string, unknown> }
  | { kind: "wait"; until: Date; output: Record<string, unknown> }
  | { kind: "waiting"; output: Record<string, unknown> }
  | { kind: "stop"; status: "succeeded" | "cancelled" | "failed"; output: Record<string, unknown>; error?: string }
) & {
  /** An approved proposal the step carried out: marked applied, and audited, when the step settles. */
  applied?: { proposal: ProposalRow; key: string | null; result: Record<string, unknown> };
  /** A proposal that does nothing before the step settles (shadow, pending): stored when it settles. */
  create?: NewProposal;
};

/** A proposal to store with its step's outcome. */
interface NewProposal {
  /** Parameters of `PROPOSAL_INSERT`. */
  params: unknown[];
  status: "shadow" | "pending";
  /** Its `proposal.created` audit record, once its id is known. */
  record(id: number): AuditRecordInput;
  /** When its timeout job looks at it (pending proposals). */
  checkAt: Date | null;
}

type AuditRecordInput = Parameters<AuditSink["append"]>[0];

/**
 * An audit sink that may append several records in one round trip, or inside one of the engine's
 * own statements (the audit trail can both; see `AuditTrail.appendCall`). With `appendCall`, a
 * step's state change and its audit records are one statement, and a change with nothing else to
 * do in its transaction commits on its own.
 */
export type EngineAuditSink = AuditSink & {
  appendMany?(records: AuditRecordInput[], tx?: Queryable): Promise<unknown>;
  appendCall?(records: AuditRecordInput[], bind: (value: unknown) => string, when?: string): string;
};

/** Stores a proposal; $26 is its id when the step's claim reserved one. */
const PROPOSAL_INSERT = `insert into proposals (id, run_id, step_id, generation, workflow_id, connection_id, opportunity_id, posting_id, kind, action, summary,
    reasons, evidence, confidence, engine, model, prompt, flags, mode, policy, status, expires_at, escalate_at, trace_id,
    decided_by, decided_at)
  values (coalesce($26::bigint, nextval(pg_get_serial_sequence('proposals', 'id'))), $1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22,$23,$24,$25)
  on conflict (run_id, step_id, generation) do nothing returning *`;

/** Step types that make a proposal (every other type is an action step). */
const NON_PROPOSING = ["fetch", "ai", "task", "branch", "wait"];

export interface StartOptions {
  /** Record proposals only (ceiling shadow) and mark the run as a dry run. */
  dryRun?: boolean;
}

export interface DecisionInput {
  actor: string;
  decision: "approve" | "reject";
  reason?: string | undefined;
  edits?: Record<string, unknown> | undefined;
}

/**
 * The context as stored with the run: the parser's full result (every line with its layout) is
 * kept in memory for the step that read the resume but not stored; the text, status and flags are.
 */
function persistedContext(ctx: RunContext): string {
  if (!ctx.resume?.parsed) return JSON.stringify(ctx);
  const { parsed: _parsed, ...resume } = ctx.resume;
  return JSON.stringify({ ...ctx, resume });
}

function aiInput(value: unknown, stepId: string): Record<string, unknown> {
  if (value && typeof value === "object" && !Array.isArray(value)) return value as Record<string, unknown>;
  throw new StepFailure(`step ${stepId}: input must give an object (got ${value === undefined ? "nothing" : typeof value})`);
}

const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);

/** Largest step input stored with a step (UTF-8 bytes of its JSON); see `storedInput`. */
export const MAX_STEP_INPUT_BYTES = 64 * 1024;

/** What jsonb accepts: no NUL characters, no lone surrogates. */
const jsonbText = (s: string) => s.replaceAll("\u0000", "").toWellFormed();

/**
 * A step's rendered input as stored (JSON text for a jsonb column), at most `max` bytes. A larger
 * input first has its long strings cut, each ending in "… [cut: N more characters]"; if that is
 * not enough, what is stored is `{ "$cut": "input of N bytes cut …", "head": <the start of the JSON text> }`.
 */
export function storedInput(value: unknown, max = MAX_STEP_INPUT_BYTES): string | null {
  if (value === undefined) return null;
  const json = JSON.stringify(value, (_k, v: unknown) => (typeof v === "string" ? jsonbText(v) : v));
  if (json === undefined) return null;
  if (json.length <= max / 3 || Buffer.byteLength(json) <= max) return json;
  for (const limit of [4096, 1024, 256]) {
    const cut = JSON.stringify(value, (_k, v: unknown) =>
      typeof v === "string" ? jsonbText(v.length > limit ? `${v.slice(0, limit)}… [cut: ${v.length - limit} more characters]` : v) : v,
    );
    if (Buffer.byteLength(cut) <= max) return cut;
  }
  const bytes = Buffer.byteLength(json);
  const wrap = (head: string) => JSON.stringify({ $cut: `input of ${bytes} bytes cut to its first ${Buffer.byteLength(head)}`, head });
  let head = json.slice(0, Math.floor(max / 2)).toWellFormed();
  while (Buffer.byteLength(wrap(head)) > max) head = head.slice(0, Math.floor(head.length * 0.8)).toWellFormed();
  return wrap(head);
}

/** What one step job knows besides its run: read with its claim, filled in as it runs. */
interface StepState {
  /** The step's rendered input, set as soon as it is known (stored with the step, also when it fails). */
  input?: unknown;
  /** The step's proposal as read with the claim (a job that runs again, a step resumed after a decision). */
  proposal: ProposalRow | null;
  /** The id the claim reserved for the proposal an action step without one makes. */
  proposalId?: number | undefined;
}

/** A wait step's input: the time it waits until. */
const waitInput = (until: number) => ({ until, at: new Date(until).toISOString() });

/** The workflow engine. See `createWorkflowEngine`. */
export type WorkflowEngine = ReturnType<typeof createWorkflowEngine>;

/**
 * Creates the engine. Wire `handleEvent` to the inbox's EventProcessor and `executeStep` /
 * `checkProposal` / `fireTimer` to the job queue (see `queue-dispatcher.ts`).
 */
export function createWorkflowEngine(options: EngineOptions) {
  const { db, dispatcher } = options;
  const logger = options.logger ?? silentLogger;
  const now = options.now ?? Date.now;
  const env = options.env ?? process.env;
  const maxAttempts = options.maxAttempts ?? 3;
  const gateways = new Map<string, Promise<LeverGateway>>();
  const lever = (connectionId: string) => {
    let g = gateways.get(connectionId);
    if (!g) gateways.set(connectionId, (g = Promise.resolve(options.lever(connectionId))));
    return g;
  };

  async function audit(record: AuditRecordInput, tx?: Queryable) {
    if (options.audit) await options.audit.append(record, tx);
  }

  /**
   * Appends records in order, in one statement when the sink can. Call it last in a transaction:
   * the chain head's lock it takes is held until the transaction ends, and concurrent runs queue on it.
   */
  async function auditMany(records: AuditRecordInput[], tx: Queryable) {
    const sink = options.audit;
    if (!sink || records.length === 0) return;
    if (sink.appendMany) await sink.appendMany(records, tx);
    else for (const r of records) await sink.append(r, tx);
  }

  const runRecord = (run: RunRow, status: string, error?: string): AuditRecordInput => ({
    kind: `run.${status}`,
    traceId: run.trace_id,
    actor: `workflow:${run.workflow_id}`,
    subject: { connectionId: run.connection_id, opportunityId: run.opportunity_id ?? undefined, runId: String(run.id) },
    data: error ? { error } : {},
  });

  /** Workflow settings changed through the API (enabled, mode) over the file's values. */
  async function effectiveWorkflows(): Promise<Workflow[]> {
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
  async function chosenMode(workflowId: string): Promise<{ mode: Mode; by: string | null } | null> {
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
  async function workflowModes(
    ceiling: Mode,
    ceilingSource?: string,
  ): Promise<Map<string, { chosen: { mode: Mode; by: string | null } | null; actions: ActionMode[]; onSandbox: ActionMode[] }>> {
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
  async function modeFor(run: RunRow, step: ActionStep | Extract<Step, { type: "approval" }>): Promise<{ mode: Mode; reason: string }> {
    const chosen = await chosenMode(run.workflow_id);
    const limits = modeLimits(run.workflow, step, {
      ceiling: "auto",
      chosen,
      sandbox: options.isSandboxConnection?.(run.connection_id) === true,
      autoArchive: options.autoArchive,
    }).filter((l) => l.layer !== "ceiling");
    const { mode, reason } = lowestMode(limits);
    return { mode, reason };
  }

  // ---------------------------------------------------------------- events → runs

  /**
   * Starts the runs an event matches (at most one per workflow × event) and arms its timers.
   * Safe to call again for the same event. Returns the ids of runs it started.
   */
  async function handleEvent(event: EngineEvent, start: StartOptions = {}): Promise<number[]> {
    const workflows = await effectiveWorkflows();
    const targeted = event.workflowId ? workflows.filter((w) => w.id === event.workflowId) : workflows;
    const hasTimers = targeted.some((w) => w.enabled && w.triggers.some((t) => "timer" in t && asArray(t.timer.on).includes(event.name)));
    // Lever has not confirmed interview events' fields: the interview (and its opportunity) is
    // found through the API when an id is missing, and what cannot be found is logged and counted.
    const interviewed =
      hasTimers && event.source === "lever" && isInterviewEvent(event.name)
        ? await resolveInterviewEvent(event, await lever(event.connectionId), { logger, now })
        : null;
    if (interviewed?.opportunityId && !opportunityIdOf(event)) event = { ...event, data: { ...event.data, opportunityId: interviewed.opportunityId } };
    const needs = contextNeeds(targeted, event);
    const ctx: RunContext = {};
    const oppId = opportunityIdOf(event);
    if ((needs.size > 0 || (hasTimers && (oppId || !interviewed))) && event.source !== "schedule") {
      const kinds = [...needs].map((n) => (n === "opportunity" ? "opportunity" : n));
      if (hasTimers) kinds.push("opportunity");
      await fetchContext(ctx, kinds, oppId, await lever(event.connectionId), options.readResume);
    }
    if (interviewed?.subjects.length === 1) ctx.interview = interviewed.subjects[0]!.interview;
    // One round of timers per interview the event is about (each timer is keyed by its interview).
    for (const subject of interviewed ? interviewed.subjects : [null]) {
      const timed = subject ? { ...event, data: { ...event.data, interviewId: subject.interview.id, opportunityId: subject.opportunityId } } : event;
      for (const arm of armTimers(targeted, timed, subject ? { ...ctx, interview: subject.interview } : ctx)) {
        await dispatcher.enqueueTimer({
          workflowId: arm.workflow.id,
          key: arm.key,
          fireAt: arm.fireAt,
          event: { ...timed, key: `${arm.key}@${arm.fireAt}`, source: "timer", name: "timer", workflowId: arm.workflow.id, inboxId: undefined },
        });
      }
    }
    const started: number[] = [];
    for (const match of matchWorkflows(targeted, event, ctx)) {
      const id = await startRun(match.workflow, event, ctx, start);
      if (id !== null) started.push(id);
    }
    return started;
  }

  async function startRun(workflow: Workflow, event: EngineEvent, ctx: RunContext, start: StartOptions): Promise<number | null> {
    const loaded = options.workflows.get(workflow.id);
    const first = workflow.steps[0]!;
    const runKey = `${workflow.id}:${event.connectionId}:${event.key}${start.dryRun ? `:dry:${now()}` : ""}`;
    const deadline = new Date(now() + parseDuration(workflow.deadline));
    const runId = await db.transaction(async (tx) => {
      // The run and its first step in one statement; nothing at all when the run exists already.
      const { rows } = await tx.query<{ id: number }>(
        `with run as (
           insert into workflow_runs (run_key, workflow_id, workflow_hash, workflow, connection_id, inbox_event_id, event, trace_id,
             opportunity_id, posting_id, status, dry_run, context, current_step, deadline_at)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'running', $11, $12, $13, $14)
           on conflict (run_key) do nothing returning id
         ),
         step as (insert into workflow_steps (run_id, step_id, position, type, generation) select id, $13, 0, $15, 1 from run)
         select id from run`,
        [
          runKey,
          workflow.id,
          loaded?.hash ?? "inline",
          JSON.stringify(workflow),
          event.connectionId,
          event.inboxId ?? null,
          JSON.stringify(event),
          event.traceId,
          opportunityIdOf(event) ?? null,
          postingIdOf(ctx.opportunity) ?? null,
          start.dryRun === true,
          persistedContext(ctx),
          first.id,
          deadline,
          first.type,
        ],
      );
      const id = rows[0]?.id;
      if (id === undefined) return null;
      await dispatcher.enqueueStep({ runId: Number(id), stepId: first.id, generation: 1 }, {}, tx);
      // Last: the audit chain's head stays locked until this transaction commits.
      await audit(
        {
          kind: "run.started",
          traceId: event.traceId,
          actor: `workflow:${workflow.id}`,
          subject: { connectionId: event.connectionId, opportunityId: opportunityIdOf(event), runId: String(id) },
          data: { event: event.name, source: event.source, dryRun: start.dryRun === true },
        },
        tx,
      );
      return Number(id);
    });
    if (runId !== null) {
      logger.info({ runId, workflow: workflow.id, traceId: event.traceId }, "run started");
      engineEvents.emit("run.updated", { runId, workflowId: workflow.id, status: "running" });
    }
    return runId;
  }

  // ---------------------------------------------------------------- steps

  async function loadRun(q: Queryable, runId: number): Promise<RunRow | undefined> {
    const { rows } = await q.query<RunRow>(
      "select id, run_key, workflow_id, workflow, connection_id, event, trace_id, opportunity_id, posting_id, status, dry_run, generation, context from workflow_runs where id = $1",
      [runId],
    );
    const r = rows[0];
    return r ? { ...r, id: Number(r.id) } : undefined;
  }

  async function stepOutputs(q: Queryable, run: RunRow): Promise<Record<string, { status: string; output: Record<string, unknown> | null }>> {
    const { rows } = await q.query<StepRow>("select step_id, status, output from workflow_steps where run_id = $1 and generation = $2", [
      run.id,
      run.generation,
    ]);
    return Object.fromEntries(rows.map((r) => [r.step_id, { status: r.status, output: r.output }]));
  }

  function scopeOf(run: RunRow, steps: Record<string, unknown>): Record<string, unknown> {
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
  async function ensureContext(run: RunRow, kinds: string[]): Promise<RunContext> {
    const missing = kinds.filter((k) => !(k in run.context));
    if (missing.length === 0) return run.context;
    const loaded = await fetchContext(run.context, missing, run.opportunity_id ?? undefined, await lever(run.connection_id), options.readResume);
    if (loaded.length > 0) run.contextChanged = true;
    return run.context;
  }

  /** The run's context and posting to store with a step's outcome: nulls (keep what is stored) unless the step loaded more. */
  function changedContext(run: RunRow): [string | null, string | null] {
    return run.contextChanged ? [persistedContext(run.context), postingIdOf(run.context.opportunity) ?? null] : [null, null];
  }

  /**
   * Runs one step job. Idempotent: a job for a step that already finished, or for an old
   * generation, does nothing. Throws (so the queue retries) only for retryable failures.
   */
  async function executeStep(job: StepJob): Promise<void> {
    // One statement reads the run, its step outputs and the step's proposal, and claims the step.
    // The claim holds only while the run is on this generation and still running or waiting, and
    // the step is one of the run's workflow: a job for a finished step or an old generation claims
    // nothing and ends here. The step outputs are read from the snapshot before the claim; the
    // claimed step reads as running below. For an action step without a proposal, the id of the
    // proposal it makes is reserved here.
    // The claim commits without waiting for the disk (PostgreSQL's synchronous_commit off for this
    // one transaction): losing it in a server crash only makes the step read as not started, and
    // every later commit that matters (a proposal before its write, the step's outcome) waits for
    // the disk and so makes the claim durable too. One fsync fewer per step.
    // The statement is the function workflow_claim_step (migration 0081), so the database plans it
    // once per connection rather than on every call.
    const { rows: runs } = await db.query<
      RunRow & {
        steps: { step_id: string; status: string; output: Record<string, unknown> | null }[];
        claimed: StepRow | null;
        proposal: ProposalRow | null;
        proposal_id: number | string | null;
      }
    >("select * from workflow_claim_step($1, $2, $3, $4)", [job.runId, job.stepId, job.generation, NON_PROPOSING]);
    const loaded = runs[0];
    if (!loaded || loaded.generation !== job.generation || !["running", "waiting"].includes(loaded.status)) return;
    const { steps: stepRows, claimed, proposal, proposal_id: proposalId, ...runRow } = loaded;
    const run: RunRow = { ...runRow, id: Number(runRow.id) };
    const step = run.workflow.steps.find((s) => s.id === job.stepId);
    if (!step || !claimed) return;
    const { type: _type, ...claimedRow } = claimed as StepRow & { type: string };
    const row: StepRow = { ...claimedRow, id: Number(claimed.id), attempts: Number(claimed.attempts) };
    const resumingWait = step.type === "wait" && row.output?.until !== undefined;
    const state: StepState = { proposal, proposalId: proposalId === null ? undefined : Number(proposalId) };
    const steps = Object.fromEntries(stepRows.map((r) => [r.step_id, { status: r.step_id === step.id ? "running" : r.status, output: r.output }]));
    let outcome: Outcome;
    try {
      const scope = scopeOf(run, steps);
      if (step.if && !evaluate(step.if, scope)) outcome = { kind: "skipped", output: { skipped: "condition did not hold" } };
      else if (resumingWait) {
        const until = Number(row.output?.until ?? 0);
        state.input = waitInput(until);
        outcome = now() >= until ? { kind: "done", output: { waited: true, until } } : { kind: "wait", until: new Date(until), output: row.output ?? {} };
      } else outcome = await runStep(run, row, step, scope, state);
    } catch (error) {
      await failStep(job, run, row, step, state, error as Error & { retryable?: boolean; retryAt?: unknown });
      return;
    }
    await settle(run, row, step, outcome, state.input, steps);
  }

  /**
   * Records a failed attempt: parks the step when the provider asked to wait, fails it (and the run)
   * after its last attempt, and otherwise rethrows so the queue retries. Context the step loaded
   * is kept, so a retry does not fetch it again.
   */
  async function failStep(
    job: StepJob,
    run: RunRow,
    row: StepRow,
    step: Step,
    state: StepState,
    err: Error & { retryable?: boolean; retryAt?: unknown },
  ): Promise<void> {
    const message = err.message.slice(0, 2000);
    const input = storedInput(state.input);
    const [context, postingId] = changedContext(run);
    if (err.retryAt instanceof Date) {
      // The provider asked us to wait (circuit open): park the step until then, not a failure.
      await db.transaction(async (tx) => {
        await tx.query(
          `with step as (update workflow_steps set status = 'pending', attempts = attempts - 1, error = $2, input = coalesce($3::jsonb, input) where id = $1)
           update workflow_runs set status = 'waiting', context = coalesce($5::jsonb, context), posting_id = coalesce(posting_id, $6), updated_at = now() where id = $4`,
          [row.id, message, input, run.id, context, postingId],
        );
        await dispatcher.enqueueStep(job, { startAfter: err.retryAt as Date }, tx);
      });
      return;
    }
    const attempts = row.attempts + 1;
    const final = err.retryable === false || attempts >= maxAttempts;
    logger.warn({ runId: run.id, step: step.id, attempt: attempts, final, err: err.message }, "step failed");
    if (!final) {
      await db.query(
        `with ctx as (update workflow_runs set context = $5::jsonb, posting_id = coalesce(posting_id, $6), updated_at = now() where id = $4 and $5::jsonb is not null)
         update workflow_steps set status = 'failed', error = $2, finished_at = null, input = coalesce($3::jsonb, input) where id = $1`,
        [row.id, message, input, run.id, context, postingId],
      );
      throw err;
    }
    // The step, the run and the run's audit record commit together (one statement when the sink folds it in).
    // An approved proposal whose write kept failing is marked failed with it, so nobody reads it as
    // still on its way to Lever.
    const error = `step ${step.id}: ${err.message}`;
    const fail = (q: Queryable) =>
      changeAndAudit(
        q,
        [
          "step as (update workflow_steps set status = 'failed', error = $2, finished_at = now(), input = coalesce($3::jsonb, input) where id = $1)",
          "proposal as (update proposals set status = 'failed', error = $2, updated_at = now() where run_id = $4 and step_id = $8 and generation = $9 and status = 'approved')",
        ],
        `update workflow_runs set status = 'failed', error = $5, finished_at = now(), updated_at = now(), context = coalesce($6::jsonb, context), posting_id = coalesce(posting_id, $7)
         where id = $4 returning id as changed`,
        [row.id, message, input, run.id, error, context, postingId, step.id, run.generation],
        [runRecord(run, "failed", error)],
        { lazyCommit: true },
      );
    if (options.audit?.appendCall) await fail(db);
    else await db.transaction(fail);
    engineEvents.emit("run.updated", { runId: run.id, workflowId: run.workflow_id, status: "failed" });
  }

  async function runStep(run: RunRow, row: StepRow, step: Step, scope: Record<string, unknown>, seen: StepState): Promise<Outcome> {
    switch (step.type) {
      case "fetch": {
        seen.input = { kinds: step.include };
        const ctx = await ensureContext(run, step.include);
        return { kind: "done", output: { loaded: step.include, resume: ctx.resume ? { status: ctx.resume.status, flags: ctx.resume.flags } : null } };
      }
      case "ai": {
        if (!options.ai) throw new StepFailure("no AI layer is configured for AI steps");
        const rendered = render(step.input, scope);
        seen.input = rendered;
        const result = await options.ai({
          prompt: step.prompt,
          input: aiInput(rendered, step.id),
          provider: step.provider,
          model: step.model,
          onUnavailable: step.onUnavailable,
          traceId: run.trace_id,
        });
        return { kind: "done", output: { ...result.output, meta: result.meta } };
      }
      case "task": {
        const handler = options.tasks?.[step.task];
        if (!handler) throw new StepFailure(`no task "${step.task}" is registered`);
        const input = render(step.with, scope) as Record<string, unknown>;
        seen.input = input;
        const output = await handler({
          with: input,
          context: run.context,
          fetch: (kinds) => ensureContext(run, kinds),
          ai: options.ai,
          lever: await lever(run.connection_id),
          traceId: run.trace_id,
          event: run.event.data,
          connectionId: run.connection_id,
          dryRun: run.dry_run,
          db,
          startWorkflow: async (workflowId, child) => {
            const ids = await handleEvent(
              {
                key: `child:${child.key}`,
                connectionId: run.connection_id,
                source: "manual",
                name: "manual",
                triggeredAt: now(),
                data: {
                  ...child.data,
                  ...(child.opportunityId ? { opportunityId: child.opportunityId } : {}),
                  startedBy: `workflow:${run.workflow_id}`,
                  parentRunId: run.id,
                },
                traceId: run.trace_id,
                workflowId,
              },
              { dryRun: run.dry_run },
            );
            return ids[0] ?? null;
          },
          setOpportunity: (opportunityId) => {
            if (run.opportunity_id || !opportunityId) return;
            run.opportunity_id = opportunityId;
            run.opportunityFound = true;
          },
          attempt: row.attempts + 1,
          lastAttempt: row.attempts + 1 >= maxAttempts,
        });
        return { kind: "done", output };
      }
      case "branch": {
        const held = step.cases.findIndex((c) => evaluate(c.if, scope));
        const hit = held >= 0 ? step.cases[held] : undefined;
        const target = hit?.goto ?? step.else;
        seen.input = hit ? { case: held, if: hit.if, goto: hit.goto } : { case: null, else: step.else ?? null };
        if (!target) return { kind: "done", output: { branch: "next" } };
        return { kind: "goto", target, output: { branch: target } };
      }
      case "wait": {
        let until = now();
        if (step.for) until += parseDuration(step.for);
        if (step.until) {
          const v = render(step.until, scope);
          const t = typeof v === "number" ? v : Date.parse(String(v));
          if (!Number.isFinite(t)) throw new StepFailure(`wait.until did not give a time (got ${JSON.stringify(v)})`);
          until = Math.max(until, t);
        }
        seen.input = waitInput(until);
        if (run.dry_run || until <= now()) return { kind: "done", output: { waited: false, until } };
        return { kind: "wait", until: new Date(until), output: { until } };
      }
      case "approval":
      default:
        return propose(run, row, step as ActionStep | Extract<Step, { type: "approval" }>, scope, seen);
    }
  }

  /** Builds the proposal for an action or approval step and applies the policy to it. */
  async function propose(
    run: RunRow,
    row: StepRow,
    step: ActionStep | Extract<Step, { type: "approval" }>,
    scope: Record<string, unknown>,
    seen: StepState,
  ): Promise<Outcome> {
    // The step's input is what the engine rendered (a person's edits show on the proposal, not here).
    let action: Action;
    let summary: string;
    let skip: string | undefined;
    if (step.type === "approval") {
      action = { type: "approval" as ActionStep["type"], message: renderText(step.message, scope) };
      summary = "Approve to continue the workflow";
    } else ({ action, summary, skip } = renderAction(step, scope, run.opportunity_id ?? undefined));
    seen.input = action;
    // An action that has nothing to do by the admin's choice (no form template chosen) is skipped with why.
    if (skip) return { kind: "skipped", output: { skipped: skip } };

    // Read with the step's claim: a job that runs again, or a step resumed after a decision.
    if (seen.proposal) return outcomeOfExisting(run, seen.proposal);

    const basis = step.because ? ((scope.steps as Record<string, { output?: Record<string, unknown> }>)[step.because]?.output ?? {}) : {};
    const meta = (basis.meta ?? {}) as Record<string, unknown>;
    const confidence = typeof basis.confidence === "number" ? basis.confidence : undefined;
    // String flags are policy flags (hidden text, injection…); object flags are findings to show as evidence.
    const rawFlags = asArray(basis.flags);
    const flags = [...new Set(rawFlags.filter((f): f is string => typeof f === "string"))];
    const reasons = asArray(basis.reasons)
      .map((r) => (typeof r === "string" ? r : JSON.stringify(r)))
      .slice(0, 50);
    const evidence = asArray(basis.evidence ?? rawFlags.filter((f) => typeof f === "object" && f !== null)).slice(0, 50);

    const ceiling: Mode = run.dry_run ? "shadow" : typeof options.modeCeiling === "string" ? options.modeCeiling : await options.modeCeiling.get();
    const { mode, reason } = await modeFor(run, step);
    const decided =
      step.type === "approval"
        ? capMode(mode, ceiling) === "shadow"
          ? {
              outcome: "record" as const,
              mode: "shadow" as const,
              reasons: [...(mode !== "shadow" ? [`mode ceiling ${ceiling} caps ${mode}`] : []), "shadow: the gate is recorded and passed"],
            }
          : { outcome: "propose" as const, mode: "assist" as const, reasons: ["approval gate: waits for a person"] }
        : decide(
            mode,
            {
              confidence,
              minConfidence: run.workflow.guards.minConfidence,
              flags,
              postingId: run.posting_id ?? undefined,
              excludedPostings: run.workflow.guards.excludePostings,
            },
            ceiling,
          );
    // Which layer set the mode (the workflow's, a per-action mode, the sandbox block) comes first.
    const decision = { ...decided, reasons: [`mode ${reason}`, ...decided.reasons] };
    const status = decision.outcome === "record" ? "shadow" : decision.outcome === "propose" ? "pending" : "approved";
    const approval = run.workflow.approval;
    const expiresAt = status === "pending" ? new Date(now() + parseDuration(approval.expiresAfter)) : null;
    const escalateAt = status === "pending" && approval.escalateAfter ? new Date(now() + parseDuration(approval.escalateAfter)) : null;
    const params: unknown[] = [
      run.id,
      step.id,
      run.generation,
      run.workflow_id,
      run.connection_id,
      (action.opportunityId as string | undefined) ?? run.opportunity_id,
      run.posting_id,
      step.type,
      JSON.stringify(action),
      summary,
      JSON.stringify(reasons),
      JSON.stringify(evidence),
      confidence ?? null,
      (meta.engine as string | undefined) ?? null,
      (meta.model as string | undefined) ?? null,
      (meta.prompt as string | undefined) ?? null,
      JSON.stringify(flags),
      decision.mode,
      JSON.stringify(decision.reasons),
      status,
      expiresAt,
      escalateAt,
      run.trace_id,
      status === "approved" ? "policy:auto" : null,
      status === "approved" ? new Date(now()) : null,
      seen.proposalId ?? null,
    ];
    const record = (id: number): AuditRecordInput => ({
      kind: "proposal.created",
      traceId: run.trace_id,
      actor: `workflow:${run.workflow_id}`,
      subject: { connectionId: run.connection_id, opportunityId: run.opportunity_id ?? undefined, runId: String(run.id), proposalId: String(id) },
      data: {
        step: step.id,
        kind: step.type,
        summary,
        status,
        mode: decision.mode,
        policy: decision.reasons,
        confidence: confidence ?? null,
        model: meta.model ?? null,
        prompt: meta.prompt ?? null,
        engine: meta.engine ?? null,
        flags,
      },
    });

    if (status !== "approved") {
      // Nothing happens outside Fulcrum before the step settles: the proposal is stored (and
      // audited) in the step's settle transaction, with its outcome.
      return {
        kind: status === "shadow" ? "done" : "waiting",
        output: { status, action },
        create: { params, status, record, checkAt: status === "pending" ? (escalateAt && escalateAt < expiresAt! ? escalateAt : expiresAt!) : null },
      };
    }
    // An approved proposal is stored before anything is written, so a retry after a crash finds it
    // and repeats the write with the same idempotency key instead of deciding again. With the id the
    // claim reserved, the proposal and its audit record are one statement (one commit).
    const sink = options.audit;
    let proposal: ProposalRow | undefined;
    if (sink?.appendCall && seen.proposalId !== undefined) {
      const bind = (v: unknown) => `$${params.push(v)}`;
      const { rows } = await db.query<{ proposal: ProposalRow }>(
        `with p as (${PROPOSAL_INSERT}) select row_to_json(p) as proposal from p cross join lateral ${sink.appendCall([record(seen.proposalId)], bind, "p.id is not null")} a`,
        params,
      );
      proposal = rows[0]?.proposal;
    } else {
      proposal = await db.transaction(async (tx) => {
        const { rows } = await tx.query<ProposalRow>(PROPOSAL_INSERT, params);
        const p = rows[0];
        if (!p) return undefined;
        await audit(record(Number(p.id)), tx);
        return p;
      });
    }
    if (!proposal) {
      const again = await db.query<ProposalRow>("select * from proposals where run_id = $1 and step_id = $2 and generation = $3", [
        run.id,
        step.id,
        run.generation,
      ]);
      return outcomeOfExisting(run, again.rows[0]!);
    }
    engineEvents.emit("proposal.created", { proposalId: Number(proposal.id), runId: run.id, workflowId: run.workflow_id, status });
    return outcomeOfExisting(run, proposal);
  }

  /** What the step does given its proposal's state (also used when a job runs twice). */
  async function outcomeOfExisting(run: RunRow, p: ProposalRow): Promise<Outcome> {
    const base = { proposalId: Number(p.id), status: p.status, action: p.action };
    if (p.status === "shadow") return { kind: "done", output: base };
    if (p.status === "pending") return { kind: "waiting", output: base };
    if (p.status === "approved") {
      const applied = await apply(run, p);
      return { kind: "done", output: { ...base, status: "applied", result: applied.result }, applied };
    }
    if (p.status === "applied") return { kind: "done", output: base };
    if (p.status === "rejected" || p.status === "expired") {
      if (p.kind === "approval") return { kind: "stop", status: "cancelled", output: base };
      return { kind: "skipped", output: base };
    }
    return { kind: "stop", status: "failed", output: base, error: `proposal ${p.id} failed` };
  }

  /**
   * Carries out an approved proposal (idempotent through its key). The proposal is marked applied,
   * and the write audited, in the step's settle transaction; a crash before that repeats the write
   * with the same key, which Lever's idempotency (and the client's write ledger) turns into no-op.
   */
  async function apply(run: RunRow, p: ProposalRow): Promise<NonNullable<Outcome["applied"]>> {
    if (p.kind === "approval") return { proposal: p, key: null, result: { approved: true } };
    const key = `fulcrum:run:${run.id}:${p.step_id}:${p.generation}`;
    try {
      const result = await applyAction(p.action, key, {
        lever: await lever(run.connection_id),
        context: run.context,
        ensure: (kinds) => ensureContext(run, kinds),
        notify: options.notify,
        env,
        allowHosts: options.allowHosts,
        tools: options.tools,
        book: options.book ? (booking, gateway) => options.book!(booking, gateway, run.connection_id) : undefined,
        rebook: options.rebook ? (booking, revision, gateway) => options.rebook!(booking, revision, gateway, run.connection_id) : undefined,
      });
      return { proposal: p, key, result };
    } catch (error) {
      const err = error as Error & { retryable?: boolean };
      if (err.retryable === false) {
        await db.query("update proposals set status = 'failed', error = $2, updated_at = now() where id = $1", [p.id, err.message.slice(0, 2000)]);
      }
      throw error;
    }
  }

  /**
   * Where the run goes after a step: the next step, passing over steps a branch jumped across and
   * steps whose condition does not hold (decided here, from the same outputs their own job would
   * read, so they cost no job of their own), or the end.
   */
  function nextStep(
    run: RunRow,
    step: Step,
    outcome: Outcome,
    status: string,
    steps: Record<string, { status: string; output: Record<string, unknown> | null }>,
  ) {
    const all = run.workflow.steps;
    const position = all.findIndex((s) => s.id === step.id);
    const skipped: { step_id: string; position: number; type: string; output: Record<string, unknown> }[] = [];
    let next = outcome.kind === "goto" ? (outcome.target === "end" ? undefined : all.find((s) => s.id === outcome.target)) : all[position + 1];
    if (next) {
      // Steps jumped over by a branch are recorded as skipped, so the run reads completely.
      for (let i = position + 1; i < all.indexOf(next); i++)
        skipped.push({ step_id: all[i]!.id, position: i, type: all[i]!.type, output: { skipped: `branch ${step.id} jumped to ${next.id}` } });
    }
    const known: Record<string, { status: string; output: Record<string, unknown> | null }> = { ...steps, [step.id]: { status, output: outcome.output ?? {} } };
    while (next?.if) {
      let holds: boolean;
      try {
        holds = evaluate(next.if, scopeOf(run, known));
      } catch {
        break; // the step's own job evaluates it again and records the failure
      }
      if (holds) break;
      const output = { skipped: "condition did not hold" };
      const i = all.indexOf(next);
      skipped.push({ step_id: next.id, position: i, type: next.type, output });
      known[next.id] = { status: "skipped", output };
      next = all[i + 1];
    }
    return { next, nextPos: next ? all.indexOf(next) : -1, skipped };
  }

  /**
   * A state change and the audit records it makes, as one statement when the sink can fold them in
   * (`EngineAuditSink.appendCall`): `ctes` (named data-modifying statements), then `final` (a
   * data-modifying statement returning a column `changed`, named `done`), then the append, once,
   * when `done` has a row. Without that, the change, then the records in a second statement (`q`
   * must be a transaction then).
   *
   * `lazyCommit`: the transaction commits without waiting for the disk (synchronous_commit off for
   * it alone), so the audit chain's head, locked by the append until commit, is not held through a
   * disk flush while other runs wait for it. For a step's outcome only: if a server crash loses it,
   * the step's job, whose completion commits after it and flushes it, runs the step again, and any
   * write repeats with the same idempotency key.
   */
  async function changeAndAudit(
    q: Queryable,
    ctes: string[],
    final: string,
    params: unknown[],
    records: AuditRecordInput[],
    o: { lazyCommit?: boolean } = {},
  ): Promise<void> {
    const sink = options.audit;
    const bind = (v: unknown) => `$${params.push(v)}`;
    const all = [...ctes, `done as (${final})`].join(",\n");
    const result = o.lazyCommit ? "set_config('synchronous_commit', 'off', true)" : "done.changed";
    if (records.length > 0 && sink?.appendCall) {
      await q.query(`with ${all}\nselect ${result} from done cross join lateral ${sink.appendCall(records, bind, "done.changed is not null")} a`, params);
      return;
    }
    await q.query(`with ${all}\nselect ${result} from done`, params);
    await auditMany(records, q);
  }

  /**
   * Records a step's outcome and moves the run on, atomically: the proposal it made (shadow or
   * pending); the step's row, an applied proposal, the rows of steps passed over, the next step's
   * row, the run's own row and the audit records in one statement; the next job. A settle with
   * nothing else to do (the run's last step) is that one statement alone, committing by itself.
   */
  async function settle(
    run: RunRow,
    row: StepRow,
    step: Step,
    outcome: Outcome,
    input: unknown,
    steps: Record<string, { status: string; output: Record<string, unknown> | null }>,
  ): Promise<void> {
    const status =
      outcome.kind === "done" || outcome.kind === "goto"
        ? "succeeded"
        : outcome.kind === "skipped"
          ? "skipped"
          : outcome.kind === "stop"
            ? outcome.status === "failed"
              ? "failed"
              : "succeeded"
            : "waiting";
    let runStatus: "running" | "waiting" | "succeeded" | "failed" | "cancelled" = "running";
    let route: ReturnType<typeof nextStep> = { next: undefined, nextPos: -1, skipped: [] };
    let error: string | undefined;
    if (outcome.kind === "wait" || outcome.kind === "waiting") runStatus = "waiting";
    else if (outcome.kind === "stop") {
      runStatus = outcome.status;
      error = outcome.error;
    } else {
      route = nextStep(run, step, outcome, status, steps);
      if (!route.next) runStatus = "succeeded";
    }
    const { next, nextPos, skipped } = route;
    const finished = runStatus !== "running" && runStatus !== "waiting";
    let created: { id: number; status: string } | undefined;

    const work = async (q: Queryable) => {
      const records: AuditRecordInput[] = [];
      if (outcome.create) {
        const { rows } = await q.query<ProposalRow>(PROPOSAL_INSERT, outcome.create.params);
        const p = rows[0];
        // Another attempt of this step stored it first: start over from the claim, which reads it.
        if (!p) throw new Error(`the proposal of step ${step.id} was stored by another attempt; the step runs again`);
        created = { id: Number(p.id), status: outcome.create.status };
        outcome.output = { proposalId: created.id, ...outcome.output };
        records.push(outcome.create.record(created.id));
        if (outcome.create.checkAt) await dispatcher.enqueueProposalCheck(created.id, outcome.create.checkAt, q);
      }
      // The jobs first, so the audit chain's head (locked by the append below) is held the least.
      if (next) await dispatcher.enqueueStep({ runId: run.id, stepId: next.id, generation: run.generation }, {}, q);
      if (outcome.kind === "wait")
        await dispatcher.enqueueStep({ runId: run.id, stepId: step.id, generation: run.generation }, { startAfter: outcome.until }, q);

      const params: unknown[] = [];
      const $ = (v: unknown) => `$${params.push(v)}`;
      const ctes = [
        `step as (update workflow_steps set status = ${$(status)}, output = ${$(JSON.stringify(outcome.output ?? {}))}::jsonb,
           input = coalesce(${$(storedInput(input))}::jsonb, input), finished_at = ${status === "waiting" ? "null" : "now()"} where id = ${$(row.id)})`,
      ];
      if (outcome.applied) {
        const { proposal: p, key, result } = outcome.applied;
        ctes.push(
          `applied as (update proposals set status = 'applied', result = coalesce(${$(p.kind === "approval" ? null : JSON.stringify(result))}::jsonb, result), updated_at = now() where id = ${$(Number(p.id))})`,
        );
        if (p.kind !== "approval") {
          records.push({
            kind: p.action.type.startsWith("lever.") ? "lever.write" : "action.applied",
            traceId: run.trace_id,
            actor: `workflow:${run.workflow_id}`,
            subject: { connectionId: run.connection_id, opportunityId: run.opportunity_id ?? undefined, runId: String(run.id), proposalId: String(p.id) },
            data: { action: p.action.type, key, result },
          });
        }
      }
      if (skipped.length > 0) {
        ctes.push(`skipped as (insert into workflow_steps (run_id, step_id, position, type, generation, status, output, finished_at)
           select ${$(run.id)}, x.step_id, x.position, x.type, ${$(run.generation)}, 'skipped', x.output, now()
           from jsonb_to_recordset(${$(JSON.stringify(skipped))}::jsonb) as x(step_id text, position integer, type text, output jsonb) on conflict do nothing)`);
      }
      if (next) {
        ctes.push(
          `next as (insert into workflow_steps (run_id, step_id, position, type, generation) values (${$(run.id)}, ${$(next.id)}, ${$(nextPos)}, ${$(next.type)}, ${$(run.generation)}) on conflict do nothing)`,
        );
      }
      const sets = [`status = ${$(runStatus)}`, "updated_at = now()"];
      if (next) sets.push(`current_step = ${$(next.id)}`);
      if (finished) sets.push(`error = ${$(error ?? null)}`, "finished_at = now()");
      const [context, postingId] = changedContext(run);
      if (context !== null) sets.push(`context = ${$(context)}::jsonb`, `posting_id = coalesce(posting_id, ${$(postingId)})`);
      if (run.opportunityFound) sets.push(`opportunity_id = coalesce(opportunity_id, ${$(run.opportunity_id)})`);
      if (finished) records.push(runRecord(run, runStatus, error));
      await changeAndAudit(q, ctes, `update workflow_runs set ${sets.join(", ")} where id = ${$(run.id)} returning id as changed`, params, records, {
        lazyCommit: true,
      });
    };
    // One statement needs no transaction of its own: no proposal to store first, no job to send
    // with it, and an audit sink that folds its records into it.
    const sink = options.audit;
    const alone = !outcome.create && !next && outcome.kind !== "wait" && (!sink || sink.appendCall !== undefined || (!finished && !outcome.applied));
    if (alone) await work(db);
    else await db.transaction(work);
    if (created) engineEvents.emit("proposal.created", { proposalId: created.id, runId: run.id, workflowId: run.workflow_id, status: created.status });
    engineEvents.emit("run.updated", { runId: run.id, workflowId: run.workflow_id, status: runStatus });
  }

  // ---------------------------------------------------------------- decisions

  /** Approves (optionally with edits) or rejects a pending proposal; records who and why. */
  async function decideProposal(id: number, input: DecisionInput): Promise<ProposalRow> {
    if (input.decision === "reject" && !input.reason?.trim()) throw new EngineError("invalid", "a rejection needs a reason");
    const decided = await decideInTransaction(id, input).catch(async (error: unknown) => {
      // A withdrawn proposal expires now rather than when its check job comes.
      if ((error as { withdrawn?: boolean }).withdrawn) await checkProposal(id);
      throw error;
    });
    engineEvents.emit("proposal.decided", {
      proposalId: id,
      runId: Number(decided.run_id),
      workflowId: decided.workflow_id,
      status: decided.status,
      actor: input.actor,
    });
    return decided;
  }

  async function decideInTransaction(id: number, input: DecisionInput): Promise<ProposalRow> {
    return db.transaction(async (tx) => {
      const { rows } = await tx.query<ProposalRow>("select * from proposals where id = $1 for update", [id]);
      const p = rows[0];
      if (!p) throw new EngineError("not_found", `no proposal ${id}`);
      if (p.status !== "pending") throw new EngineError("conflict", `proposal ${id} is ${p.status}, not pending`);
      if (withdrawn(p)) throw Object.assign(new EngineError("conflict", `proposal ${id} was withdrawn: ${p.decision_reason}`), { withdrawn: true });
      let action = p.action;
      if (input.decision === "approve" && input.edits && Object.keys(input.edits).length > 0) {
        const allowed = EDITABLE[p.kind as ActionStep["type"]] ?? [];
        const bad = Object.keys(input.edits).filter((k) => !allowed.includes(k));
        if (bad.length > 0)
          throw new EngineError("invalid", `cannot edit ${bad.join(", ")} of a ${p.kind} proposal (editable: ${allowed.join(", ") || "nothing"})`);
        action = { ...action, ...input.edits };
      }
      const status = input.decision === "approve" ? "approved" : "rejected";
      const { rows: updated } = await tx.query<ProposalRow>(
        `with decision as (insert into proposal_decisions (proposal_id, actor, decision, reason, edits) values ($1, $5, $7, $6, $4))
         update proposals set status = $2, action = $3, edits = $4, decided_by = $5, decided_at = now(), decision_reason = $6, updated_at = now()
         where id = $1 returning *`,
        [id, status, JSON.stringify(action), input.edits ? JSON.stringify(input.edits) : null, input.actor, input.reason ?? null, input.decision],
      );
      // The step continues as a job: it applies the approved action or skips the rejected one.
      await tx.query(
        `with step as (update workflow_steps set status = 'pending' where run_id = $1 and step_id = $2 and generation = $3 and status = 'waiting')
         update workflow_runs set status = 'running', updated_at = now() where id = $1 and status = 'waiting'`,
        [p.run_id, p.step_id, p.generation],
      );
      await dispatcher.enqueueStep({ runId: Number(p.run_id), stepId: p.step_id, generation: p.generation }, {}, tx);
      // Last: the audit chain's head stays locked until this transaction commits.
      await audit(
        {
          kind: "proposal.decided",
          traceId: p.trace_id,
          actor: input.actor,
          subject: { connectionId: p.connection_id, opportunityId: p.opportunity_id ?? undefined, runId: String(p.run_id), proposalId: String(id) },
          data: { decision: input.decision, reason: input.reason ?? null, edits: input.edits ?? null },
        },
        tx,
      );
      return updated[0]!;
    });
  }

  /** A pending proposal withdrawn by its subject's owner (see `withdrawPending` of the reminder store). */
  const withdrawn = (p: ProposalRow) => p.status === "pending" && typeof p.decision_reason === "string" && p.decision_reason !== "";

  /** The timeout job of a pending proposal: escalates, then expires it when due (at once when withdrawn). */
  async function checkProposal(id: number): Promise<void> {
    const { rows } = await db.query<ProposalRow>("select * from proposals where id = $1", [id]);
    const p = rows[0];
    if (!p || p.status !== "pending") return;
    const run = await loadRun(db, Number(p.run_id));
    if (!run) return;
    const t = now();
    const pulled = withdrawn(p);
    if (pulled || (p.expires_at && t >= new Date(p.expires_at).getTime())) {
      const failRun = run.workflow.approval.onExpiry === "fail";
      await db.transaction(async (tx) => {
        const { rowCount } = await tx.query(
          "update proposals set status = 'expired', decided_by = 'system', decided_at = now(), updated_at = now() where id = $1 and status = 'pending'",
          [id],
        );
        if (rowCount === 0) return;
        const reason = pulled ? `withdrawn: ${p.decision_reason}` : "no decision before it expired";
        await tx.query("insert into proposal_decisions (proposal_id, actor, decision, reason) values ($1, 'system', 'expire', $2)", [id, reason]);
        const records: AuditRecordInput[] = [
          {
            kind: "proposal.expired",
            traceId: p.trace_id,
            actor: "system",
            subject: { runId: String(p.run_id), proposalId: String(id), opportunityId: p.opportunity_id ?? undefined },
            data: pulled ? { reason } : {},
          },
        ];
        if (pulled) {
          // What the run was about changed (an interview cancelled or moved): its later steps would act on it too.
          await tx.query(
            `with step as (update workflow_steps set status = 'skipped', error = $4, finished_at = now() where run_id = $1 and step_id = $2 and generation = $3)
             update workflow_runs set status = 'cancelled', error = $4, finished_at = now(), updated_at = now() where id = $1`,
            [p.run_id, p.step_id, p.generation, reason],
          );
          records.push(runRecord(run, "cancelled", reason));
        } else if (failRun) {
          const error = `approval of step ${p.step_id} expired`;
          await tx.query(
            `with step as (update workflow_steps set status = 'failed', error = 'approval expired', finished_at = now() where run_id = $1 and step_id = $2 and generation = $3)
             update workflow_runs set status = 'failed', error = $4, finished_at = now(), updated_at = now() where id = $1`,
            [p.run_id, p.step_id, p.generation, error],
          );
          records.push(runRecord(run, "failed", error));
        } else {
          await tx.query(
            `with step as (update workflow_steps set status = 'pending' where run_id = $1 and step_id = $2 and generation = $3 and status = 'waiting')
             update workflow_runs set status = 'running' where id = $1 and status = 'waiting'`,
            [p.run_id, p.step_id, p.generation],
          );
          await dispatcher.enqueueStep({ runId: Number(p.run_id), stepId: p.step_id, generation: p.generation }, {}, tx);
        }
        await auditMany(records, tx);
      });
      engineEvents.emit("proposal.decided", { proposalId: id, runId: Number(p.run_id), workflowId: p.workflow_id, status: "expired", actor: "system" });
      return;
    }
    if (p.escalate_at && !p.escalated_at && t >= new Date(p.escalate_at).getTime()) {
      const to = run.workflow.approval.escalateTo;
      if (to && options.notify && !run.dry_run) {
        const scope = scopeOf(run, await stepOutputs(db, run));
        await options.notify(
          to.channel,
          renderText(to.to, scope).replace(/^env:([A-Z0-9_]+)$/, (_, n: string) => env[n] ?? ""),
          {
            title: `Waiting for approval: ${run.workflow.name}`,
            text: `Proposal ${id} (${p.kind}) has waited since it was created. Please approve or reject it.`,
          },
        );
      }
      await db.transaction(async (tx) => {
        await tx.query("update proposals set escalated_at = now(), updated_at = now() where id = $1", [id]);
        await tx.query("insert into proposal_decisions (proposal_id, actor, decision, reason) values ($1, 'system', 'escalate', $2)", [
          id,
          to ? `notified via ${to.channel}` : "no escalation target configured",
        ]);
        await dispatcher.enqueueProposalCheck(id, new Date(p.expires_at!), tx);
      });
      return;
    }
    // Woken early (clock skew): look again at the next due time.
    const next = p.escalate_at && !p.escalated_at ? new Date(p.escalate_at) : new Date(p.expires_at!);
    await dispatcher.enqueueProposalCheck(id, next, db);
  }

  /** Starts a new generation of the run at `stepId`, keeping the outputs of the steps before it. */
  async function rerunFrom(runId: number, stepId: string): Promise<void> {
    await db.transaction(async (tx) => {
      const run = await loadRun(tx, runId);
      if (!run) throw new EngineError("not_found", `no run ${runId}`);
      // Its event's personal data was deleted (a candidate forgotten, a retention period ended): nothing to run on.
      if ((run.event.data as Record<string, unknown> | undefined)?.forgotten === true)
        throw new EngineError(
          "conflict",
          `run ${runId} cannot be re-run: what its event carried was forgotten (deleted on request or at the end of retention)`,
        );
      const position = run.workflow.steps.findIndex((s) => s.id === stepId);
      if (position < 0) throw new EngineError("invalid", `run ${runId} has no step "${stepId}"`);
      const gen = run.generation + 1;
      await tx.query(
        `insert into workflow_steps (run_id, step_id, position, type, generation, status, attempts, input, output, error, started_at, finished_at)
         select run_id, step_id, position, type, $2, status, attempts, input, output, error, started_at, finished_at
         from workflow_steps where run_id = $1 and generation = $3 and position < $4`,
        [runId, gen, run.generation, position],
      );
      const step = run.workflow.steps[position]!;
      await tx.query("insert into workflow_steps (run_id, step_id, position, type, generation) values ($1,$2,$3,$4,$5)", [
        runId,
        step.id,
        position,
        step.type,
        gen,
      ]);
      await tx.query(
        "update workflow_runs set generation = $2, status = 'running', current_step = $3, finished_at = null, error = null, updated_at = now() where id = $1",
        [runId, gen, stepId],
      );
      await dispatcher.enqueueStep({ runId, stepId, generation: gen }, {}, tx);
      await audit(
        { kind: "run.rerun", traceId: run.trace_id, actor: "system", subject: { runId: String(runId) }, data: { fromStep: stepId, generation: gen } },
        tx,
      );
    });
  }

  /** Starts a workflow by hand (console, CLI, API) for an opportunity. */
  async function startManual(
    workflowId: string,
    input: { connectionId: string; opportunityId?: string; actor: string; traceId: string; data?: Record<string, unknown> },
  ): Promise<number | null> {
    const wf = options.workflows.get(workflowId);
    if (!wf) throw new EngineError("not_found", `no workflow "${workflowId}"`);
    if (!wf.workflow.triggers.some((t) => "manual" in t)) throw new EngineError("invalid", `workflow "${workflowId}" has no manual trigger`);
    const ids = await handleEvent({
      key: `manual:${input.actor}:${now()}`,
      connectionId: input.connectionId,
      source: "manual",
      name: "manual",
      triggeredAt: now(),
      data: { ...input.data, ...(input.opportunityId ? { opportunityId: input.opportunityId } : {}), startedBy: input.actor },
      traceId: input.traceId,
      workflowId,
    });
    return ids[0] ?? null;
  }

  return { handleEvent, executeStep, decideProposal, checkProposal, rerunFrom, startManual, effectiveWorkflows, workflowModes };
}
