/**
 * zod schemas for every Lever object Fulcrum reads or writes, and for webhook deliveries. Types are
 * inferred from them, never written twice.
 *
 * Lever may add fields at any time, and its documentation and its real traffic disagree in places
 * (see the reference, section 7). So every object is loose (unknown fields kept), almost every field
 * is optional and nullable, timestamps are accepted as numbers or numeric strings (and normalised to
 * milliseconds), stage ids are plain strings (`lead-new`, `offer`, … are not UUIDs), archive reason
 * `type` may be null, and expandable fields accept either the id or the expanded object.
 */
import { z } from "zod";
import { leverEventNames, type LeverEventName } from "../config/index.ts";

/**
 * A Lever timestamp: milliseconds since the epoch. Lever sends integers, but some of its documented
 * examples carry them as strings (`"uploadedAt": "1468953420000"`); ISO dates are accepted too.
 */
export const leverTimestampSchema = z.union([z.number(), z.string()]).transform((value, ctx) => {
  if (typeof value === "number") return value;
  const trimmed = value.trim();
  if (/^-?\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  const parsed = Date.parse(trimmed);
  if (Number.isNaN(parsed)) {
    ctx.addIssue({ code: "custom", message: `not a timestamp: ${JSON.stringify(value.slice(0, 40))}` });
    return z.NEVER;
  }
  return parsed;
});

const ts = leverTimestampSchema.nullish();
const str = z.string().nullish();
const strings = z.array(z.string()).nullish();
const bool = z.boolean().nullish();
const num = z.number().nullish();

const SIZE_UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

/**
 * A file's `size` in bytes. Lever documents a number but sends a string too ("48213"); a size
 * with a unit ("1.2 MB") is read as bytes, anything else as unknown (null) rather than an error.
 */
const byteSize = z
  .union([z.number(), z.string()])
  .nullish()
  .transform((v) => {
    if (typeof v !== "string") return v;
    const m = /^\s*(\d+(?:\.\d+)?)\s*([kmg]?b)?\s*$/i.exec(v);
    return m ? Math.round(Number(m[1]) * SIZE_UNITS[(m[2] ?? "b").toLowerCase()]!) : null;
  });

/** An expandable reference: the id by default, the object when `expand=` asked for it. */
function ref<T extends z.ZodType>(expanded: T) {
  return z.union([z.string(), expanded]).nullish();
}

export const leverPhoneSchema = z.looseObject({ type: str, value: z.string().nullish() });

/** `{ archivedAt, reason }` on an opportunity or application, and in archive-change webhooks. */
export const leverArchivedSchema = z.looseObject({ archivedAt: ts, reason: str });

export const leverStageSchema = z.looseObject({ id: z.string(), text: str });
export type LeverStage = z.infer<typeof leverStageSchema>;

export const leverArchiveReasonSchema = z.looseObject({
  id: z.string(),
  text: str,
  status: str,
  /** `hired` or `non-hired`; real accounts send `null` for rejections — treat "not hired" as rejection. */
  type: str,
});
export type LeverArchiveReason = z.infer<typeof leverArchiveReasonSchema>;

export const leverUserSchema = z.looseObject({
  id: z.string(),
  name: str,
  username: str,
  email: str,
  createdAt: ts,
  deactivatedAt: ts,
  accessRole: str,
  photo: str,
  externalDirectoryId: str,
  linkedContactIds: strings,
  jobTitle: str,
  managerId: str,
});
export type LeverUser = z.infer<typeof leverUserSchema>;

export const leverContactSchema = z.looseObject({
  id: z.string(),
  name: str,
  headline: str,
  // Documented as `{ name }`; a plain string is what contact updates take, so accept both.
  location: z.union([z.string(), z.looseObject({ name: str })]).nullish(),
  emails: strings,
  phones: z.array(leverPhoneSchema).nullish(),
  isAnonymized: bool,
  dataProtection: z.record(z.string(), z.unknown()).nullish(),
});
export type LeverContact = z.infer<typeof leverContactSchema>;

export const leverApplicationSchema = z.looseObject({
  id: z.string(),
  opportunityId: str,
  candidateId: str,
  createdAt: ts,
  type: str,
  posting: ref(z.looseObject({ id: z.string() })),
  postingOwner: ref(leverUserSchema),
  postingHiringManager: ref(leverUserSchema),
  user: ref(leverUserSchema),
  name: str,
  email: str,
  phone: leverPhoneSchema.nullish(),
  company: str,
  links: strings,
  comments: str,
  customQuestions: z.array(z.unknown()).nullish(),
  archived: leverArchivedSchema.nullish(),
  requisitionForHire: z.looseObject({ id: str, requisitionCode: str, hiringManagerOnHire: str }).nullish(),
});
export type LeverApplication = z.infer<typeof leverApplicationSchema>;

export const leverOpportunitySchema = z.looseObject({
  id: z.string(),
  name: str,
  headline: str,
  contact: ref(leverContactSchema),
  /** A stage id (not always a UUID) or, with `expand=stage`, the stage. */
  stage: ref(leverStageSchema),
  stageChanges: z.array(z.looseObject({ toStageId: str, toStageIndex: num, userId: str, updatedAt: ts })).nullish(),
  confidentiality: str,
  location: str,
  phones: z.array(leverPhoneSchema).nullish(),
  emails: strings,
  links: strings,
  archived: leverArchivedSchema.nullish(),
  tags: strings,
  sources: strings,
  sourcedBy: ref(leverUserSchema),
  origin: str,
  owner: ref(leverUserSchema),
  followers: z.array(z.union([z.string(), leverUserSchema])).nullish(),
  applications: z.array(z.union([z.string(), leverApplicationSchema])).nullish(),
  createdAt: ts,
  updatedAt: ts,
  lastInteractionAt: ts,
  lastAdvancedAt: ts,
  snoozedUntil: ts,
  urls: z.looseObject({ list: str, show: str }).nullish(),
  dataProtection: z.record(z.string(), z.unknown()).nullish(),
  isAnonymized: bool,
  deletedBy: str,
  deletedAt: ts,
  opportunityLocation: str,
});
export type LeverOpportunity = z.infer<typeof leverOpportunitySchema>;

/** `POST /opportunities` answers `{ deduped, data }`. */
export const leverCreatedOpportunitySchema = z.looseObject({
  deduped: bool,
  data: leverOpportunitySchema,
});

export const leverPostingSchema = z.looseObject({
  id: z.string(),
  text: str,
  createdAt: ts,
  updatedAt: ts,
  state: str,
  distributionChannels: strings,
  confidentiality: str,
  user: ref(leverUserSchema),
  owner: ref(leverUserSchema),
  hiringManager: ref(leverUserSchema),
  categories: z.looseObject({ team: str, department: str, location: str, allLocations: strings, commitment: str, level: str }).nullish(),
  tags: strings,
  content: z
    .looseObject({
      description: str,
      descriptionHtml: str,
      lists: z.array(z.looseObject({ text: str, content: str })).nullish(),
      closing: str,
      closingHtml: str,
    })
    .nullish(),
  country: str,
  followers: z.array(z.union([z.string(), leverUserSchema])).nullish(),
  reqCode: str,
  requisitionCodes: strings,
  urls: z.looseObject({ list: str, show: str, apply: str }).nullish(),
  workplaceType: str,
  salaryDescription: str,
  salaryDescriptionHtml: str,
  salaryRange: z.looseObject({ min: num, max: num, currency: str, interval: str }).nullish(),
});
export type LeverPosting = z.infer<typeof leverPostingSchema>;

/** `GET /postings/:id/apply`: the application form's questions. */
export const leverPostingApplyFormSchema = z.looseObject({
  id: str,
  text: str,
  customQuestions: z.array(z.unknown()).nullish(),
  eeoQuestions: z.unknown().optional(),
  personalInformation: z.array(z.unknown()).nullish(),
  urls: z.array(z.unknown()).nullish(),
  consentDisclosures: z.unknown().optional(),
});
export type LeverPostingApplyForm = z.infer<typeof leverPostingApplyFormSchema>;

export const leverNoteFieldSchema = z.looseObject({
  type: str,
  text: str,
  value: z.unknown().optional(),
  createdAt: ts,
  user: ref(leverUserSchema),
  score: num,
  stage: str,
});

/**
 * A note. Lever's documentation says a create answers only `{ noteId }`; real responses carry the
 * whole note plus `noteId`. Either way the parsed note has an `id`.
 */
export const leverNoteSchema = z
  .looseObject({
    id: z.string().optional(),
    noteId: z.string().optional(),
    text: str,
    fields: z.array(leverNoteFieldSchema).nullish(),
    user: ref(leverUserSchema),
    secret: bool,
    createdAt: ts,
    completedAt: ts,
    deletedAt: ts,
  })
  .transform((note, ctx) => {
    const id = note.id ?? note.noteId;
    if (id === undefined) {
      ctx.addIssue({ code: "custom", message: "a note needs an id or a noteId", path: ["id"] });
      return z.NEVER;
    }
    return { ...note, id };
  });
export type LeverNote = z.infer<typeof leverNoteSchema>;

export const leverFormFieldSchema = z.looseObject({
  id: str,
  type: str,
  text: str,
  description: str,
  required: bool,
  options: z.array(z.looseObject({ text: str, optionId: str })).nullish(),
  prompt: str,
  value: z.unknown().optional(),
});

export const leverFeedbackSchema = z.looseObject({
  id: z.string(),
  type: str,
  text: str,
  instructions: str,
  baseTemplateId: str,
  fields: z.array(leverFormFieldSchema).nullish(),
  user: ref(leverUserSchema),
  panel: str,
  interview: str,
  createdAt: ts,
  updatedAt: ts,
  completedAt: ts,
  deletedAt: ts,
});
export type LeverFeedback = z.infer<typeof leverFeedbackSchema>;

export const leverFeedbackTemplateSchema = z.looseObject({
  id: z.string(),
  text: str,
  instructions: str,
  group: z.looseObject({ id: str, name: str }).nullish(),
  fields: z.array(leverFormFieldSchema).nullish(),
  createdAt: ts,
  updatedAt: ts,
});
export type LeverFeedbackTemplate = z.infer<typeof leverFeedbackTemplateSchema>;

export const leverInterviewerSchema = z.looseObject({
  id: z.string(),
  name: str,
  email: str,
  feedbackTemplate: str,
  responseStatus: str,
});

export const leverInterviewSchema = z.looseObject({
  id: z.string(),
  panel: str,
  subject: str,
  note: str,
  interviewers: z.array(leverInterviewerSchema).nullish(),
  timezone: str,
  createdAt: ts,
  date: ts,
  duration: num,
  location: str,
  feedbackTemplate: str,
  feedbackForms: z.array(z.unknown()).nullish(),
  feedbackReminder: str,
  user: ref(leverUserSchema),
  stage: ref(leverStageSchema),
  canceledAt: ts,
  postings: z.array(z.unknown()).nullish(),
  gcalEventUrl: str,
  opportunityId: str,
});
export type LeverInterview = z.infer<typeof leverInterviewSchema>;

export const leverPanelSchema = z.looseObject({
  id: z.string(),
  applications: strings,
  canceledAt: ts,
  createdAt: ts,
  start: ts,
  end: ts,
  timezone: str,
  feedbackReminder: str,
  user: ref(leverUserSchema),
  stage: ref(leverStageSchema),
  note: str,
  externallyManaged: bool,
  externalUrl: str,
  // Interviews inside a panel response carry fewer fields (no panel, sometimes null fields).
  interviews: z.array(leverInterviewSchema.partial({ id: true }).loose()).nullish(),
});
export type LeverPanel = z.infer<typeof leverPanelSchema>;

export const leverFileSchema = z.looseObject({
  id: str,
  downloadUrl: str,
  ext: str,
  name: str,
  uploadedAt: ts,
  status: str,
  size: byteSize,
});
export type LeverFile = z.infer<typeof leverFileSchema>;

const yearMonth = z.looseObject({ year: num, month: num }).nullish();

export const leverResumeSchema = z.looseObject({
  id: z.string(),
  createdAt: ts,
  file: leverFileSchema.nullish(),
  parsedData: z
    .looseObject({
      positions: z.array(z.looseObject({ org: str, title: str, summary: str, location: str, start: yearMonth, end: yearMonth })).nullish(),
      schools: z.array(z.looseObject({ org: str, degree: str, field: str, summary: str, start: yearMonth, end: yearMonth })).nullish(),
    })
    .nullish(),
});
export type LeverResume = z.infer<typeof leverResumeSchema>;

export const leverOfferSchema = z.looseObject({
  id: z.string(),
  createdAt: ts,
  creator: ref(leverUserSchema),
  status: str,
  fields: z.array(z.looseObject({ text: str, identifier: str, value: z.unknown().optional() })).nullish(),
  signatures: z.record(z.string(), z.unknown()).nullish(),
  sentDocument: z.looseObject({ fileName: str, uploadedAt: ts, downloadUrl: str }).nullish(),
  signedDocument: z.looseObject({ fileName: str, uploadedAt: ts, downloadUrl: str }).nullish(),
  approved: bool,
  approvedAt: ts,
  sentAt: ts,
  posting: str,
});
export type LeverOffer = z.infer<typeof leverOfferSchema>;

export const leverRequisitionSchema = z.looseObject({
  id: z.string(),
  requisitionCode: str,
  name: str,
  backfill: bool,
  confidentiality: str,
  approval: z.unknown().optional(),
  compensationBand: z.looseObject({ currency: str, interval: str, min: num, max: num }).nullish(),
  createdAt: ts,
  creator: str,
  customFields: z.unknown().optional(),
  employmentStatus: str,
  headcountHired: num,
  // An integer or the string "unlimited".
  headcountTotal: z.union([z.number(), z.string()]).nullish(),
  hiringManager: str,
  internalNotes: str,
  location: str,
  owner: str,
  postings: strings,
  department: str,
  team: str,
  offerIds: strings,
  status: str,
  closedAt: ts,
  updatedAt: ts,
  timeToFillStartAt: ts,
  timeToFillEndAt: ts,
});
export type LeverRequisition = z.infer<typeof leverRequisitionSchema>;

export const leverWebhookConfigurationSchema = z.looseObject({
  conditions: z.looseObject({ origins: strings }).nullish(),
  /** Only in the create response: keep it, Lever never shows it again. */
  signatureToken: str,
});

export const leverWebhookSubscriptionSchema = z.looseObject({
  id: z.string(),
  event: z.string(),
  url: z.string(),
  configuration: leverWebhookConfigurationSchema.nullish(),
  createdAt: ts,
  updatedAt: ts,
});
/** A webhook subscription made through `/webhooks` (named "Webhook" in Lever's documentation). */
export type LeverWebhookSubscription = z.infer<typeof leverWebhookSubscriptionSchema>;

export const leverTagSchema = z.looseObject({ text: z.string(), count: num });
export type LeverTag = z.infer<typeof leverTagSchema>;
export const leverSourceSchema = z.looseObject({ text: z.string(), count: num });
export type LeverSource = z.infer<typeof leverSourceSchema>;

/**
 * An EEO answer: Lever sends a string; anything else (an unexpected shape) reads as no answer
 * rather than failing the whole list, and a list of choices is kept as one joined answer.
 */
const eeoAnswer = z
  .unknown()
  .transform((v): string | null => {
    if (typeof v === "string") return v.trim() === "" ? null : v;
    if (Array.isArray(v) && v.every((x) => typeof x === "string") && v.length > 0) return v.join("; ");
    return null;
  })
  .optional();

/** A row of `GET /eeo/responses/pii` (reference §3.16). Lenient: only `opportunityId` is required. */
export const leverEeoResponseSchema = z.looseObject({
  opportunityId: z.string(),
  gender: eeoAnswer,
  race: eeoAnswer,
  veteran: eeoAnswer,
  disability: eeoAnswer,
  disabilitySignatureDate: ts,
  eeoSurveyRespondedAt: ts,
  appliedAt: ts,
  applicationArchivedAt: ts,
  hiredDate: ts,
  origin: str,
  source: str,
  currentStage: z.unknown().optional(),
  posting: z.unknown().optional(),
  contact: z.unknown().optional(),
  requisitionCodes: strings,
});
export type LeverEeoResponse = z.infer<typeof leverEeoResponseSchema>;
/** The body of `GET /eeo/responses/pii` once `data` is unwrapped. */
export const leverEeoResponsesSchema = z.looseObject({ eeoResponses: z.array(leverEeoResponseSchema), hasNext: z.boolean().nullish(), next: str });

/** A profile form filled on an opportunity (`/opportunities/:id/forms`). */
export const leverProfileFormSchema = z.looseObject({
  id: z.string(),
  type: str,
  text: str,
  instructions: str,
  baseTemplateId: str,
  fields: z.array(leverFormFieldSchema).nullish(),
  user: ref(leverUserSchema),
  stage: str,
  createdAt: ts,
  completedAt: ts,
  deletedAt: ts,
});
export type LeverProfileForm = z.infer<typeof leverProfileFormSchema>;

/**
 * A profile form template (`/form_templates`): the fields every profile form made from it carries.
 * Profile form fields are of the types currency, date, dropdown, multiple-choice, multiple-select,
 * text, textarea and yes-no (reference §3.14).
 */
export const leverFormTemplateSchema = z.looseObject({
  id: z.string(),
  text: str,
  instructions: str,
  group: z.looseObject({ id: str, name: str }).nullish(),
  secretByDefault: bool,
  fields: z.array(leverFormFieldSchema).nullish(),
  createdAt: ts,
  updatedAt: ts,
});
export type LeverFormTemplate = z.infer<typeof leverFormTemplateSchema>;
export type LeverFormField = z.infer<typeof leverFormFieldSchema>;

export const leverReferralSchema = z.looseObject({
  id: z.string(),
  type: str,
  text: str,
  instructions: str,
  baseTemplateId: str,
  fields: z.array(leverFormFieldSchema).nullish(),
  referrer: ref(leverUserSchema),
  user: ref(leverUserSchema),
  stage: str,
  createdAt: ts,
  completedAt: ts,
});
export type LeverReferral = z.infer<typeof leverReferralSchema>;

/** An audit event (`GET /audit_events`, an add-on). */
export const leverAuditEventSchema = z.looseObject({
  id: z.string(),
  createdAt: ts,
  type: str,
  user: z.unknown().optional(),
  target: z.unknown().optional(),
  meta: z.unknown().optional(),
});
export type LeverAuditEvent = z.infer<typeof leverAuditEventSchema>;

/** Lever's error body: `{ code, message }`. */
export const leverErrorBodySchema = z.looseObject({ code: str, message: str, error: z.unknown().optional() });

/** A list page: `{ data: [...], next?, hasNext? }` (small lists omit the last two). */
export const leverListPageSchema = z.looseObject({
  data: z.array(z.unknown()),
  next: z.string().nullish(),
  hasNext: z.boolean().nullish(),
});

/**
 * Takes the object out of a single-object response. Lever wraps it in `data`; some documented
 * create responses double that (`data.data`), real traffic does not — accept both.
 */
export function unwrapLeverData(body: unknown): unknown {
  if (typeof body !== "object" || body === null || !("data" in body)) return body;
  const outer = (body as { data: unknown }).data;
  if (typeof outer === "object" && outer !== null && !Array.isArray(outer) && "data" in outer && !("id" in outer)) {
    return (outer as { data: unknown }).data;
  }
  return outer;
}

// ---------------------------------------------------------------------------------------------
// Webhook deliveries

// Every event Lever delivers: the configuration validates them too, so the list lives there.
export { leverEventNames, type LeverEventName } from "../config/index.ts";

/**
 * The delivery envelope. `id` is in Lever's schema but not in its examples, so optional;
 * `signature` is absent when no signing token is configured; `data` is `{}` for test pings.
 */
export const leverWebhookSchema = z.looseObject({
  id: z.string().nullish(),
  event: z.string(),
  triggeredAt: leverTimestampSchema,
  token: z.string(),
  signature: z.string().nullish(),
  data: z
    .record(z.string(), z.unknown())
    .nullish()
    .transform((d) => d ?? {}),
});
export type LeverWebhook = z.infer<typeof leverWebhookSchema>;

const candidateEventBase = {
  opportunityId: z.string(),
  // Legacy: differs from opportunityId in some deliveries; key on opportunityId/contactId.
  candidateId: str,
  contactId: str,
};

export const leverApplicationCreatedDataSchema = z.looseObject({ ...candidateEventBase, applicationId: str });
export const leverCandidateHiredDataSchema = z.looseObject({ ...candidateEventBase });
export const leverCandidateStageChangeDataSchema = z.looseObject({
  ...candidateEventBase,
  fromStageId: str,
  toStageId: z.string(),
});
export const leverCandidateArchiveChangeDataSchema = z.looseObject({
  ...candidateEventBase,
  fromArchived: leverArchivedSchema.nullish(),
  /** null when the candidate was unarchived. */
  toArchived: leverArchivedSchema.nullish(),
});
export const leverCandidateDeletedDataSchema = z.looseObject({ ...candidateEventBase, deletedBy: str });
// Interview and contact event fields are unconfirmed (reference §5.3): everything optional.
export const leverInterviewEventDataSchema = z.looseObject({
  interviewId: str,
  panelId: str,
  opportunityId: str,
  contactId: str,
});
export const leverContactEventDataSchema = z.looseObject({ contactId: str });

/** The `data` schema of each event. */
export const leverWebhookDataSchemas = {
  applicationCreated: leverApplicationCreatedDataSchema,
  candidateHired: leverCandidateHiredDataSchema,
  candidateStageChange: leverCandidateStageChangeDataSchema,
  candidateArchiveChange: leverCandidateArchiveChangeDataSchema,
  candidateDeleted: leverCandidateDeletedDataSchema,
  interviewCreated: leverInterviewEventDataSchema,
  interviewUpdated: leverInterviewEventDataSchema,
  interviewDeleted: leverInterviewEventDataSchema,
  contactCreated: leverContactEventDataSchema,
  contactUpdated: leverContactEventDataSchema,
} as const;

export type LeverWebhookData = {
  [E in LeverEventName]: z.infer<(typeof leverWebhookDataSchemas)[E]>;
};

/** A parsed delivery: the envelope, plus the typed data unless it is a test ping or an unknown event. */
export type ParsedLeverWebhook =
  | { kind: "ping"; envelope: LeverWebhook }
  | { kind: "unknown-event"; envelope: LeverWebhook }
  | { [E in LeverEventName]: { kind: "event"; event: E; envelope: LeverWebhook; data: LeverWebhookData[E] } }[LeverEventName];

/**
 * Parses a delivery body. A test ping (`data: {}`) and an event Fulcrum does not know are not
 * errors — they are reported as such so the intake can acknowledge them.
 * @throws {z.ZodError} when the envelope or the event's data is malformed (with field paths).
 * @example
 * const parsed = parseLeverWebhook(JSON.parse(body));
 * if (parsed.kind === "event" && parsed.event === "candidateStageChange") use(parsed.data.toStageId);
 */
export function parseLeverWebhook(body: unknown): ParsedLeverWebhook {
  const envelope = leverWebhookSchema.parse(body);
  if (Object.keys(envelope.data).length === 0) return { kind: "ping", envelope };
  if (!(leverEventNames as readonly string[]).includes(envelope.event)) return { kind: "unknown-event", envelope };
  const event = envelope.event as LeverEventName;
  const data = leverWebhookDataSchemas[event].parse(envelope.data);
  return { kind: "event", event, envelope, data } as ParsedLeverWebhook;
}
