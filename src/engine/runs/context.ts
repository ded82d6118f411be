/**
 * What the engine's parts share: the engine's options and their context (database, dispatcher,
 * clock, audit sink), and the rows of a run, a step and a proposal as the engine reads them.
 */
import type { Database, Queryable } from "../../store/index.ts";
import type { ToolConfig } from "../../config/index.ts";
import { silentLogger, type Logger } from "../../observability/index.ts";
import type { Mode } from "../policy/index.ts";
import type { EngineEvent, LoadedWorkflow, Workflow } from "../workflows/index.ts";
import type { Action } from "../steps/index.ts";
import { postingIdOf } from "../steps/index.ts";
import type {
  AiStepRunner,
  AuditSink,
  LeverGateway,
  Notifier,
  PanelBooker,
  PanelRebooker,
  ResumeReader,
  RunContext,
  StepDispatcher,
  TaskHandler,
} from "../ports.ts";

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

export interface RunRow {
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

export interface StepRow {
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

export type Outcome = (
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
  /** Pending proposals of the run's later actions, made ahead while it waits (see `proposeAhead`): stored when it settles. */
  ahead?: NewProposal[];
};

/** A proposal to store with its step's outcome. */
export interface NewProposal {
  /** Parameters of `PROPOSAL_INSERT`. */
  params: unknown[];
  status: "shadow" | "pending";
  /** Its `proposal.created` audit record, once its id is known. */
  record(id: number): AuditRecordInput;
  /** When its timeout job looks at it (pending proposals). */
  checkAt: Date | null;
}

export type AuditRecordInput = Parameters<AuditSink["append"]>[0];

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

/** What one step job knows besides its run: read with its claim, filled in as it runs. */
export interface StepState {
  /** The step's rendered input, set as soon as it is known (stored with the step, also when it fails). */
  input?: unknown;
  /** The step's proposal as read with the claim (a job that runs again, a step resumed after a decision). */
  proposal: ProposalRow | null;
  /** The id the claim reserved for the proposal an action step without one makes. */
  proposalId?: number | undefined;
}

/**
 * The context as stored with the run: the parser's full result (every line with its layout) is
 * kept in memory for the step that read the resume but not stored; the text, status and flags are.
 */
export function persistedContext(ctx: RunContext): string {
  if (!ctx.resume?.parsed) return JSON.stringify(ctx);
  const { parsed: _parsed, ...resume } = ctx.resume;
  return JSON.stringify({ ...ctx, resume });
}

export const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);

/** What every part of the engine shares: its options, database, dispatcher, clock and audit sink. */
export interface EngineContext {
  options: EngineOptions;
  db: Database;
  dispatcher: StepDispatcher;
  logger: Logger;
  now: () => number;
  env: NodeJS.ProcessEnv;
  /** Attempts of a failing step before the run fails. */
  maxAttempts: number;
  /** The Lever gateway of a connection, made once per engine. */
  lever(connectionId: string): Promise<LeverGateway>;
  audit(record: AuditRecordInput, tx?: Queryable): Promise<void>;
  /**
   * Appends records in order, in one statement when the sink can. Call it last in a transaction:
   * the chain head's lock it takes is held until the transaction ends, and concurrent runs queue on it.
   */
  auditMany(records: AuditRecordInput[], tx: Queryable): Promise<void>;
}

/** The context of one engine, from its options (defaults filled in). */
export function engineContext(options: EngineOptions): EngineContext {
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

  async function auditMany(records: AuditRecordInput[], tx: Queryable) {
    const sink = options.audit;
    if (!sink || records.length === 0) return;
    if (sink.appendMany) await sink.appendMany(records, tx);
    else for (const r of records) await sink.append(r, tx);
  }

  return { options, db, dispatcher, logger, now, env, maxAttempts, lever, audit, auditMany };
}

export const runRecord = (run: RunRow, status: string, error?: string): AuditRecordInput => ({
  kind: `run.${status}`,
  traceId: run.trace_id,
  actor: `workflow:${run.workflow_id}`,
  subject: { connectionId: run.connection_id, opportunityId: run.opportunity_id ?? undefined, runId: String(run.id) },
  data: error ? { error } : {},
});

/** The run's context and posting to store with a step's outcome: nulls (keep what is stored) unless the step loaded more. */
export function changedContext(run: RunRow): [string | null, string | null] {
  return run.contextChanged ? [persistedContext(run.context), postingIdOf(run.context.opportunity) ?? null] : [null, null];
}
