/**
 * The sandbox's in-memory organisation. Records keep ids (not objects) for references, like
 * Lever does; the API layer expands them on request. Times are ms since the epoch.
 */

export type AccessRole = "super admin" | "admin" | "team member" | "limited team member" | "interviewer";

export interface UserRecord {
  id: string;
  name: string;
  username: string;
  email: string;
  createdAt: number;
  deactivatedAt: number | null;
  externalDirectoryId: string | null;
  accessRole: AccessRole;
  photo: string | null;
  linkedContactIds: string[] | null;
  jobTitle: string | null;
  managerId: string | null;
}

export interface StageRecord {
  id: string;
  text: string;
}

export interface ArchiveReasonRecord {
  id: string;
  text: string;
  status: "active" | "inactive";
  /** Real accounts return `null` for non-hired reasons. */
  type: "hired" | "non-hired" | null;
}

export interface PostingRecord {
  id: string;
  text: string;
  createdAt: number;
  updatedAt: number;
  user: string;
  owner: string;
  hiringManager: string | null;
  confidentiality: "non-confidential" | "confidential";
  categories: {
    team: string | null;
    department: string | null;
    location: string | null;
    allLocations: string[];
    commitment: string | null;
    level: string | null;
  };
  content: { description: string; descriptionHtml: string; lists: { text: string; content: string }[]; closing: string; closingHtml: string };
  country: string | null;
  followers: string[];
  tags: string[];
  state: "published" | "internal" | "closed" | "draft" | "pending" | "rejected";
  distributionChannels: ("public" | "internal")[];
  reqCode: string | null;
  requisitionCodes: string[];
  workplaceType: "onsite" | "remote" | "hybrid" | "unspecified";
  salaryDescription: string;
  salaryDescriptionHtml: string;
  salaryRange: { min: number; max: number; currency: string; interval: string } | null;
}

export interface DataProtection {
  store?: { allowed: boolean; expiresAt: number | null } | null;
  contact?: { allowed: boolean; expiresAt: number | null } | null;
}

export interface ContactRecord {
  id: string;
  name: string;
  headline: string;
  location: string | null;
  emails: string[];
  phones: { type: string | null; value: string }[];
  links: string[];
  isAnonymized: boolean;
  dataProtection: Record<string, unknown> | null;
  createdAt: number;
}

export type Origin = "agency" | "applied" | "internal" | "referred" | "sourced" | "university";
export const origins: readonly Origin[] = ["agency", "applied", "internal", "referred", "sourced", "university"];

export interface ArchivedState {
  archivedAt: number;
  reason: string;
}

export interface OpportunityRecord {
  id: string;
  contact: string;
  stage: string;
  stageChanges: { toStageId: string; toStageIndex: number; userId: string | null; updatedAt: number }[];
  confidentiality: "non-confidential" | "confidential";
  archived: ArchivedState | null;
  tags: string[];
  sources: string[];
  sourcedBy: string | null;
  origin: Origin;
  owner: string | null;
  followers: string[];
  applications: string[];
  createdAt: number;
  updatedAt: number;
  lastInteractionAt: number;
  lastAdvancedAt: number;
  snoozedUntil: number | null;
  dataProtection: DataProtection | null;
  isAnonymized: boolean;
  opportunityLocation: string;
  deletedAt: number | null;
  deletedBy: string | null;
}

export interface ApplicationRecord {
  id: string;
  opportunityId: string;
  createdAt: number;
  type: "posting" | "user" | "referral";
  posting: string | null;
  user: string | null;
  name: string;
  email: string | null;
  phone: { type: string | null; value: string } | null;
  company: string | null;
  links: string[];
  comments: string | null;
  customQuestions: unknown[];
  archived: ArchivedState | null;
}

export interface NoteField {
  type: "note";
  text: "Comment";
  value: string;
  createdAt: number;
  user: string | null;
  score: number | null;
  stage: string;
}

export interface NoteRecord {
  id: string;
  opportunityId: string;
  text: "Note";
  fields: NoteField[];
  user: string | null;
  secret: boolean;
  createdAt: number;
  completedAt: number;
  deletedAt: number | null;
  /** Only notes created through the API may be changed or deleted through it. */
  createdViaApi: boolean;
}

export interface FormField {
  id: string;
  type: string;
  text: string;
  description: string;
  required: boolean;
  options?: { text: string; optionId?: string }[];
  prompt?: string;
  value?: unknown;
}

export interface FeedbackTemplateRecord {
  id: string;
  text: string;
  instructions: string;
  group: { id: string; name: string } | null;
  createdAt: number;
  updatedAt: number;
  fields: FormField[];
}

export interface FeedbackRecord {
  id: string;
  opportunityId: string;
  type: "interview" | "assignment" | "share";
  text: string;
  instructions: string;
  baseTemplateId: string;
  fields: FormField[];
  user: string;
  panel: string | null;
  interview: string | null;
  createdAt: number;
  updatedAt: number | null;
  completedAt: number | null;
  deletedAt: number | null;
}

export interface InterviewerRef {
  id: string;
  feedbackTemplate: string | null;
  responseStatus: string;
}

export interface InterviewRecord {
  id: string;
  subject: string;
  note: string;
  interviewers: InterviewerRef[];
  createdAt: number;
  date: number;
  duration: number;
  location: string | null;
  feedbackTemplate: string | null;
  feedbackReminder: string;
  canceledAt: number | null;
}

export interface PanelRecord {
  id: string;
  opportunityId: string;
  applications: string[];
  canceledAt: number | null;
  createdAt: number;
  timezone: string;
  feedbackReminder: string;
  user: string | null;
  stage: string;
  note: string;
  externallyManaged: boolean;
  externalUrl: string | null;
  interviews: InterviewRecord[];
}

export interface StoredFile {
  id: string;
  opportunityId: string;
  name: string;
  ext: string;
  uploadedAt: number;
  status: "processing" | "processed" | "unsupported" | "error" | null;
  contentType: string;
  /** Bytes, rendered on first use and then kept. */
  bytes: () => Promise<Uint8Array>;
  /** Null until a lazily rendered file is first read (the API reads it before answering). */
  size: number | null;
  parsedData: { positions: unknown[]; schools: unknown[] } | null;
  /** Set on a resume Lever parsed from a LinkedIn or GitHub profile: it has no file. */
  profile?: "LinkedIn" | "GitHub";
}

export interface ApiWebhookRecord {
  id: string;
  event: string;
  url: string;
  configuration: { conditions?: { origins: Origin[] } };
  signatureToken: string;
  createdAt: number;
  updatedAt: number;
}

export interface OfferRecord {
  id: string;
  opportunityId: string;
  posting: string;
  createdAt: number;
  creator: string;
  status: "draft" | "approval-sent" | "approved" | "sent" | "sent-manually" | "opened" | "denied" | "signed";
  fields: { text: string; identifier: string; value: unknown }[];
  approvedAt: number | null;
  sentAt: number | null;
}

export interface RequisitionRecord {
  id: string;
  requisitionCode: string;
  name: string;
  backfill: boolean;
  confidentiality: "non-confidential" | "confidential";
  createdAt: number;
  updatedAt: number;
  creator: string;
  owner: string;
  hiringManager: string | null;
  headcountHired: number;
  headcountTotal: number;
  employmentStatus: string;
  location: string | null;
  department: string | null;
  team: string | null;
  status: "open" | "onHold" | "closed" | "draft";
  postings: string[];
  compensationBand: { currency: string; interval: string; min: number; max: number } | null;
  internalNotes: string;
  customFields: Record<string, unknown>;
  offerIds: string[];
  closedAt: number | null;
}
