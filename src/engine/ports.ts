/**
 * What the run engine needs from the rest of Fulcrum, as narrow ports. Each has one production
 * adapter (Lever client, AI layer, job queue, notify, audit trail) wired in `serve`, and tests use
 * the real ones where they exist. They sit at the engine's root, below runs and steps, so both
 * depend on them and neither on the other.
 */
import type { Queryable } from "../store/index.ts";
import type { BookingLinkRef, BookingParams } from "../scheduling/index.ts";
import type { OpportunityLike, PostingLike } from "./workflows/index.ts";

/** A Lever write's idempotency key and the user it is performed as. */
export interface WriteOptions {
  key: string;
}

/** The Lever reads and writes the engine's steps use (a subset of the Lever client). */
export interface LeverGateway {
  getOpportunity(id: string): Promise<OpportunityLike>;
  getPosting(id: string): Promise<PostingLike>;
  /** Postings by state (Lever's `state` filter, e.g. published) on every distribution channel, without their content. */
  listPostings(filters?: { state?: string }): Promise<PostingLike[]>;
  listStages(): Promise<{ id: string; text: string }[]>;
  listArchiveReasons(): Promise<{ id: string; text: string; type?: string | null }[]>;
  listNotes(opportunityId: string): Promise<unknown[]>;
  listFeedback(opportunityId: string): Promise<unknown[]>;
  listInterviews(opportunityId: string): Promise<unknown[]>;
  /** One interview, or null when the opportunity has no such interview (Lever answers 404). */
  getInterview?(opportunityId: string, interviewId: string): Promise<unknown | null>;
  /** Ids of a contact's opportunities (`GET /opportunities?contact_id=`). */
  opportunityIdsOfContact?(contactId: string): Promise<string[]>;
  listPanels(opportunityId: string): Promise<unknown[]>;
  /** The account's active users with their e-mails (optional: a gateway without them cannot propose interview panels). */
  listUsers?(): Promise<{ id: string; name?: string | null; email?: string | null; deactivatedAt?: number | null }[]>;
  listFiles(opportunityId: string): Promise<unknown[]>;
  listOffers(opportunityId: string): Promise<unknown[]>;
  /**
   * The newest resume that has a file, with its bytes; `unprocessable` (and no bytes) when Lever
   * could not process the file; null when no resume has a file.
   */
  latestResume(
    opportunityId: string,
  ): Promise<{ id: string; filename: string; mime: string; bytes: Uint8Array } | { id: string; filename: string; mime: string; unprocessable: string } | null>;
  findOpportunityByEmail(email: string): Promise<OpportunityLike | null>;

  addNote(opportunityId: string, note: { value: string; secret?: boolean; score?: number | undefined }, o: WriteOptions): Promise<{ id?: string }>;
  addTags(opportunityId: string, tags: string[], o: WriteOptions): Promise<unknown>;
  removeTags(opportunityId: string, tags: string[], o: WriteOptions): Promise<unknown>;
  addLinks(opportunityId: string, links: string[], o: WriteOptions): Promise<unknown>;
  removeLinks(opportunityId: string, links: string[], o: WriteOptions): Promise<unknown>;
  changeStage(opportunityId: string, stageId: string, o: WriteOptions): Promise<unknown>;
  archive(opportunityId: string, reasonId: string, o: WriteOptions): Promise<unknown>;
  createPanel(opportunityId: string, panel: Record<string, unknown>, o: WriteOptions): Promise<{ id?: string }>;
  /** Replaces an API-made panel whole (`PUT`); optional: a gateway without it cannot re-book panels. */
  updatePanel?(opportunityId: string, panelId: string, panel: Record<string, unknown>, o: WriteOptions): Promise<{ id?: string }>;
  createOpportunity(body: Record<string, unknown>, o: WriteOptions): Promise<{ id: string }>;
  /** The account's profile form templates (optional: a gateway without them cannot run `lever.form`). */
  listFormTemplates?(): Promise<FormTemplateLike[]>;
  /** Fills a profile form: every template field, each with its value (null when left empty). */
  createProfileForm?(
    opportunityId: string,
    form: { baseTemplateId: string; fields: (FormFieldLike & { value: unknown })[]; secret?: boolean },
    o: WriteOptions,
  ): Promise<{ id?: string }>;
}

/** Whatever an AI step produced, with where it came from. */
export interface AiResult {
  output: Record<string, unknown>;
  meta: {
    engine: "model" | "local";
    provider?: string | undefined;
    model?: string | undefined;
    /** `name@version`. */
    prompt?: string | undefined;
    inputHash?: string | undefined;
    tokens?: number | undefined;
    costUsd?: number | undefined;
    latencyMs?: number | undefined;
    /** Why the local engine answered although a provider was configured (it failed, its circuit is open). */
    fallbackReason?: string | undefined;
  };
}

export interface AiStepRequest {
  prompt: string;
  input: Record<string, unknown>;
  provider?: string | undefined;
  model?: string | undefined;
  onUnavailable: "wait" | "local";
  traceId: string;
}

/** Runs one AI step (provider or local engine, redaction, structured output, audit of the call). */
export type AiStepRunner = (request: AiStepRequest) => Promise<AiResult>;

/** What a domain task (e.g. `screening.screen`) is given. */
export interface TaskInput {
  with: Record<string, unknown>;
  /** Lever data fetched for the run so far. */
  context: RunContext;
  /** Loads more Lever data into the run's context (each kind at most once per run). */
  fetch(kinds: string[]): Promise<RunContext>;
  ai: AiStepRunner | undefined;
  lever: LeverGateway;
  traceId: string;
  /** The triggering event's data. */
  event: Record<string, unknown>;
  /** The run's Lever connection. */
  connectionId: string;
  /** A dry run (`fulcrum workflows test`, replay): record nothing outside the run itself. */
  dryRun: boolean;
  /** Fulcrum's database, for domain state (screening index, rubrics, scores); run state stays the engine's. */
  db: Queryable;
  /**
   * Starts another workflow through its manual trigger, once per `key` (a second call with the same
   * key starts nothing and returns null). Children of a dry run are dry runs; they share the trace id.
   */
  startWorkflow(workflowId: string, input: { key: string; opportunityId?: string | undefined; data?: Record<string, unknown> }): Promise<number | null>;
  /**
   * Names the run's opportunity when the event did not (a task that found it, e.g. by a tool's
   * candidate id or an e-mail), so the runs list, later proposals and fairness reports see it.
   * Stored with the step's outcome; an opportunity the run already has is never replaced.
   */
  setOpportunity?(opportunityId: string): void;
  /** This run of the step: 1 the first time, raised by each retry. */
  attempt?: number | undefined;
  /**
   * True when a failure now fails the step for good (no retry is left): a task that can still give
   * a useful, degraded answer gives it now instead of throwing.
   */
  lastAttempt?: boolean | undefined;
}

/** A domain step; returns its output (`reasons`, `evidence`, `confidence`, `flags`, `meta` feed proposals). */
export type TaskHandler = (input: TaskInput) => Promise<Record<string, unknown>>;

/** Lever data fetched for one run; kept with the run so nothing is fetched twice. */
export interface RunContext {
  opportunity?: OpportunityLike;
  posting?: PostingLike;
  resume?: {
    id: string;
    filename: string;
    mime: string;
    text: string;
    status: string;
    hiddenText: string[];
    flags: string[];
    profile?: unknown;
    parsed?: unknown;
    sha256?: string;
  } | null;
  notes?: unknown[];
  feedback?: unknown[];
  interviews?: unknown[];
  panels?: unknown[];
  files?: unknown[];
  offers?: unknown[];
  stages?: { id: string; text: string }[];
  archiveReasons?: { id: string; text: string; type?: string | null }[];
  interview?: Record<string, unknown>;
  [key: string]: unknown;
}

/** Turns resume bytes into text (the screening module's parser). */
export type ResumeReader = (
  bytes: Uint8Array,
  file: { filename: string; mime: string },
) => Promise<{
  status: string;
  text: string;
  hiddenText: string[];
  flags: string[];
  profile?: unknown;
  /** The parser's full result, for domain steps that need more than text (kept with the run). */
  parsed?: unknown;
}>;

/** A step job: which step of which run, in which generation. */
export interface StepJob {
  runId: number;
  stepId: string;
  generation: number;
}

/** Where step jobs and timeouts go: the durable job queue in production. */
export interface StepDispatcher {
  enqueueStep(job: StepJob, options: { startAfter?: Date | undefined }, tx: Queryable): Promise<void>;
  enqueueProposalCheck(proposalId: number, at: Date, tx: Queryable): Promise<void>;
  /** Starts a timer event (e.g. 1 h after an interview ends), replacing an earlier one with the same key. */
  enqueueTimer(timer: { workflowId: string; key: string; fireAt: number; event: unknown }, tx?: Queryable): Promise<void>;
}

/** Books an approved panel option for `scheduling.book` (the production one: `createPanelBooker`). */
export type PanelBooker = (booking: BookingParams, lever: LeverGateway, connectionId: string) => Promise<Record<string, unknown>>;
/** Re-books a booked panel for `scheduling.rebook` (the production one: `createPanelRebooker`). */
export type PanelRebooker = (booking: BookingParams, revision: number, lever: LeverGateway, connectionId: string) => Promise<Record<string, unknown>>;

/**
 * Sends a notification (Slack, Teams, e-mail). `bookingLink` names the self-scheduling link that
 * the text's `[booking link]` stands for; the service's notifier puts the link in as it sends.
 */
export type Notifier = (
  channel: "slack" | "teams" | "email",
  to: string,
  message: { title: string; text: string; bookingLink?: BookingLinkRef | undefined },
) => Promise<void>;

/** Appends to the audit trail (governance's hash chain). */
export interface AuditSink {
  append(
    record: { kind: string; traceId?: string | undefined; actor: string; subject?: Record<string, string | undefined>; data?: unknown },
    tx?: Queryable,
  ): Promise<unknown>;
}

/** A profile form template as Lever lists it (only what the mapping reads). */
export interface FormTemplateLike {
  id: string;
  text?: string | null | undefined;
  fields?: FormFieldLike[] | null | undefined;
}

export interface FormFieldLike {
  id?: string | null | undefined;
  type?: string | null | undefined;
  text?: string | null | undefined;
  required?: boolean | null | undefined;
  options?: { text?: string | null | undefined }[] | null | undefined;
  [key: string]: unknown;
}
