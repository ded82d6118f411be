/**
 * The shapes the console shows, read leniently from the REST API so that a renamed or missing
 * field degrades to "—" instead of breaking the page. Every API response passes through here.
 */

type Raw = Record<string, unknown>;

function pick(raw: Raw, ...keys: string[]): unknown {
  for (const key of keys) {
    if (raw[key] !== undefined && raw[key] !== null) return raw[key];
  }
  return undefined;
}
function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : typeof v === "number" ? String(v) : undefined;
}
function num(v: unknown): number | undefined {
  const n = typeof v === "string" ? Number(v) : v;
  return typeof n === "number" && Number.isFinite(n) ? n : undefined;
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
  /** The resume or transcript text the evidence was quoted from, when the API includes it. */
  sourceText?: string | undefined;
  leverUrl?: string | undefined;
}

function summarise(type: string, action: Raw): string {
  const text = str(pick(action, "summary", "description"));
  if (text) return text;
  switch (type) {
    case "note":
    case "addNote":
      return `Add a note: ${(str(pick(action, "value", "body", "text")) ?? "").slice(0, 140)}`;
    case "tags":
    case "addTags": {
      const tags = pick(action, "tags", "add");
      return `Add tags: ${Array.isArray(tags) ? tags.join(", ") : ""}`;
    }
    case "stage":
    case "changeStage":
      return `Move to stage ${str(pick(action, "stageName", "stage", "stageId")) ?? ""}`;
    case "archive":
      return `Archive with reason ${str(pick(action, "reasonName", "reason", "reasonId")) ?? ""}`;
    default:
      return type;
  }
}

export function toProposal(value: unknown): Proposal {
  const raw = obj(value);
  const action = obj(pick(raw, "action", "payload", "proposed"));
  const context = obj(pick(raw, "context", "candidate"));
  const actionType = str(pick(raw, "actionType", "action_type", "kind")) ?? str(pick(action, "type", "kind")) ?? "action";
  const evidenceRaw = pick(raw, "evidence", "quotes");
  const reasonsRaw = pick(raw, "reasons", "why");
  return {
    id: str(pick(raw, "id")) ?? "",
    status: str(pick(raw, "status", "state")) ?? "pending",
    workflowId: str(pick(raw, "workflowId", "workflow_id", "workflow")) ?? "",
    workflowName: str(pick(raw, "workflowName", "workflow_name", "workflowId", "workflow")) ?? "",
    runId: str(pick(raw, "runId", "run_id")),
    actionType,
    summary: str(pick(raw, "summary")) ?? summarise(actionType, action),
    action,
    opportunityId: str(pick(raw, "opportunityId", "opportunity_id")) ?? str(pick(context, "opportunityId", "id")),
    candidateName: str(pick(raw, "candidateName", "candidate_name")) ?? str(pick(context, "name", "candidateName")) ?? "Unnamed candidate",
    postingId: str(pick(raw, "postingId", "posting_id")) ?? str(pick(context, "postingId")),
    postingTitle: str(pick(raw, "postingTitle", "posting_title")) ?? str(pick(context, "postingTitle")),
    stage: str(pick(raw, "stage", "stageName", "stage_name")) ?? str(pick(context, "stage", "stageName")),
    reasons: Array.isArray(reasonsRaw) ? reasonsRaw.map((r) => (typeof r === "string" ? r : (str(obj(r).text) ?? JSON.stringify(r)))) : [],
    evidence: Array.isArray(evidenceRaw)
      ? evidenceRaw
          .flatMap((e): Evidence[] => {
            if (typeof e === "string") return [{ quote: e }];
            const o = obj(e);
            const base = { source: str(o.source), criterion: str(o.criterion) };
            if (Array.isArray(o.quotes)) return o.quotes.map((q) => ({ quote: str(q) ?? "", ...base }));
            return [{ quote: str(o.quote) ?? str(o.text) ?? "", ...base }];
          })
          .filter((e) => e.quote)
      : [],
    confidence: num(pick(raw, "confidence")),
    model: str(pick(raw, "model")) ?? str(pick(obj(raw.meta), "model")),
    prompt: str(pick(raw, "prompt", "promptVersion", "prompt_version")) ?? str(pick(obj(raw.meta), "prompt")),
    engine: str(pick(raw, "engine")) ?? str(pick(obj(raw.meta), "engine")),
    createdAt: str(pick(raw, "createdAt", "created_at")) ?? new Date(0).toISOString(),
    decidedBy: str(pick(raw, "decidedBy", "decided_by")),
    decisionReason: str(pick(raw, "decisionReason", "decision_reason", "reason")),
    sourceText: str(pick(raw, "sourceText", "source_text", "resumeText")) ?? str(pick(context, "resumeText", "sourceText", "transcript")),
    leverUrl: str(pick(raw, "leverUrl", "lever_url")) ?? str(pick(context, "leverUrl", "url")),
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
  eventId?: string | undefined;
  opportunityId?: string | undefined;
  traceId?: string | undefined;
  createdAt: string;
  updatedAt?: string | undefined;
  overdue: boolean;
  steps: RunStep[];
}

export function toRun(value: unknown): Run {
  const raw = obj(value);
  const steps = pick(raw, "steps");
  return {
    id: str(pick(raw, "id")) ?? "",
    workflowId: str(pick(raw, "workflowId", "workflow_id", "workflow")) ?? "",
    status: str(pick(raw, "status", "state")) ?? "",
    eventId: str(pick(raw, "eventId", "event_id")),
    opportunityId: str(pick(raw, "opportunityId", "opportunity_id")),
    traceId: str(pick(raw, "traceId", "trace_id")),
    createdAt: str(pick(raw, "createdAt", "created_at", "startedAt", "started_at")) ?? "",
    updatedAt: str(pick(raw, "updatedAt", "updated_at", "finishedAt", "finished_at")),
    overdue: pick(raw, "overdue") === true,
    steps: Array.isArray(steps)
      ? steps.map((s) => {
          const r = obj(s);
          return {
            id: str(pick(r, "stepId", "id", "key")) ?? "",
            name: str(pick(r, "name", "stepId", "key", "id")) ?? "",
            type: str(pick(r, "type", "kind")) ?? "",
            status: str(pick(r, "status", "state")) ?? "",
            startedAt: str(pick(r, "startedAt", "started_at")),
            finishedAt: str(pick(r, "finishedAt", "finished_at")),
            input: pick(r, "input", "inputs"),
            output: pick(r, "output", "outputs"),
            error: str(pick(r, "error")),
          };
        })
      : [],
  };
}

export interface InboxEvent {
  id: string;
  event: string;
  source: string;
  status: string;
  receivedAt: string;
  traceId?: string | undefined;
  opportunityId?: string | undefined;
}

export function toEvent(value: unknown): InboxEvent {
  const raw = obj(value);
  return {
    id: str(pick(raw, "id")) ?? "",
    event: str(pick(raw, "event", "type")) ?? "",
    source: str(pick(raw, "source")) ?? "lever",
    status: str(pick(raw, "status")) ?? "",
    receivedAt: str(pick(raw, "receivedAt", "received_at", "createdAt")) ?? "",
    traceId: str(pick(raw, "traceId", "trace_id")),
    opportunityId: str(pick(raw, "opportunityId", "opportunity_id")) ?? str(pick(obj(obj(raw.payload).data), "opportunityId")),
  };
}

export interface DeadJob {
  id: string;
  queue: string;
  error: string;
  failedAt?: string | undefined;
  data: unknown;
}

export function toDeadJob(value: unknown): DeadJob {
  const raw = obj(value);
  const output = obj(raw.output);
  return {
    id: str(pick(raw, "id")) ?? "",
    queue: str(pick(raw, "queue", "name")) ?? "",
    error: str(pick(raw, "error", "lastError", "last_error")) ?? str(output.message) ?? "(no error recorded)",
    failedAt: str(pick(raw, "failedAt", "failed_at", "completedOn", "completed_on", "createdOn")),
    data: pick(raw, "data"),
  };
}

/** The mode one action really runs in, and which layer decided it (the lowest mode wins). */
export interface ActionModeView {
  step: string;
  type: string;
  mode: string;
  reason: string;
  /** Per-action or sandbox entries that can never take effect. */
  ignored: string[];
  /** When it differs there: the mode on the built-in sandbox. */
  onSandbox?: { mode: string; reason: string } | undefined;
}

export interface Workflow {
  id: string;
  name: string;
  description?: string | undefined;
  enabled: boolean;
  mode: string;
  /** The most any of its actions may do now (ceiling and per-action modes applied). */
  effectiveMode?: string | undefined;
  actionModes: ActionModeView[];
  trigger?: string | undefined;
  yaml?: string | undefined;
  prompts: string[];
  actions: string[];
  /** A raise (higher mode, enabling) waiting for someone other than its author (four eyes). */
  pendingChange?: PendingWorkflowChange | undefined;
}

export interface PendingWorkflowChange {
  id: number;
  enabled: boolean | null;
  mode: string | null;
  /** `user:<id>` for a console account, `token:<id>` for an API token, `cli:<name>` from the command line. */
  author: string;
  createdAt: string;
}

/** What a waiting change would do, in words: `set its mode to auto`. */
export function describePendingChange(c: PendingWorkflowChange): string {
  return [c.enabled === true ? "enable it" : "", c.mode ? `set its mode to ${c.mode}` : ""].filter(Boolean).join(" and ");
}

function toPendingChange(value: unknown): PendingWorkflowChange | undefined {
  const raw = obj(value);
  if (typeof raw.id !== "number" || !str(raw.author)) return undefined;
  return {
    id: raw.id,
    enabled: typeof raw.enabled === "boolean" ? raw.enabled : null,
    mode: str(raw.mode) ?? null,
    author: str(raw.author)!,
    createdAt: str(raw.createdAt) ?? "",
  };
}

export function toWorkflow(value: unknown): Workflow {
  const raw = obj(value);
  const prompts = pick(raw, "prompts");
  const actions = pick(raw, "actions", "writes");
  const actionList = Array.isArray(actions) ? actions : [];
  const actionModes = actionList
    .map(obj)
    .filter((a) => str(a.step) && str(a.mode))
    .map((a): ActionModeView => {
      const sandbox = obj(a.onSandbox);
      return {
        step: str(a.step)!,
        type: str(a.type) ?? "",
        mode: str(a.mode)!,
        reason: str(a.reason) ?? "",
        ignored: Array.isArray(a.ignored) ? a.ignored.map(str).filter((x): x is string => x !== undefined) : [],
        onSandbox: str(sandbox.mode) ? { mode: str(sandbox.mode)!, reason: str(sandbox.reason) ?? "" } : undefined,
      };
    });
  const trigger = pick(raw, "trigger", "on", "triggers");
  const steps = pick(raw, "steps");
  const stepTypes = Array.isArray(steps) ? steps.map((st) => str(obj(st).type) ?? "").filter(Boolean) : [];
  const pendingChange = toPendingChange(pick(raw, "pendingChange"));
  return {
    ...(pendingChange ? { pendingChange } : {}),
    id: str(pick(raw, "id", "name")) ?? "",
    name: str(pick(raw, "name", "title", "id")) ?? "",
    description: str(pick(raw, "description")),
    enabled: pick(raw, "enabled") !== false,
    mode: str(pick(raw, "mode")) ?? "shadow",
    effectiveMode: str(pick(raw, "effectiveMode", "effective_mode")),
    actionModes,
    trigger:
      typeof trigger === "string" ? trigger : Array.isArray(trigger) ? trigger.map(describeTrigger).join("; ") : trigger ? describeTrigger(trigger) : undefined,
    yaml: str(pick(raw, "yaml", "source")),
    prompts: Array.isArray(prompts) ? prompts.map((p) => str(p) ?? str(obj(p).name) ?? "").filter(Boolean) : [],
    actions:
      Array.isArray(actions) && actionModes.length === 0
        ? actions.map((a) => str(a) ?? str(obj(a).type) ?? "").filter(Boolean)
        : [
            ...new Set(
              (actionModes.length ? actionModes.map((a) => a.type) : stepTypes).filter((t) => t.startsWith("lever.")).map((t) => ACTION_WORDS[t] ?? t),
            ),
          ],
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
export function describeTrigger(t: unknown): string {
  if (typeof t === "string") return t;
  const o = obj(t);
  const when = o.when !== undefined ? ", when the conditions in its definition hold" : "";
  if (o.lever !== undefined) return `Lever sends ${list(o.lever)}${when}`;
  if (o.manual === true) return "started by hand (console or command line)";
  if (typeof o.schedule === "string") return `on a schedule (cron ${o.schedule})${when}`;
  const timer = obj(o.timer);
  if (timer.after !== undefined && timer.at !== undefined)
    return `${String(timer.after)} after ${String(timer.at)}${timer.on !== undefined ? ` (set on ${list(timer.on)})` : ""}${when}`;
  if (o.event !== undefined) return `${typeof o.source === "string" ? `the ${o.source} tool` : "a connected hiring tool"} reports ${list(o.event)}${when}`;
  const head = str(pick(o, "event", "on", "schedule", "source", "type")) ?? "";
  const rest = Object.keys(o).filter((k) => !["event", "on"].includes(k));
  return rest.length ? `${head} (${rest.join(", ")})` : head || JSON.stringify(t).slice(0, 80);
}

/** Unwraps list responses, whether the API returns `[...]` or `{ items: [...] }`-style objects. */
export function listOf(value: unknown, ...keys: string[]): unknown[] {
  if (Array.isArray(value)) return value;
  const raw = obj(value);
  for (const key of [...keys, "items", "data", "results"]) {
    if (Array.isArray(raw[key])) return raw[key] as unknown[];
  }
  return [];
}
