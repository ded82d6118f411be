/**
 * Events → runs: the runs an event matches (at most one per workflow × event), the timers it arms,
 * and a workflow started by hand.
 */
import { armTimers, contextNeeds, matchWorkflows, opportunityIdOf, parseDuration, type EngineEvent, type Workflow } from "../workflows/index.ts";
import { fetchContext, postingIdOf } from "../steps/index.ts";
import { EngineError } from "../errors.ts";
import type { RunContext } from "../ports.ts";
import { isInterviewEvent, resolveInterviewEvent } from "./interview-events.ts";
import { engineEvents } from "./events.ts";
import { asArray, persistedContext, type EngineContext, type StartOptions } from "./context.ts";
import { effectiveWorkflows } from "./modes.ts";

/**
 * Starts the runs an event matches (at most one per workflow × event) and arms its timers.
 * Safe to call again for the same event. Returns the ids of runs it started.
 */
export async function handleEvent(engine: EngineContext, event: EngineEvent, start: StartOptions = {}): Promise<number[]> {
  const { dispatcher, lever, logger, now, options } = engine;
  const workflows = await effectiveWorkflows(engine);
  const targeted = event.workflowId ? workflows.filter((w) => w.id === event.workflowId) : workflows;
  const hasTimers = targeted.some((w) => w.enabled && w.triggers.some((t) => "timer" in t && asArray(t.timer.on).includes(event.name)));
  // Lever has not confirmed interview events' fields: the interview (and its opportunity) is
  // found through the API when an id is missing, and what cannot be found is logged and counted.
  const interviewed =
    hasTimers && event.source === "lever" && isInterviewEvent(event.name)
      ? await resolveInterviewEvent(event, await lever(event.connectionId), { logger, now })
      : null;
  if (interviewed?.opportunityId && !opportunityIdOf(event)) event = { ...event, data: { ...event.data, opportunityId: interviewed.opportunityId } };
  const needs = contextNeeds(targeted, event);
  const ctx: RunContext = {};
  const oppId = opportunityIdOf(event);
  if ((needs.size > 0 || (hasTimers && (oppId || !interviewed))) && event.source !== "schedule") {
    const kinds = [...needs].map((n) => (n === "opportunity" ? "opportunity" : n));
    if (hasTimers) kinds.push("opportunity");
    await fetchContext(ctx, kinds, oppId, await lever(event.connectionId), options.readResume);
  }
  if (interviewed?.subjects.length === 1) ctx.interview = interviewed.subjects[0]!.interview;
  // One round of timers per interview the event is about (each timer is keyed by its interview).
  for (const subject of interviewed ? interviewed.subjects : [null]) {
    const timed = subject ? { ...event, data: { ...event.data, interviewId: subject.interview.id, opportunityId: subject.opportunityId } } : event;
    for (const arm of armTimers(targeted, timed, subject ? { ...ctx, interview: subject.interview } : ctx)) {
      await dispatcher.enqueueTimer({
        workflowId: arm.workflow.id,
        key: arm.key,
        fireAt: arm.fireAt,
        event: { ...timed, key: `${arm.key}@${arm.fireAt}`, source: "timer", name: "timer", workflowId: arm.workflow.id, inboxId: undefined },
      });
    }
  }
  const started: number[] = [];
  for (const match of matchWorkflows(targeted, event, ctx)) {
    const id = await startRun(engine, match.workflow, event, ctx, start);
    if (id !== null) started.push(id);
  }
  return started;
}

async function startRun(engine: EngineContext, workflow: Workflow, event: EngineEvent, ctx: RunContext, start: StartOptions): Promise<number | null> {
  const { options, now, db, dispatcher, audit, logger } = engine;
  const loaded = options.workflows.get(workflow.id);
  const first = workflow.steps[0]!;
  const runKey = `${workflow.id}:${event.connectionId}:${event.key}${start.dryRun ? `:dry:${now()}` : ""}`;
  const deadline = new Date(now() + parseDuration(workflow.deadline));
  const runId = await db.transaction(async (tx) => {
    // The run and its first step in one statement; nothing at all when the run exists already.
    const { rows } = await tx.query<{ id: number }>(
      `with run as (
         insert into workflow_runs (run_key, workflow_id, workflow_hash, workflow, connection_id, inbox_event_id, event, trace_id,
           opportunity_id, posting_id, status, dry_run, context, current_step, deadline_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'running', $11, $12, $13, $14)
         on conflict (run_key) do nothing returning id
       ),
       step as (insert into workflow_steps (run_id, step_id, position, type, generation) select id, $13, 0, $15, 1 from run)
       select id from run`,
      [
        runKey,
        workflow.id,
        loaded?.hash ?? "inline",
        JSON.stringify(workflow),
        event.connectionId,
        event.inboxId ?? null,
        JSON.stringify(event),
        event.traceId,
        opportunityIdOf(event) ?? null,
        postingIdOf(ctx.opportunity) ?? null,
        start.dryRun === true,
        persistedContext(ctx),
        first.id,
        deadline,
        first.type,
      ],
    );
    const id = rows[0]?.id;
    if (id === undefined) return null;
    await dispatcher.enqueueStep({ runId: Number(id), stepId: first.id, generation: 1 }, {}, tx);
    // Last: the audit chain's head stays locked until this transaction commits.
    await audit(
      {
        kind: "run.started",
        traceId: event.traceId,
        actor: `workflow:${workflow.id}`,
        subject: { connectionId: event.connectionId, opportunityId: opportunityIdOf(event), runId: String(id) },
        data: { event: event.name, source: event.source, dryRun: start.dryRun === true },
      },
      tx,
    );
    return Number(id);
  });
  if (runId !== null) {
    logger.info({ runId, workflow: workflow.id, traceId: event.traceId }, "run started");
    engineEvents.emit("run.updated", { runId, workflowId: workflow.id, status: "running" });
  }
  return runId;
}

/** Starts a workflow by hand (console, CLI, API) for an opportunity. */
export async function startManual(
  engine: EngineContext,
  workflowId: string,
  input: { connectionId: string; opportunityId?: string; actor: string; traceId: string; data?: Record<string, unknown> },
): Promise<number | null> {
  const { options, now } = engine;
  const wf = options.workflows.get(workflowId);
  if (!wf) throw new EngineError("not_found", `no workflow "${workflowId}"`);
  if (!wf.workflow.triggers.some((t) => "manual" in t)) throw new EngineError("invalid", `workflow "${workflowId}" has no manual trigger`);
  const ids = await handleEvent(engine, {
    key: `manual:${input.actor}:${now()}`,
    connectionId: input.connectionId,
    source: "manual",
    name: "manual",
    triggeredAt: now(),
    data: { ...input.data, ...(input.opportunityId ? { opportunityId: input.opportunityId } : {}), startedBy: input.actor },
    traceId: input.traceId,
    workflowId,
  });
  return ids[0] ?? null;
}
