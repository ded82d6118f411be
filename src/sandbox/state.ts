/**
 * The sandbox organisation held in memory, plus the record of every webhook event it fired.
 */
import type { LeverEventName } from "../lever/index.ts";
import { createPrng, hashSeed, type Prng } from "./resumes/prng.ts";
import type {
  ApiWebhookRecord,
  ApplicationRecord,
  ArchiveReasonRecord,
  ContactRecord,
  FeedbackRecord,
  FeedbackTemplateRecord,
  NoteRecord,
  OfferRecord,
  OpportunityRecord,
  PanelRecord,
  PostingRecord,
  RequisitionRecord,
  StageRecord,
  StoredFile,
  UserRecord,
} from "./model.ts";

/** Events whose API webhooks may carry origin conditions. */
export const conditionalEvents: readonly LeverEventName[] = ["applicationCreated", "candidateArchiveChange", "candidateHired", "candidateStageChange"];

/** One candidate's answers to the EEO survey (Lever's wording; "Decline to self-identify" is an answer). */
export interface EeoAnswers {
  gender: string | null;
  race: string | null;
  veteran: string | null;
  disability: string | null;
  disabilitySignatureDate: number | null;
  respondedAt: number;
}

export interface FiredEvent {
  id: string;
  event: LeverEventName;
  triggeredAt: number;
  data: Record<string, unknown>;
}

export interface SandboxState {
  users: Map<string, UserRecord>;
  /** In pipeline order. */
  stages: StageRecord[];
  archiveReasons: ArchiveReasonRecord[];
  postings: Map<string, PostingRecord>;
  contacts: Map<string, ContactRecord>;
  opportunities: Map<string, OpportunityRecord>;
  applications: Map<string, ApplicationRecord>;
  notes: Map<string, NoteRecord>;
  feedbackTemplates: Map<string, FeedbackTemplateRecord>;
  feedback: Map<string, FeedbackRecord>;
  panels: Map<string, PanelRecord>;
  resumes: Map<string, StoredFile>;
  files: Map<string, StoredFile>;
  apiWebhooks: Map<string, ApiWebhookRecord>;
  offers: Map<string, OfferRecord>;
  requisitions: Map<string, RequisitionRecord>;
  /** EEO survey answers by opportunity id (candidates who skipped the survey have none). */
  eeoResponses: Map<string, EeoAnswers>;
  /** Every event fired, in order, whether or not anyone was subscribed. */
  events: FiredEvent[];
  /** Ids and tokens come from here so a seeded sandbox is reproducible. */
  rng: Prng;
  now: () => number;
}

export function createState(seed: number, now: () => number = Date.now): SandboxState {
  return {
    users: new Map(),
    stages: [],
    archiveReasons: [],
    postings: new Map(),
    contacts: new Map(),
    opportunities: new Map(),
    applications: new Map(),
    notes: new Map(),
    feedbackTemplates: new Map(),
    feedback: new Map(),
    panels: new Map(),
    resumes: new Map(),
    files: new Map(),
    apiWebhooks: new Map(),
    offers: new Map(),
    requisitions: new Map(),
    eeoResponses: new Map(),
    events: [],
    rng: createPrng(hashSeed(`sandbox:${seed}`)),
    now,
  };
}
