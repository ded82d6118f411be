/**
 * Live changes of a workflow's switches (enabled, mode) under four eyes. A change that raises what
 * Fulcrum may do without a person — enabling a workflow, or raising its mode shadow → assist →
 * auto — waits in `workflow_changes` until someone other than its author approves it. A change
 * that lowers (disabling, lowering the mode) or repeats the current value applies at once: safety
 * never waits. A request that does both is split: the lowering part applies, the raising part waits.
 *
 * Whether the rule is on is the caller's to say (`fourEyes`; the console's settings keep it): with
 * it off a raising change applies at once and its audit record says it was self-approved.
 *
 * Every outcome is an audit record in the same transaction as the change: `workflow.changed`
 * (applied at once), `workflow.change_requested`, `workflow.change_approved`,
 * `workflow.change_rejected` and `workflow.change_withdrawn`.
 */
import { createAuditTrail } from "../../governance/index.ts";
import type { Database, Queryable } from "../../store/index.ts";
import type { Mode } from "../../config/index.ts";

const RANK: Record<Mode, number> = { shadow: 0, assist: 1, auto: 2 };
/** First key of the advisory lock taken per workflow while a change is requested. */
const LOCK_CLASS = 4107;

/** What a person asks to change; a field left out stays as it is. */
export interface WorkflowPatch {
  enabled?: boolean | undefined;
  mode?: Mode | undefined;
}

/** A workflow's switches as they are now: set live, else its file's. */
export interface WorkflowSwitches {
  enabled: boolean;
  mode: Mode;
}

export type WorkflowChangeStatus = "pending" | "approved" | "rejected" | "withdrawn" | "superseded";

export interface WorkflowChange {
  id: number;
  workflowId: string;
  /** The raised values asked for; `null` leaves that switch as it is. */
  enabled: boolean | null;
  mode: Mode | null;
  status: WorkflowChangeStatus;
  author: string;
  createdAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  reason: string | null;
}

/**
 * Why a change could not be approved or rejected: `not_found`, `conflict` (it no longer waits) or
 * `forbidden` (four eyes: its author may not approve it). The HTTP layer chooses the status.
 */
export class WorkflowChangeError extends Error {
  override readonly name = "WorkflowChangeError";
  readonly code: "not_found" | "conflict" | "forbidden";
  constructor(code: "not_found" | "conflict" | "forbidden", message: string) {
    super(message);
    this.code = code;
  }
}

/**
 * Splits a request into what lowers or keeps (applies at once) and what raises (needs a second
 * person). Pure.
 * @example
 * splitWorkflowPatch({ enabled: true, mode: "assist" }, { enabled: false, mode: "auto" })
 * // { lowers: { enabled: false }, raises: { mode: "auto" } }
 */
export function splitWorkflowPatch(current: WorkflowSwitches, patch: WorkflowPatch): { lowers: WorkflowPatch; raises: WorkflowPatch } {
  const lowers: WorkflowPatch = {};
  const raises: WorkflowPatch = {};
  if (patch.enabled !== undefined) (patch.enabled && !current.enabled ? raises : lowers).enabled = patch.enabled;
  if (patch.mode !== undefined) (RANK[patch.mode] > RANK[current.mode] ? raises : lowers).mode = patch.mode;
  return { lowers, raises };
}

function isEmpty(p: WorkflowPatch): boolean {
  return p.enabled === undefined && p.mode === undefined;
}

/** `{ mode: { from: "shadow", to: "auto" } }`: what an audit record says changed. */
function diff(before: WorkflowSwitches, patch: WorkflowPatch): Record<string, { from: unknown; to: unknown }> {
  const out: Record<string, { from: unknown; to: unknown }> = {};
  if (patch.enabled !== undefined) out.enabled = { from: before.enabled, to: patch.enabled };
  if (patch.mode !== undefined) out.mode = { from: before.mode, to: patch.mode };
  return out;
}

/** In words, for messages: `enable it and set its mode to auto`. */
export function describeWorkflowPatch(p: WorkflowPatch): string {
  const parts = [p.enabled === undefined ? "" : p.enabled ? "enable it" : "disable it", p.mode === undefined ? "" : `set its mode to ${p.mode}`].filter(
    Boolean,
  );
  return parts.join(" and ");
}

async function switchesNow(tx: Queryable, workflowId: string, file: WorkflowSwitches): Promise<WorkflowSwitches> {
  const { rows } = await tx.query<{ enabled: boolean | null; mode: Mode | null }>("select enabled, mode from workflow_settings where workflow_id = $1", [
    workflowId,
  ]);
  return { enabled: rows[0]?.enabled ?? file.enabled, mode: rows[0]?.mode ?? file.mode };
}

async function store(tx: Queryable, workflowId: string, patch: WorkflowPatch, by: string): Promise<void> {
  await tx.query(
    `insert into workflow_settings (workflow_id, enabled, mode, updated_by) values ($1, $2, $3, $4)
     on conflict (workflow_id) do update set enabled = coalesce($2, workflow_settings.enabled), mode = coalesce($3, workflow_settings.mode),
       updated_by = $4, updated_at = now()`,
    [workflowId, patch.enabled ?? null, patch.mode ?? null, by],
  );
}

interface ChangeRow {
  id: string | number;
  workflow_id: string;
  enabled: boolean | null;
  mode: Mode | null;
  status: WorkflowChangeStatus;
  author: string;
  created_at: Date | string;
  decided_by: string | null;
  decided_at: Date | string | null;
  reason: string | null;
}

function toChange(r: ChangeRow): WorkflowChange {
  return {
    id: Number(r.id),
    workflowId: r.workflow_id,
    enabled: r.enabled,
    mode: r.mode,
    status: r.status,
    author: r.author,
    createdAt: new Date(r.created_at).toISOString(),
    decidedBy: r.decided_by,
    decidedAt: r.decided_at ? new Date(r.decided_at).toISOString() : null,
    reason: r.reason,
  };
}

const COLUMNS = "id, workflow_id, enabled, mode, status, author, created_at, decided_by, decided_at, reason";

function patchOf(c: { enabled: boolean | null; mode: Mode | null }): WorkflowPatch {
  return { ...(c.enabled !== null ? { enabled: c.enabled } : {}), ...(c.mode !== null ? { mode: c.mode } : {}) };
}

export interface RequestedChange {
  /** What applied at once (lowering, or everything when the rule is off). */
  applied: WorkflowPatch;
  /** The raising part, waiting for a second person; `null` when nothing waits. */
  pending: WorkflowChange | null;
  /** True when a raising change applied at once because the rule is off. */
  selfApproved: boolean;
}

/**
 * Changes a workflow's switches on behalf of `author`: lowering at once, raising only after a
 * second person approves (unless `fourEyes` is false). A newer raising request for the same
 * workflow supersedes one still waiting.
 * @example
 * const r = await requestWorkflowChange(db, { workflowId: "interview-packet", file: { enabled: true, mode: "shadow" }, patch: { mode: "auto" }, author: "user:7", fourEyes: true });
 * // r.pending?.id → approve with approveWorkflowChange(db, r.pending.id, { approver: "user:9", fourEyes: true })
 */
export async function requestWorkflowChange(
  db: Database,
  request: { workflowId: string; file: WorkflowSwitches; patch: WorkflowPatch; author: string; fourEyes: boolean },
): Promise<RequestedChange> {
  const { workflowId, author } = request;
  const audit = createAuditTrail(db);
  return db.transaction(async (tx) => {
    // Requests for one workflow take turns, so two raises at once end as one waiting and one
    // superseded instead of the second failing on the one-pending-per-workflow index.
    await tx.query("select pg_advisory_xact_lock($1, hashtext($2))", [LOCK_CLASS, workflowId]);
    const before = await switchesNow(tx, workflowId, request.file);
    const { lowers, raises } = splitWorkflowPatch(before, request.patch);
    const subject = { workflowId };
    const applyNow = request.fourEyes ? lowers : { ...lowers, ...raises };
    const selfApproved = !request.fourEyes && !isEmpty(raises);
    // A raise still waiting was asked for against the switches before this request. Any change made
    // now replaces it: above all a lowering (an emergency shadow) must not be undone later by
    // someone approving a raise that predates it.
    const superseded = await tx.query<{ id: string | number }>(
      "update workflow_changes set status = 'superseded', decided_by = $2, decided_at = now() where workflow_id = $1 and status = 'pending' returning id",
      [workflowId, author],
    );
    const supersedes = superseded.rows.map((r) => Number(r.id));
    if (!isEmpty(applyNow)) {
      await store(tx, workflowId, applyNow, selfApproved ? `${author}, self-approved (four eyes off)` : author);
      await audit.append(
        {
          kind: "workflow.changed",
          actor: author,
          subject,
          data: {
            changes: diff(before, applyNow),
            ...(selfApproved ? { selfApproved: true } : { raises: false }),
            ...(supersedes.length && (!request.fourEyes || isEmpty(raises)) ? { supersedes } : {}),
          },
        },
        tx,
      );
    }
    if (!request.fourEyes || isEmpty(raises)) return { applied: applyNow, pending: null, selfApproved };
    const { rows } = await tx.query<ChangeRow>(
      `insert into workflow_changes (workflow_id, enabled, mode, author) values ($1, $2, $3, $4) returning ${COLUMNS}`,
      [workflowId, raises.enabled ?? null, raises.mode ?? null, author],
    );
    const pending = toChange(rows[0]!);
    await audit.append(
      {
        kind: "workflow.change_requested",
        actor: author,
        subject,
        data: { changeId: pending.id, changes: diff(before, raises), ...(supersedes.length ? { supersedes } : {}) },
      },
      tx,
    );
    return { applied: lowers, pending, selfApproved: false };
  });
}

async function pendingChange(tx: Queryable, id: number): Promise<WorkflowChange> {
  const { rows } = await tx.query<ChangeRow>(`select ${COLUMNS} from workflow_changes where id = $1 for update`, [id]);
  if (!rows[0]) throw new WorkflowChangeError("not_found", `there is no workflow change ${id}`);
  const c = toChange(rows[0]);
  if (c.status !== "pending")
    throw new WorkflowChangeError(
      "conflict",
      `workflow change ${id} is not waiting for approval: it was ${c.status}${c.decidedBy ? ` by ${c.decidedBy}` : ""}`,
    );
  return c;
}

/**
 * Approves a waiting change and applies it. Its author may not approve it (`forbidden`) while
 * `fourEyes` is true; with the rule off the audit record says `selfApproved`.
 */
export async function approveWorkflowChange(
  db: Database,
  id: number,
  decision: { approver: string; fourEyes: boolean; file: (workflowId: string) => WorkflowSwitches | undefined },
): Promise<{ change: WorkflowChange; selfApproved: boolean }> {
  const audit = createAuditTrail(db);
  return db.transaction(async (tx) => {
    const c = await pendingChange(tx, id);
    const selfApproved = c.author === decision.approver;
    if (selfApproved && decision.fourEyes) {
      throw new WorkflowChangeError(
        "forbidden",
        `You asked for this change to workflow ${c.workflowId} (${describeWorkflowPatch(patchOf(c))}), so someone else must approve it (four eyes). An admin can turn this rule off in the console's settings; that change is audited.`,
      );
    }
    const file = decision.file(c.workflowId);
    if (!file) throw new WorkflowChangeError("conflict", `workflow ${c.workflowId} is no longer loaded, so change ${id} cannot be applied; reject it`);
    const before = await switchesNow(tx, c.workflowId, file);
    const patch = patchOf(c);
    await store(tx, c.workflowId, patch, selfApproved ? `${c.author}, self-approved (four eyes off)` : `${c.author}, approved by ${decision.approver}`);
    const { rows } = await tx.query<ChangeRow>(
      `update workflow_changes set status = 'approved', decided_by = $2, decided_at = now() where id = $1 returning ${COLUMNS}`,
      [id, decision.approver],
    );
    await audit.append(
      {
        kind: "workflow.change_approved",
        actor: decision.approver,
        subject: { workflowId: c.workflowId },
        data: { changeId: id, author: c.author, changes: diff(before, patch), ...(selfApproved ? { selfApproved: true } : {}) },
      },
      tx,
    );
    return { change: toChange(rows[0]!), selfApproved };
  });
}

/** Turns a waiting change down: `withdrawn` when its author does it, `rejected` when someone else does. */
export async function rejectWorkflowChange(db: Database, id: number, decision: { actor: string; reason?: string | undefined }): Promise<WorkflowChange> {
  const audit = createAuditTrail(db);
  return db.transaction(async (tx) => {
    const c = await pendingChange(tx, id);
    const status = c.author === decision.actor ? "withdrawn" : "rejected";
    const { rows } = await tx.query<ChangeRow>(
      `update workflow_changes set status = $2, decided_by = $3, decided_at = now(), reason = $4 where id = $1 returning ${COLUMNS}`,
      [id, status, decision.actor, decision.reason ?? null],
    );
    await audit.append(
      {
        kind: `workflow.change_${status}`,
        actor: decision.actor,
        subject: { workflowId: c.workflowId },
        data: { changeId: id, author: c.author, asked: patchOf(c), ...(decision.reason ? { reason: decision.reason } : {}) },
      },
      tx,
    );
    return toChange(rows[0]!);
  });
}

/** One change, whatever its status. */
export async function getWorkflowChange(db: Queryable, id: number): Promise<WorkflowChange | undefined> {
  const { rows } = await db.query<ChangeRow>(`select ${COLUMNS} from workflow_changes where id = $1`, [id]);
  return rows[0] ? toChange(rows[0]) : undefined;
}

/** Changes, newest first: by default those waiting for approval. */
export async function listWorkflowChanges(
  db: Queryable,
  filter: { status?: WorkflowChangeStatus | "all" | undefined; workflowId?: string | undefined; limit?: number | undefined } = {},
): Promise<WorkflowChange[]> {
  const status = filter.status ?? "pending";
  const { rows } = await db.query<ChangeRow>(
    `select ${COLUMNS} from workflow_changes where ($1::text = 'all' or status = $1) and ($2::text is null or workflow_id = $2) order by id desc limit $3`,
    [status, filter.workflowId ?? null, Math.min(filter.limit ?? 100, 500)],
  );
  return rows.map(toChange);
}
