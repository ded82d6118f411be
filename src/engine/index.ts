/**
 * The engine's front door: what the server and the CLI may use. Runs, proposals and dry runs are
 * services over one runtime (`createEngineRuntime`); what they show comes from read models
 * (typed rows), never from the engine's tables directly. The engine's parts (inbox, queue,
 * connections, workflows, policy, sources) are offered here too; their files stay private.
 *
 * @example
 * const runtime = await createEngineRuntime({ kind: "serve", config, db, logger, queue, inbox, client, connectionIds });
 * const runs = await listRuns(db, { status: "waiting" });
 */

// Runtimes and services.
export { createEngineRuntime, type DryRunRuntime, type DryRunRuntimeOptions, type DecideOnlyRuntimeOptions, type ServeRuntimeOptions } from "./runtime.ts";
export { engineServices, type RunService, type ProposalService } from "./services.ts";
export {
  aiStepRunner,
  createInlineDispatcher,
  createQueueDispatcher,
  createWorkflowEngine,
  calendarLifecycleTrigger,
  calendarPushSecret,
  calendarPushTrigger,
  defineEngineQueues,
  engineEvents,
  requestReschedule,
  type EngineEventMap,
  type EngineRuntime,
  type WorkflowEngine,
  type WorkflowSource,
} from "./runs/index.ts";
export { EngineError, StepFailure, type EngineErrorKind } from "./errors.ts";
export type { AiStepRunner, AuditSink, LeverGateway, StepDispatcher } from "./ports.ts";

// Read models.
export { listRuns, getRun, type RunSummary, type StepView, type ListRunsOptions } from "./runs/index.ts";
export { runOutcome, type RunOutcome } from "./read-models/run-outcome.ts";
export { listProposals, getProposal, type ProposalView, type DecisionView, type ListProposalsOptions } from "./proposals/index.ts";
export {
  proposalLabelRows,
  runLabelRows,
  proposalContextRow,
  proposalPostingId,
  type CandidateLabelRow,
  type ProposalLabelFilter,
  type ProposalContextRow,
} from "./read-models/candidate-labels.ts";
export { screeningRunRows, interviewTriageRows, type ScreeningRunRow, type InterviewTriageRow } from "./read-models/screening-outcomes.ts";
export { proposalsOfRun, latestPromptUsed, recentRealRuns, type ProposalBrief, type ReplayableRun } from "./read-models/replay-history.ts";
export { startCounts, webhookHours, type StartCounts, type WebhookHour } from "./read-models/start-overview.ts";
export {
  schedulingPanelRows,
  schedulingProposeOutput,
  bookingProposalPanel,
  type SchedulingPanelRow,
} from "./read-models/scheduling-proposals.ts";
export { interviewProposalRow, type InterviewProposalRow } from "./read-models/interview-runs.ts";
export { remindStepRows, armedReminderTimers, bookedPanelIds } from "./read-models/panel-reminders.ts";
export { applicationsNamed, workflowTraceIds, type NamedApplication } from "./read-models/audit-subjects.ts";
export { webhookHealth, type WebhookEventHealth } from "./read-models/webhook-health.ts";
export {
  proposalCardRunIds,
  proposalCardRows,
  proposalCardBecause,
  proposalCardBases,
  proposalCardTotals,
  proposalCardFacets,
  CARD_AGES,
  CARD_CONFIDENCES,
  type ProposalCardFilter,
  type ProposalCardRow,
  type ProposalCardBecauseRow,
  type ProposalCardBasisRow,
  type ProposalCardTotals,
  type ProposalCardFacets,
} from "./read-models/proposal-cards.ts";

// The engine's parts.
export {
  createSecretBox,
  doctorFailed,
  formatDoctorTable,
  loadSecretKey,
  OAuthConnectError,
  openConnections,
  type Connection,
  type ConnectionInput,
  type ConnectionRegistry,
  type DoctorRow,
  type LeverEnvironment,
  type OpenedConnections,
} from "./connections/index.ts";
export { createJobQueue, DEAD_LETTER_SUFFIX, type JobQueue } from "./queue/index.ts";
export {
  createInbox,
  findUnstorableValue,
  SignatureTokenReusedError,
  UnstorableEventError,
  type Inbox,
  type InboxEvent,
  type InboxStatus,
} from "./inbox/index.ts";
export { countWebhookRefusal, type WebhookRefusal } from "./inbox/index.ts";
export { createLeverSource, type ConnectionDirectory, type EventSource, type RefusalKind } from "./sources/index.ts";
export {
  approveWorkflowChange,
  describeWorkflowPatch,
  formatProblem,
  getWorkflowChange,
  listWorkflowChanges,
  loadWorkflows,
  parseWorkflow,
  rejectWorkflowChange,
  requestWorkflowChange,
  workflowJsonSchema,
  WorkflowChangeError,
  type EngineEvent,
  type WorkflowChange,
  type WorkflowSet,
} from "./workflows/index.ts";
export {
  actionModes,
  capMode,
  ceilingSource,
  createModeCeiling,
  isMode,
  type ActionMode,
  type Mode,
  type ModeCeiling,
  type ModeCeilingState,
} from "./policy/index.ts";
export { builtInTasks, getBackfill, leverGateway, readResumeWithScreening, requestBackfill } from "./steps/index.ts";
