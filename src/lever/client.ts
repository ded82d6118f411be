/**
 * The Lever client: every read and write Fulcrum makes against Lever's v1 API. Built on the
 * transport (auth, rate limit, retries, timeouts, typed errors), the paginator (stale-token
 * restarts) and the idempotent-write runner (ledger + checks against Lever before a retry).
 */
import type { Logger } from "pino";
import type { z } from "zod";
import { LeverPerformAsRequiredError, LeverResponseError } from "./errors.ts";
import { runIdempotentWrite, type WriteContext, type WriteSpec } from "./idempotent-write.ts";
import { paginate, type LeverList } from "./pagination.ts";
import type { RateLimiter, WriteLedger } from "./ports.ts";
import { createMemoryRateLimiter } from "./rate-limiter.ts";
import {
  leverArchiveReasonSchema,
  leverContactSchema,
  leverCreatedOpportunitySchema,
  leverEeoResponsesSchema,
  leverFeedbackSchema,
  leverFeedbackTemplateSchema,
  leverFileSchema,
  leverFormTemplateSchema,
  leverInterviewSchema,
  leverNoteSchema,
  leverOfferSchema,
  leverOpportunitySchema,
  leverPanelSchema,
  leverPostingApplyFormSchema,
  leverPostingSchema,
  leverProfileFormSchema,
  leverResumeSchema,
  leverSourceSchema,
  leverStageSchema,
  leverTagSchema,
  leverUserSchema,
  leverWebhookSubscriptionSchema,
  unwrapLeverData,
  type LeverEeoResponse,
  type LeverInterview,
  type LeverNote,
  type LeverOpportunity,
  type LeverPanel,
  type LeverPosting,
  type LeverProfileForm,
  type LeverUser,
  type LeverWebhookSubscription,
} from "./schemas.ts";
import { createTransport, type LeverAuth, type QueryValue, type Transport } from "./transport.ts";
import { hasWriteMarker, withWriteMarker } from "./write-marker.ts";
import { createMemoryWriteLedger } from "./write-ledger.ts";

/** Lever's production Data API root. */
export const LEVER_PRODUCTION_URL = "https://api.lever.co/v1";
/** Lever's sandbox Data API root. */
export const LEVER_SANDBOX_URL = "https://api.sandbox.lever.co/v1";
/** EU Data API root used by third-party clients (unconfirmed by Lever; reference §1.1). */
export const LEVER_EU_URL = "https://api.eu.lever.co/v1";

export interface LeverClientOptions {
  /** Data API root ending in `/v1`: production, sandbox, EU or any other (the Fulcrum sandbox). */
  baseUrl: string;
  auth: LeverAuth;
  /** The connection this client speaks for: the rate-limit bucket and the ledger are per connection. */
  connectionId: string;
  /** Lever user id that writes are attributed to (`perform_as`). */
  performAs?: string | undefined;
  /** Shared limiter (database-backed in deployments). Default: an in-memory bucket at 10/s, burst 20. */
  rateLimiter?: RateLimiter | undefined;
  /** Shared ledger (database-backed in deployments). Default: in memory, this process only. */
  ledger?: WriteLedger | undefined;
  fetch?: typeof fetch | undefined;
  /** Per attempt. Default 30 s. */
  timeoutMs?: number | undefined;
  /** Retries after the first attempt on 429, 5xx and network errors. Default 5. */
  maxRetries?: number | undefined;
  /** Backoff base and ceiling (full jitter). Defaults 500 ms and 30 s. */
  retryBaseMs?: number | undefined;
  retryMaxMs?: number | undefined;
  logger?: Logger | undefined;
}

/** Options every write takes. */
export interface WriteOptions {
  /** Idempotency key: the same key never writes twice. Use the id of the step that makes the write. */
  key: string;
  /** Overrides the client's perform-as user for this write. */
  performAs?: string | undefined;
  signal?: AbortSignal | undefined;
}

export interface ReadOptions {
  signal?: AbortSignal | undefined;
}

export interface NoteInput {
  /** The note text; `@username` mentions notify users. */
  value: string;
  secret?: boolean | undefined;
  /** 1 Strong No … 4 Strong Yes. */
  score?: 1 | 2 | 3 | 4 | null | undefined;
  notifyFollowers?: boolean | undefined;
  /** Back-dating (ms, past only). */
  createdAt?: number | undefined;
}

/** A profile form to fill on an opportunity: every field of its template, each with a value (null when left empty). */
export interface ProfileFormInput {
  baseTemplateId: string;
  /** The template's fields in its order, each with `value` set (`null` for an optional field left empty). */
  fields: ({ id?: string | null | undefined; type?: string | null | undefined; text?: string | null | undefined; value: unknown } & Record<string, unknown>)[];
  secret?: boolean | undefined;
}

export interface InterviewInput {
  subject?: string | undefined;
  note?: string | undefined;
  interviewers: { id: string; feedbackTemplate?: string | undefined }[];
  /** Start, ms since the epoch (an absolute instant). */
  date: number;
  /** Minutes. */
  duration: number;
  location?: string | undefined;
  feedbackTemplate?: string | undefined;
  feedbackReminder?: "once" | "daily" | "frequently" | "none" | undefined;
}

export interface PanelInput {
  /** IANA time zone (required by Lever). */
  timezone: string;
  interviews: (InterviewInput & { id?: string | undefined })[];
  applications?: string[] | undefined;
  feedbackReminder?: "once" | "daily" | "frequently" | "none" | undefined;
  note?: string | undefined;
  externalUrl?: string | undefined;
}

/**
 * The whole `PUT` body that leaves a fetched panel as it is. Lever's panel `PUT` replaces the panel
 * in full (an omitted field is deleted, an interview left out is deleted), so an update starts from
 * this and changes what it means to change; interviews keep their `id`, which keeps their feedback.
 * @throws {Error} when the panel has no time zone (Lever requires one on every write).
 * @example
 * const body = panelInputOf(await client.getPanel(oppId, panelId));
 * body.interviews[0]!.duration = 90;
 * await client.updatePanel(oppId, panelId, body, { key: "move-1" });
 */
export function panelInputOf(panel: LeverPanel): PanelInput & { interviews: (InterviewInput & { id?: string | undefined })[] } {
  if (!panel.timezone) throw new Error(`panel ${panel.id} has no timezone; Lever needs one to replace it`);
  const some = <T>(v: T | null | undefined): T | undefined => (v === null ? undefined : v);
  const reminder = (v: string | null | undefined) => some(v) as InterviewInput["feedbackReminder"];
  return {
    timezone: panel.timezone,
    applications: some(panel.applications),
    feedbackReminder: reminder(panel.feedbackReminder),
    note: some(panel.note),
    externalUrl: some(panel.externalUrl),
    interviews: (panel.interviews ?? []).map((i) => {
      if (typeof i.date !== "number" || typeof i.duration !== "number")
        throw new Error(`interview ${i.id ?? "?"} of panel ${panel.id} has no date or duration`);
      return {
        id: some(i.id),
        subject: some(i.subject),
        note: some(i.note),
        interviewers: (i.interviewers ?? []).map((p) => ({ id: p.id, feedbackTemplate: some(p.feedbackTemplate) })),
        date: i.date,
        duration: i.duration,
        location: some(i.location),
        feedbackTemplate: some(i.feedbackTemplate),
        feedbackReminder: reminder(i.feedbackReminder),
      };
    }),
  };
}

export interface StandaloneInterviewInput extends InterviewInput {
  /** The (API-created) panel the interview belongs to. */
  panel: string;
}

export interface OpportunityInput {
  name?: string | undefined;
  headline?: string | undefined;
  stage?: string | undefined;
  location?: string | undefined;
  phones?: { value: string; type?: string | undefined }[] | undefined;
  emails?: string[] | undefined;
  links?: string[] | undefined;
  tags?: string[] | undefined;
  sources?: string[] | undefined;
  origin?: string | undefined;
  owner?: string | undefined;
  followers?: string[] | undefined;
  /** At most one posting id (Lever rejects more). */
  postings?: string[] | undefined;
  createdAt?: number | undefined;
  archived?: { reason: string; archivedAt?: number | undefined } | undefined;
  contact?: string | undefined;
  opportunityLocation?: string | undefined;
}

export interface ResumeUpload {
  bytes: Uint8Array;
  filename: string;
  contentType?: string | undefined;
}

export interface WebhookInput {
  url: string;
  event: string;
  configuration?: { conditions?: { origins?: string[] } } | undefined;
}

export interface Download {
  bytes: Uint8Array;
  contentType: string | undefined;
  filename: string | undefined;
}

const enc = encodeURIComponent;

function parseWith<S extends z.ZodType>(schema: S, endpoint: string) {
  return (body: unknown): z.infer<S> => {
    const result = schema.safeParse(unwrapLeverData(body));
    if (!result.success) {
      const issue = result.error.issues[0];
      throw new LeverResponseError(endpoint, `${issue?.path.join(".") || "(root)"}: ${issue?.message ?? "invalid"}`);
    }
    return result.data;
  };
}

function filenameFrom(disposition: string | null): string | undefined {
  const match = disposition?.match(/filename\*?=(?:UTF-8'')?"?([^";]+)"?/i);
  return match?.[1] ? decodeURIComponent(match[1]) : undefined;
}

/**
 * Multipart form for `POST /opportunities` with a resume: arrays as `emails[]`, objects as
 * `archived[reason]`, phones as their values (`phones[]`), the file as `resumeFile`.
 */
export function opportunityFormData(input: OpportunityInput, resume: ResumeUpload): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(input)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) {
      // Phones go as their values: Lever's multipart form has no documented way to nest a phone's type.
      for (const item of value) {
        const v = typeof item === "object" && item !== null ? (item as { value: unknown }).value : item;
        form.append(`${name}[]`, String(v));
      }
    } else if (typeof value === "object") {
      for (const [k, v] of Object.entries(value)) if (v !== undefined) form.append(`${name}[${k}]`, String(v));
    } else form.append(name, String(value));
  }
  const blob = new Blob([resume.bytes as Uint8Array<ArrayBuffer>], { type: resume.contentType ?? "application/octet-stream" });
  form.append("resumeFile", blob, resume.filename);
  return form;
}

/**
 * A client for one Lever connection.
 * @example
 * const lever = createLeverClient({ baseUrl: LEVER_PRODUCTION_URL, auth: { kind: "apiKey", apiKey },
 *   connectionId: "acme", performAs: userId, rateLimiter, ledger });
 * for await (const opp of lever.listOpportunities({ stage_id: "applicant-new" })) console.log(opp.id);
 * await lever.addNote(opp.id, { value: "Screening summary …" }, { key: `run-42/step-3` });
 */
export function createLeverClient(options: LeverClientOptions) {
  const maxRetries = options.maxRetries ?? 5;
  const retryBaseMs = options.retryBaseMs ?? 500;
  const retryMaxMs = options.retryMaxMs ?? 30_000;
  const transport: Transport = createTransport({
    baseUrl: options.baseUrl,
    auth: options.auth,
    connectionId: options.connectionId,
    rateLimiter: options.rateLimiter ?? createMemoryRateLimiter(),
    fetch: options.fetch,
    timeoutMs: options.timeoutMs,
    maxRetries,
    retryBaseMs,
    retryMaxMs,
    logger: options.logger,
  });
  const writeContext: WriteContext = {
    transport,
    ledger: options.ledger ?? createMemoryWriteLedger(),
    maxRetries,
    retryBaseMs,
    retryMaxMs,
  };

  async function getOne<S extends z.ZodType>(
    schema: S,
    endpoint: string,
    path: string,
    query?: Record<string, QueryValue>,
    read?: ReadOptions,
  ): Promise<z.infer<S>> {
    const response = await transport.request({ method: "GET", endpoint, path, query, signal: read?.signal });
    return parseWith(schema, endpoint)(response.body);
  }

  function list<S extends z.ZodType>(schema: S, endpoint: string, path: string, query?: Record<string, QueryValue>, read?: ReadOptions): LeverList<z.infer<S>> {
    return paginate(transport, { schema, endpoint, path, query, signal: read?.signal });
  }

  async function download(endpoint: string, path: string, read?: ReadOptions): Promise<Download> {
    const response = await transport.request({ method: "GET", endpoint, path, binary: true, signal: read?.signal });
    return {
      bytes: response.bytes ?? new Uint8Array(),
      contentType: response.headers.get("content-type") ?? undefined,
      filename: filenameFrom(response.headers.get("content-disposition")),
    };
  }

  /** `perform_as` for a write: required ones fail before any call when no user is set. */
  function performAs(endpoint: string, write: WriteOptions, required: boolean): Record<string, QueryValue> {
    const user = write.performAs ?? options.performAs;
    if (!user) {
      if (required) throw new LeverPerformAsRequiredError(endpoint);
      return {};
    }
    return { perform_as: user };
  }

  function write<T>(spec: WriteSpec<T>): Promise<T> {
    return runIdempotentWrite(writeContext, spec);
  }

  const client = {
    connectionId: options.connectionId,
    baseUrl: options.baseUrl,

    // ---------------------------------------------------------------- reads

    /** `GET /opportunities/:id`, optionally with `expand` (applications, stage, owner, followers, sourcedBy, contact). */
    getOpportunity(id: string, opts: { expand?: string[] } & ReadOptions = {}) {
      return getOne(leverOpportunitySchema, "GET /opportunities/:opportunity", `/opportunities/${enc(id)}`, { expand: opts.expand }, opts);
    },
    /** `GET /opportunities` with Lever's filters (`stage_id`, `posting_id`, `email`, `updated_at_start`, …). */
    listOpportunities(filters: Record<string, QueryValue> = {}, read?: ReadOptions) {
      return list(leverOpportunitySchema, "GET /opportunities", "/opportunities", filters, read);
    },
    getContact(id: string, read?: ReadOptions) {
      return getOne(leverContactSchema, "GET /contacts/:contact", `/contacts/${enc(id)}`, undefined, read);
    },
    /**
     * `GET /postings/:id`, the whole posting (its `content` included). There is deliberately no
     * `include`: Lever's `include` restricts a response to the fields named, so `include=content`
     * would drop the title, categories and the rest.
     */
    getPosting(id: string, opts: { expand?: string[] } & ReadOptions = {}) {
      return getOne(leverPostingSchema, "GET /postings/:posting", `/postings/${enc(id)}`, { expand: opts.expand }, opts);
    },
    /**
     * `GET /postings` with Lever's filters. A list leaves out `content` and `followers`; naming them
     * in `include` pulls them in but also restricts each posting to the fields named, so a list that
     * needs content names every field it reads (`include: ["text", "content", "categories"]`).
     */
    listPostings(filters: Record<string, QueryValue> = {}, read?: ReadOptions) {
      return list(leverPostingSchema, "GET /postings", "/postings", filters, read);
    },
    /**
     * `GET /postings` once per distribution channel (`public`, then `internal`), merged by id. Lever
     * answers a `state=published` list with public-channel postings only unless a
     * `distributionChannel` is named, so a posting published only on the internal job site is
     * found only this way. A posting on both channels is yielded once.
     * @example
     * for await (const p of client.listPostingsOnEveryChannel({ state: "published" })) use(p.id);
     */
    listPostingsOnEveryChannel(filters: Record<string, QueryValue> = {}, read?: ReadOptions): LeverList<LeverPosting> {
      const channels = ["public", "internal"] as const;
      const iterate = async function* (): AsyncGenerator<LeverPosting> {
        const seen = new Set<string>();
        for (const distributionChannel of channels) {
          for await (const posting of list(leverPostingSchema, "GET /postings", "/postings", { ...filters, distributionChannel }, read)) {
            if (seen.has(posting.id)) continue;
            seen.add(posting.id);
            yield posting;
          }
        }
      };
      return {
        [Symbol.asyncIterator]: iterate,
        async toArray() {
          const out: LeverPosting[] = [];
          for await (const p of iterate()) out.push(p);
          return out;
        },
      };
    },
    getPostingApplyForm(id: string, read?: ReadOptions) {
      return getOne(leverPostingApplyFormSchema, "GET /postings/:posting/apply", `/postings/${enc(id)}/apply`, undefined, read);
    },
    listStages(read?: ReadOptions) {
      return list(leverStageSchema, "GET /stages", "/stages", {}, read);
    },
    /** `type`: `hired` or `non-hired`. */
    listArchiveReasons(filters: { type?: "hired" | "non-hired" } = {}, read?: ReadOptions) {
      return list(leverArchiveReasonSchema, "GET /archive_reasons", "/archive_reasons", filters, read);
    },
    listUsers(filters: Record<string, QueryValue> = {}, read?: ReadOptions) {
      return list(leverUserSchema, "GET /users", "/users", filters, read);
    },
    /** The active user with exactly this e-mail (Lever matches canonical e-mails exactly), or undefined. */
    async findUserByEmail(email: string, read?: ReadOptions): Promise<LeverUser | undefined> {
      for await (const user of list(leverUserSchema, "GET /users", "/users", { email }, read)) {
        if (user.email?.toLowerCase() === email.toLowerCase() || user.email === undefined) return user;
      }
      return undefined;
    },
    listNotes(opportunityId: string, read?: ReadOptions) {
      return list(leverNoteSchema, "GET /opportunities/:opportunity/notes", `/opportunities/${enc(opportunityId)}/notes`, {}, read);
    },
    listFeedback(opportunityId: string, read?: ReadOptions) {
      return list(leverFeedbackSchema, "GET /opportunities/:opportunity/feedback", `/opportunities/${enc(opportunityId)}/feedback`, {}, read);
    },
    listInterviews(opportunityId: string, read?: ReadOptions) {
      return list(leverInterviewSchema, "GET /opportunities/:opportunity/interviews", `/opportunities/${enc(opportunityId)}/interviews`, {}, read);
    },
    /** One interview of an opportunity (`GET /opportunities/:opportunity/interviews/:interview`). */
    getInterview(opportunityId: string, interviewId: string, read?: ReadOptions) {
      return getOne(
        leverInterviewSchema,
        "GET /opportunities/:opportunity/interviews/:interview",
        `/opportunities/${enc(opportunityId)}/interviews/${enc(interviewId)}`,
        undefined,
        read,
      );
    },
    listPanels(opportunityId: string, read?: ReadOptions) {
      return list(leverPanelSchema, "GET /opportunities/:opportunity/panels", `/opportunities/${enc(opportunityId)}/panels`, {}, read);
    },
    listOffers(opportunityId: string, read?: ReadOptions) {
      return list(leverOfferSchema, "GET /opportunities/:opportunity/offers", `/opportunities/${enc(opportunityId)}/offers`, {}, read);
    },
    listResumes(opportunityId: string, read?: ReadOptions) {
      return list(leverResumeSchema, "GET /opportunities/:opportunity/resumes", `/opportunities/${enc(opportunityId)}/resumes`, {}, read);
    },
    /** The resume file's bytes (through the API; the `downloadUrl` field points at the web app). */
    downloadResume(opportunityId: string, resumeId: string, read?: ReadOptions) {
      return download(
        "GET /opportunities/:opportunity/resumes/:resume/download",
        `/opportunities/${enc(opportunityId)}/resumes/${enc(resumeId)}/download`,
        read,
      );
    },
    listFiles(opportunityId: string, read?: ReadOptions) {
      return list(leverFileSchema, "GET /opportunities/:opportunity/files", `/opportunities/${enc(opportunityId)}/files`, {}, read);
    },
    downloadFile(opportunityId: string, fileId: string, read?: ReadOptions) {
      return download("GET /opportunities/:opportunity/files/:file/download", `/opportunities/${enc(opportunityId)}/files/${enc(fileId)}/download`, read);
    },
    listFeedbackTemplates(read?: ReadOptions) {
      return list(leverFeedbackTemplateSchema, "GET /feedback_templates", "/feedback_templates", {}, read);
    },
    /** `GET /form_templates`: the account's profile form templates. */
    listFormTemplates(read?: ReadOptions) {
      return list(leverFormTemplateSchema, "GET /form_templates", "/form_templates", {}, read);
    },
    /** `GET /form_templates/:id`. */
    getFormTemplate(id: string, read?: ReadOptions) {
      return getOne(leverFormTemplateSchema, "GET /form_templates/:template", `/form_templates/${enc(id)}`, undefined, read);
    },
    /** `GET /opportunities/:id/forms`: the profile forms filled on an opportunity. */
    listProfileForms(opportunityId: string, read?: ReadOptions) {
      return list(leverProfileFormSchema, "GET /opportunities/:opportunity/forms", `/opportunities/${enc(opportunityId)}/forms`, {}, read);
    },
    listTags(read?: ReadOptions) {
      return list(leverTagSchema, "GET /tags", "/tags", {}, read);
    },
    listSources(read?: ReadOptions) {
      return list(leverSourceSchema, "GET /sources", "/sources", {}, read);
    },
    /** Webhooks made through the API (not those made in Lever's settings). No signature tokens. */
    listWebhooks(read?: ReadOptions) {
      return list(leverWebhookSubscriptionSchema, "GET /webhooks", "/webhooks", {}, read);
    },
    /**
     * `GET /eeo/responses/pii`: candidates' EEO survey answers with their opportunity, for
     * applications made in the window (Lever's default when neither bound is given: the last
     * week). Needs the `eeo_responses_pii:read:admin` permission; a 403 is a LeverPermissionError
     * naming it. The answers are sensitive: aggregate them, never show or log them one by one.
     */
    async listEeoResponses(
      window: { createdAtStart?: number | Date | undefined; createdAtEnd?: number | Date | undefined } = {},
      read?: ReadOptions,
    ): Promise<LeverEeoResponse[]> {
      const endpoint = "GET /eeo/responses/pii";
      const ms = (t: number | Date | undefined) => (t instanceof Date ? t.getTime() : t);
      const query: Record<string, QueryValue> = { created_at_start: ms(window.createdAtStart), created_at_end: ms(window.createdAtEnd) };
      const all: LeverEeoResponse[] = [];
      // Lever does not document paging here; follow `next` if an account ever sends one.
      for (let pages = 0; pages < 1000; pages++) {
        const body = await getOne(leverEeoResponsesSchema, endpoint, "/eeo/responses/pii", query, read);
        all.push(...body.eeoResponses);
        if (!body.hasNext || !body.next) break;
        query.offset = body.next;
      }
      return all;
    },

    // ---------------------------------------------------------------- writes

    /**
     * Adds a note (or, with `noteId`, a threaded reply to that note). The text ends with the key's
     * marker (see write-marker.ts) so an unknown outcome can be checked by listing the notes.
     */
    async addNote(opportunityId: string, note: NoteInput, opts: WriteOptions & { noteId?: string | undefined }): Promise<LeverNote> {
      const endpoint = "POST /opportunities/:opportunity/notes";
      const query = { ...performAs(endpoint, opts, false), note_id: opts.noteId };
      const parse = parseWith(leverNoteSchema, endpoint);
      return write({
        key: opts.key,
        request: {
          method: "POST",
          endpoint,
          path: `/opportunities/${enc(opportunityId)}/notes`,
          query,
          json: { ...note, value: withWriteMarker(note.value, opts.key) },
          signal: opts.signal,
        },
        parse,
        leverId: (n) => n.id,
        check: async () => {
          for await (const existing of client.listNotes(opportunityId, opts)) {
            if (existing.fields?.some((f) => hasWriteMarker(f.value, opts.key))) return existing;
          }
          return undefined;
        },
      });
    },

    /**
     * Fills a profile form on an opportunity (`POST /opportunities/:id/forms`, perform_as optional).
     * Lever wants every field of the template, `null` for an optional one left empty. A form has
     * no free text to carry the key's marker, so an unknown outcome is checked by looking for a
     * form of the same template with the same values.
     */
    async createProfileForm(opportunityId: string, form: ProfileFormInput, opts: WriteOptions): Promise<LeverProfileForm> {
      const endpoint = "POST /opportunities/:opportunity/forms";
      return write({
        key: opts.key,
        request: {
          method: "POST",
          endpoint,
          path: `/opportunities/${enc(opportunityId)}/forms`,
          query: performAs(endpoint, opts, false),
          json: form,
          signal: opts.signal,
        },
        parse: parseWith(leverProfileFormSchema, endpoint),
        leverId: (f) => f.id,
        check: async () => {
          const wanted = new Map(form.fields.map((f) => [f.id ?? f.text, JSON.stringify(f.value ?? null)]));
          for await (const existing of client.listProfileForms(opportunityId, opts)) {
            if (existing.baseTemplateId !== form.baseTemplateId || existing.deletedAt) continue;
            const fields = existing.fields ?? [];
            if (fields.length === wanted.size && fields.every((f) => wanted.get(f.id ?? f.text) === JSON.stringify(f.value ?? null))) return existing;
          }
          return undefined;
        },
      });
    },

    async addTags(opportunityId: string, tags: string[], opts: WriteOptions) {
      return setMembership("addTags", "tags", opportunityId, tags, opts);
    },
    async removeTags(opportunityId: string, tags: string[], opts: WriteOptions) {
      return setMembership("removeTags", "tags", opportunityId, tags, opts);
    },
    /** Links are stored on the contact (shared by the person's opportunities). */
    async addLinks(opportunityId: string, links: string[], opts: WriteOptions) {
      return setMembership("addLinks", "links", opportunityId, links, opts);
    },
    async removeLinks(opportunityId: string, links: string[], opts: WriteOptions) {
      return setMembership("removeLinks", "links", opportunityId, links, opts);
    },
    async addSources(opportunityId: string, sources: string[], opts: WriteOptions) {
      return setMembership("addSources", "sources", opportunityId, sources, opts);
    },
    async removeSources(opportunityId: string, sources: string[], opts: WriteOptions) {
      return setMembership("removeSources", "sources", opportunityId, sources, opts);
    },

    /** Moves the opportunity to a stage (stage ids are not always UUIDs). */
    async changeStage(opportunityId: string, stageId: string, opts: WriteOptions): Promise<LeverOpportunity> {
      const endpoint = "PUT /opportunities/:opportunity/stage";
      return write({
        key: opts.key,
        request: {
          method: "PUT",
          endpoint,
          path: `/opportunities/${enc(opportunityId)}/stage`,
          query: performAs(endpoint, opts, false),
          json: { stage: stageId },
          signal: opts.signal,
        },
        parse: parseWith(leverOpportunitySchema, endpoint),
        leverId: (o) => o.id,
        check: async () => {
          const opp = await client.getOpportunity(opportunityId, opts);
          const current = typeof opp.stage === "object" && opp.stage !== null ? opp.stage.id : opp.stage;
          return current === stageId ? opp : undefined;
        },
      });
    },

    /**
     * Archives with a reason id, or unarchives with `null`. A hired-type reason with `requisitionId`
     * hires against that requisition.
     */
    async archive(
      opportunityId: string,
      reasonId: string | null,
      opts: WriteOptions & { cleanInterviews?: boolean | undefined; requisitionId?: string | undefined },
    ): Promise<LeverOpportunity> {
      const endpoint = "PUT /opportunities/:opportunity/archived";
      const json: Record<string, unknown> = { reason: reasonId };
      if (opts.cleanInterviews !== undefined) json.cleanInterviews = opts.cleanInterviews;
      if (opts.requisitionId !== undefined) json.requisitionId = opts.requisitionId;
      return write({
        key: opts.key,
        request: {
          method: "PUT",
          endpoint,
          path: `/opportunities/${enc(opportunityId)}/archived`,
          query: performAs(endpoint, opts, false),
          json,
          signal: opts.signal,
        },
        parse: parseWith(leverOpportunitySchema, endpoint),
        leverId: (o) => o.id,
        check: async () => {
          const opp = await client.getOpportunity(opportunityId, opts);
          const current = opp.archived?.reason ?? null;
          return current === reasonId ? opp : undefined;
        },
      });
    },
    /** Same as `archive(id, null, opts)`. */
    async unarchive(opportunityId: string, opts: WriteOptions): Promise<LeverOpportunity> {
      return client.archive(opportunityId, null, opts);
    },

    /** Creates an interview panel (perform_as required). Its note ends with the key's marker. */
    async createPanel(opportunityId: string, panel: PanelInput, opts: WriteOptions): Promise<LeverPanel> {
      const endpoint = "POST /opportunities/:opportunity/panels";
      const query = performAs(endpoint, opts, true);
      return write({
        key: opts.key,
        request: {
          method: "POST",
          endpoint,
          path: `/opportunities/${enc(opportunityId)}/panels`,
          query,
          json: { ...panel, note: withWriteMarker(panel.note, opts.key) },
          signal: opts.signal,
        },
        parse: parseWith(leverPanelSchema, endpoint),
        leverId: (p) => p.id,
        check: async () => {
          for await (const existing of client.listPanels(opportunityId, opts)) {
            if (hasWriteMarker(existing.note, opts.key) || hasWriteMarker(existing.externalUrl, opts.key)) return existing;
          }
          return undefined;
        },
      });
    },
    getPanel(opportunityId: string, panelId: string, read?: ReadOptions) {
      return getOne(
        leverPanelSchema,
        "GET /opportunities/:opportunity/panels/:panel",
        `/opportunities/${enc(opportunityId)}/panels/${enc(panelId)}`,
        undefined,
        read,
      );
    },
    /**
     * Changes an API-created panel: reads it, applies `edit` to its whole `PUT` body
     * ({@link panelInputOf}) and sends all of it, so what `edit` leaves alone (note and its write
     * marker, external link, reminders, other interviews and their ids) stays as it was.
     */
    async editPanel(
      opportunityId: string,
      panelId: string,
      edit: (current: ReturnType<typeof panelInputOf>) => PanelInput,
      opts: WriteOptions,
    ): Promise<LeverPanel> {
      const current = panelInputOf(await client.getPanel(opportunityId, panelId, opts));
      return client.updatePanel(opportunityId, panelId, edit(current), opts);
    },
    /**
     * Replaces an API-created panel whole: omitted fields are deleted and omitted interviews with
     * them; interviews named by `id` keep it. Send the full panel (see `editPanel`).
     */
    async updatePanel(opportunityId: string, panelId: string, panel: PanelInput, opts: WriteOptions): Promise<LeverPanel> {
      const endpoint = "PUT /opportunities/:opportunity/panels/:panel";
      const query = performAs(endpoint, opts, true);
      return write({
        key: opts.key,
        request: { method: "PUT", endpoint, path: `/opportunities/${enc(opportunityId)}/panels/${enc(panelId)}`, query, json: panel, signal: opts.signal },
        parse: parseWith(leverPanelSchema, endpoint),
        leverId: (p) => p.id,
        check: "repeat",
      });
    },
    async deletePanel(opportunityId: string, panelId: string, opts: WriteOptions): Promise<void> {
      const endpoint = "DELETE /opportunities/:opportunity/panels/:panel";
      return deleteWrite(endpoint, `/opportunities/${enc(opportunityId)}/panels/${enc(panelId)}`, panelId, opts, performAs(endpoint, opts, true));
    },

    /** Adds an interview to an API-created panel (perform_as required). Its note ends with the key's marker. */
    async createInterview(opportunityId: string, interview: StandaloneInterviewInput, opts: WriteOptions): Promise<LeverInterview> {
      const endpoint = "POST /opportunities/:opportunity/interviews";
      const query = performAs(endpoint, opts, true);
      return write({
        key: opts.key,
        request: {
          method: "POST",
          endpoint,
          path: `/opportunities/${enc(opportunityId)}/interviews`,
          query,
          json: { ...interview, note: withWriteMarker(interview.note, opts.key) },
          signal: opts.signal,
        },
        parse: parseWith(leverInterviewSchema, endpoint),
        leverId: (i) => i.id,
        check: async () => {
          for await (const existing of client.listInterviews(opportunityId, opts)) {
            if (hasWriteMarker(existing.note, opts.key)) return existing;
          }
          return undefined;
        },
      });
    },
    /** Replaces an API-created interview whole. */
    async updateInterview(opportunityId: string, interviewId: string, interview: StandaloneInterviewInput, opts: WriteOptions): Promise<LeverInterview> {
      const endpoint = "PUT /opportunities/:opportunity/interviews/:interview";
      const query = performAs(endpoint, opts, true);
      return write({
        key: opts.key,
        request: {
          method: "PUT",
          endpoint,
          path: `/opportunities/${enc(opportunityId)}/interviews/${enc(interviewId)}`,
          query,
          json: interview,
          signal: opts.signal,
        },
        parse: parseWith(leverInterviewSchema, endpoint),
        leverId: (i) => i.id,
        check: "repeat",
      });
    },
    async deleteInterview(opportunityId: string, interviewId: string, opts: WriteOptions): Promise<void> {
      const endpoint = "DELETE /opportunities/:opportunity/interviews/:interview";
      return deleteWrite(endpoint, `/opportunities/${enc(opportunityId)}/interviews/${enc(interviewId)}`, interviewId, opts, performAs(endpoint, opts, true));
    },

    /**
     * Creates an opportunity (perform_as required), as JSON or — with `resume` — as multipart with
     * the resume file (`parse: true` asks Lever to parse it). Lever dedupes by e-mail: `deduped` says
     * the person already existed. An unknown outcome is checked by e-mail + posting; without an
     * e-mail it cannot be checked and is reported as unknown rather than repeated.
     */
    async createOpportunity(
      input: OpportunityInput,
      opts: WriteOptions & { resume?: ResumeUpload | undefined; parse?: boolean | undefined; performAsPostingOwner?: boolean | undefined },
    ): Promise<{ deduped: boolean; opportunity: LeverOpportunity }> {
      const endpoint = "POST /opportunities";
      if ((input.postings?.length ?? 0) > 1) throw new TypeError("Lever accepts at most one posting id when creating an opportunity");
      const query: Record<string, QueryValue> = {
        ...performAs(endpoint, opts, true),
        parse: opts.parse ? true : undefined,
        perform_as_posting_owner: opts.performAsPostingOwner ? true : undefined,
      };
      const email = input.emails?.[0];
      const postingId = input.postings?.[0];
      const parse = parseWith(leverCreatedOpportunitySchema, endpoint);
      return write({
        key: opts.key,
        request: {
          method: "POST",
          endpoint,
          path: "/opportunities",
          query,
          // The envelope carries `deduped` beside `data`, so it is parsed whole (not unwrapped).
          ...(opts.resume ? { form: opportunityFormData(input, opts.resume) } : { json: input }),
          signal: opts.signal,
        },
        parse: (body) => {
          const created = leverCreatedOpportunitySchema.safeParse(body);
          if (!created.success) return { deduped: false, opportunity: parse({ data: body }).data };
          return { deduped: created.data.deduped ?? false, opportunity: created.data.data };
        },
        fromRecord: (record) => record as { deduped: boolean; opportunity: LeverOpportunity },
        leverId: (r) => r.opportunity.id,
        check: email
          ? async () => {
              for await (const opp of client.listOpportunities({ email, posting_id: postingId }, opts)) {
                return { deduped: false, opportunity: opp };
              }
              return undefined;
            }
          : "unverifiable",
      });
    },

    /**
     * Subscribes a URL to an event through the webhooks API. The answer carries
     * `configuration.signatureToken`, which Lever never shows again: store it. When an earlier attempt's
     * outcome is unknown and Lever has the subscription, its token is lost, so that subscription is
     * deleted and a new one made. A key already done returns the webhook without its token.
     */
    async createWebhook(input: WebhookInput, opts: WriteOptions): Promise<LeverWebhookSubscription> {
      const endpoint = "POST /webhooks";
      return write<LeverWebhookSubscription>({
        key: opts.key,
        request: { method: "POST", endpoint, path: "/webhooks", json: input, signal: opts.signal },
        parse: parseWith(leverWebhookSubscriptionSchema, endpoint),
        leverId: (w) => w.id,
        toRecord: (w) => ({ ...w, configuration: w.configuration ? { ...w.configuration, signatureToken: undefined } : w.configuration }),
        check: async () => {
          for await (const hook of client.listWebhooks(opts)) {
            if (hook.url === input.url && hook.event === input.event) {
              await transport.request({ method: "DELETE", endpoint: "DELETE /webhooks/:webhook", path: `/webhooks/${enc(hook.id)}`, signal: opts.signal });
            }
          }
          return undefined;
        },
      });
    },
    /** Bulk update of API-created webhooks (`url`, `configuration`). */
    async updateWebhooks(
      updates: { id: string; url?: string; configuration?: WebhookInput["configuration"] }[],
      opts: WriteOptions,
    ): Promise<LeverWebhookSubscription[]> {
      const endpoint = "PUT /webhooks";
      return write({
        key: opts.key,
        request: { method: "PUT", endpoint, path: "/webhooks", json: { data: updates }, signal: opts.signal },
        parse: (body) => {
          const data = unwrapLeverData(body);
          return (Array.isArray(data) ? data : [data]).map((item) => parseWith(leverWebhookSubscriptionSchema, endpoint)(item));
        },
        leverId: () => null,
        check: "repeat",
      });
    },
    async deleteWebhook(webhookId: string, opts: WriteOptions): Promise<void> {
      return deleteWrite("DELETE /webhooks/:webhook", `/webhooks/${enc(webhookId)}`, webhookId, opts, {});
    },
  };

  function setMembership(
    action: "addTags" | "removeTags" | "addLinks" | "removeLinks" | "addSources" | "removeSources",
    field: "tags" | "links" | "sources",
    opportunityId: string,
    values: string[],
    opts: WriteOptions,
  ): Promise<LeverOpportunity> {
    const endpoint = `POST /opportunities/:opportunity/${action}`;
    const adding = action.startsWith("add");
    return write({
      key: opts.key,
      request: {
        method: "POST",
        endpoint,
        path: `/opportunities/${enc(opportunityId)}/${action}`,
        query: performAs(endpoint, opts, false),
        json: { [field]: values },
        signal: opts.signal,
      },
      parse: parseWith(leverOpportunitySchema, endpoint),
      leverId: (o) => o.id,
      // Adding or removing set members twice changes nothing, but checking first saves the write.
      check: async () => {
        const opp = await client.getOpportunity(opportunityId, opts);
        const current = new Set(opp[field] ?? []);
        return values.every((v) => current.has(v) === adding) ? opp : undefined;
      },
    });
  }

  function deleteWrite(endpoint: string, path: string, id: string, opts: WriteOptions, query: Record<string, QueryValue>): Promise<void> {
    return write<void>({
      key: opts.key,
      request: { method: "DELETE", endpoint, path, query, signal: opts.signal },
      parse: () => undefined,
      fromRecord: () => undefined,
      leverId: () => id,
      check: "repeat",
      notFoundMeansDone: { value: undefined },
    });
  }

  return client;
}

/** A Lever client for one connection (see `createLeverClient`). */
export type LeverClient = ReturnType<typeof createLeverClient>;
