/**
 * The shapes the console's pages show, made from the API's answers. The answers' types come from
 * the contract (`src/contract/console-api.ts`: zod schemas that a server test checks every route
 * against), so a field renamed on either side fails the type check instead of showing "—" in a page.
 * What stays open here is what the contract leaves open: an AI step's reasons and evidence, and a
 * workflow file's triggers.
 */
import type {
  ActionModeView,
  DeadJobView,
  InboxEventView,
  ProposalView,
  RunDetail,
  RunSummary,
  WorkflowChange,
  WorkflowView,
} from "../../src/contract/console-api.ts";

export type { ActionModeView } from "../../src/contract/console-api.ts";

type Raw = Record<string, unknown>;

function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : typeof v === "number" ? String(v) : undefined;
}
function obj(v: unknown): Raw {
  return v && typeof v === "object" && !Array.isArray(v) ? (v as Raw) : {};
}

export interface Evidence {
  quote: string;
  source?: string | undefined;
  criterion?: string | undefined;
}

export interface Proposal {
  id: string;
  status: string;
  workflowId: string;
  workflowName: string;
  runId?: string | undefined;
  /** The action's step type, e.g. `lever.note`. */
  actionType: string;
  /** What would be done, in words. */
  summary: string;
  /** The editable payload of the action (note text, tags, stage…). */
  action: Raw;
  opportunityId?: string | undefined;
  candidateName: string;
  postingId?: string | undefined;
  postingTitle?: string | undefined;
  stage?: string | undefined;
  reasons: string[];
  evidence: Evidence[];
  confidence?: number | undefined;
  model?: string | undefined;
  prompt?: string | undefined;
  engine?: string | undefined;
  createdAt: string;
  decidedBy?: string | undefined;
  decisionReason?: string | undefined;
  /** The resume or transcript text the evidence was quoted from (from the proposal's context). */
  sourceText?: string | undefined;
  leverUrl?: string | undefined;
}

/** An AI step's reasons: sentences, or objects with a `text`. */
function reasonsOf(reasons: unknown[]): string[] {
  return reasons.map((r) => (typeof r === "string" ? r : (str(obj(r).text) ?? JSON.stringify(r))));
}

/** An AI step's evidence: quotes, or objects with a `quote` (or several `quotes`), a `source` and a `criterion`. */
function evidenceOf(evidence: unknown[]): Evidence[] {
  return evidence
    .flatMap((e): Evidence[] => {
      if (typeof e === "string") return [{ quote: e }];
      const o = obj(e);
      const base = { source: str(o.source), criterion: str(o.criterion) };
      if (Array.isArray(o.quotes)) return o.quotes.map((q) => ({ quote: str(q) ?? "", ...base }));
      return [{ quote: str(o.quote) ?? str(o.text) ?? "", ...base }];
    })
    .filter((e) => e.quote);
}

/** A proposal as the pages show it; the candidate, posting title and stage come from the console's labels and context. */
export function toProposal(p: ProposalView): Proposal {
  return {
    id: String(p.id),
    status: p.status,
    workflowId: p.workflowId,
    workflowName: p.workflowId,
    runId: String(p.runId),
    actionType: p.kind,
    summary: p.summary || p.kind,
    action: p.action,
    opportunityId: p.opportunityId ?? undefined,
    candidateName: "Unnamed candidate",
    postingId: p.postingId ?? undefined,
    reasons: reasonsOf(p.reasons),
    evidence: evidenceOf(p.evidence),
    confidence: p.confidence ?? undefined,
    model: p.model ?? undefined,
    prompt: p.prompt ?? undefined,
    engine: p.engine ?? undefined,
    createdAt: p.createdAt,
    decidedBy: p.decidedBy ?? undefined,
    decisionReason: p.decisionReason ?? undefined,
  };
}

export interface RunStep {
  id: string;
  name: string;
  type: string;
  status: string;
  startedAt?: string | undefined;
  finishedAt?: string | undefined;
  input: unknown;
  output: unknown;
  error?: string | undefined;
}

export interface Run {
  id: string;
  workflowId: string;
  status: string;
  /** The event's name, e.g. `applicationCreated`. */
  event: string;
  opportunityId?: string | undefined;
  traceId: string;
  createdAt: string;
  updatedAt: string;
  overdue: boolean;
  /** The current generation's steps; a run from the list has none. */
  steps: RunStep[];
}

export function toRun(r: RunSummary | RunDetail): Run {
  return {
    id: String(r.id),
    workflowId: r.workflowId,
    status: r.status,
    event: r.event,
    opportunityId: r.opportunityId ?? undefined,
    traceId: r.traceId,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    overdue: r.overdue,
    steps:
      "steps" in r
        ? r.steps.map((s) => ({
            id: s.stepId,
            name: s.stepId,
            type: s.type,
            status: s.status,
            startedAt: s.startedAt ?? undefined,
            finishedAt: s.finishedAt ?? undefined,
            input: s.input,
            output: s.output,
            error: s.error ?? undefined,
          }))
        : [],
  };
}

export interface InboxEvent {
  id: string;
  event: string;
  source: string;
  status: string;
  receivedAt: string;
  traceId: string;
}

export function toEvent(e: InboxEventView): InboxEvent {
  return { id: String(e.id), event: e.event, source: e.source, status: e.status, receivedAt: e.receivedAt, traceId: e.traceId };
}

export interface DeadJob {
  id: string;
  queue: string;
  error: string;
  failedAt: string;
  data: unknown;
}

export function toDeadJob(j: DeadJobView): DeadJob {
  return { id: j.id, queue: j.queue, error: j.error || "(no error recorded)", failedAt: j.failedAt, data: j.data };
}

export interface Workflow {
  id: string;
  name: string;
  description?: string | undefined;
  enabled: boolean;
  mode: string;
  /** The most any of its actions may do now (ceiling and per-action modes applied). */
  effectiveMode: string;
  actionModes: ActionModeView[];
  trigger?: string | undefined;
  /** What it writes, in words: "notes", "stage moves"… */
  actions: string[];
  /** A raise (higher mode, enabling) waiting for someone other than its author (four eyes). */
  pendingChange?: PendingWorkflowChange | undefined;
}

export type PendingWorkflowChange = Pick<WorkflowChange, "id" | "enabled" | "mode" | "author" | "createdAt">;

/** What a waiting change would do, in words: `set its mode to auto`. */
export function describePendingChange(c: PendingWorkflowChange): string {
  return [c.enabled === true ? "enable it" : "", c.mode ? `set its mode to ${c.mode}` : ""].filter(Boolean).join(" and ");
}

export function toWorkflow(w: WorkflowView): Workflow {
  // The actions' types when the engine reported their modes, else the steps' types.
  const types = w.actions.length ? w.actions.map((a) => a.type) : w.steps.map((s) => s.type);
  return {
    ...(w.pendingChange ? { pendingChange: w.pendingChange } : {}),
    id: w.id,
    name: w.name,
    description: w.description ?? undefined,
    enabled: w.enabled,
    mode: w.mode,
    effectiveMode: w.effectiveMode,
    actionModes: w.actions,
    trigger: w.triggers.length ? w.triggers.map(describeTrigger).join("; ") : undefined,
    actions: [...new Set(types.filter((t) => t.startsWith("lever.")).map((t) => ACTION_WORDS[t] ?? t))],
  };
}

const ACTION_WORDS: Record<string, string> = {
  "lever.note": "notes",
  "lever.tags": "tags",
  "lever.stage": "stage moves",
  "lever.archive": "archives",
  "lever.links": "links",
  "lever.panel": "interview panels",
  "lever.createOpportunity": "new opportunities",
  "lever.form": "profile forms",
};

const list = (v: unknown): string => (Array.isArray(v) ? v.map(String).join(" or ") : String(v));

/** A trigger in words: "Lever sends applicationCreated, when its conditions hold", "started by hand", … */
export function describeTrigger(t: Record<string, unknown>): string {
  const when = t.when !== undefined ? ", when the conditions in its definition hold" : "";
  if (t.lever !== undefined) return `Lever sends ${list(t.lever)}${when}`;
  if (t.manual === true) return "started by hand (console or command line)";
  if (typeof t.schedule === "string") return `on a schedule (cron ${t.schedule})${when}`;
  const timer = obj(t.timer);
  if (timer.after !== undefined && timer.at !== undefined)
    return `${String(timer.after)} after ${String(timer.at)}${timer.on !== undefined ? ` (set on ${list(timer.on)})` : ""}${when}`;
  if (t.event !== undefined) return `${typeof t.source === "string" ? `the ${t.source} tool` : "a connected hiring tool"} reports ${list(t.event)}${when}`;
  return Object.keys(t).join(", ") || JSON.stringify(t).slice(0, 80);
}
