/**
 * The run engine: turns events into runs, runs steps as durable jobs, and carries proposals
 * through policy and approval. State lives in our own tables (`workflow_runs`, `workflow_steps`,
 * `proposals`); each state change and the job that follows it commit in one transaction, so a
 * crash never loses a step or runs one twice into Lever (writes carry the step's idempotency key).
 *
 * Its parts, each with its SQL: `start.ts` (events → runs), `execute.ts` (a step job),
 * `propose.ts` (an action's proposal, and applying it), `ahead.ts` (a waiting run's later actions
 * proposed with it), `settle.ts` (a step's outcome, the run's next step), `decide.ts` (decisions,
 * timeouts), `rerun.ts`, `modes.ts` (effective modes), over the context they share
 * (`context.ts`) and the run as steps read it (`run-state.ts`).
 */
import type { Mode } from "../policy/index.ts";
import type { EngineEvent } from "../workflows/index.ts";
import type { StepJob } from "../ports.ts";
import { engineContext, type DecisionInput, type EngineOptions, type StartOptions } from "./context.ts";
import { effectiveWorkflows, workflowModes } from "./modes.ts";
import { handleEvent, startManual } from "./start.ts";
import { executeStep } from "./execute.ts";
import { checkProposal, decideProposal } from "./decide.ts";
import { rerunFrom } from "./rerun.ts";

export type {
  DecisionInput,
  EngineAuditSink,
  EngineOptions,
  ProposalRow,
  StartOptions,
  WorkflowSource,
} from "./context.ts";
export { MAX_STEP_INPUT_BYTES, storedInput } from "./stored-input.ts";

/** The workflow engine. See `createWorkflowEngine`. */
export type WorkflowEngine = ReturnType<typeof createWorkflowEngine>;

/**
 * Creates the engine. Wire `handleEvent` to the inbox's EventProcessor and `executeStep` /
 * `checkProposal` / `fireTimer` to the job queue (see `dispatch.ts`).
 */
export function createWorkflowEngine(options: EngineOptions) {
  const engine = engineContext(options);
  return {
    /**
     * Starts the runs an event matches (at most one per workflow × event) and arms its timers.
     * Safe to call again for the same event. Returns the ids of runs it started.
     */
    handleEvent: (event: EngineEvent, start: StartOptions = {}): Promise<number[]> => handleEvent(engine, event, start),
    /**
     * Runs one step job. Idempotent: a job for a step that already finished, or for an old
     * generation, does nothing. Throws (so the queue retries) only for retryable failures.
     */
    executeStep: (job: StepJob): Promise<void> => executeStep(engine, job),
    /** Approves (optionally with edits) or rejects a pending proposal; records who and why. */
    decideProposal: (id: number, input: DecisionInput) => decideProposal(engine, id, input),
    /** The timeout job of a pending proposal: escalates, then expires it when due (at once when withdrawn). */
    checkProposal: (id: number): Promise<void> => checkProposal(engine, id),
    /** Starts a new generation of the run at `stepId`, keeping the outputs of the steps before it. */
    rerunFrom: (runId: number, stepId: string): Promise<void> => rerunFrom(engine, runId, stepId),
    /** Starts a workflow by hand (console, CLI, API) for an opportunity. */
    startManual: (workflowId: string, input: Parameters<typeof startManual>[2]) => startManual(engine, workflowId, input),
    /** Workflow settings changed through the API (enabled, mode) over the file's values. */
    effectiveWorkflows: () => effectiveWorkflows(engine),
    /** The effective mode of every action of every workflow, with the reason (what the console lists). */
    workflowModes: (ceiling: Mode, ceilingSource?: string) => workflowModes(engine, ceiling, ceilingSource),
  };
}
