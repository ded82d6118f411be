/** Re-runs: a new generation of a run from one of its steps. */
import { EngineError } from "../errors.ts";
import type { EngineContext } from "./context.ts";
import { loadRun } from "./run-state.ts";
import { withdrawPending } from "./ahead.ts";
import { engineEvents } from "./events.ts";

/** Starts a new generation of the run at `stepId`, keeping the outputs of the steps before it. */
export async function rerunFrom(engine: EngineContext, runId: number, stepId: string): Promise<void> {
  const { db, dispatcher, auditMany } = engine;
  const withdrawn: number[] = [];
  let workflowId = "";
  await db.transaction(async (tx) => {
    const run = await loadRun(tx, runId);
    if (!run) throw new EngineError("not_found", `no run ${runId}`);
    workflowId = run.workflow_id;
    // Its event's personal data was deleted (a candidate forgotten, a retention period ended): nothing to run on.
    if ((run.event.data as Record<string, unknown> | undefined)?.forgotten === true)
      throw new EngineError("conflict", `run ${runId} cannot be re-run: what its event carried was forgotten (deleted on request or at the end of retention)`);
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
    // Proposals of the earlier generation still waiting would be decided to no effect: the new one proposes again.
    const w = await withdrawPending(tx, run, `withdrawn: the run was re-run from step ${stepId}`);
    withdrawn.push(...w.withdrawn.map((p) => Number(p.id)));
    await auditMany(
      [
        { kind: "run.rerun", traceId: run.trace_id, actor: "system", subject: { runId: String(runId) }, data: { fromStep: stepId, generation: gen } },
        ...w.records,
      ],
      tx,
    );
  });
  for (const id of withdrawn) engineEvents.emit("proposal.decided", { proposalId: id, runId, workflowId, status: "expired", actor: "system" });
}
