/**
 * Proposals after they are made: a person's decision (approve, with edits, or reject) and the
 * timeout job that escalates and then expires a pending proposal.
 */
import { renderText, type ActionStep } from "../workflows/index.ts";
import { EDITABLE } from "../steps/index.ts";
import { EngineError } from "../errors.ts";
import { engineEvents } from "./events.ts";
import { runRecord, type AuditRecordInput, type DecisionInput, type EngineContext, type ProposalRow } from "./context.ts";
import { loadRun, scopeOf, stepOutputs } from "./run-state.ts";
import { withdrawPending } from "./ahead.ts";

/** Approves (optionally with edits) or rejects a pending proposal; records who and why. */
export async function decideProposal(engine: EngineContext, id: number, input: DecisionInput): Promise<ProposalRow> {
  if (input.decision === "reject" && !input.reason?.trim()) throw new EngineError("invalid", "a rejection needs a reason");
  const withdrawnIds: number[] = [];
  const decided = await decideInTransaction(engine, id, input, withdrawnIds).catch(async (error: unknown) => {
    // A withdrawn proposal expires now rather than when its check job comes.
    if ((error as { withdrawn?: boolean }).withdrawn) await checkProposal(engine, id);
    throw error;
  });
  engineEvents.emit("proposal.decided", {
    proposalId: id,
    runId: Number(decided.run_id),
    workflowId: decided.workflow_id,
    status: decided.status,
    actor: input.actor,
  });
  for (const w of withdrawnIds)
    engineEvents.emit("proposal.decided", {
      proposalId: w,
      runId: Number(decided.run_id),
      workflowId: decided.workflow_id,
      status: "expired",
      actor: "system",
    });
  return decided;
}

async function decideInTransaction(engine: EngineContext, id: number, input: DecisionInput, withdrawnIds: number[]): Promise<ProposalRow> {
  const { db, dispatcher, auditMany } = engine;
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
    // The step continues as a job: it applies the approved action or skips the rejected one. A
    // proposal made ahead of the run (see proposeAhead) has no waiting step yet: the run reads the
    // decision when it gets there, after the steps before it.
    const { rows: resumed } = await tx.query(
      `with step as (update workflow_steps set status = 'pending' where run_id = $1 and step_id = $2 and generation = $3 and status = 'waiting' returning id)
       select id from step`,
      [p.run_id, p.step_id, p.generation],
    );
    if (resumed.length > 0) {
      await tx.query("update workflow_runs set status = 'running', updated_at = now() where id = $1 and status = 'waiting'", [p.run_id]);
      await dispatcher.enqueueStep({ runId: Number(p.run_id), stepId: p.step_id, generation: p.generation }, {}, tx);
    }
    const records: AuditRecordInput[] = [
      {
        kind: "proposal.decided",
        traceId: p.trace_id,
        actor: input.actor,
        subject: { connectionId: p.connection_id, opportunityId: p.opportunity_id ?? undefined, runId: String(p.run_id), proposalId: String(id) },
        data: { decision: input.decision, reason: input.reason ?? null, edits: input.edits ?? null },
      },
    ];
    if (input.decision === "reject" && p.kind !== "approval") {
      // The run's later actions were proposed with this one, on the same grounds: a person who
      // turns this down has not agreed to them either.
      const run = await loadRun(tx, Number(p.run_id));
      if (run) {
        const w = await withdrawPending(
          tx,
          { ...run, generation: p.generation },
          `withdrawn: the earlier action of this run (step ${p.step_id}) was rejected: ${input.reason!.trim()}`,
          p.step_id,
        );
        records.push(...w.records);
        withdrawnIds.push(...w.withdrawn.map((x) => Number(x.id)));
      }
    }
    // Last: the audit chain's head stays locked until this transaction commits.
    await auditMany(records, tx);
    return updated[0]!;
  });
}

/** A pending proposal withdrawn by its subject's owner (see `withdrawPending` of the reminder store). */
const withdrawn = (p: ProposalRow) => p.status === "pending" && typeof p.decision_reason === "string" && p.decision_reason !== "";

/** The timeout job of a pending proposal: escalates, then expires it when due (at once when withdrawn). */
export async function checkProposal(engine: EngineContext, id: number): Promise<void> {
  const { db, now, dispatcher, options, env, auditMany } = engine;
  const { rows } = await db.query<ProposalRow>("select * from proposals where id = $1", [id]);
  const p = rows[0];
  if (!p || p.status !== "pending") return;
  const run = await loadRun(db, Number(p.run_id));
  if (!run) return;
  const t = now();
  const pulled = withdrawn(p);
  if (pulled || (p.expires_at && t >= new Date(p.expires_at).getTime())) {
    const failRun = run.workflow.approval.onExpiry === "fail";
    const withdrawnIds: number[] = [];
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
      // Made ahead of the run (see proposeAhead), its step not reached: the run reads the expiry
      // when it gets there (and fails then if the workflow says so); nothing else changes now.
      const { rows: steps } = await tx.query<{ status: string }>("select status from workflow_steps where run_id = $1 and step_id = $2 and generation = $3", [
        p.run_id,
        p.step_id,
        p.generation,
      ]);
      const ahead = !pulled && steps[0]?.status !== "waiting";
      const ends = !ahead && (pulled || failRun);
      if (ahead) {
        // The expiry is all there is to record.
      } else if (pulled) {
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
      if (ends) {
        // The run ends here: what was proposed ahead for its later actions is withdrawn.
        const w = await withdrawPending(tx, { ...run, generation: p.generation }, `withdrawn: the run ended at step ${p.step_id} (${reason})`, p.step_id);
        records.push(...w.records);
        withdrawnIds.push(...w.withdrawn.map((x) => Number(x.id)));
      }
      await auditMany(records, tx);
    });
    for (const w of [id, ...withdrawnIds])
      engineEvents.emit("proposal.decided", { proposalId: w, runId: Number(p.run_id), workflowId: p.workflow_id, status: "expired", actor: "system" });
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
