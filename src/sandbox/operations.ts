/**
 * Every state change the sandbox models, in one place. The HTTP API and the test helpers
 * (`sandbox.actions`) both call these, so a helper-caused event is exactly what the API would cause.
 * Validation errors are thrown as `SandboxError` with Lever's status codes.
 */
import { SandboxError, badRequest, notFound } from "./errors.ts";
import {
  origins,
  type ApiWebhookRecord,
  type ApplicationRecord,
  type ArchivedState,
  type ContactRecord,
  type FeedbackRecord,
  type FormField,
  type InterviewRecord,
  type NoteRecord,
  type OpportunityRecord,
  type Origin,
  type PanelRecord,
  type PostingRecord,
  type StoredFile,
} from "./model.ts";
import { leverEventNames, type LeverEventName } from "../lever/index.ts";
import { conditionalEvents, type EeoAnswers, type SandboxState } from "./state.ts";

/** Called for every state change that Lever would announce by webhook. */
export type EmitEvent = (event: LeverEventName, data: Record<string, unknown>, origin: Origin | null) => void;

export interface NewOpportunityInput {
  name?: unknown;
  headline?: unknown;
  stage?: unknown;
  location?: unknown;
  phones?: unknown;
  emails?: unknown;
  links?: unknown;
  tags?: unknown;
  sources?: unknown;
  origin?: unknown;
  owner?: unknown;
  followers?: unknown;
  postings?: unknown;
  createdAt?: unknown;
  archived?: unknown;
  contact?: unknown;
  opportunityLocation?: unknown;
}

export interface UploadedFile {
  name: string;
  contentType: string;
  bytes: Uint8Array;
}

const uploadLimitBytes = 30 * 1024 * 1024;

function stringArray(value: unknown, field: string): string[] {
  if (value === undefined || value === null) return [];
  if (typeof value === "string") return [value];
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) throw badRequest(`${field} must be an array of strings`);
  return value as string[];
}

function optionalString(value: unknown, field: string): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== "string") throw badRequest(`${field} must be a string`);
  return value;
}

function timestamp(value: unknown, field: string): number | null {
  if (value === undefined || value === null) return null;
  const n = typeof value === "string" && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== "number" || !Number.isFinite(n) || n < 0) throw badRequest(`${field} must be a timestamp in milliseconds`);
  return n;
}

function extensionOf(name: string): string {
  const dot = name.lastIndexOf(".");
  return dot >= 0 ? name.slice(dot + 1).toLowerCase() : "";
}

/** Lever parses these file types; anything else is stored but cannot be processed. */
const processableExtensions = new Set(["pdf", "docx", "doc", "txt", "rtf", "odt", "html"]);

export interface OperationsOptions {
  /**
   * Test-only escape hatch: accept `http://` webhook URLs whose host is a loopback address
   * (127.0.0.0/8, `::1`, `localhost`), so a test or a local demo can subscribe a server that has no
   * certificate. Lever itself accepts https only (reference §5.2); default false.
   */
  allowHttpLoopbackWebhooks?: boolean;
  /**
   * Which `data` fields interview events carry. Lever has not confirmed them (reference §5.3, §10):
   * the likely set, and the default, is all four; a test names fewer to see a receiver cope.
   */
  interviewEventFields?: readonly InterviewEventField[];
}

/** The `data` fields of `interviewCreated`/`Updated`/`Deleted` as the reference lists them (unconfirmed). */
export const interviewEventFields = ["interviewId", "panelId", "opportunityId", "contactId"] as const;
export type InterviewEventField = (typeof interviewEventFields)[number];

/** True for a URL host that can only be this machine. */
function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  return h === "localhost" || h === "::1" || /^127(\.\d{1,3}){3}$/.test(h);
}

export function createOperations(state: SandboxState, emit: EmitEvent, options: OperationsOptions = {}) {
  const now = state.now;
  const newId = (): string => state.rng.uuid();

  function user(id: string): void {
    const u = state.users.get(id);
    if (!u) throw badRequest(`User ${id} was not found`);
  }

  function opportunity(id: string): OpportunityRecord {
    const opp = state.opportunities.get(id);
    if (!opp || opp.deletedAt !== null) throw notFound("opportunities", id);
    return opp;
  }

  function contactOf(opp: OpportunityRecord): ContactRecord {
    const contact = state.contacts.get(opp.contact);
    if (!contact) throw new SandboxError(500, `contact ${opp.contact} of opportunity ${opp.id} is missing`);
    return contact;
  }

  function stageIndex(stageId: string): number {
    return state.stages.findIndex((s) => s.id === stageId);
  }

  function touch(opp: OpportunityRecord): void {
    const t = now();
    opp.updatedAt = t;
    opp.lastInteractionAt = t;
  }

  function candidateIds(opp: OpportunityRecord): Record<string, unknown> {
    return { opportunityId: opp.id, candidateId: opp.id, contactId: opp.contact };
  }

  function addTagsInternal(opp: OpportunityRecord, tags: string[]): void {
    for (const t of tags) if (!opp.tags.includes(t)) opp.tags.push(t);
  }

  function createApplication(
    opp: OpportunityRecord,
    postingId: string,
    type: ApplicationRecord["type"],
    by: string | null,
    extra: Partial<ApplicationRecord> = {},
  ): ApplicationRecord {
    const posting = state.postings.get(postingId);
    if (!posting) throw badRequest(`Posting ${postingId} was not found`);
    const contact = contactOf(opp);
    const application: ApplicationRecord = {
      id: newId(),
      opportunityId: opp.id,
      createdAt: now(),
      type,
      posting: postingId,
      user: type === "posting" ? null : by,
      name: contact.name,
      email: contact.emails[0] ?? null,
      phone: contact.phones[0] ?? null,
      company: null,
      links: [...contact.links],
      comments: null,
      customQuestions: [],
      archived: opp.archived,
      ...extra,
    };
    state.applications.set(application.id, application);
    opp.applications = [application.id];
    if (posting.confidentiality === "confidential") opp.confidentiality = "confidential";
    // Lever adds the posting's categories to the candidate as tags.
    addTagsInternal(
      opp,
      [posting.categories.department, posting.categories.team, posting.categories.commitment].filter((t): t is string => !!t),
    );
    return application;
  }

  function findContactByEmails(emails: string[]): ContactRecord | undefined {
    const wanted = new Set(emails.map((e) => e.toLowerCase()));
    for (const c of state.contacts.values()) if (c.emails.some((e) => wanted.has(e.toLowerCase()))) return c;
    return undefined;
  }

  function parseArchived(value: unknown): ArchivedState | null {
    if (value === undefined || value === null) return null;
    if (typeof value !== "object") throw badRequest("archived must be an object with reason and archivedAt");
    const v = value as { reason?: unknown; archivedAt?: unknown };
    const reason = optionalString(v.reason, "archived.reason");
    if (!reason || !state.archiveReasons.some((r) => r.id === reason)) throw badRequest(`Archive reason ${String(v.reason)} was not found`);
    return { reason, archivedAt: timestamp(v.archivedAt, "archived.archivedAt") ?? now() };
  }

  function parsePhones(value: unknown): { type: string | null; value: string }[] {
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) throw badRequest("phones must be an array of {value, type}");
    return value.map((p, i) => {
      if (typeof p === "string") return { type: null, value: p };
      if (!p || typeof p !== "object" || typeof (p as { value?: unknown }).value !== "string") throw badRequest(`phones[${i}].value must be a string`);
      const type = (p as { type?: unknown }).type;
      return { type: typeof type === "string" ? type : null, value: (p as { value: string }).value };
    });
  }

  function storeFile(map: Map<string, StoredFile>, opportunityId: string, file: UploadedFile, parsedData: StoredFile["parsedData"]): StoredFile {
    if (file.bytes.length > uploadLimitBytes) throw new SandboxError(413, "File is larger than the 30 MB limit.");
    const ext = extensionOf(file.name);
    const bytes = file.bytes;
    const stored: StoredFile = {
      id: newId(),
      opportunityId,
      name: file.name,
      ext,
      uploadedAt: now(),
      status: processableExtensions.has(ext) ? "processed" : "unsupported",
      contentType: file.contentType,
      bytes: async () => bytes,
      size: bytes.length,
      parsedData,
    };
    map.set(stored.id, stored);
    return stored;
  }

  /**
   * A resume added outside the API, as Lever's app adds one: an upload that Lever processed into
   * `status` (`error` or `unsupported` make its download answer 422), or — with `profile` — the
   * data Lever parsed from a candidate's LinkedIn or GitHub profile, which has no file at all.
   */
  function addResume(
    opportunityId: string,
    input: ({ file: UploadedFile; status?: StoredFile["status"] } | { profile: "LinkedIn" | "GitHub" }) & {
      parsedData?: StoredFile["parsedData"];
      uploadedAt?: number;
    },
  ): StoredFile {
    opportunity(opportunityId);
    const parsedData = input.parsedData ?? { positions: [], schools: [] };
    if ("file" in input) {
      const f = storeFile(state.resumes, opportunityId, input.file, parsedData);
      if (input.status !== undefined) f.status = input.status;
      if (input.uploadedAt !== undefined) f.uploadedAt = input.uploadedAt;
      return f;
    }
    const stored: StoredFile = {
      id: newId(),
      opportunityId,
      name: "",
      ext: "",
      uploadedAt: input.uploadedAt ?? now(),
      status: null,
      contentType: "",
      bytes: async () => new Uint8Array(),
      size: 0,
      parsedData,
      profile: input.profile,
    };
    state.resumes.set(stored.id, stored);
    return stored;
  }

  /** `POST /opportunities`. */
  function createOpportunity(
    input: NewOpportunityInput,
    performAs: string,
    resumeFile?: UploadedFile,
    files: UploadedFile[] = [],
  ): { deduped: boolean; opportunity: OpportunityRecord } {
    user(performAs);
    const emails = stringArray(input.emails, "emails");
    const postings = stringArray(input.postings, "postings");
    if (postings.length > 1) throw badRequest("Only one posting can be specified when creating an opportunity");
    for (const p of postings) if (!state.postings.has(p)) throw badRequest(`Posting ${p} was not found`);
    const stage = optionalString(input.stage, "stage") ?? "lead-new";
    if (stageIndex(stage) < 0) throw badRequest(`Stage ${stage} was not found`);
    const origin = (optionalString(input.origin, "origin") ?? "sourced") as Origin;
    if (!origins.includes(origin)) throw badRequest(`origin must be one of ${origins.join(", ")}`);
    const owner = optionalString(input.owner, "owner") ?? performAs;
    user(owner);
    const followers = stringArray(input.followers, "followers");
    for (const f of followers) user(f);
    const archived = parseArchived(input.archived);
    const createdAt = timestamp(input.createdAt, "createdAt") ?? now();
    const name = optionalString(input.name, "name");
    const explicitContact = optionalString(input.contact, "contact");

    let contact: ContactRecord | undefined;
    if (explicitContact) {
      contact = state.contacts.get(explicitContact);
      if (!contact) throw badRequest(`Contact ${explicitContact} was not found`);
    } else if (emails.length > 0) {
      contact = findContactByEmails(emails);
    }
    const deduped = contact !== undefined;
    if (!contact) {
      if (!name) throw badRequest("name is required when no existing contact matches");
      contact = {
        id: newId(),
        name,
        headline: optionalString(input.headline, "headline") ?? "",
        location: optionalString(input.location, "location"),
        emails,
        phones: parsePhones(input.phones),
        links: stringArray(input.links, "links"),
        isAnonymized: false,
        dataProtection: null,
        createdAt,
      };
      state.contacts.set(contact.id, contact);
    }
    const t = now();
    const opp: OpportunityRecord = {
      id: newId(),
      contact: contact.id,
      stage,
      stageChanges: [{ toStageId: stage, toStageIndex: stageIndex(stage), userId: performAs, updatedAt: createdAt }],
      confidentiality: "non-confidential",
      archived,
      tags: [],
      sources: stringArray(input.sources, "sources"),
      sourcedBy: origin === "sourced" ? performAs : null,
      origin,
      owner,
      followers: [...new Set([owner, ...followers])],
      applications: [],
      createdAt,
      updatedAt: t,
      lastInteractionAt: t,
      lastAdvancedAt: createdAt,
      snoozedUntil: null,
      dataProtection: null,
      isAnonymized: false,
      opportunityLocation: optionalString(input.opportunityLocation, "opportunityLocation") ?? "unspecified",
      deletedAt: null,
      deletedBy: null,
    };
    addTagsInternal(opp, stringArray(input.tags, "tags"));
    state.opportunities.set(opp.id, opp);
    let application: ApplicationRecord | null = null;
    if (postings[0]) application = createApplication(opp, postings[0], "user", performAs);
    if (resumeFile) storeFile(state.resumes, opp.id, resumeFile, { positions: [], schools: [] });
    for (const f of files) storeFile(state.files, opp.id, f, null);
    if (!deduped) emit("contactCreated", { contactId: contact.id }, null);
    if (application) emit("applicationCreated", { ...candidateIds(opp), applicationId: application.id }, origin);
    return { deduped, opportunity: opp };
  }

  /**
   * `POST /postings` (create) and `POST /postings/:id` (Lever's partial update, also a POST). Lever
   * bypasses approval workflows here and refuses confidential postings; `text` is required on
   * create, `owner` defaults to the perform-as user, `state` to draft and the channels to both; a
   * salary range needs all four of min, max, currency and interval or none. No webhook: Lever
   * sends none for postings.
   */
  function savePosting(id: string | null, input: Record<string, unknown>, performAs: string): PostingRecord {
    user(performAs);
    const existing = id === null ? undefined : state.postings.get(id);
    if (id !== null && !existing) throw notFound("postings", id);
    const known = new Set([
      "text",
      "state",
      "distributionChannels",
      "owner",
      "hiringManager",
      "categories",
      "tags",
      "content",
      "workplaceType",
      "requisitionCodes",
      "salaryDescriptionHtml",
      "salaryRange",
      "confidentiality",
    ]);
    for (const key of Object.keys(input)) if (!known.has(key)) throw badRequest(`Unknown posting field: ${key}`);
    if (input.confidentiality !== undefined && input.confidentiality !== (existing?.confidentiality ?? "non-confidential")) {
      throw badRequest(existing ? "confidentiality cannot be changed" : "Confidential postings cannot be created through the API");
    }
    const text = optionalString(input.text, "text");
    if (!existing && !text?.trim()) throw badRequest("text is required");
    const postingState = optionalString(input.state, "state");
    const states = ["published", "internal", "closed", "draft", "pending", "rejected"] as const;
    if (postingState !== null && !(states as readonly string[]).includes(postingState)) throw badRequest(`state must be one of ${states.join(", ")}`);
    const channels = input.distributionChannels === undefined ? null : stringArray(input.distributionChannels, "distributionChannels");
    if (channels && !channels.every((c) => c === "public" || c === "internal")) throw badRequest("distributionChannels may only hold public and internal");
    const owner = optionalString(input.owner, "owner");
    if (owner) user(owner);
    const hiringManager = optionalString(input.hiringManager, "hiringManager");
    if (hiringManager) user(hiringManager);
    const workplaceTypes = ["onsite", "remote", "hybrid", "unspecified"] as const;
    const workplaceType = optionalString(input.workplaceType, "workplaceType");
    if (workplaceType !== null && !(workplaceTypes as readonly string[]).includes(workplaceType))
      throw badRequest(`workplaceType must be one of ${workplaceTypes.join(", ")}`);
    let salaryRange = existing?.salaryRange ?? null;
    if (input.salaryRange !== undefined) {
      const r = input.salaryRange as Record<string, unknown> | null;
      if (r === null) salaryRange = null;
      else if (
        typeof r !== "object" ||
        typeof r.min !== "number" ||
        typeof r.max !== "number" ||
        typeof r.currency !== "string" ||
        typeof r.interval !== "string"
      ) {
        throw badRequest("salaryRange needs all of min, max (numbers), currency and interval, or none");
      } else salaryRange = { min: r.min, max: r.max, currency: r.currency, interval: r.interval };
    }
    const categoriesIn = (input.categories ?? {}) as Record<string, unknown>;
    if (typeof categoriesIn !== "object" || Array.isArray(categoriesIn)) throw badRequest("categories must be an object");
    const base = existing?.categories ?? { team: null, department: null, location: null, allLocations: [], commitment: null, level: null };
    const pick = (k: "team" | "department" | "location" | "commitment" | "level") =>
      k in categoriesIn ? optionalString(categoriesIn[k], `categories.${k}`) : base[k];
    const location = pick("location");
    const categories = {
      team: pick("team"),
      department: pick("department"),
      location,
      allLocations: location ? [location] : base.allLocations,
      commitment: pick("commitment"),
      level: pick("level"),
    };
    const contentIn = (input.content ?? {}) as Record<string, unknown>;
    if (typeof contentIn !== "object" || Array.isArray(contentIn)) throw badRequest("content must be an object");
    const lists = contentIn.lists === undefined ? (existing?.content.lists ?? []) : contentIn.lists;
    if (
      !Array.isArray(lists) ||
      !lists.every(
        (l) => l && typeof l === "object" && typeof (l as { text?: unknown }).text === "string" && typeof (l as { content?: unknown }).content === "string",
      )
    ) {
      throw badRequest("content.lists must be a list of { text, content } (content is <li> HTML)");
    }
    const plain = (html: string) =>
      html
        .replace(/<br\s*\/?>/gi, "\n")
        .replace(/<[^>]*>/g, "")
        .replace(/&amp;/g, "&")
        .replace(/&lt;/g, "<")
        .replace(/&gt;/g, ">")
        .replace(/&quot;/g, '"')
        .replace(/&#39;/g, "'")
        .trim();
    const descriptionHtml = optionalString(contentIn.descriptionHtml, "content.descriptionHtml") ?? existing?.content.descriptionHtml ?? "";
    const closingHtml = optionalString(contentIn.closingHtml, "content.closingHtml") ?? existing?.content.closingHtml ?? "";
    const salaryDescriptionHtml = optionalString(input.salaryDescriptionHtml, "salaryDescriptionHtml") ?? existing?.salaryDescriptionHtml ?? "";
    const requisitionCodes =
      input.requisitionCodes === undefined ? (existing?.requisitionCodes ?? []) : stringArray(input.requisitionCodes, "requisitionCodes");
    const at = now();
    const record: PostingRecord = {
      id: existing?.id ?? newId(),
      text: text?.trim() || existing!.text,
      createdAt: existing?.createdAt ?? at,
      updatedAt: at,
      user: existing?.user ?? performAs,
      owner: owner ?? existing?.owner ?? performAs,
      hiringManager: hiringManager ?? existing?.hiringManager ?? null,
      confidentiality: existing?.confidentiality ?? "non-confidential",
      categories,
      content: {
        description: plain(descriptionHtml),
        descriptionHtml,
        lists: lists as { text: string; content: string }[],
        closing: plain(closingHtml),
        closingHtml,
      },
      country: existing?.country ?? null,
      followers: existing?.followers ?? [performAs],
      tags: input.tags === undefined ? (existing?.tags ?? []) : stringArray(input.tags, "tags"),
      state: (postingState ?? existing?.state ?? "draft") as PostingRecord["state"],
      distributionChannels: (channels ?? existing?.distributionChannels ?? ["public", "internal"]) as PostingRecord["distributionChannels"],
      reqCode: requisitionCodes[0] ?? null,
      requisitionCodes,
      workplaceType: (workplaceType ?? existing?.workplaceType ?? "unspecified") as PostingRecord["workplaceType"],
      salaryDescription: plain(salaryDescriptionHtml),
      salaryDescriptionHtml,
      salaryRange,
    };
    state.postings.set(record.id, record);
    return record;
  }

  /** `POST /postings/:id/apply` (and the Postings API a candidate uses). */
  function applyToPosting(
    postingId: string,
    input: {
      name: string;
      email: string;
      phone?: string | null;
      location?: string | null;
      links?: string[];
      origin?: "applied" | "internal";
      resume?: UploadedFile;
      source?: string;
      eeo?: EeoAnswers | null;
    },
  ): { applicationId: string; opportunityId: string } {
    const posting = state.postings.get(postingId);
    if (!posting) throw notFound("postings", postingId);
    if (posting.state !== "published" && posting.state !== "internal") throw badRequest(`Posting ${postingId} is not accepting applications`);
    if (!input.name || !input.email) throw badRequest("personalInformation must include name and email");
    let contact = findContactByEmails([input.email]);
    const newContact = !contact;
    if (!contact) {
      contact = {
        id: newId(),
        name: input.name,
        headline: "",
        location: input.location ?? null,
        emails: [input.email],
        phones: input.phone ? [{ type: "mobile", value: input.phone }] : [],
        links: input.links ?? [],
        isAnonymized: false,
        dataProtection: null,
        createdAt: now(),
      };
      state.contacts.set(contact.id, contact);
    }
    const t = now();
    const origin = input.origin ?? "applied";
    const opp: OpportunityRecord = {
      id: newId(),
      contact: contact.id,
      stage: "applicant-new",
      stageChanges: [{ toStageId: "applicant-new", toStageIndex: stageIndex("applicant-new"), userId: null, updatedAt: t }],
      confidentiality: "non-confidential",
      archived: null,
      tags: [],
      sources: [input.source ?? "Posting"],
      sourcedBy: null,
      origin,
      owner: posting.owner,
      followers: [posting.owner, ...(posting.hiringManager ? [posting.hiringManager] : [])],
      applications: [],
      createdAt: t,
      updatedAt: t,
      lastInteractionAt: t,
      lastAdvancedAt: t,
      snoozedUntil: null,
      dataProtection: null,
      isAnonymized: false,
      opportunityLocation: posting.categories.location ?? "unspecified",
      deletedAt: null,
      deletedBy: null,
    };
    state.opportunities.set(opp.id, opp);
    const application = createApplication(opp, postingId, "posting", null);
    if (input.resume) storeFile(state.resumes, opp.id, input.resume, { positions: [], schools: [] });
    if (input.eeo) state.eeoResponses.set(opp.id, input.eeo);
    if (newContact) emit("contactCreated", { contactId: contact.id }, null);
    emit("applicationCreated", { ...candidateIds(opp), applicationId: application.id }, origin);
    return { applicationId: application.id, opportunityId: opp.id };
  }

  /** `PUT /opportunities/:id/stage`. */
  function changeStage(opportunityId: string, stageId: unknown, performAs: string | null): OpportunityRecord {
    const opp = opportunity(opportunityId);
    if (performAs) user(performAs);
    if (typeof stageId !== "string" || !stageId) throw badRequest("stage is required");
    const index = stageIndex(stageId);
    if (index < 0) throw badRequest(`Stage ${stageId} was not found`);
    const from = opp.stage;
    const t = now();
    opp.stage = stageId;
    opp.stageChanges.push({ toStageId: stageId, toStageIndex: index, userId: performAs, updatedAt: t });
    opp.lastAdvancedAt = t;
    touch(opp);
    emit("candidateStageChange", { ...candidateIds(opp), fromStageId: from, toStageId: stageId }, opp.origin);
    return opp;
  }

  /** `PUT /opportunities/:id/archived`; a `null` reason unarchives. */
  function archive(opportunityId: string, reasonId: unknown, performAs: string | null, options: { cleanInterviews?: unknown } = {}): OpportunityRecord {
    const opp = opportunity(opportunityId);
    if (performAs) user(performAs);
    if (reasonId !== null && typeof reasonId !== "string") throw badRequest("reason must be an archive reason id or null");
    const reason = reasonId === null ? null : state.archiveReasons.find((r) => r.id === reasonId);
    if (reasonId !== null && !reason) throw badRequest(`Archive reason ${String(reasonId)} was not found`);
    if (options.cleanInterviews !== undefined && typeof options.cleanInterviews !== "boolean") throw badRequest("cleanInterviews must be a boolean");
    const from = opp.archived;
    const to: ArchivedState | null = reason ? { reason: reason.id, archivedAt: now() } : null;
    opp.archived = to;
    for (const appId of opp.applications) {
      const app = state.applications.get(appId);
      if (app) app.archived = to;
    }
    touch(opp);
    if (to && options.cleanInterviews === true) {
      for (const panel of [...state.panels.values()].filter((p) => p.opportunityId === opp.id)) {
        for (const interview of panel.interviews.filter((i) => i.date > now())) {
          panel.interviews = panel.interviews.filter((i) => i !== interview);
          interviewEvent("interviewDeleted", interview, panel);
        }
        if (panel.interviews.length === 0) state.panels.delete(panel.id);
      }
    }
    emit("candidateArchiveChange", { ...candidateIds(opp), fromArchived: from, toArchived: to }, opp.origin);
    if (reason?.type === "hired") emit("candidateHired", candidateIds(opp), opp.origin);
    return opp;
  }

  function editList(opportunityId: string, performAs: string | null, field: "tags" | "sources" | "links", values: unknown, add: boolean): OpportunityRecord {
    const opp = opportunity(opportunityId);
    if (performAs) user(performAs);
    const list = stringArray(values, field);
    if (values === undefined) throw badRequest(`${field} is required`);
    const contact = contactOf(opp);
    const target = field === "links" ? contact.links : opp[field];
    const next = add ? [...target, ...list.filter((v) => !target.includes(v))] : target.filter((v) => !list.includes(v));
    if (field === "links") contact.links = next;
    else opp[field] = next;
    touch(opp);
    if (field === "links") emit("contactUpdated", { contactId: contact.id }, null);
    return opp;
  }

  /** Deletes an opportunity (Lever does this from its UI or a data-retention job; there is no API call). */
  function deleteOpportunity(opportunityId: string, deletedBy: string | null): void {
    const opp = opportunity(opportunityId);
    opp.deletedAt = now();
    opp.deletedBy = deletedBy;
    emit("candidateDeleted", { ...candidateIds(opp), deletedBy }, null);
  }

  /** `PUT /contacts/:id`. */
  function updateContact(contactId: string, body: Record<string, unknown>): ContactRecord {
    const contact = state.contacts.get(contactId);
    if (!contact) throw notFound("contacts", contactId);
    const name = optionalString(body.name, "name");
    const headline = optionalString(body.headline, "headline");
    const location = body.location === undefined ? contact.location : optionalString(body.location, "location");
    if (body.emails !== undefined) contact.emails = stringArray(body.emails, "emails");
    if (body.phones !== undefined) contact.phones = parsePhones(body.phones);
    if (name !== null) contact.name = name;
    if (headline !== null) contact.headline = headline;
    contact.location = location;
    emit("contactUpdated", { contactId: contact.id }, null);
    return contact;
  }

  /** `POST /opportunities/:id/notes`, optionally a reply in the thread `noteId`. */
  function addNote(opportunityId: string, body: Record<string, unknown>, performAs: string | null, noteId: string | null): NoteRecord {
    const opp = opportunity(opportunityId);
    if (performAs) user(performAs);
    if (typeof body.value !== "string" || body.value.trim() === "") throw badRequest("value is required");
    const score = body.score === undefined || body.score === null ? null : body.score;
    if (score !== null && (typeof score !== "number" || ![1, 2, 3, 4].includes(score))) throw badRequest("score must be 1, 2, 3 or 4");
    if (body.secret !== undefined && typeof body.secret !== "boolean") throw badRequest("secret must be a boolean");
    const createdAt = timestamp(body.createdAt, "createdAt") ?? now();
    if (createdAt > now() + 1000) throw badRequest("createdAt cannot be in the future");
    const field = {
      type: "note" as const,
      text: "Comment" as const,
      value: body.value,
      createdAt,
      user: performAs,
      score: score as number | null,
      stage: opp.stage,
    };
    let note: NoteRecord;
    if (noteId) {
      const existing = state.notes.get(noteId);
      if (!existing || existing.opportunityId !== opp.id || existing.deletedAt !== null) throw notFound("notes", noteId);
      existing.fields.push(field);
      existing.completedAt = createdAt;
      note = existing;
    } else {
      note = {
        id: newId(),
        opportunityId: opp.id,
        text: "Note",
        fields: [field],
        user: performAs,
        secret: body.secret === true,
        createdAt,
        completedAt: createdAt,
        deletedAt: null,
        createdViaApi: true,
      };
      state.notes.set(note.id, note);
    }
    touch(opp);
    return note;
  }

  function apiNote(opportunityId: string, noteId: string): NoteRecord {
    opportunity(opportunityId);
    const note = state.notes.get(noteId);
    if (!note || note.opportunityId !== opportunityId || note.deletedAt !== null) throw notFound("notes", noteId);
    if (!note.createdViaApi) throw badRequest(`Note ${noteId} was not created through the API and cannot be changed through it`);
    return note;
  }

  /** `PUT /opportunities/:id/notes/:noteId`: full replacement. */
  function updateNote(opportunityId: string, noteId: string, body: Record<string, unknown>): NoteRecord {
    const note = apiNote(opportunityId, noteId);
    const opp = opportunity(opportunityId);
    if (!Array.isArray(body.values) || body.values.length === 0) throw badRequest("values must be a non-empty array of {value, createdAt?}");
    const userId = optionalString(body.user, "user");
    if (userId) user(userId);
    const score = body.score === undefined || body.score === null ? null : body.score;
    if (score !== null && (typeof score !== "number" || ![1, 2, 3, 4].includes(score))) throw badRequest("score must be 1, 2, 3 or 4");
    note.fields = body.values.map((v: unknown, i: number) => {
      const value = (v as { value?: unknown })?.value;
      if (typeof value !== "string") throw badRequest(`values[${i}].value must be a string`);
      return {
        type: "note" as const,
        text: "Comment" as const,
        value,
        createdAt: timestamp((v as { createdAt?: unknown }).createdAt, `values[${i}].createdAt`) ?? now(),
        user: userId,
        score: score as number | null,
        stage: opp.stage,
      };
    });
    note.user = userId;
    note.secret = body.secret === true;
    note.createdAt = timestamp(body.createdAt, "createdAt") ?? note.createdAt;
    note.completedAt = timestamp(body.completedAt, "completedAt") ?? now();
    touch(opp);
    return note;
  }

  function deleteNote(opportunityId: string, noteId: string): void {
    const note = apiNote(opportunityId, noteId);
    note.deletedAt = now();
    state.notes.delete(note.id);
    touch(opportunity(opportunityId));
  }

  function parseInterview(value: unknown, index: number, existing: InterviewRecord | undefined): InterviewRecord {
    if (!value || typeof value !== "object") throw badRequest(`interviews[${index}] must be an object`);
    const v = value as Record<string, unknown>;
    const where = `interviews[${index}]`;
    if (!Array.isArray(v.interviewers) || v.interviewers.length === 0) throw badRequest(`${where}.interviewers must list at least one interviewer`);
    const interviewers = v.interviewers.map((i: unknown, j: number) => {
      const id = (i as { id?: unknown })?.id;
      if (typeof id !== "string") throw badRequest(`${where}.interviewers[${j}].id is required`);
      user(id);
      const ft = (i as { feedbackTemplate?: unknown }).feedbackTemplate;
      // An interviewer kept on a replaced interview keeps their answer to the invitation: it is
      // theirs, not a field of the request.
      const responseStatus = existing?.interviewers.find((x) => x.id === id)?.responseStatus ?? "needsAction";
      return { id, feedbackTemplate: typeof ft === "string" ? ft : null, responseStatus };
    });
    const date = timestamp(v.date, `${where}.date`);
    if (date === null) throw badRequest(`${where}.date is required`);
    if (typeof v.duration !== "number" || !Number.isInteger(v.duration) || v.duration < 1)
      throw badRequest(`${where}.duration must be a whole number of minutes, at least 1`);
    const feedbackTemplate = optionalString(v.feedbackTemplate, `${where}.feedbackTemplate`);
    if (feedbackTemplate && !state.feedbackTemplates.has(feedbackTemplate)) throw badRequest(`Feedback template ${feedbackTemplate} was not found`);
    return {
      id: existing?.id ?? newId(),
      subject: optionalString(v.subject, `${where}.subject`) ?? "",
      note: optionalString(v.note, `${where}.note`) ?? "",
      interviewers,
      createdAt: existing?.createdAt ?? now(),
      date,
      duration: v.duration,
      location: optionalString(v.location, `${where}.location`),
      feedbackTemplate,
      feedbackReminder: optionalString(v.feedbackReminder, `${where}.feedbackReminder`) ?? "frequently",
      canceledAt: existing?.canceledAt ?? null,
    };
  }

  function reminder(value: unknown, fallback: string): string {
    const r = optionalString(value, "feedbackReminder") ?? fallback;
    if (!["once", "daily", "frequently", "none"].includes(r)) throw badRequest("feedbackReminder must be once, daily, frequently or none");
    return r;
  }

  /**
   * The fields a panel request sets: everything a `PUT` replaces (an omitted one is deleted or back
   * to its default). What the request cannot name stays on a replaced panel: its id, creator,
   * creation time, stage, cancellation and `externallyManaged`; an interview named by its id keeps
   * that id, its creation time and so the feedback forms linked to it.
   */
  function panelBody(
    opp: OpportunityRecord,
    body: Record<string, unknown>,
    previous: PanelRecord | null,
  ): Pick<PanelRecord, "applications" | "timezone" | "feedbackReminder" | "note" | "externalUrl" | "interviews"> {
    if (typeof body.timezone !== "string" || !body.timezone) throw badRequest("timezone is required");
    try {
      new Intl.DateTimeFormat("en", { timeZone: body.timezone });
    } catch {
      throw badRequest(`timezone ${body.timezone} is not a valid IANA time zone`);
    }
    if (!Array.isArray(body.interviews) || body.interviews.length === 0) throw badRequest("interviews must be a non-empty array");
    let applications = opp.applications.filter((a) => state.applications.get(a)?.archived === null);
    if (body.applications !== undefined) {
      applications = stringArray(body.applications, "applications");
      if (applications.length === 0) throw badRequest("applications cannot be empty; omit it to use the active applications");
      for (const a of applications) if (!opp.applications.includes(a)) throw badRequest(`Application ${a} does not belong to opportunity ${opp.id}`);
    }
    const interviews = body.interviews.map((i: unknown, index: number) => {
      const wantedId = (i as { id?: unknown })?.id;
      const existing = typeof wantedId === "string" ? previous?.interviews.find((x) => x.id === wantedId) : undefined;
      if (typeof wantedId === "string" && !existing) throw badRequest(`interviews[${index}].id ${wantedId} is not an interview of this panel`);
      return parseInterview(i, index, existing);
    });
    return {
      applications,
      timezone: body.timezone,
      feedbackReminder: reminder(body.feedbackReminder, "daily"),
      note: optionalString(body.note, "note") ?? "",
      externalUrl: optionalString(body.externalUrl, "externalUrl"),
      interviews,
    };
  }

  /**
   * Interview events carry ids only (no candidate id: these are not candidate events); a receiver
   * reads the interview itself from the API.
   */
  function interviewEvent(event: LeverEventName, interview: InterviewRecord, panel: PanelRecord): void {
    const opp = state.opportunities.get(panel.opportunityId);
    const all: Record<InterviewEventField, string | null> = {
      interviewId: interview.id,
      panelId: panel.id,
      opportunityId: panel.opportunityId,
      contactId: opp?.contact ?? null,
    };
    const fields = options.interviewEventFields ?? interviewEventFields;
    emit(event, Object.fromEntries(fields.map((f) => [f, all[f]])), null);
  }

  function createPanel(opportunityId: string, body: Record<string, unknown>, performAs: string): PanelRecord {
    const opp = opportunity(opportunityId);
    user(performAs);
    const panel: PanelRecord = {
      id: newId(),
      opportunityId: opp.id,
      createdAt: now(),
      user: performAs,
      canceledAt: null,
      stage: opp.stage,
      externallyManaged: true,
      ...panelBody(opp, body, null),
    };
    state.panels.set(panel.id, panel);
    touch(opp);
    for (const i of panel.interviews) interviewEvent("interviewCreated", i, panel);
    return panel;
  }

  function managedPanel(opportunityId: string, panelId: string): PanelRecord {
    opportunity(opportunityId);
    const panel = state.panels.get(panelId);
    if (!panel || panel.opportunityId !== opportunityId) throw notFound("panels", panelId);
    if (!panel.externallyManaged)
      throw badRequest(`Panel ${panelId} is not externally managed (it was not created through the API) and cannot be changed through it`);
    return panel;
  }

  /** `PUT /opportunities/:id/panels/:panel`: full replacement; interviews without an id are new. */
  function updatePanel(opportunityId: string, panelId: string, body: Record<string, unknown>, performAs: string): PanelRecord {
    const panel = managedPanel(opportunityId, panelId);
    user(performAs);
    const opp = opportunity(opportunityId);
    const before = panel.interviews;
    Object.assign(panel, panelBody(opp, body, panel));
    touch(opp);
    for (const old of before) if (!panel.interviews.some((i) => i.id === old.id)) interviewEvent("interviewDeleted", old, panel);
    for (const i of panel.interviews) interviewEvent(before.some((b) => b.id === i.id) ? "interviewUpdated" : "interviewCreated", i, panel);
    return panel;
  }

  function deletePanel(opportunityId: string, panelId: string, performAs: string): void {
    const panel = managedPanel(opportunityId, panelId);
    user(performAs);
    state.panels.delete(panel.id);
    touch(opportunity(opportunityId));
    for (const i of panel.interviews) interviewEvent("interviewDeleted", i, panel);
  }

  function findInterview(opportunityId: string, interviewId: string): { panel: PanelRecord; interview: InterviewRecord } {
    opportunity(opportunityId);
    for (const panel of state.panels.values()) {
      if (panel.opportunityId !== opportunityId) continue;
      const interview = panel.interviews.find((i) => i.id === interviewId);
      if (interview) return { panel, interview };
    }
    throw notFound("interviews", interviewId);
  }

  function createInterview(opportunityId: string, body: Record<string, unknown>, performAs: string): { panel: PanelRecord; interview: InterviewRecord } {
    const opp = opportunity(opportunityId);
    user(performAs);
    if (typeof body.panel !== "string") throw badRequest("panel is required");
    const panel = managedPanel(opportunityId, body.panel);
    const interview = parseInterview(body, 0, undefined);
    interview.feedbackReminder = reminder(body.feedbackReminder, "frequently");
    panel.interviews.push(interview);
    touch(opp);
    interviewEvent("interviewCreated", interview, panel);
    return { panel, interview };
  }

  function updateInterview(
    opportunityId: string,
    interviewId: string,
    body: Record<string, unknown>,
    performAs: string,
  ): { panel: PanelRecord; interview: InterviewRecord } {
    const { panel, interview } = findInterview(opportunityId, interviewId);
    if (!panel.externallyManaged) throw badRequest(`Interview ${interviewId} is not externally managed and cannot be changed through the API`);
    user(performAs);
    const replaced = parseInterview(body, 0, interview);
    replaced.feedbackReminder = reminder(body.feedbackReminder, "frequently");
    panel.interviews = panel.interviews.map((i) => (i.id === interviewId ? replaced : i));
    touch(opportunity(opportunityId));
    interviewEvent("interviewUpdated", replaced, panel);
    return { panel, interview: replaced };
  }

  /** Deleting a panel's last interview deletes the panel too (as Lever does). */
  function deleteInterview(opportunityId: string, interviewId: string, performAs: string): void {
    const { panel, interview } = findInterview(opportunityId, interviewId);
    if (!panel.externallyManaged) throw badRequest(`Interview ${interviewId} is not externally managed and cannot be deleted through the API`);
    user(performAs);
    panel.interviews = panel.interviews.filter((i) => i.id !== interviewId);
    if (panel.interviews.length === 0) state.panels.delete(panel.id);
    touch(opportunity(opportunityId));
    interviewEvent("interviewDeleted", interview, panel);
  }

  function feedbackValues(fields: FormField[], values: unknown): FormField[] {
    if (values === undefined) return fields.map((f) => ({ ...f }));
    if (!Array.isArray(values)) throw badRequest("fieldValues must be an array of {id, value}");
    const byId = new Map<string, unknown>();
    values.forEach((v: unknown, i: number) => {
      const id = (v as { id?: unknown })?.id;
      if (typeof id !== "string") throw badRequest(`fieldValues[${i}].id is required`);
      if (!fields.some((f) => f.id === id)) throw badRequest(`fieldValues[${i}].id ${id} is not a field of the template`);
      byId.set(id, (v as { value?: unknown }).value ?? null);
    });
    return fields.map((f) => ({ ...f, value: byId.has(f.id) ? byId.get(f.id) : (f.value ?? null) }));
  }

  /** `POST /opportunities/:id/feedback` (perform_as required: the submitter). */
  function createFeedback(opportunityId: string, body: Record<string, unknown>, performAs: string): FeedbackRecord {
    const opp = opportunity(opportunityId);
    user(performAs);
    const templateId = optionalString(body.baseTemplateId, "baseTemplateId");
    if (!templateId) throw badRequest("baseTemplateId is required");
    const template = state.feedbackTemplates.get(templateId);
    if (!template) throw badRequest(`Feedback template ${templateId} was not found`);
    const panelId = optionalString(body.panel, "panel");
    const interviewId = optionalString(body.interview, "interview");
    if ((panelId === null) !== (interviewId === null)) throw badRequest("panel and interview must be given together or not at all");
    if (panelId && interviewId) {
      const found = findInterview(opp.id, interviewId);
      if (found.panel.id !== panelId) throw badRequest(`Interview ${interviewId} is not part of panel ${panelId}`);
    }
    const createdAt = timestamp(body.createdAt, "createdAt") ?? now();
    const feedback: FeedbackRecord = {
      id: newId(),
      opportunityId: opp.id,
      type: panelId ? "interview" : "share",
      text: template.text,
      instructions: template.instructions,
      baseTemplateId: template.id,
      fields: feedbackValues(template.fields, body.fieldValues),
      user: performAs,
      panel: panelId,
      interview: interviewId,
      createdAt,
      updatedAt: createdAt,
      completedAt: timestamp(body.completedAt, "completedAt"),
      deletedAt: null,
    };
    state.feedback.set(feedback.id, feedback);
    touch(opp);
    return feedback;
  }

  function existingFeedback(opportunityId: string, feedbackId: string): FeedbackRecord {
    opportunity(opportunityId);
    const f = state.feedback.get(feedbackId);
    if (!f || f.opportunityId !== opportunityId || f.deletedAt !== null) throw notFound("feedback", feedbackId);
    return f;
  }

  /** `PUT /opportunities/:id/feedback/:feedbackId`: new field values and/or completion. */
  function updateFeedback(opportunityId: string, feedbackId: string, body: Record<string, unknown>, performAs: string): FeedbackRecord {
    const f = existingFeedback(opportunityId, feedbackId);
    user(performAs);
    f.fields = feedbackValues(f.fields, body.fieldValues);
    if (body.completedAt !== undefined) f.completedAt = timestamp(body.completedAt, "completedAt");
    f.updatedAt = now();
    return f;
  }

  function deleteFeedback(opportunityId: string, feedbackId: string, performAs: string): void {
    const f = existingFeedback(opportunityId, feedbackId);
    user(performAs);
    f.deletedAt = now();
  }

  function webhookConfiguration(event: string, configuration: unknown): ApiWebhookRecord["configuration"] {
    const conditions = (configuration as { conditions?: { origins?: unknown } } | undefined)?.conditions;
    if (!conditionalEvents.includes(event as LeverEventName)) {
      if (conditions) throw badRequest(`Event ${event} does not accept conditions`);
      return {};
    }
    if (conditions === undefined) return { conditions: { origins: [...origins] } };
    const list = stringArray(conditions.origins, "configuration.conditions.origins");
    for (const o of list) if (!origins.includes(o as Origin)) throw badRequest(`Unknown origin ${o}`);
    return { conditions: { origins: list as Origin[] } };
  }

  /** Lever delivers over https only, so it refuses any other webhook URL on create and update. */
  function checkUrl(url: unknown, field = "url"): string {
    if (typeof url !== "string" || url === "") throw badRequest(`${field} is required`);
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw badRequest(`${field} ${url} is not a valid URL`);
    }
    if (parsed.protocol === "https:") return url;
    if (parsed.protocol === "http:" && options.allowHttpLoopbackWebhooks && isLoopbackHost(parsed.hostname)) return url;
    throw badRequest(`${field} ${url} must use https: Lever delivers webhooks over https only`);
  }

  /** `POST /webhooks`. */
  function createWebhook(body: Record<string, unknown>): ApiWebhookRecord {
    const url = checkUrl(body.url);
    if (typeof body.event !== "string" || !leverEventNames.includes(body.event as LeverEventName))
      throw badRequest(`event must be one of ${leverEventNames.join(", ")}`);
    const t = now();
    const hook: ApiWebhookRecord = {
      id: newId(),
      event: body.event,
      url,
      configuration: webhookConfiguration(body.event, body.configuration),
      signatureToken: state.rng.hex(48),
      createdAt: t,
      updatedAt: t,
    };
    state.apiWebhooks.set(hook.id, hook);
    return hook;
  }

  /** `PUT /webhooks`: bulk update of API-created webhooks. */
  function updateWebhooks(body: Record<string, unknown>): ApiWebhookRecord[] {
    if (!Array.isArray(body.data)) throw badRequest("data must be an array of {id, url?, configuration?}");
    const updates = body.data.map((u: unknown, i: number) => {
      const id = (u as { id?: unknown })?.id;
      if (typeof id !== "string") throw badRequest(`data[${i}].id is required`);
      const hook = state.apiWebhooks.get(id);
      if (!hook) throw notFound("webhooks", id);
      const v = u as { url?: unknown; configuration?: unknown };
      return {
        hook,
        url: v.url === undefined ? hook.url : checkUrl(v.url, `data[${i}].url`),
        configuration: v.configuration === undefined ? hook.configuration : webhookConfiguration(hook.event, v.configuration),
      };
    });
    return updates.map(({ hook, url, configuration }) => {
      hook.url = url;
      hook.configuration = configuration;
      hook.updatedAt = now();
      return hook;
    });
  }

  function deleteWebhook(id: string): void {
    if (!state.apiWebhooks.delete(id)) throw notFound("webhooks", id);
  }

  return {
    opportunity,
    contactOf,
    createOpportunity,
    applyToPosting,
    createPosting: (input: Record<string, unknown>, performAs: string) => savePosting(null, input, performAs),
    updatePosting: (id: string, input: Record<string, unknown>, performAs: string) => savePosting(id, input, performAs),
    changeStage,
    archive,
    addTags: (id: string, tags: unknown, pa: string | null) => editList(id, pa, "tags", tags, true),
    removeTags: (id: string, tags: unknown, pa: string | null) => editList(id, pa, "tags", tags, false),
    addLinks: (id: string, links: unknown, pa: string | null) => editList(id, pa, "links", links, true),
    removeLinks: (id: string, links: unknown, pa: string | null) => editList(id, pa, "links", links, false),
    addSources: (id: string, sources: unknown, pa: string | null) => editList(id, pa, "sources", sources, true),
    removeSources: (id: string, sources: unknown, pa: string | null) => editList(id, pa, "sources", sources, false),
    deleteOpportunity,
    updateContact,
    addNote,
    updateNote,
    deleteNote,
    createPanel,
    updatePanel,
    deletePanel,
    createInterview,
    updateInterview,
    deleteInterview,
    findInterview,
    createFeedback,
    updateFeedback,
    deleteFeedback,
    createWebhook,
    updateWebhooks,
    deleteWebhook,
    storeFile,
    addResume,
  };
}

export type Operations = ReturnType<typeof createOperations>;
