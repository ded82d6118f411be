/**
 * Turns records into the JSON Lever sends (field names and nesting as in the reference's recorded
 * traffic), including `expand` of referenced ids.
 */
import type {
  ApiWebhookRecord,
  ApplicationRecord,
  ContactRecord,
  FeedbackRecord,
  InterviewRecord,
  NoteRecord,
  OfferRecord,
  OpportunityRecord,
  PanelRecord,
  PostingRecord,
  StoredFile,
  UserRecord,
} from "./model.ts";
import type { SandboxState } from "./state.ts";

export const webAppUrl = "https://hire.sandbox.lever.co";
const jobsUrl = "https://jobs.sandbox.lever.co/fulcrum-demo";

type Json = Record<string, unknown>;

export function userJson(u: UserRecord): Json {
  return { ...u };
}

export function contactJson(c: ContactRecord): Json {
  return {
    id: c.id,
    name: c.name,
    headline: c.headline,
    isAnonymized: c.isAnonymized,
    location: c.location === null ? null : { name: c.location },
    emails: c.emails,
    phones: c.phones,
    ...(c.dataProtection ? { dataProtection: c.dataProtection } : {}),
  };
}

function expandUser(state: SandboxState, id: string | null, expand: boolean): unknown {
  if (!expand || id === null) return id;
  const u = state.users.get(id);
  return u ? userJson(u) : id;
}

export function applicationJson(state: SandboxState, a: ApplicationRecord, expand: Set<string> = new Set()): Json {
  const posting = a.posting ? state.postings.get(a.posting) : undefined;
  return {
    id: a.id,
    opportunityId: a.opportunityId,
    candidateId: a.opportunityId,
    createdAt: a.createdAt,
    type: a.type,
    posting: expand.has("posting") && posting ? postingJson(state, posting, { content: true }) : a.posting,
    postingHiringManager: posting?.hiringManager ?? null,
    postingOwner: posting?.owner ?? null,
    user: expandUser(state, a.user, expand.has("user")),
    name: a.name,
    email: a.email,
    phone: a.phone,
    company: a.company,
    links: a.links,
    comments: a.comments,
    customQuestions: a.customQuestions,
    archived: a.archived,
    requisitionForHire: null,
    ownerId: posting?.owner ?? null,
    hiringManager: posting?.hiringManager ?? null,
    resume: null,
  };
}

/** `expand` may name applications, stage, owner, followers, sourcedBy, contact. */
export function opportunityJson(state: SandboxState, o: OpportunityRecord, expand: Set<string> = new Set()): Json {
  const contact = state.contacts.get(o.contact);
  const stage = state.stages.find((s) => s.id === o.stage);
  const json: Json = {
    id: o.id,
    name: contact?.name ?? "",
    headline: contact?.headline ?? "",
    contact: expand.has("contact") && contact ? contactJson(contact) : o.contact,
    emails: contact?.emails ?? [],
    phones: contact?.phones ?? [],
    confidentiality: o.confidentiality,
    location: contact?.location ?? "",
    links: contact?.links ?? [],
    archived: o.archived,
    createdAt: o.createdAt,
    updatedAt: o.updatedAt,
    lastInteractionAt: o.lastInteractionAt,
    lastAdvancedAt: o.lastAdvancedAt,
    snoozedUntil: o.snoozedUntil,
    urls: { list: `${webAppUrl}/candidates`, show: `${webAppUrl}/candidates/${o.id}` },
    isAnonymized: o.isAnonymized,
    dataProtection: o.dataProtection,
    stage: expand.has("stage") && stage ? { ...stage } : o.stage,
    stageChanges: o.stageChanges,
    owner: expandUser(state, o.owner, expand.has("owner")),
    tags: o.tags,
    sources: o.sources,
    origin: o.origin,
    sourcedBy: expandUser(state, o.sourcedBy, expand.has("sourcedBy")),
    applications: expand.has("applications")
      ? o.applications.flatMap((id) => {
          const a = state.applications.get(id);
          return a ? [applicationJson(state, a)] : [];
        })
      : o.applications,
    followers: expand.has("followers") ? o.followers.map((f) => expandUser(state, f, true)) : o.followers,
    opportunityLocation: o.opportunityLocation,
  };
  if (o.deletedAt !== null) {
    json.deletedAt = o.deletedAt;
    json.deletedBy = o.deletedBy;
  }
  return json;
}

export function postingJson(state: SandboxState, p: PostingRecord, options: { content?: boolean; followers?: boolean; expand?: Set<string> } = {}): Json {
  const expand = options.expand ?? new Set<string>();
  const json: Json = {
    id: p.id,
    text: p.text,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
    user: expandUser(state, p.user, expand.has("user")),
    owner: expandUser(state, p.owner, expand.has("owner")),
    hiringManager: expandUser(state, p.hiringManager, expand.has("hiringManager")),
    confidentiality: p.confidentiality,
    categories: p.categories,
    tags: p.tags,
    state: p.state,
    distributionChannels: p.distributionChannels,
    reqCode: p.reqCode,
    requisitionCodes: p.requisitionCodes,
    salaryDescription: p.salaryDescription,
    salaryDescriptionHtml: p.salaryDescriptionHtml,
    ...(p.salaryRange ? { salaryRange: p.salaryRange } : {}),
    urls: { list: jobsUrl, show: `${jobsUrl}/${p.id}`, apply: `${jobsUrl}/${p.id}/apply` },
    workplaceType: p.workplaceType,
    country: p.country,
  };
  if (options.content) json.content = p.content;
  if (options.followers || expand.has("followers")) json.followers = expand.has("followers") ? p.followers.map((f) => expandUser(state, f, true)) : p.followers;
  return json;
}

export function noteJson(n: NoteRecord): Json {
  return {
    id: n.id,
    text: n.text,
    fields: n.fields,
    user: n.user,
    secret: n.secret,
    createdAt: n.createdAt,
    completedAt: n.completedAt,
    deletedAt: n.deletedAt,
  };
}

export function feedbackJson(f: FeedbackRecord): Json {
  const { opportunityId, ...rest } = f;
  return { ...rest, panelId: f.panel, interviewId: f.interview, profileId: opportunityId, isCompleted: f.completedAt !== null };
}

function interviewerJson(state: SandboxState, i: InterviewRecord["interviewers"][number]): Json {
  const u = state.users.get(i.id);
  return { id: i.id, email: u?.email ?? null, name: u?.name ?? null, responseStatus: i.responseStatus, feedbackTemplate: i.feedbackTemplate };
}

function panelInterviewJson(state: SandboxState, i: InterviewRecord): Json {
  return {
    id: i.id,
    date: i.date,
    duration: i.duration,
    feedbackReminder: i.feedbackReminder,
    feedbackTemplate: i.feedbackTemplate,
    interviewers: i.interviewers.map((x) => interviewerJson(state, x)),
    location: i.location,
    note: i.note,
    subject: i.subject,
  };
}

export function panelJson(state: SandboxState, p: PanelRecord): Json {
  const start = p.interviews.length ? Math.min(...p.interviews.map((i) => i.date)) : null;
  const end = p.interviews.length ? Math.max(...p.interviews.map((i) => i.date + i.duration * 60_000)) : null;
  return {
    id: p.id,
    applications: p.applications,
    canceledAt: p.canceledAt,
    createdAt: p.createdAt,
    start,
    end,
    timezone: p.timezone,
    feedbackReminder: p.feedbackReminder,
    user: p.user,
    stage: p.stage,
    note: p.note,
    externallyManaged: p.externallyManaged,
    externalUrl: p.externalUrl,
    interviews: p.interviews.map((i) => panelInterviewJson(state, i)),
  };
}

/** An interview as `GET /opportunities/:id/interviews` returns it (with its panel's context). */
export function interviewJson(state: SandboxState, panel: PanelRecord, i: InterviewRecord): Json {
  const postings = panel.applications.flatMap((a) => {
    const app = state.applications.get(a);
    return app?.posting ? [app.posting] : [];
  });
  const feedbackForms = [...state.feedback.values()].filter((f) => f.interview === i.id).map((f) => f.id);
  return {
    id: i.id,
    panel: panel.id,
    subject: i.subject,
    note: i.note,
    interviewers: i.interviewers.map((x) => interviewerJson(state, x)),
    timezone: panel.timezone,
    createdAt: i.createdAt,
    date: i.date,
    duration: i.duration,
    location: i.location,
    feedbackTemplate: i.feedbackTemplate,
    feedbackForms,
    feedbackReminder: i.feedbackReminder,
    user: panel.user,
    stage: panel.stage,
    canceledAt: i.canceledAt,
    postings,
    gcalEventUrl: null,
    opportunityId: panel.opportunityId,
  };
}

function fileMeta(f: StoredFile, kind: "resumes" | "files"): Json {
  return {
    name: f.name,
    ext: f.ext,
    downloadUrl: `${webAppUrl}/candidates/${f.opportunityId}/${kind}/${f.id}/download`,
    uploadedAt: f.uploadedAt,
    status: f.status,
    size: f.size,
  };
}

export function resumeJson(f: StoredFile): Json {
  return { id: f.id, createdAt: f.uploadedAt, file: f.profile ? null : fileMeta(f, "resumes"), parsedData: f.parsedData ?? { positions: [], schools: [] } };
}

export function fileJson(f: StoredFile): Json {
  return { id: f.id, ...fileMeta(f, "files") };
}

export function webhookJson(w: ApiWebhookRecord, withToken: boolean): Json {
  return {
    id: w.id,
    event: w.event,
    url: w.url,
    configuration: withToken ? { ...w.configuration, signatureToken: w.signatureToken } : { ...w.configuration },
    createdAt: w.createdAt,
    updatedAt: w.updatedAt,
  };
}

export function offerJson(state: SandboxState, o: OfferRecord, expand: Set<string>): Json {
  return {
    id: o.id,
    createdAt: o.createdAt,
    status: o.status,
    creator: expandUser(state, o.creator, expand.has("creator")),
    fields: o.fields,
    signatures: {},
    approved: o.approvedAt !== null,
    approvedAt: o.approvedAt,
    posting: o.posting,
    sentAt: o.sentAt,
    sentDocument: null,
    signedDocument: null,
  };
}
