/**
 * Runs: events → runs (one per workflow × event), steps as durable jobs, proposals through policy
 * and approval, re-runs, timers. `engineEvents` announces changes for live views.
 */
export {
  createWorkflowEngine,
  type WorkflowEngine,
  type EngineOptions,
  type WorkflowSource,
  type DecisionInput,
  type StartOptions,
  type ProposalRow,
} from "./engine.ts";
export { createQueueDispatcher, createInlineDispatcher, startEngineWorkers, defineEngineQueues, STEP_QUEUE, PROPOSAL_QUEUE, TIMER_QUEUE } from "./dispatch.ts";
export { engineEvents, type EngineEventMap } from "./events.ts";
export { EngineError, StepFailure } from "../errors.ts";
export type {
  LeverGateway,
  AiStepRunner,
  AiStepRequest,
  AiResult,
  TaskHandler,
  TaskInput,
  RunContext,
  ResumeReader,
  StepDispatcher,
  StepJob,
  Notifier,
  AuditSink,
} from "../ports.ts";
export { listRuns, getRun, type RunSummary, type StepView, type ListRunsOptions } from "./queries.ts";
export { startEngineRuntime, aiStepRunner, refuseUnsendableEmail, type EngineRuntime, type EngineRuntimeOptions } from "./runtime.ts";
export { calendarLifecycleTrigger, calendarPushSecret, calendarPushTrigger, requestReschedule } from "./calendar-watch.ts";
