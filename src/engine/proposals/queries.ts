/** Reading proposals and their decisions for the API, CLI and console. */
import type { Queryable } from "../../store/index.ts";
import { createFilters } from "../../store/index.ts";

export interface ProposalView {
  id: number;
  runId: number;
  stepId: string;
  workflowId: string;
  connectionId: string;
  opportunityId: string | null;
  postingId: string | null;
  kind: string;
  /** What would be done (every template resolved). */
  action: Record<string, unknown>;
  summary: string;
  reasons: unknown[];
  evidence: unknown[];
  confidence: number | null;
  engine: string | null;
  model: string | null;
  prompt: string | null;
  flags: string[];
  mode: string;
  /** Why the policy decided as it did. */
  policy: string[];
  status: string;
  result: unknown;
  error: string | null;
  expiresAt: string | null;
  escalatedAt: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionReason: string | null;
  edits: unknown;
  traceId: string;
  createdAt: string;
}

const iso = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string).toISOString());

function toView(r: Record<string, unknown>): ProposalView {
  return {
    id: Number(r.id),
    runId: Number(r.run_id),
    stepId: r.step_id as string,
    workflowId: r.workflow_id as string,
    connectionId: r.connection_id as string,
    opportunityId: (r.opportunity_id as string | null) ?? null,
    postingId: (r.posting_id as string | null) ?? null,
    kind: r.kind as string,
    action: r.action as Record<string, unknown>,
    summary: r.summary as string,
    reasons: (r.reasons as unknown[]) ?? [],
    evidence: (r.evidence as unknown[]) ?? [],
    confidence: r.confidence === null || r.confidence === undefined ? null : Number(r.confidence),
    engine: (r.engine as string | null) ?? null,
    model: (r.model as string | null) ?? null,
    prompt: (r.prompt as string | null) ?? null,
    flags: (r.flags as string[]) ?? [],
    mode: r.mode as string,
    policy: (r.policy as string[]) ?? [],
    status: r.status as string,
    result: r.result ?? null,
    error: (r.error as string | null) ?? null,
    expiresAt: iso(r.expires_at),
    escalatedAt: iso(r.escalated_at),
    decidedBy: (r.decided_by as string | null) ?? null,
    decidedAt: iso(r.decided_at),
    decisionReason: (r.decision_reason as string | null) ?? null,
    edits: r.edits ?? null,
    traceId: r.trace_id as string,
    createdAt: iso(r.created_at)!,
  };
}

export interface ListProposalsOptions {
  status?: string | undefined;
  workflowId?: string | undefined;
  postingId?: string | undefined;
  /** Only these postings (a hiring manager's). */
  postingIds?: string[] | undefined;
  runId?: number | undefined;
  beforeId?: number | undefined;
  limit?: number | undefined;
}

/** Newest first. */
export async function listProposals(db: Queryable, o: ListProposalsOptions = {}): Promise<ProposalView[]> {
  const f = createFilters();
  if (o.status) f.add("status = ?", o.status);
  if (o.workflowId) f.add("workflow_id = ?", o.workflowId);
  if (o.postingId) f.add("posting_id = ?", o.postingId);
  if (o.postingIds) f.add("posting_id = any(?)", o.postingIds);
  if (o.runId) f.add("run_id = ?", o.runId);
  if (o.beforeId) f.add("id < ?", o.beforeId);
  const limit = f.param(Math.min(Math.max(o.limit ?? 50, 1), 500));
  const { rows } = await db.query(`select * from proposals ${f.where()} order by id desc limit ${limit}`, f.params);
  return rows.map(toView);
}

export interface DecisionView {
  actor: string;
  decision: string;
  reason: string | null;
  edits: unknown;
  at: string;
}

export async function getProposal(db: Queryable, id: number): Promise<(ProposalView & { decisions: DecisionView[] }) | null> {
  const { rows } = await db.query("select * from proposals where id = $1", [id]);
  if (!rows[0]) return null;
  const d = await db.query("select actor, decision, reason, edits, created_at from proposal_decisions where proposal_id = $1 order by id", [id]);
  return {
    ...toView(rows[0]),
    decisions: d.rows.map((x) => ({
      actor: x.actor as string,
      decision: x.decision as string,
      reason: (x.reason as string | null) ?? null,
      edits: x.edits ?? null,
      at: iso(x.created_at)!,
    })),
  };
}
