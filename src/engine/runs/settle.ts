/**
 * Settling a step: where the run goes next, and the step's outcome, the proposal it made, the
 * rows of steps passed over, the next step and the run's own row recorded with their audit records.
 */
import type { Queryable } from "../../store/index.ts";
import { evaluate, type Step } from "../workflows/index.ts";
import { engineEvents } from "./events.ts";
import { changedContext, runRecord, type AuditRecordInput, type EngineContext, type Outcome, type ProposalRow, type RunRow, type StepRow } from "./context.ts";
import { scopeOf } from "./run-state.ts";
import { storedInput } from "./stored-input.ts";
import { PROPOSAL_INSERT } from "./propose.ts";
import { withdrawPending } from "./ahead.ts";

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
export async function changeAndAudit(
  engine: EngineContext,
  q: Queryable,
  ctes: string[],
  final: string,
  params: unknown[],
  records: AuditRecordInput[],
  o: { lazyCommit?: boolean } = {},
): Promise<void> {
  const { options, auditMany } = engine;
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
export async function settle(
  engine: EngineContext,
  run: RunRow,
  row: StepRow,
  step: Step,
  outcome: Outcome,
  input: unknown,
  steps: Record<string, { status: string; output: Record<string, unknown> | null }>,
): Promise<void> {
  const { options, db, dispatcher } = engine;
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
  const ahead: number[] = [];
  const withdrawn: number[] = [];

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
    } else if (outcome.kind === "waiting" && typeof outcome.output.proposalId === "number") {
      // Waiting on a proposal made ahead, read with the claim: a person may have decided it since.
      // Locked until this commits, so a decision either comes first and is seen here, or comes
      // after and finds the step waiting (and sends it on).
      const { rows } = await q.query<{ status: string }>("select status from proposals where id = $1 for update", [outcome.output.proposalId]);
      if (rows[0]?.status !== "pending") throw new Error(`the proposal of step ${step.id} was decided while the step read it; the step runs again`);
    }
    for (const a of outcome.ahead ?? []) {
      // Made ahead of the run (see proposeAhead): one per run, step and generation, so a job that
      // runs again, or a later step that proposes ahead again, adds nothing.
      const { rows } = await q.query<ProposalRow>(PROPOSAL_INSERT, a.params);
      const p = rows[0];
      if (!p) continue;
      ahead.push(Number(p.id));
      records.push(a.record(Number(p.id)));
      if (a.checkAt) await dispatcher.enqueueProposalCheck(Number(p.id), a.checkAt, q);
    }
    if (finished && runStatus !== "succeeded") {
      // The run ends short of its later actions: what was proposed ahead for them is withdrawn.
      const w = await withdrawPending(q, run, `withdrawn: the run ${runStatus === "failed" ? "failed" : "was cancelled"} at step ${step.id}`, step.id);
      records.push(...w.records);
      withdrawn.push(...w.withdrawn.map((p) => Number(p.id)));
    }
    // The jobs first, so the audit chain's head (locked by the append below) is held the least.
    if (next) await dispatcher.enqueueStep({ runId: run.id, stepId: next.id, generation: run.generation }, {}, q);
    if (outcome.kind === "wait") await dispatcher.enqueueStep({ runId: run.id, stepId: step.id, generation: run.generation }, { startAfter: outcome.until }, q);

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
    await changeAndAudit(engine, q, ctes, `update workflow_runs set ${sets.join(", ")} where id = ${$(run.id)} returning id as changed`, params, records, {
      lazyCommit: true,
    });
  };
  // One statement needs no transaction of its own: no proposal to store first, no job to send
  // with it, and an audit sink that folds its records into it.
  const sink = options.audit;
  const alone =
    !outcome.create &&
    !next &&
    outcome.kind !== "wait" &&
    outcome.kind !== "waiting" &&
    !(finished && runStatus !== "succeeded") &&
    (!sink || sink.appendCall !== undefined || (!finished && !outcome.applied));
  if (alone) await work(db);
  else await db.transaction(work);
  if (created) engineEvents.emit("proposal.created", { proposalId: created.id, runId: run.id, workflowId: run.workflow_id, status: created.status });
  for (const id of ahead) engineEvents.emit("proposal.created", { proposalId: id, runId: run.id, workflowId: run.workflow_id, status: "pending" });
  for (const id of withdrawn)
    engineEvents.emit("proposal.decided", { proposalId: id, runId: run.id, workflowId: run.workflow_id, status: "expired", actor: "system" });
  engineEvents.emit("run.updated", { runId: run.id, workflowId: run.workflow_id, status: runStatus });
}
