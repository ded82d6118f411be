/**
 * One step job: claims the step, runs it (fetch, AI, task, branch, wait; action and approval steps
 * through `propose`), and settles its outcome, or records the failed attempt.
 */
import type { Queryable } from "../../store/index.ts";
import { evaluate, isActionStep, parseDuration, render, type ActionStep, type Step } from "../workflows/index.ts";
import { StepFailure } from "../errors.ts";
import type { StepJob } from "../ports.ts";
import { engineEvents } from "./events.ts";
import { changedContext, runRecord, type EngineContext, type Outcome, type ProposalRow, type RunRow, type StepRow, type StepState } from "./context.ts";
import { ensureContext, scopeOf } from "./run-state.ts";
import { storedInput } from "./stored-input.ts";
import { handleEvent } from "./start.ts";
import { propose } from "./propose.ts";
import { proposeAhead, withdrawPending } from "./ahead.ts";
import { changeAndAudit, settle } from "./settle.ts";

/** Step types that make a proposal (every other type is an action step). */
const NON_PROPOSING = ["fetch", "ai", "task", "branch", "wait"];

function aiInput(value: unknown, stepId: string): Record<string, unknown> {
  if (value && typeof value === "object" && !Array.isArray(value)) return value as Record<string, unknown>;
  throw new StepFailure(`step ${stepId}: input must give an object (got ${value === undefined ? "nothing" : typeof value})`);
}

/** A wait step's input: the time it waits until. */
const waitInput = (until: number) => ({ until, at: new Date(until).toISOString() });

/**
 * Runs one step job. Idempotent: a job for a step that already finished, or for an old
 * generation, does nothing. Throws (so the queue retries) only for retryable failures.
 */
export async function executeStep(engine: EngineContext, job: StepJob): Promise<void> {
  const { db, now } = engine;
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
    } else outcome = await runStep(engine, run, row, step, scope, state);
    // Waiting for a person on an action: the run's later actions that can be known now wait with it.
    if (outcome.kind === "waiting" && isActionStep(step)) outcome.ahead = await proposeAhead(engine, run, step, steps);
  } catch (error) {
    await failStep(engine, job, run, row, step, state, error as Error & { retryable?: boolean; retryAt?: unknown });
    return;
  }
  await settle(engine, run, row, step, outcome, state.input, steps);
}

/**
 * Records a failed attempt: parks the step when the provider asked to wait, fails it (and the run)
 * after its last attempt, and otherwise rethrows so the queue retries. Context the step loaded
 * is kept, so a retry does not fetch it again.
 */
async function failStep(
  engine: EngineContext,
  job: StepJob,
  run: RunRow,
  row: StepRow,
  step: Step,
  state: StepState,
  err: Error & { retryable?: boolean; retryAt?: unknown },
): Promise<void> {
  const { db, dispatcher, maxAttempts, logger, options } = engine;
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
      engine,
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
  // What was proposed ahead for the run's later actions is withdrawn: the run will not get there.
  // (Its own statement: a crash before it leaves them pending on a failed run, decided to no effect.)
  const withdrawn = await db.transaction(async (tx) => {
    const w = await withdrawPending(tx, run, `withdrawn: the run failed at step ${step.id}`, step.id);
    await engine.auditMany(w.records, tx);
    return w.withdrawn;
  });
  for (const p of withdrawn)
    engineEvents.emit("proposal.decided", { proposalId: Number(p.id), runId: run.id, workflowId: run.workflow_id, status: "expired", actor: "system" });
  engineEvents.emit("run.updated", { runId: run.id, workflowId: run.workflow_id, status: "failed" });
}

async function runStep(engine: EngineContext, run: RunRow, row: StepRow, step: Step, scope: Record<string, unknown>, seen: StepState): Promise<Outcome> {
  const { options, lever, now, db, maxAttempts } = engine;
  switch (step.type) {
    case "fetch": {
      seen.input = { kinds: step.include };
      const ctx = await ensureContext(engine, run, step.include);
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
        fetch: (kinds) => ensureContext(engine, run, kinds),
        ai: options.ai,
        lever: await lever(run.connection_id),
        traceId: run.trace_id,
        event: run.event.data,
        connectionId: run.connection_id,
        dryRun: run.dry_run,
        db,
        startWorkflow: async (workflowId, child) => {
          const ids = await handleEvent(
            engine,
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
      return propose(engine, run, row, step as ActionStep | Extract<Step, { type: "approval" }>, scope, seen);
  }
}
