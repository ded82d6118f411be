/**
 * Workflow definitions: the file format (zod + published JSON Schema), loading with file/line
 * errors and reload on change, and matching events to workflows.
 */
export {
  workflowSchema,
  stepSchema,
  triggerSchema,
  conditionsSchema,
  expressionSchema,
  workflowJsonSchema,
  actionTypes,
  isActionStep,
  fetchKinds,
  type Workflow,
  type WorkflowInput,
  type Step,
  type StepType,
  type Trigger,
  type Conditions,
  type Expression,
  type ActionType,
  type ActionStep,
  type FetchKind,
} from "./schema.ts";
export {
  parseWorkflow,
  loadWorkflows,
  loadWorkflowDir,
  formatProblem,
  WorkflowSet,
  WorkflowFileError,
  BUILTIN_WORKFLOWS_DIR,
  type LoadedWorkflow,
  type WorkflowProblem,
} from "./load.ts";
export { matchWorkflows, armTimers, conditionsHold, contextNeeds, conditionNeeds, type Match, type TimerArm, type ContextNeed } from "./match.ts";
export { render, renderText, evaluate, valueAt } from "./template.ts";
export { parseDuration, isDuration } from "./duration.ts";
export { opportunityIdOf, type EngineEvent, type MatchContext, type OpportunityLike, type PostingLike, type ApplicationLike } from "./event.ts";
export {
  requestWorkflowChange,
  approveWorkflowChange,
  rejectWorkflowChange,
  listWorkflowChanges,
  getWorkflowChange,
  splitWorkflowPatch,
  describeWorkflowPatch,
  WorkflowChangeError,
  type WorkflowChange,
  type WorkflowChangeStatus,
  type WorkflowPatch,
  type WorkflowSwitches,
  type RequestedChange,
} from "./workflow-changes.ts";
