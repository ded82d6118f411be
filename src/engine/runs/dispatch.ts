/**
 * Step dispatch: the durable job queue in production (`createQueueDispatcher` + `startEngineWorkers`),
 * and an in-process dispatcher that runs jobs in order when drained (dry runs, the CLI's
 * `workflows test`, benchmarks of the engine itself).
 */
import type { Database, Queryable } from "../../store/index.ts";
import type { JobQueue } from "../queue/index.ts";
import type { EngineEvent } from "../workflows/index.ts";
import type { StepDispatcher, StepJob } from "../ports.ts";

export const STEP_QUEUE = "workflow.step";
export const PROPOSAL_QUEUE = "workflow.proposal-check";
export const TIMER_QUEUE = "workflow.timer";

interface TimerJob {
  workflowId: string;
  key: string;
  fireAt: number;
  event: EngineEvent;
}

async function recordTimer(q: Queryable, t: { workflowId: string; key: string; fireAt: number }): Promise<void> {
  await q.query(
    `insert into workflow_timers (key, workflow_id, fire_at) values ($1, $2, $3)
     on conflict (key) do update set fire_at = excluded.fire_at, updated_at = now()`,
    [t.key, t.workflowId, new Date(t.fireAt)],
  );
}

/**
 * Fires a timer job when it is still the latest arming of its key: runs `fire`, then consumes the
 * arming. A failure or crash before it is consumed leaves it for the job's retry, which fires again
 * (the event's key, one per arming, makes a second start of the same run a no-op). Returns whether
 * it fired.
 */
export async function fireTimer(db: Queryable, t: { key: string; fireAt: number }, fire: () => Promise<unknown>): Promise<boolean> {
  const at = new Date(t.fireAt);
  const { rows } = await db.query("select 1 from workflow_timers where key = $1 and fire_at = $2", [t.key, at]);
  if (rows.length === 0) return false;
  await fire();
  await db.query("delete from workflow_timers where key = $1 and fire_at = $2", [t.key, at]);
  return true;
}

/** Dispatch through the durable job queue; jobs commit with the caller's transaction. */
export function createQueueDispatcher(queue: JobQueue, db: Database): StepDispatcher {
  return {
    async enqueueStep(job, { startAfter }, tx) {
      const opts = { singletonKey: `${job.runId}:${job.stepId}:${job.generation}:${startAfter ? startAfter.getTime() : 0}`, retryLimit: 4, retryDelay: 2 };
      if (startAfter) await queue.sendAfter(STEP_QUEUE, job, opts, startAfter, tx);
      else await queue.send(STEP_QUEUE, job, opts, tx);
    },
    async enqueueProposalCheck(proposalId, at, tx) {
      await queue.sendAfter(PROPOSAL_QUEUE, { proposalId }, { retryLimit: 5 }, at, tx);
    },
    async enqueueTimer(timer, tx) {
      await recordTimer(tx ?? db, timer);
      await queue.sendAfter(TIMER_QUEUE, timer, { retryLimit: 5 }, new Date(Math.max(timer.fireAt, Date.now())), tx);
    },
  };
}

export interface EngineJobs {
  executeStep(job: StepJob): Promise<void>;
  checkProposal(id: number): Promise<void>;
  handleEvent(event: EngineEvent): Promise<number[]>;
}

/**
 * Creates (or confirms) the engine's queues. Call before enqueueing inside a transaction: on the
 * embedded database a queue unknown to this process would be looked up outside the transaction,
 * which waits for the transaction's own connection.
 */
export async function defineEngineQueues(queue: JobQueue): Promise<void> {
  await queue.define(STEP_QUEUE, { retryLimit: 4, retryDelay: 2, policy: "short" });
  await queue.define(PROPOSAL_QUEUE, { retryLimit: 5 });
  await queue.define(TIMER_QUEUE, { retryLimit: 5 });
}

/** Creates the engine's queues and starts working them in this process. */
export async function startEngineWorkers(queue: JobQueue, db: Database, engine: EngineJobs, options: { concurrency?: number } = {}): Promise<void> {
  await defineEngineQueues(queue);
  await queue.work<StepJob>(STEP_QUEUE, { concurrency: options.concurrency ?? 8 }, (job) => engine.executeStep(job.data));
  await queue.work<{ proposalId: number }>(PROPOSAL_QUEUE, { concurrency: 2 }, (job) => engine.checkProposal(job.data.proposalId));
  await queue.work<TimerJob>(TIMER_QUEUE, { concurrency: 2 }, async (job) => {
    await fireTimer(db, job.data, () => engine.handleEvent(job.data.event));
  });
}

/**
 * Runs jobs in this process, in order, when `drain` is called. Delayed jobs wait until the clock
 * passes their time (tests move the clock). Not durable: for dry runs, the CLI and benchmarks.
 */
export function createInlineDispatcher(db: Database, now: () => number = Date.now) {
  const steps: { job: StepJob; at: number }[] = [];
  const checks: { id: number; at: number }[] = [];
  const timers: { timer: TimerJob; at: number }[] = [];
  const dispatcher: StepDispatcher = {
    async enqueueStep(job, { startAfter }) {
      steps.push({ job, at: startAfter?.getTime() ?? 0 });
    },
    async enqueueProposalCheck(id, at) {
      checks.push({ id, at: at.getTime() });
    },
    async enqueueTimer(timer, tx) {
      await recordTimer(tx ?? db, timer);
      timers.push({ timer: timer as TimerJob, at: timer.fireAt });
    },
  };
  /** Runs every due job (and the jobs they enqueue) until none is due. */
  async function drain(engine: EngineJobs): Promise<void> {
    for (;;) {
      const t = now();
      const i = steps.findIndex((s) => s.at <= t);
      if (i >= 0) {
        const [s] = steps.splice(i, 1);
        try {
          await engine.executeStep(s!.job);
        } catch {
          // A retryable failure: the step records its attempts and gives up after the last one.
          steps.push({ job: s!.job, at: 0 });
        }
        continue;
      }
      const c = checks.findIndex((x) => x.at <= t);
      if (c >= 0) {
        const [x] = checks.splice(c, 1);
        await engine.checkProposal(x!.id);
        continue;
      }
      const m = timers.findIndex((x) => x.at <= t);
      if (m >= 0) {
        const [x] = timers.splice(m, 1);
        await fireTimer(db, x!.timer, () => engine.handleEvent(x!.timer.event));
        continue;
      }
      return;
    }
  }
  return { dispatcher, drain, pending: () => ({ steps: steps.length, checks: checks.length, timers: timers.length }) };
}
