/**
 * Proposals as steps make them: an action or approval step's proposal, decided by policy (shadow,
 * pending for a person, or approved), and an approved one carried out.
 */
import { capMode, decide, type Mode } from "../policy/index.ts";
import { parseDuration, renderText, type ActionStep, type Step } from "../workflows/index.ts";
import { applyAction, renderAction, type Action } from "../steps/index.ts";
import { engineEvents } from "./events.ts";
import {
  asArray,
  type AuditRecordInput,
  type EngineContext,
  type NewProposal,
  type Outcome,
  type ProposalRow,
  type RunRow,
  type StepRow,
  type StepState,
} from "./context.ts";
import { ensureContext } from "./run-state.ts";
import { modeFor } from "./modes.ts";

/** Stores a proposal; $26 is its id when the step's claim reserved one. */
export const PROPOSAL_INSERT = `insert into proposals (id, run_id, step_id, generation, workflow_id, connection_id, opportunity_id, posting_id, kind, action, summary,
    reasons, evidence, confidence, engine, model, prompt, flags, mode, policy, status, expires_at, escalate_at, trace_id,
    decided_by, decided_at)
  values (coalesce($26::bigint, nextval(pg_get_serial_sequence('proposals', 'id'))), $1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22,$23,$24,$25)
  on conflict (run_id, step_id, generation) do nothing returning *`;

/** What an action or approval step would do, rendered from the run's scope; `skip` says why an action has nothing to do. */
export function renderProposal(
  run: RunRow,
  step: ActionStep | Extract<Step, { type: "approval" }>,
  scope: Record<string, unknown>,
): { action: Action; summary: string; skip?: string | undefined } {
  if (step.type === "approval")
    return { action: { type: "approval" as ActionStep["type"], message: renderText(step.message, scope) }, summary: "Approve to continue the workflow" };
  return renderAction(step, scope, run.opportunity_id ?? undefined);
}

/** A proposal decided by policy (shadow, pending, or approved by policy), ready to store. */
export type DraftProposal = Omit<NewProposal, "status"> & { status: "shadow" | "pending" | "approved" };

/**
 * The proposal of a rendered action or approval step, decided by policy, before anything is
 * stored: the parameters of `PROPOSAL_INSERT`, its status and its audit record.
 */
export async function draftProposal(
  engine: EngineContext,
  run: RunRow,
  step: ActionStep | Extract<Step, { type: "approval" }>,
  scope: Record<string, unknown>,
  { action, summary }: { action: Action; summary: string },
  proposalId: number | undefined,
): Promise<DraftProposal> {
  const { options, now } = engine;
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
  const { mode, reason } = await modeFor(engine, run, step);
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
    proposalId ?? null,
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

  const checkAt = status === "pending" ? (escalateAt && escalateAt < expiresAt! ? escalateAt : expiresAt!) : null;
  return { params, status, record, checkAt };
}

/** Builds the proposal for an action or approval step and applies the policy to it. */
export async function propose(
  engine: EngineContext,
  run: RunRow,
  row: StepRow,
  step: ActionStep | Extract<Step, { type: "approval" }>,
  scope: Record<string, unknown>,
  seen: StepState,
): Promise<Outcome> {
  const { options, db, audit } = engine;
  // The step's input is what the engine rendered (a person's edits show on the proposal, not here).
  const rendered = renderProposal(run, step, scope);
  seen.input = rendered.action;
  // An action that has nothing to do by the admin's choice (no form template chosen) is skipped with why.
  if (rendered.skip) return { kind: "skipped", output: { skipped: rendered.skip } };

  // Read with the step's claim: a job that runs again, or a step resumed after a decision.
  if (seen.proposal) return outcomeOfExisting(engine, run, seen.proposal);

  const { action } = rendered;
  const { params, status, record, checkAt } = await draftProposal(engine, run, step, scope, rendered, seen.proposalId);
  if (status !== "approved") {
    // Nothing happens outside Fulcrum before the step settles: the proposal is stored (and
    // audited) in the step's settle transaction, with its outcome.
    return { kind: status === "shadow" ? "done" : "waiting", output: { status, action }, create: { params, status, record, checkAt } };
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
    return outcomeOfExisting(engine, run, again.rows[0]!);
  }
  engineEvents.emit("proposal.created", { proposalId: Number(proposal.id), runId: run.id, workflowId: run.workflow_id, status });
  return outcomeOfExisting(engine, run, proposal);
}

/** What the step does given its proposal's state (also used when a job runs twice). */
export async function outcomeOfExisting(engine: EngineContext, run: RunRow, p: ProposalRow): Promise<Outcome> {
  const base = { proposalId: Number(p.id), status: p.status, action: p.action };
  if (p.status === "shadow") return { kind: "done", output: base };
  if (p.status === "pending") return { kind: "waiting", output: base };
  if (p.status === "approved") {
    const applied = await apply(engine, run, p);
    return { kind: "done", output: { ...base, status: "applied", result: applied.result }, applied };
  }
  if (p.status === "applied") return { kind: "done", output: base };
  if (p.status === "rejected" || p.status === "expired") {
    if (p.kind === "approval") return { kind: "stop", status: "cancelled", output: base };
    // Made ahead and expired before the run got here (not withdrawn, which gives a reason): as if
    // it had expired while the run waited on it.
    if (p.status === "expired" && !p.decision_reason && run.workflow.approval.onExpiry === "fail")
      return { kind: "stop", status: "failed", output: base, error: `approval of step ${p.step_id} expired` };
    return { kind: "skipped", output: base };
  }
  return { kind: "stop", status: "failed", output: base, error: `proposal ${p.id} failed` };
}

/**
 * Carries out an approved proposal (idempotent through its key). The proposal is marked applied,
 * and the write audited, in the step's settle transaction; a crash before that repeats the write
 * with the same key, which Lever's idempotency (and the client's write ledger) turns into no-op.
 */
export async function apply(engine: EngineContext, run: RunRow, p: ProposalRow): Promise<NonNullable<Outcome["applied"]>> {
  const { lever, options, env, db } = engine;
  if (p.kind === "approval") return { proposal: p, key: null, result: { approved: true } };
  const key = `fulcrum:run:${run.id}:${p.step_id}:${p.generation}`;
  try {
    const result = await applyAction(p.action, key, {
      lever: await lever(run.connection_id),
      context: run.context,
      ensure: (kinds) => ensureContext(engine, run, kinds),
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
