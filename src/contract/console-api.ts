/**
 * The console's contract with the server: every response the console reads, as one zod schema,
 * written once. The server's handlers are typed from these schemas and a test parses each route's
 * real answer with its schema; the console (web/) takes the inferred types, so a renamed field fails
 * the type check on both sides instead of showing "—" in a page.
 *
 * This module imports nothing of ours (only zod): the console bundles types from it, and the server
 * may use it from any floor without pulling the engine into the browser.
 */
import { z } from "zod";

/** An ISO 8601 time, as `Date.prototype.toISOString` writes it. */
const isoTime = z.string();

// ---------------------------------------------------------------------------------------------
// Errors: one shape for every refusal, from `/api` and `/console/api` alike.

/**
 * Every error answer: a stable machine-readable `code` (`not_found`, `bad_body`, `forbidden`…) and a
 * sentence for a person. Some errors add fields beside them (the audit search's `field`, a refused
 * sign-in's `retryAfterSeconds`).
 */
export const apiErrorSchema = z.object({
  error: z.looseObject({ code: z.string().min(1), message: z.string() }),
});
export type ApiErrorBody = z.infer<typeof apiErrorSchema>;

// ---------------------------------------------------------------------------------------------
// People and sessions.

export const roleSchema = z.enum(["admin", "recruiter", "hiring_manager", "auditor"]);
export type Role = z.infer<typeof roleSchema>;

/** A console account as the console shows it (never its password hash). */
export const consoleUserSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string().nullable(),
  role: roleSchema,
  postingIds: z.array(z.string()),
  disabled: z.boolean(),
  lockedUntil: isoTime.nullable(),
  lastLoginAt: isoTime.nullable(),
});
export type ConsoleUser = z.infer<typeof consoleUserSchema>;

/** `GET /console/api/status`: what the page needs before it draws anything. */
export const statusSchema = z.object({
  signedIn: z.boolean(),
  user: consoleUserSchema.nullable(),
  csrfToken: z.string().optional(),
  /** Single sign-on, or null when none is configured. */
  sso: z.object({ name: z.string(), start: z.string() }).nullable(),
  /** True on the built-in Lever sandbox: there is no real Lever page to link to. */
  sandbox: z.boolean(),
});
export type Status = z.infer<typeof statusSchema>;

/** `POST /console/api/login` and `GET /console/api/session`. */
export const sessionSchema = z.object({ user: consoleUserSchema, csrfToken: z.string() });
export type Session = z.infer<typeof sessionSchema>;

/** `GET /console/api/users`. */
export const userListSchema = z.object({ users: z.array(consoleUserSchema) });
export type UserList = z.infer<typeof userListSchema>;
/** `POST /console/api/users`, `PATCH /console/api/users/:id`. */
export const userReplySchema = z.object({ user: consoleUserSchema });
export type UserReply = z.infer<typeof userReplySchema>;

/** `GET /console/api/people`: display names of recorded actors (`user:<id>`). */
export const peopleSchema = z.object({ people: z.record(z.string(), z.string()) });
export type People = z.infer<typeof peopleSchema>;

// ---------------------------------------------------------------------------------------------
// Proposals.

/** A proposal as `/api/proposals` lists it. */
export const proposalSchema = z.object({
  id: z.number().int(),
  runId: z.number().int(),
  stepId: z.string(),
  workflowId: z.string(),
  connectionId: z.string(),
  opportunityId: z.string().nullable(),
  postingId: z.string().nullable(),
  /** The action's step type, e.g. `lever.note`. */
  kind: z.string(),
  /** What would be done (every template resolved). */
  action: z.record(z.string(), z.unknown()),
  summary: z.string(),
  /** The AI step's reasons: sentences, or objects with a `text`. */
  reasons: z.array(z.unknown()),
  /** The AI step's evidence: quotes, or objects with a `quote` (or `quotes`), `source` and `criterion`. */
  evidence: z.array(z.unknown()),
  confidence: z.number().nullable(),
  engine: z.string().nullable(),
  model: z.string().nullable(),
  prompt: z.string().nullable(),
  flags: z.array(z.string()),
  mode: z.string(),
  /** Why the policy decided as it did. */
  policy: z.array(z.string()),
  status: z.string(),
  result: z.unknown(),
  error: z.string().nullable(),
  expiresAt: isoTime.nullable(),
  escalatedAt: isoTime.nullable(),
  decidedBy: z.string().nullable(),
  decidedAt: isoTime.nullable(),
  decisionReason: z.string().nullable(),
  edits: z.unknown(),
  traceId: z.string(),
  createdAt: isoTime,
});
export type ProposalView = z.infer<typeof proposalSchema>;

export const decisionSchema = z.object({
  actor: z.string(),
  decision: z.string(),
  reason: z.string().nullable(),
  edits: z.unknown(),
  at: isoTime,
});

/** One proposal with the decisions taken on it. */
export const proposalDetailSchema = proposalSchema.extend({ decisions: z.array(decisionSchema) });

/** `GET /api/proposals`. */
export const proposalListSchema = z.object({ proposals: z.array(proposalSchema) });
export type ProposalList = z.infer<typeof proposalListSchema>;
/** `GET /api/proposals/:id`, and the answer to approving or rejecting one. */
export const proposalReplySchema = z.object({ proposal: proposalDetailSchema.nullable() });
export type ProposalReply = z.infer<typeof proposalReplySchema>;

/** What the console shows beside a proposal, read from its run. */
export const proposalLabelSchema = z.object({
  candidateName: z.string().nullable(),
  postingTitle: z.string().nullable(),
  stage: z.string().nullable(),
});
/** `GET /console/api/proposal-labels`, by proposal id. */
export const proposalLabelsSchema = z.object({ labels: z.record(z.string(), proposalLabelSchema) });
export type ProposalLabels = z.infer<typeof proposalLabelsSchema>;
/** `GET /console/api/run-labels`, by run id. */
export const runLabelsSchema = z.object({ labels: z.record(z.string(), proposalLabelSchema.omit({ stage: true })) });
export type RunLabels = z.infer<typeof runLabelsSchema>;

/** `GET /console/api/proposals/:id/context`. */
export const proposalContextSchema = z.object({
  context: proposalLabelSchema.extend({
    opportunityId: z.string().nullable(),
    postingId: z.string().nullable(),
    /** The resume (or transcript) text the evidence quotes come from; untrusted, shown as text. */
    sourceText: z.string().nullable(),
    sourceKind: z.enum(["resume", "transcript"]).nullable(),
  }),
});
export type ProposalContextReply = z.infer<typeof proposalContextSchema>;
export type ProposalContext = ProposalContextReply["context"];

// ---------------------------------------------------------------------------------------------
// Runs, events and jobs.

export const runSummarySchema = z.object({
  id: z.number().int(),
  workflowId: z.string(),
  connectionId: z.string(),
  /** The event's name, e.g. `applicationCreated`. */
  event: z.string(),
  source: z.string(),
  opportunityId: z.string().nullable(),
  postingId: z.string().nullable(),
  status: z.string(),
  /** Still running or waiting past its deadline. */
  overdue: z.boolean(),
  dryRun: z.boolean(),
  currentStep: z.string().nullable(),
  generation: z.number().int(),
  traceId: z.string(),
  error: z.string().nullable(),
  createdAt: isoTime,
  updatedAt: isoTime,
  finishedAt: isoTime.nullable(),
  deadlineAt: isoTime,
});
export type RunSummary = z.infer<typeof runSummarySchema>;

export const stepSchema = z.object({
  stepId: z.string(),
  position: z.number().int(),
  type: z.string(),
  generation: z.number().int(),
  status: z.string(),
  attempts: z.number().int(),
  /** What the step was given, as the engine rendered it; null for a step that has not run. */
  input: z.unknown(),
  output: z.unknown(),
  error: z.string().nullable(),
  startedAt: isoTime.nullable(),
  finishedAt: isoTime.nullable(),
});

/** `GET /api/runs`. */
export const runListSchema = z.object({ runs: z.array(runSummarySchema) });
export type RunList = z.infer<typeof runListSchema>;

/** `GET /api/runs/:id`: the current generation's steps, earlier ones under `history`, and its proposals. */
export const runDetailSchema = runSummarySchema.extend({
  steps: z.array(stepSchema),
  history: z.array(stepSchema),
  context: z.unknown(),
  proposals: z.array(proposalSchema),
});
export type RunDetail = z.infer<typeof runDetailSchema>;
export const runReplySchema = z.object({ run: runDetailSchema });
export type RunReply = z.infer<typeof runReplySchema>;

export const inboxEventSchema = z.object({
  id: z.number().int(),
  connectionId: z.string(),
  /** Where it came from: `lever`, or another signed source. */
  source: z.string(),
  /** The source's event name, e.g. `candidateStageChange`. */
  event: z.string(),
  dedupeKey: z.string(),
  triggeredAt: isoTime.nullable(),
  receivedAt: isoTime,
  traceId: z.string(),
  status: z.enum(["received", "processing", "processed", "failed", "ignored"]),
  processedAt: isoTime.nullable(),
  error: z.string().nullable(),
  attempts: z.number().int(),
  replays: z.number().int(),
  lastJobId: z.string().nullable(),
});
export type InboxEventView = z.infer<typeof inboxEventSchema>;
/** `GET /api/events` (payloads left out: they can carry contact details). */
export const eventListSchema = z.object({ events: z.array(inboxEventSchema) });
export type EventList = z.infer<typeof eventListSchema>;

export const deadJobSchema = z.object({
  /** Id of the job in the dead-letter queue (what retrying takes). */
  id: z.string(),
  /** The queue it failed on. */
  queue: z.string(),
  sourceId: z.string().nullable(),
  data: z.unknown(),
  /** The last error's message. */
  error: z.string(),
  retries: z.number().int().nullable(),
  failedAt: isoTime,
});
export type DeadJobView = z.infer<typeof deadJobSchema>;
/** `GET /api/jobs/dead`. */
export const deadJobListSchema = z.object({ jobs: z.array(deadJobSchema) });
export type DeadJobList = z.infer<typeof deadJobListSchema>;

// ---------------------------------------------------------------------------------------------
// Workflows.

export const modeSchema = z.enum(["shadow", "assist", "auto"]);

/** The mode one action really runs in, and which layers decided it (the lowest mode wins). */
export const actionModeSchema = z.object({
  step: z.string(),
  type: z.string(),
  mode: modeSchema,
  decidedBy: z.array(z.string()),
  reason: z.string(),
  /** Per-action or sandbox entries that can never take effect. */
  ignored: z.array(z.string()),
  /** When it differs there: the mode on the built-in sandbox. */
  onSandbox: z.object({ mode: modeSchema, decidedBy: z.array(z.string()), reason: z.string() }).optional(),
});
export type ActionModeView = z.infer<typeof actionModeSchema>;

/** A raise (higher mode, enabling) and what became of it; a pending one waits for someone other than its author. */
export const workflowChangeSchema = z.object({
  id: z.number().int(),
  workflowId: z.string(),
  /** The raised values asked for; null leaves that switch as it is. */
  enabled: z.boolean().nullable(),
  mode: modeSchema.nullable(),
  status: z.enum(["pending", "approved", "rejected", "withdrawn", "superseded"]),
  /** `user:<id>` for a console account, `token:<id>` for an API token, `cli:<name>` from the command line. */
  author: z.string(),
  createdAt: isoTime,
  decidedBy: z.string().nullable(),
  decidedAt: isoTime.nullable(),
  reason: z.string().nullable(),
});
export type WorkflowChange = z.infer<typeof workflowChangeSchema>;

/** A workflow's switches in force, each action's effective mode, and a change waiting for approval. */
export const workflowStateSchema = z.object({
  id: z.string(),
  enabled: z.boolean(),
  mode: modeSchema,
  ceiling: modeSchema,
  /** The most any of its actions may do now (ceiling and per-action modes applied). */
  effectiveMode: modeSchema,
  actions: z.array(actionModeSchema),
  pendingChange: workflowChangeSchema.nullable(),
});

export type WorkflowState = z.infer<typeof workflowStateSchema>;

/** A workflow as `GET /api/workflows` lists it. */
export const workflowSchema = workflowStateSchema.extend({
  name: z.string(),
  description: z.string().nullable(),
  /** Per-action modes from the file, by step id. */
  modes: z.record(z.string(), modeSchema),
  /** `builtin` for the shipped files, `user` for the operator's. */
  origin: z.string(),
  hash: z.string(),
  /** The triggers as the file gives them (`{ lever: … }`, `{ manual: true }`, `{ schedule: … }`…). */
  triggers: z.array(z.record(z.string(), z.unknown())),
  steps: z.array(z.object({ id: z.string(), type: z.string() })),
});
export type WorkflowView = z.infer<typeof workflowSchema>;

export const workflowProblemSchema = z.object({
  file: z.string(),
  line: z.number().int(),
  column: z.number().int(),
  /** Dotted field path, e.g. `steps[2].mode`; empty for a YAML syntax problem. */
  field: z.string(),
  message: z.string(),
  /** `file:line:column field: message`. */
  text: z.string(),
});

/** `GET /api/workflows`. */
export const workflowListSchema = z.object({ workflows: z.array(workflowSchema), problems: z.array(workflowProblemSchema) });
export type WorkflowList = z.infer<typeof workflowListSchema>;

/** `PATCH /api/workflows/:id`: applied at once (200), or waiting for a second person (202, with the change). */
export const workflowPatchReplySchema = z.object({
  workflow: workflowStateSchema,
  applied: z.object({ enabled: z.boolean().optional(), mode: modeSchema.optional() }),
  selfApproved: z.literal(true).optional(),
  change: workflowChangeSchema.optional(),
  message: z.string().optional(),
});
export type WorkflowPatchReply = z.infer<typeof workflowPatchReplySchema>;

/** `GET /console/api/workflows/:id`: a loaded workflow with the text of its file. */
export const workflowFileSchema = z.object({
  workflow: z.object({ id: z.string(), name: z.string(), description: z.string().optional(), origin: z.string(), yaml: z.string() }),
});
export type WorkflowFileReply = z.infer<typeof workflowFileSchema>;
export type WorkflowFile = WorkflowFileReply["workflow"];

// ---------------------------------------------------------------------------------------------
// Start.

/** `GET /console/api/overview`. */
export const overviewSchema = z.object({
  sandbox: z.boolean(),
  /** The sandbox's address, for admins. */
  sandboxUrl: z.string().optional(),
  /** Seconds between bursts of demo activity (null: only on demand); absent without the demo. */
  activity: z.object({ everySeconds: z.number().nullable() }).optional(),
  modeCeiling: z.string(),
  workflows: z.number().int().optional(),
});
export type Overview = z.infer<typeof overviewSchema>;

/** `GET /console/api/start-counts`: each figure only for a role that may open the page it links to. */
export const startCountsSchema = z.object({
  waitingProposals: z.number().int(),
  runsToday: z.number().int().optional(),
  failedRunsToday: z.number().int().optional(),
  deadJobs: z.number().int().optional(),
});
export type StartCounts = z.infer<typeof startCountsSchema>;

export const webhookHourSchema = z.object({
  /** The hour's start (UTC, ISO 8601). */
  hour: isoTime,
  /** Deliveries stored in the inbox. */
  deliveries: z.number().int(),
  /** Of those, events whose processing failed. */
  failed: z.number().int(),
  /** Deliveries refused before the inbox (bad or reused signature, replay window, malformed). */
  refused: z.number().int(),
});
/** `GET /console/api/webhook-hours`: deliveries per hour over the last 24 hours. */
export const webhookHoursSchema = z.object({ hours: z.array(webhookHourSchema) });
export type WebhookHours = z.infer<typeof webhookHoursSchema>;

// ---------------------------------------------------------------------------------------------
// Replay on history.

/** One step's proposals on both sides of a replay. */
export const replayStepSchema = z.object({
  stepId: z.string(),
  /** The proposal's summary on the left (baseline) side, or null when that side proposed nothing here. */
  current: z.string().nullable(),
  /** The same on the right (replayed) side. */
  replayed: z.string().nullable(),
  /** What would be done, in full (e.g. a note's text), when the two sides differ. */
  currentDetail: z.string().optional(),
  replayedDetail: z.string().optional(),
  /** The workflow would propose something else here (not a person's edit, not a run still waiting). */
  differs: z.boolean(),
  /**
   * Why the sides differ when it is not the workflow: a person edited the proposal before approving
   * it, or the run is still waiting so this step has not run on the left yet.
   */
  because: z.enum(["edited", "waiting"]).optional(),
});
export type ReplayStep = z.infer<typeof replayStepSchema>;

/**
 * What a row comes to: `differs` only for a real difference in what the workflow proposes;
 * `edited` when the only differences are a person's edits; `waiting` when the run has not finished.
 */
export const replayOutcomeSchema = z.enum(["same", "differs", "edited", "waiting"]);
export type ReplayOutcome = z.infer<typeof replayOutcomeSchema>;

export const replayRowSchema = z.object({
  eventId: z.string(),
  candidate: z.string().optional(),
  /** The baseline side's proposals in one line. */
  current: z.string().optional(),
  /** The replayed side's proposals in one line. */
  candidateVersion: z.string().optional(),
  /** True only for a real difference in the workflow (outcome `differs`). */
  differs: z.boolean(),
  outcome: replayOutcomeSchema,
  steps: z.array(replayStepSchema),
});
export type ReplayRow = z.infer<typeof replayRowSchema>;

/** `POST /console/api/replay`. */
export const replayResultSchema = z.object({
  /** What the left column shows. */
  baseline: z.string(),
  /** What the right column shows. */
  replayed: z.string(),
  /** The prompt pinned on the right, and the current version on the left. */
  pinned: z.object({ name: z.string(), version: z.string(), current: z.string() }).optional(),
  /** With a pinned prompt: false when no dry run asked for it, so nothing could differ. */
  promptUsed: z.boolean().optional(),
  /** Rows by outcome: real differences apart from a person's edits and runs still waiting. */
  counts: z.record(replayOutcomeSchema, z.number().int()),
  /**
   * Said plainly when a pinned prompt cannot change anything: the AI steps ran on the local
   * engine (no model provider configured), which does not read prompt text.
   */
  note: z.string().optional(),
  rows: z.array(replayRowSchema),
});
export type ReplayResult = z.infer<typeof replayResultSchema>;

export const promptChoiceSchema = z.object({
  name: z.string(),
  versions: z.array(z.string()),
  /** The version replays compare against, and why it is the current one. */
  current: z.object({ version: z.string(), why: z.string() }).nullable(),
  /** This workflow's runs have asked for the prompt. */
  usedByWorkflow: z.boolean(),
});
export type PromptChoice = z.infer<typeof promptChoiceSchema>;
/** `GET /console/api/replay/:workflowId/prompts`. */
export const promptChoicesSchema = z.object({ prompts: z.array(promptChoiceSchema) });
export type PromptChoices = z.infer<typeof promptChoicesSchema>;

// ---------------------------------------------------------------------------------------------
// Fairness.

export const adverseImpactVerdictSchema = z.enum(["adverse", "not-significant", "too-little-data", "excluded", "within", "no-ratio"]);
export const fairnessDimensionSchema = z.enum(["sex", "race", "intersection"]);
export const measureKeySchema = z.enum(["ai", "aiHold", "aiReject", "human", "scoring", "attended", "keptTime", "interviewStrong"]);
export type MeasureKey = z.infer<typeof measureKeySchema>;

export const metricSchema = z.object({
  n: z.number().int(),
  selected: z.number(),
  rate: z.number(),
  impactRatio: z.number().nullable(),
  pValue: z.number().nullable(),
  /** The significance test behind `pValue` (Fisher's exact test, or the two-proportion z-test for large samples). */
  test: z.enum(["fisher-exact", "two-proportion-z"]).nullable(),
  /** Impact ratio below 0.8, whatever the sample size (the CSV's `flagged_below_0_8`). */
  flagged: z.boolean(),
  /** Whether the result deserves a flag once sample size and significance are weighed. */
  verdict: adverseImpactVerdictSchema,
  /** Under 2% of this measure's sample: count and rate shown, no impact ratio. */
  excluded: z.boolean(),
});
export type Metric = z.infer<typeof metricSchema>;

export const groupRowSchema = z.object({
  group: z.string(),
  /** People of the group in the table (whichever measures they have). */
  n: z.number().int(),
  share: z.number(),
  excluded: z.string().nullable(),
  ai: metricSchema.nullable(),
  aiHold: metricSchema.nullable(),
  aiReject: metricSchema.nullable(),
  human: metricSchema.nullable(),
  scoring: metricSchema.nullable(),
  /** The interview outcomes' measures: only in that table's rows. */
  attended: metricSchema.nullable().optional(),
  keptTime: metricSchema.nullable().optional(),
  interviewStrong: metricSchema.nullable().optional(),
});
export type GroupRow = z.infer<typeof groupRowSchema>;

export const fairnessTableSchema = z.object({
  connectionId: z.string(),
  postingId: z.string(),
  postingTitle: z.string(),
  /** Lever's id of the stage the decision is made at (`applicant-new` for the first decision). */
  stageId: z.string(),
  /** What is decided, e.g. "moving past New applicant". */
  stage: z.string(),
  /** The first decision (the screening's): the only stage with AI recommendations and scores. */
  firstDecision: z.boolean(),
  /** The measures that apply at this stage, in the page's order. */
  measures: z.array(measureKeySchema),
  dimension: fairnessDimensionSchema,
  /** First decision: the posting's applicants; later stages: the people who reached the stage. */
  total: z.number().int(),
  unknown: z.number().int(),
  /** Later stages: people still at the stage, neither moved on nor archived, left out of its rates; null at the first decision. */
  undecided: z.number().int().nullable(),
  /** Why a measure has no figures in this table, when it has none. */
  missing: z.partialRecord(measureKeySchema, z.string()),
  rows: z.array(groupRowSchema),
});
export type FairnessTable = z.infer<typeof fairnessTableSchema>;

/** `GET /console/api/fairness`. */
export const fairnessReportSchema = z.object({
  available: z.boolean(),
  /** Why the report is unavailable. */
  note: z.string().optional(),
  /** What is missing from an available report, and why. */
  notes: z.array(z.string()),
  labels: z.object({
    dimensions: z.record(fairnessDimensionSchema, z.string()),
    measures: z.array(z.object({ key: measureKeySchema, label: z.string(), explain: z.string() })),
  }),
  /** The stages that have tables, first decision first, then in the pipeline's order (for the page's stage picker). */
  stages: z.array(z.object({ id: z.string(), label: z.string(), firstDecision: z.boolean() })),
  tables: z.array(fairnessTableSchema),
});
export type FairnessReport = z.infer<typeof fairnessReportSchema>;

// ---------------------------------------------------------------------------------------------
// Settings and connections.

/** `GET /console/api/settings`. */
export const settingsSchema = z.object({
  modeCeiling: z.string(),
  modeCeilingSwitchable: z.boolean(),
  ai: z.object({ provider: z.string(), model: z.string().optional(), configured: z.boolean() }),
  aiTestable: z.boolean(),
  oauthAvailable: z.boolean(),
});
export type Settings = z.infer<typeof settingsSchema>;

/** `POST /console/api/settings/ai/test`: whether the AI provider answered a structured test call, and what it said. */
export const aiTestReplySchema = z.object({ ok: z.boolean(), detail: z.string() });
export type AiTestReply = z.infer<typeof aiTestReplySchema>;

/** The mode ceiling: the environment's cap is the upper bound of the console's. */
export const modeCeilingSchema = z.object({
  /** The ceiling in force: the lower of the environment's and the console's. */
  effective: modeSchema,
  /** `FULCRUM_MODE_CEILING`: the upper bound. */
  environment: modeSchema,
  /** What the console set, if anything. */
  override: modeSchema.nullable(),
  updatedBy: z.string().nullable(),
  updatedAt: isoTime.nullable(),
  /** The console's choice is above the environment's cap, which wins. */
  capped: z.boolean(),
  note: z.string().optional(),
});
/** `GET` and `PUT /api/settings/mode-ceiling`. */
export const modeCeilingReplySchema = z.object({ modeCeiling: modeCeilingSchema });
export type ModeCeilingReply = z.infer<typeof modeCeilingReplySchema>;

/** Whether authors may approve their own rubric overrides and prompt versions. */
export const fourEyesSchema = z.object({ required: z.boolean(), updatedBy: z.string().nullable(), updatedAt: isoTime.nullable() });
/** `GET` and `PUT /console/api/settings/four-eyes`. */
export const fourEyesReplySchema = z.object({ fourEyes: fourEyesSchema });
export type FourEyesReply = z.infer<typeof fourEyesReplySchema>;

export const connectionSchema = z.object({
  id: z.string(),
  name: z.string(),
  environment: z.string(),
  baseUrl: z.string(),
  authKind: z.string(),
  oauthConnected: z.boolean(),
  /** Deliveries per event: the last one, how many, how many failed. */
  webhooks: z.array(z.object({ event: z.string(), lastDeliveryAt: isoTime.nullable(), deliveries: z.number().int(), failures: z.number().int() })),
});
/** `GET /console/api/connections`. */
export const connectionListSchema = z.object({ connections: z.array(connectionSchema) });
export type ConnectionList = z.infer<typeof connectionListSchema>;

export const doctorRowSchema = z.object({
  check: z.string(),
  /** Passed or skipped. */
  ok: z.boolean(),
  status: z.string(),
  detail: z.string(),
  fix: z.string().optional(),
});
export type DoctorRowView = z.infer<typeof doctorRowSchema>;
/** `GET /console/api/connections/:id/doctor`. */
export const doctorReplySchema = z.object({ rows: z.array(doctorRowSchema) });
export type DoctorReply = z.infer<typeof doctorReplySchema>;

/** A Lever posting a hiring manager's postings are picked from. */
export const postingChoiceSchema = z.object({
  id: z.string(),
  title: z.string(),
  /** Lever's state: published, internal, closed, draft, pending, rejected. */
  state: z.string().optional(),
  connectionId: z.string(),
});
export type PostingChoice = z.infer<typeof postingChoiceSchema>;
/** `GET /console/api/postings`. */
export const postingListSchema = z.object({ postings: z.array(postingChoiceSchema) });
export type PostingList = z.infer<typeof postingListSchema>;

// ---------------------------------------------------------------------------------------------
// Scheduling.

export const scheduledPanelSchema = z.object({
  proposalId: z.string(),
  runId: z.string(),
  /** `proposed`, `escalated`, `booking`, `booked`, `failed`, `rejected`, `expired`, `shadow`, `closed`, or a booking's own state. */
  state: z.string(),
  candidateName: z.string().nullable(),
  postingId: z.string().nullable(),
  postingTitle: z.string().nullable(),
  stage: z.string().nullable(),
  /** The candidate's time zone the panel was planned in. */
  candidateTimezone: z.string().nullable(),
  sessions: z.array(z.object({ title: z.string(), start: isoTime, end: isoTime, interviewers: z.array(z.string()) })),
  firstStart: isoTime.nullable(),
  lastEnd: isoTime.nullable(),
  createdAt: isoTime,
  /** Why it is in this state, when there is more to say (what blocks, the booking's error). */
  detail: z.string().nullable(),
  /** A booked panel's reminders, in time order: who, when, and whether armed, sent, waiting for approval, withdrawn or skipped (with the reason). */
  reminders: z
    .array(
      z.object({
        who: z.string(),
        at: isoTime,
        state: z.enum(["armed", "sent", "waiting", "withdrawn", "skipped"]),
        reason: z.string().nullable(),
      }),
    )
    .optional(),
});
export type ScheduledPanel = z.infer<typeof scheduledPanelSchema>;
/** `GET /console/api/scheduling/panels`. */
export const scheduledPanelListSchema = z.object({ panels: z.array(scheduledPanelSchema) });
export type ScheduledPanelList = z.infer<typeof scheduledPanelListSchema>;

// ---------------------------------------------------------------------------------------------
// Audit.

export const auditRecordSchema = z.object({
  seq: z.number().int(),
  kind: z.string(),
  traceId: z.string().nullable(),
  actor: z.string(),
  subject: z.record(z.string(), z.string()),
  data: z.unknown(),
  createdAt: isoTime,
  hash: z.string(),
});
export type AuditRecordView = z.infer<typeof auditRecordSchema>;

/** What the names in an audit search matched. */
export const auditMatchedSchema = z.object({
  candidates: z.array(z.object({ name: z.string(), applications: z.number().int() })).optional(),
  people: z.array(z.object({ name: z.string(), email: z.string() })).optional(),
  workflow: z.object({ id: z.string(), runs: z.number().int() }).optional(),
});
export type AuditMatched = z.infer<typeof auditMatchedSchema>;

/** `GET /console/api/audit`. */
export const auditSearchReplySchema = z.object({
  records: z.array(auditRecordSchema),
  matched: auditMatchedSchema,
  /** Display names of the actors in the records. */
  people: z.record(z.string(), z.string()),
});
export type AuditSearchReply = z.infer<typeof auditSearchReplySchema>;

/** `POST /console/api/audit/verify`: the chain, and the signed anchors kept outside the database. */
export const auditVerifySchema = z.object({
  ok: z.boolean(),
  checked: z.number().int(),
  problems: z.array(z.object({ seq: z.number().int(), kind: z.string(), detail: z.string() })),
  anchor: z
    .object({
      checked: z.number().int(),
      problems: z.array(z.object({ file: z.string(), kind: z.string(), detail: z.string() })),
      last: z.object({ anchoredAt: isoTime, ageMs: z.number(), seq: z.number().int(), recordsSince: z.number().int() }).nullable(),
      /** Set when there is no anchor folder or it holds no anchor. */
      missing: z.string().nullable(),
    })
    .optional(),
});
export type AuditVerify = z.infer<typeof auditVerifySchema>;

// ---------------------------------------------------------------------------------------------
// The inbox as decisions, and prompt versions.

/** The inbox as decisions: one card per candidate and run, with the recommendation, the score against its bar and why a person is needed. */
export const proposalCardSchema = z.object({
  runId: z.string(),
  workflowId: z.string(),
  candidateName: z.string().nullable(),
  postingId: z.string().nullable(),
  postingTitle: z.string().nullable(),
  stage: z.string().nullable(),
  opportunityId: z.string().nullable(),
  /** The card's proposals, oldest first (the order the workflow made them). */
  proposals: z.array(z.object({ id: z.string(), kind: z.string(), summary: z.string(), status: z.string() })),
  /** advance, hold, reject, review (screening), or the interview triage band; null when the run recommends nothing. */
  recommendation: z.string().nullable(),
  recommendationReason: z.string().nullable(),
  /** 0–100, computed by code; null when the run has no score. */
  score: z.number().nullable(),
  /** The score the workflow needs to recommend going ahead (`at`), and below which it recommends against. */
  bar: z.object({ at: z.number(), below: z.number().nullable(), source: z.string() }).nullable(),
  confidence: z.number().nullable(),
  /** Why this waits for a person, one sentence each. */
  needsPerson: z.array(z.string()),
  createdAt: isoTime,
});
/** `GET /console/api/proposal-cards`: a page of cards, newest run first, each card whole. */
export const proposalCardListSchema = z.object({
  cards: z.array(proposalCardSchema),
  /** The cursor for the next page (`before`), or null on the last page. */
  next: z.string().nullable(),
  /** First page only: how many proposals and cards the filters keep. */
  total: z.object({ proposals: z.number().int(), cards: z.number().int() }).optional(),
  /** First page only: the workflows, postings and stages among the status's proposals, to filter by. */
  facets: z
    .object({
      workflows: z.array(z.string()),
      postings: z.array(z.object({ id: z.string(), title: z.string().nullable() })),
      stages: z.array(z.string()),
    })
    .optional(),
});
export type ProposalCardList = z.infer<typeof proposalCardListSchema>;

/** `GET /console/api/prompts`: each prompt's versions, and those saved but waiting for a second person's approval. */
export const promptListSchema = z.object({
  prompts: z.array(
    z.object({
      name: z.string(),
      versions: z.array(z.string()),
      pending: z.array(z.object({ version: z.string(), author: z.string().nullable(), savedAt: isoTime.nullable() })),
    }),
  ),
});
export type PromptList = z.infer<typeof promptListSchema>;

/** `GET /console/api/prompts/:name`: the latest version's text. */
export const promptReplySchema = z.object({ prompt: z.object({ name: z.string(), version: z.string(), text: z.string() }) });
export type PromptReply = z.infer<typeof promptReplySchema>;

/** `POST /console/api/prompts` (201, pending) and `POST /console/api/prompts/:name/:version/approve`. */
export const promptSavedSchema = z.object({
  prompt: z.object({ name: z.string(), version: z.string(), status: z.enum(["pending", "approved"]), selfApproved: z.boolean().optional() }),
  note: z.string().optional(),
});
export type PromptSaved = z.infer<typeof promptSavedSchema>;

// ---------------------------------------------------------------------------------------------
// Interviews, scheduling proposals and the sandbox's demo activity.

const timedQuoteSchema = z.object({ start: z.number(), end: z.number(), quote: z.string() });

/** `GET /console/api/proposals/:id/transcript`: an interview-analysis proposal's transcript, a page of segments at a time. */
export const transcriptReplySchema = z.object({
  transcript: z.object({
    proposalId: z.string(),
    engine: z.string(),
    source: z.string(),
    language: z.string(),
    durationSeconds: z.number(),
    /** https only; times link to `?t=<seconds>` on it. */
    playerUrl: z.string().nullable(),
    /** `index` is the position in the whole transcript, so pages and links agree. */
    segments: z.array(z.object({ index: z.number().int(), start: z.number(), end: z.number(), text: z.string(), speaker: z.string().optional() })),
    /** Where this page starts, how many segments the whole transcript has, and where the next page starts (null: none). */
    from: z.number().int(),
    total: z.number().int(),
    next: z.number().int().nullable(),
    /** Said when the page or a segment was cut. */
    note: z.string().nullable(),
    questions: z.array(z.object({ id: z.string(), text: z.string(), asked: timedQuoteSchema.nullable(), answer: timedQuoteSchema.nullable() })),
    /** Questions the interviewer should not have asked (for the recruiter, never written to Lever). */
    interviewerCheck: z.array(z.object({ quote: z.string(), start: z.number().nullable(), category: z.string().nullable(), why: z.string().nullable() })),
    analyzedAt: isoTime.nullable(),
  }),
});
export type TranscriptReply = z.infer<typeof transcriptReplySchema>;

/** `GET /console/api/proposals/:id/scheduling`: a scheduling proposal's options and the calendars its solver saw. */
export const schedulingContextReplySchema = z.object({
  scheduling: z.object({
    feasible: z.boolean(),
    reason: z.string().nullable(),
    candidateTimezone: z.string().nullable(),
    window: z.object({ start: isoTime, end: isoTime, days: z.array(z.string()) }).nullable(),
    /** Each option's booking is the step's own (sessions, interviewers, rooms), shown as it is. */
    options: z.array(z.object({ label: z.string(), reasons: z.array(z.string()), booking: z.unknown() })),
    calendars: z.array(z.unknown()),
  }),
});
export type SchedulingContextReply = z.infer<typeof schedulingContextReplySchema>;

/** `POST /console/api/sandbox/activity`: how much one burst of demo activity made (counts only, never names). */
export const sandboxBurstSchema = z.object({
  applications: z.number().int(),
  stageMoves: z.number().int(),
  interviews: z.number().int(),
  feedback: z.number().int(),
  everySeconds: z.number().nullable(),
});
export type SandboxBurst = z.infer<typeof sandboxBurstSchema>;
