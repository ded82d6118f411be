/**
 * Lever's v1 HTTP API over the in-memory organisation (Hono). Authentication is HTTP Basic with the
 * API key as user name; every route checks the key's endpoint permission, the per-key rate limit,
 * `perform_as` where Lever requires it, and confidentiality.
 */
import { Hono, type Context } from "hono";
import { SandboxError, badRequest, leverErrorBody, missingPerformAs, notFound } from "./errors.ts";
import type { ApiKeyRecord, KeyRateLimiter, SandboxPermission } from "./access.ts";
import type { Operations, UploadedFile } from "./operations.ts";
import type { Paginator } from "./pagination.ts";
import type { OpportunityRecord, PanelRecord, PostingRecord, StoredFile } from "./model.ts";
import type { SandboxState } from "./state.ts";
import type { OAuthServer } from "./oauth.ts";
import {
  applicationJson,
  contactJson,
  feedbackJson,
  fileJson,
  interviewJson,
  noteJson,
  offerJson,
  opportunityJson,
  panelJson,
  postingJson,
  resumeJson,
  userJson,
  webhookJson,
} from "./serialize.ts";
import { mountFormRoutes } from "./forms.ts";
import { defaultEeoWindowMs, eeoAnonymousJson, eeoAnswersFromApply, eeoPiiJson, eeoRows } from "./eeo.ts";

type Env = { Variables: { key: ApiKeyRecord } };
type Ctx = Context<Env>;

export interface ApiDependencies {
  state: SandboxState;
  ops: Operations;
  paginator: Paginator;
  keys: Map<string, ApiKeyRecord>;
  limiter: KeyRateLimiter;
  /** Lever's OAuth server; its Bearer tokens are accepted besides API keys. */
  oauth: OAuthServer;
}

function expandSet(c: Ctx, name = "expand"): Set<string> {
  return new Set(
    (c.req.queries(name) ?? [])
      .flatMap((v) => v.split(","))
      .map((v) => v.trim())
      .filter(Boolean),
  );
}

function queryList(c: Ctx, name: string): string[] {
  return [...(c.req.queries(name) ?? []), ...(c.req.queries(`${name}[]`) ?? [])].flatMap((v) => v.split(",")).filter(Boolean);
}

function timeQuery(c: Ctx, name: string): number | null {
  const v = c.req.query(name);
  if (v === undefined) return null;
  if (!/^\d+$/.test(v)) throw badRequest(`${name} must be a timestamp in milliseconds`);
  return Number(v);
}

function boolQuery(c: Ctx, name: string): boolean | null {
  const v = c.req.query(name);
  if (v === undefined) return null;
  if (v !== "true" && v !== "false") throw badRequest(`${name} must be true or false`);
  return v === "true";
}

async function jsonBody(c: Ctx): Promise<Record<string, unknown>> {
  const text = await c.req.text();
  if (text.trim() === "") return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw badRequest("Request body is not valid JSON");
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw badRequest("Request body must be a JSON object");
  return parsed as Record<string, unknown>;
}

function inWindow(value: number | null, start: number | null, end: number | null): boolean {
  if (start === null && end === null) return true;
  if (value === null) return false;
  return (start === null || value >= start) && (end === null || value <= end);
}

/** Multipart field names like `emails[]` and `archived[reason]` become arrays and objects. */
function multipartToInput(form: Record<string, unknown>): { input: Record<string, unknown>; resume: File | undefined; files: File[] } {
  const input: Record<string, unknown> = {};
  let resume: File | undefined;
  const files: File[] = [];
  for (const [rawKey, rawValue] of Object.entries(form)) {
    const values = Array.isArray(rawValue) ? rawValue : [rawValue];
    if (rawKey === "resumeFile") {
      if (values[0] instanceof File) resume = values[0];
      continue;
    }
    if (rawKey === "files" || rawKey === "files[]") {
      for (const v of values) if (v instanceof File) files.push(v);
      continue;
    }
    const nested = /^(\w+)\[(\w+)\]$/.exec(rawKey);
    if (nested) {
      const parent = (input[nested[1] as string] ??= {}) as Record<string, unknown>;
      parent[nested[2] as string] = values[0];
      continue;
    }
    const key = rawKey.endsWith("[]") ? rawKey.slice(0, -2) : rawKey;
    input[key] = rawKey.endsWith("[]") || ["emails", "links", "tags", "sources", "followers", "postings"].includes(key) ? values : values[0];
  }
  if (Array.isArray(input.phones)) input.phones = (input.phones as unknown[]).map((p) => (typeof p === "string" ? { value: p } : p));
  return { input, resume, files };
}

async function fileToUpload(file: File): Promise<UploadedFile> {
  return { name: file.name, contentType: file.type || "application/octet-stream", bytes: new Uint8Array(await file.arrayBuffer()) };
}

export function createSandboxApi(deps: ApiDependencies): Hono<Env> {
  const { state, ops, paginator, keys, limiter, oauth } = deps;
  const app = new Hono<Env>();
  app.route("/", oauth.routes());

  app.onError((error, c) => {
    if (error instanceof SandboxError) return c.json(leverErrorBody(error.status, error.message), error.status as 400);
    return c.json(leverErrorBody(500, "An unexpected error occurred"), 500);
  });
  app.notFound((c) => c.json(leverErrorBody(404, `Route ${c.req.method} ${new URL(c.req.url).pathname} was not found`), 404));

  app.use("/v1/*", async (c, next) => {
    const header = c.req.header("authorization") ?? "";
    const bearer = /^Bearer\s+(\S+)$/i.exec(header);
    const basic = /^Basic\s+(.+)$/i.exec(header);
    let key: ApiKeyRecord | null | undefined;
    if (bearer) {
      key = oauth.authenticate(bearer[1] as string);
      if (!key) throw new SandboxError(401, "Invalid or expired access token");
    } else {
      if (!basic)
        throw new SandboxError(401, "Missing credentials: use HTTP Basic authentication with your API key as the user name, or an OAuth Bearer token");
      const decoded = Buffer.from(basic[1] as string, "base64").toString("utf8");
      key = keys.get(decoded.split(":")[0] ?? "");
      if (!key) throw new SandboxError(401, "Invalid API key");
    }
    if (!limiter.take(key.key)) throw new SandboxError(429, "Rate limit exceeded: at most 10 requests per second with bursts of 20");
    c.set("key", key);
    await next();
  });

  const allow = (c: Ctx, permission: SandboxPermission): void => {
    if (!c.get("key").permissions.has(permission)) {
      throw new SandboxError(403, `This API key does not have the "${permission}" permission`);
    }
  };

  const performAs = (c: Ctx, required: boolean): string | null => {
    const value = c.req.query("perform_as");
    if (value === undefined || value === "") {
      if (required) throw missingPerformAs();
      return null;
    }
    const user = state.users.get(value);
    if (!user) throw badRequest(`perform_as user ${value} was not found`);
    if (user.deactivatedAt !== null) throw badRequest(`perform_as user ${value} is deactivated`);
    return value;
  };

  /** `confidentiality` of a list request: non-confidential by default, `all` needs a key with access. */
  const confidentialityFilter = (c: Ctx): ((record: { confidentiality: string }) => boolean) => {
    const value = c.req.query("confidentiality") ?? "non-confidential";
    if (!["non-confidential", "confidential", "all"].includes(value)) throw badRequest("confidentiality must be non-confidential, confidential or all");
    if (value !== "non-confidential" && !c.get("key").confidentialAccess) throw new SandboxError(403, "This API key does not have access to confidential data");
    return (r) => value === "all" || r.confidentiality === value;
  };

  const visibleOpportunity = (c: Ctx, id: string): OpportunityRecord => {
    const opp = ops.opportunity(id);
    if (opp.confidentiality === "confidential" && !c.get("key").confidentialAccess)
      throw new SandboxError(403, "This API key does not have access to confidential data");
    return opp;
  };

  const visiblePosting = (c: Ctx, id: string): PostingRecord => {
    const posting = state.postings.get(id);
    if (!posting) throw notFound("postings", id);
    if (posting.confidentiality === "confidential" && !c.get("key").confidentialAccess)
      throw new SandboxError(403, "This API key does not have access to confidential data");
    return posting;
  };

  const page = <T extends { id: string }>(c: Ctx, items: readonly T[], toJson: (item: T) => unknown) =>
    c.json(paginator.page(items, { limit: c.req.query("limit"), offset: c.req.query("offset") }, toJson));

  // ---- Opportunities -------------------------------------------------------------------------

  app.get("/v1/opportunities/deleted", (c) => {
    allow(c, "Find all deleted opportunities");
    const start = timeQuery(c, "deleted_at_start");
    const end = timeQuery(c, "deleted_at_end");
    const items = [...state.opportunities.values()].filter((o) => o.deletedAt !== null && inWindow(o.deletedAt, start, end));
    return page(c, items, (o) => ({ id: o.id, deletedAt: o.deletedAt, deletedBy: o.deletedBy }));
  });

  app.get("/v1/opportunities", (c) => {
    allow(c, "Find all opportunities");
    const expand = expandSet(c);
    const confidential = confidentialityFilter(c);
    const tags = queryList(c, "tag");
    const emails = queryList(c, "email").map((e) => e.toLowerCase());
    const originFilter = queryList(c, "origin");
    const sources = queryList(c, "source");
    const stages = queryList(c, "stage_id");
    const postings = queryList(c, "posting_id");
    const archivedPostings = queryList(c, "archived_posting_id");
    const reasons = queryList(c, "archive_reason_id");
    const contacts = queryList(c, "contact_id");
    const locations = queryList(c, "location").map((l) => l.toLowerCase());
    const archived = boolQuery(c, "archived");
    const snoozed = boolQuery(c, "snoozed");
    const windows = (["created_at", "updated_at", "advanced_at", "archived_at"] as const).map(
      (n) => [n, timeQuery(c, `${n}_start`), timeQuery(c, `${n}_end`)] as const,
    );
    const t = state.now();
    const items = [...state.opportunities.values()].filter((o) => {
      if (o.deletedAt !== null || !confidential(o)) return false;
      const contact = state.contacts.get(o.contact);
      const postingIds = o.applications.map((a) => state.applications.get(a)?.posting).filter((p): p is string => !!p);
      if (tags.length && !tags.some((x) => o.tags.includes(x))) return false;
      if (emails.length && !contact?.emails.some((e) => emails.includes(e.toLowerCase()))) return false;
      if (originFilter.length && !originFilter.includes(o.origin)) return false;
      if (sources.length && !sources.some((x) => o.sources.includes(x))) return false;
      if (stages.length && !stages.includes(o.stage)) return false;
      if (postings.length && (o.archived !== null || !postings.some((p) => postingIds.includes(p)))) return false;
      if (archivedPostings.length && (o.archived === null || !archivedPostings.some((p) => postingIds.includes(p)))) return false;
      if (reasons.length && (!o.archived || !reasons.includes(o.archived.reason))) return false;
      if (contacts.length && !contacts.includes(o.contact)) return false;
      if (locations.length && !locations.includes((contact?.location ?? "").toLowerCase())) return false;
      if (archived !== null && (o.archived !== null) !== archived) return false;
      if (snoozed !== null && (o.snoozedUntil !== null && o.snoozedUntil > t) !== snoozed) return false;
      const values = { created_at: o.createdAt, updated_at: o.updatedAt, advanced_at: o.lastAdvancedAt, archived_at: o.archived?.archivedAt ?? null };
      return windows.every(([n, s, e]) => inWindow(values[n], s, e));
    });
    return page(c, items, (o) => opportunityJson(state, o, expand));
  });

  app.get("/v1/opportunities/:id", (c) => {
    allow(c, "Find an opportunity");
    return c.json({ data: opportunityJson(state, visibleOpportunity(c, c.req.param("id")), expandSet(c)) });
  });

  app.post("/v1/opportunities", async (c) => {
    allow(c, "Create an opportunity");
    // perform_as is required here even with perform_as_posting_owner, which only makes the
    // posting's owner the new opportunity's owner (reference §1.4); it names no acting user.
    const pa = performAs(c, true) as string;
    const type = c.req.header("content-type") ?? "";
    let input: Record<string, unknown>;
    let resumeFile: UploadedFile | undefined;
    let files: UploadedFile[] = [];
    if (type.startsWith("multipart/form-data")) {
      const form = await c.req.parseBody({ all: true });
      const parsed = multipartToInput(form);
      input = parsed.input;
      if (parsed.resume) resumeFile = await fileToUpload(parsed.resume);
      files = await Promise.all(parsed.files.map(fileToUpload));
    } else {
      input = await jsonBody(c);
    }
    if (c.req.query("perform_as_posting_owner") === "true") {
      const postingId = Array.isArray(input.postings) ? input.postings[0] : input.postings;
      const posting = typeof postingId === "string" ? state.postings.get(postingId) : undefined;
      if (!posting) throw badRequest("perform_as_posting_owner needs a posting in postings");
      input.owner = posting.owner;
    }
    const { deduped, opportunity } = ops.createOpportunity(input, pa, resumeFile, files);
    return c.json({ deduped, data: opportunityJson(state, opportunity) }, 201);
  });

  app.put("/v1/opportunities/:id/stage", async (c) => {
    allow(c, "Update an opportunity's stage");
    visibleOpportunity(c, c.req.param("id"));
    const pa = performAs(c, false);
    const body = await jsonBody(c);
    return c.json({ data: opportunityJson(state, ops.changeStage(c.req.param("id"), body.stage, pa)) });
  });

  app.put("/v1/opportunities/:id/archived", async (c) => {
    allow(c, "Update an opportunity's archived state");
    visibleOpportunity(c, c.req.param("id"));
    const pa = performAs(c, false);
    const body = await jsonBody(c);
    if (!("reason" in body)) throw badRequest("reason is required (an archive reason id, or null to unarchive)");
    return c.json({ data: opportunityJson(state, ops.archive(c.req.param("id"), body.reason, pa, { cleanInterviews: body.cleanInterviews })) });
  });

  const listEdits = [
    ["addTags", "tags", "Add opportunity tags", ops.addTags],
    ["removeTags", "tags", "Remove opportunity tags", ops.removeTags],
    ["addLinks", "links", "Add opportunity links", ops.addLinks],
    ["removeLinks", "links", "Remove opportunity links", ops.removeLinks],
    ["addSources", "sources", "Add opportunity sources", ops.addSources],
    ["removeSources", "sources", "Remove opportunity sources", ops.removeSources],
  ] as const;
  for (const [action, field, permission, fn] of listEdits) {
    app.post(`/v1/opportunities/:id/${action}`, async (c) => {
      allow(c, permission);
      visibleOpportunity(c, c.req.param("id"));
      const pa = performAs(c, false);
      const body = await jsonBody(c);
      return c.json({ data: opportunityJson(state, fn(c.req.param("id"), body[field], pa)) });
    });
  }

  app.get("/v1/opportunities/:id/applications", (c) => {
    allow(c, "Find all opportunity applications");
    const opp = visibleOpportunity(c, c.req.param("id"));
    const expand = expandSet(c);
    return page(
      c,
      opp.applications.flatMap((a) => state.applications.get(a) ?? []),
      (a) => applicationJson(state, a, expand),
    );
  });

  app.get("/v1/opportunities/:id/applications/:appId", (c) => {
    allow(c, "Find all opportunity applications");
    const opp = visibleOpportunity(c, c.req.param("id"));
    const app = state.applications.get(c.req.param("appId"));
    if (!app || app.opportunityId !== opp.id) throw notFound("applications", c.req.param("appId"));
    return c.json({ data: applicationJson(state, app, expandSet(c)) });
  });

  // ---- Notes ---------------------------------------------------------------------------------

  const notesOf = (opp: OpportunityRecord) => [...state.notes.values()].filter((n) => n.opportunityId === opp.id && n.deletedAt === null);

  app.get("/v1/opportunities/:id/notes", (c) => {
    allow(c, "Find all opportunity notes");
    return page(c, notesOf(visibleOpportunity(c, c.req.param("id"))), noteJson);
  });

  app.get("/v1/opportunities/:id/notes/:noteId", (c) => {
    allow(c, "Find all opportunity notes");
    const note = notesOf(visibleOpportunity(c, c.req.param("id"))).find((n) => n.id === c.req.param("noteId"));
    if (!note) throw notFound("notes", c.req.param("noteId"));
    return c.json({ data: noteJson(note) });
  });

  app.post("/v1/opportunities/:id/notes", async (c) => {
    allow(c, "Create an opportunity note");
    visibleOpportunity(c, c.req.param("id"));
    const pa = performAs(c, false);
    const body = await jsonBody(c);
    const note = ops.addNote(c.req.param("id"), body, pa, c.req.query("note_id") ?? null);
    return c.json({ data: { ...noteJson(note), noteId: note.id } }, 201);
  });

  app.put("/v1/opportunities/:id/notes/:noteId", async (c) => {
    allow(c, "Update an opportunity note");
    visibleOpportunity(c, c.req.param("id"));
    const note = ops.updateNote(c.req.param("id"), c.req.param("noteId"), await jsonBody(c));
    return c.json({ data: { noteId: note.id } });
  });

  app.delete("/v1/opportunities/:id/notes/:noteId", (c) => {
    allow(c, "Delete an opportunity note");
    visibleOpportunity(c, c.req.param("id"));
    ops.deleteNote(c.req.param("id"), c.req.param("noteId"));
    return c.body(null, 204);
  });

  // ---- Feedback ------------------------------------------------------------------------------

  app.get("/v1/opportunities/:id/feedback", (c) => {
    allow(c, "Find all opportunity feedback");
    const opp = visibleOpportunity(c, c.req.param("id"));
    return page(
      c,
      [...state.feedback.values()].filter((f) => f.opportunityId === opp.id && f.deletedAt === null),
      feedbackJson,
    );
  });

  app.get("/v1/opportunities/:id/feedback/:feedbackId", (c) => {
    allow(c, "Find all opportunity feedback");
    const opp = visibleOpportunity(c, c.req.param("id"));
    const f = state.feedback.get(c.req.param("feedbackId"));
    if (!f || f.opportunityId !== opp.id || f.deletedAt !== null) throw notFound("feedback", c.req.param("feedbackId"));
    return c.json({ data: feedbackJson(f) });
  });

  app.post("/v1/opportunities/:id/feedback", async (c) => {
    allow(c, "Create an opportunity feedback form");
    visibleOpportunity(c, c.req.param("id"));
    const pa = performAs(c, true) as string;
    return c.json({ data: feedbackJson(ops.createFeedback(c.req.param("id"), await jsonBody(c), pa)) }, 201);
  });

  app.put("/v1/opportunities/:id/feedback/:feedbackId", async (c) => {
    allow(c, "Update an opportunity feedback form");
    visibleOpportunity(c, c.req.param("id"));
    const pa = performAs(c, true) as string;
    return c.json({ data: feedbackJson(ops.updateFeedback(c.req.param("id"), c.req.param("feedbackId"), await jsonBody(c), pa)) });
  });

  app.delete("/v1/opportunities/:id/feedback/:feedbackId", (c) => {
    allow(c, "Delete an opportunity feedback form");
    visibleOpportunity(c, c.req.param("id"));
    ops.deleteFeedback(c.req.param("id"), c.req.param("feedbackId"), performAs(c, true) as string);
    return c.body(null, 204);
  });

  // ---- Panels and interviews -----------------------------------------------------------------

  const panelsOf = (opp: OpportunityRecord): PanelRecord[] => [...state.panels.values()].filter((p) => p.opportunityId === opp.id);

  app.get("/v1/opportunities/:id/panels", (c) => {
    allow(c, "Find all opportunity panels");
    return page(c, panelsOf(visibleOpportunity(c, c.req.param("id"))), (p) => panelJson(state, p));
  });

  app.get("/v1/opportunities/:id/panels/:panelId", (c) => {
    allow(c, "Find all opportunity panels");
    const panel = panelsOf(visibleOpportunity(c, c.req.param("id"))).find((p) => p.id === c.req.param("panelId"));
    if (!panel) throw notFound("panels", c.req.param("panelId"));
    return c.json({ data: panelJson(state, panel) });
  });

  app.post("/v1/opportunities/:id/panels", async (c) => {
    allow(c, "Create an opportunity panel");
    visibleOpportunity(c, c.req.param("id"));
    const pa = performAs(c, true) as string;
    return c.json({ data: panelJson(state, ops.createPanel(c.req.param("id"), await jsonBody(c), pa)) }, 201);
  });

  app.put("/v1/opportunities/:id/panels/:panelId", async (c) => {
    allow(c, "Update an opportunity panel");
    visibleOpportunity(c, c.req.param("id"));
    const pa = performAs(c, true) as string;
    return c.json({ data: panelJson(state, ops.updatePanel(c.req.param("id"), c.req.param("panelId"), await jsonBody(c), pa)) });
  });

  app.delete("/v1/opportunities/:id/panels/:panelId", (c) => {
    allow(c, "Delete an opportunity panel");
    visibleOpportunity(c, c.req.param("id"));
    ops.deletePanel(c.req.param("id"), c.req.param("panelId"), performAs(c, true) as string);
    return c.body(null, 204);
  });

  app.get("/v1/opportunities/:id/interviews", (c) => {
    allow(c, "Find all opportunity interviews");
    const items = panelsOf(visibleOpportunity(c, c.req.param("id"))).flatMap((p) => p.interviews.map((i) => ({ id: i.id, panel: p, interview: i })));
    return page(c, items, (x) => interviewJson(state, x.panel, x.interview));
  });

  app.get("/v1/opportunities/:id/interviews/:interviewId", (c) => {
    allow(c, "Find all opportunity interviews");
    visibleOpportunity(c, c.req.param("id"));
    const { panel, interview } = ops.findInterview(c.req.param("id"), c.req.param("interviewId"));
    return c.json({ data: interviewJson(state, panel, interview) });
  });

  app.post("/v1/opportunities/:id/interviews", async (c) => {
    allow(c, "Create an opportunity interview");
    visibleOpportunity(c, c.req.param("id"));
    const pa = performAs(c, true) as string;
    const { panel, interview } = ops.createInterview(c.req.param("id"), await jsonBody(c), pa);
    return c.json({ data: interviewJson(state, panel, interview) }, 201);
  });

  app.put("/v1/opportunities/:id/interviews/:interviewId", async (c) => {
    allow(c, "Update an opportunity interview");
    visibleOpportunity(c, c.req.param("id"));
    const pa = performAs(c, true) as string;
    const { panel, interview } = ops.updateInterview(c.req.param("id"), c.req.param("interviewId"), await jsonBody(c), pa);
    return c.json({ data: interviewJson(state, panel, interview) });
  });

  app.delete("/v1/opportunities/:id/interviews/:interviewId", (c) => {
    allow(c, "Delete an opportunity interview");
    visibleOpportunity(c, c.req.param("id"));
    ops.deleteInterview(c.req.param("id"), c.req.param("interviewId"), performAs(c, true) as string);
    return c.body(null, 204);
  });

  // ---- Resumes and files ---------------------------------------------------------------------

  const stored = (
    kind: "resumes" | "files",
    map: Map<string, StoredFile>,
    permission: SandboxPermission,
    downloadPermission: SandboxPermission,
    toJson: (f: StoredFile) => unknown,
  ) => {
    const filesOf = (c: Ctx): StoredFile[] => {
      const opp = visibleOpportunity(c, c.req.param("id") as string);
      const start = timeQuery(c, "uploaded_at_start");
      const end = timeQuery(c, "uploaded_at_end");
      return [...map.values()].filter((f) => f.opportunityId === opp.id && inWindow(f.uploadedAt, start, end));
    };
    const one = (c: Ctx): StoredFile => {
      const f = filesOf(c).find((x) => x.id === c.req.param("fileId"));
      if (!f) throw notFound(kind, c.req.param("fileId") as string);
      return f;
    };
    // Demo files render on first read; render before answering so `size` is known.
    const sized = async (files: StoredFile[]): Promise<void> => void (await Promise.all(files.filter((f) => f.size === null).map((f) => f.bytes())));
    app.get(`/v1/opportunities/:id/${kind}`, async (c) => {
      allow(c, permission);
      const files = filesOf(c);
      await sized(files);
      return page(c, files, toJson);
    });
    app.get(`/v1/opportunities/:id/${kind}/:fileId`, async (c) => {
      allow(c, permission);
      const file = one(c);
      await sized([file]);
      return c.json({ data: toJson(file) });
    });
    app.get(`/v1/opportunities/:id/${kind}/:fileId/download`, async (c) => {
      allow(c, downloadPermission);
      const f = one(c);
      // Not in Lever's docs: a resume parsed from a profile has no file, so there is nothing to find.
      if (f.profile) throw new SandboxError(404, `Resume ${f.id} was parsed from ${f.profile} and has no file`);
      if (f.status !== "processed") throw new SandboxError(422, `File ${f.id} could not be processed and cannot be downloaded`);
      const bytes = await f.bytes();
      return c.body(bytes as Uint8Array<ArrayBuffer>, 200, {
        "content-type": f.contentType,
        "content-disposition": `attachment; filename="${f.name.replace(/"/g, "")}"`,
      });
    });
  };
  stored("resumes", state.resumes, "Find all opportunity resumes", "Download an opportunity resume file", resumeJson);
  stored("files", state.files, "Find all opportunity files", "Download an opportunity file", fileJson);

  // ---- Offers and requisitions (read only) ---------------------------------------------------

  app.get("/v1/opportunities/:id/offers", (c) => {
    allow(c, "Find all candidate offers");
    const opp = visibleOpportunity(c, c.req.param("id"));
    const expand = expandSet(c);
    return page(
      c,
      [...state.offers.values()].filter((o) => o.opportunityId === opp.id),
      (o) => offerJson(state, o, expand),
    );
  });

  app.get("/v1/requisitions", (c) => {
    allow(c, "Find all requisitions");
    const confidential = confidentialityFilter(c);
    const status = queryList(c, "status");
    const code = c.req.query("requisition_code");
    const items = [...state.requisitions.values()].filter(
      (r) => confidential(r) && (status.length === 0 || status.includes(r.status)) && (code === undefined || r.requisitionCode === code),
    );
    return page(c, items, (r) => ({ ...r }));
  });
  app.get("/v1/requisitions/:id", (c) => {
    allow(c, "Find a requisition");
    const r = state.requisitions.get(c.req.param("id"));
    if (!r) throw notFound("requisitions", c.req.param("id"));
    if (r.confidentiality === "confidential" && !c.get("key").confidentialAccess)
      throw new SandboxError(403, "This API key does not have access to confidential data");
    return c.json({ data: { ...r } });
  });

  // ---- Contacts ------------------------------------------------------------------------------

  app.get("/v1/contacts/:id", (c) => {
    allow(c, "Find a contact");
    const contact = state.contacts.get(c.req.param("id"));
    if (!contact) throw notFound("contacts", c.req.param("id"));
    return c.json({ data: contactJson(contact) });
  });

  app.put("/v1/contacts/:id", async (c) => {
    allow(c, "Update a contact");
    return c.json({ data: contactJson(ops.updateContact(c.req.param("id"), await jsonBody(c))) });
  });

  // ---- Postings ------------------------------------------------------------------------------

  app.get("/v1/postings", (c) => {
    allow(c, "Find all postings");
    const include = expandSet(c, "include");
    const expand = expandSet(c);
    const confidential = confidentialityFilter(c);
    const states = queryList(c, "state");
    const channel = queryList(c, "distributionChannel");
    const teams = queryList(c, "team");
    const departments = queryList(c, "department");
    const locations = queryList(c, "location");
    const commitments = queryList(c, "commitment");
    const levels = queryList(c, "level");
    const start = timeQuery(c, "updated_at_start");
    const end = timeQuery(c, "updated_at_end");
    if (
      (start !== null || end !== null) &&
      (states.length || channel.length || teams.length || departments.length || locations.length || commitments.length || levels.length)
    ) {
      throw badRequest("updated_at_start and updated_at_end can only be combined with confidentiality");
    }
    const items = [...state.postings.values()].filter((p) => {
      if (!confidential(p) || !inWindow(p.updatedAt, start, end)) return false;
      if (states.length && !states.includes(p.state)) return false;
      // A published list shows only postings on the public channel unless a channel is named.
      if (
        channel.length
          ? !channel.some((ch) => p.distributionChannels.includes(ch as "public"))
          : states.includes("published") && !p.distributionChannels.includes("public")
      )
        return false;
      if (teams.length && !teams.includes(p.categories.team ?? "")) return false;
      if (departments.length && !departments.includes(p.categories.department ?? "")) return false;
      if (locations.length && !locations.includes(p.categories.location ?? "")) return false;
      if (commitments.length && !commitments.includes(p.categories.commitment ?? "")) return false;
      if (levels.length && !levels.includes(p.categories.level ?? "")) return false;
      return true;
    });
    return page(c, items, (p) =>
      restrict(postingJson(state, p, { content: include.has("content"), followers: include.has("followers"), expand }), include, expand),
    );
  });

  app.get("/v1/postings/:id", (c) => {
    allow(c, "Find a posting");
    const include = expandSet(c, "include");
    const posting = visiblePosting(c, c.req.param("id"));
    const expand = expandSet(c);
    return c.json({ data: restrict(postingJson(state, posting, { content: true, followers: true, expand }), include, expand) });
  });

  app.post("/v1/postings", async (c) => {
    allow(c, "Create a posting");
    const pa = performAs(c, true) as string;
    const posting = ops.createPosting(await jsonBody(c), pa);
    return c.json({ data: postingJson(state, posting, { content: true, followers: true }) }, 201);
  });

  app.post("/v1/postings/:id", async (c) => {
    allow(c, "Update a posting");
    visiblePosting(c, c.req.param("id"));
    const pa = performAs(c, true) as string;
    const posting = ops.updatePosting(c.req.param("id"), await jsonBody(c), pa);
    return c.json({ data: postingJson(state, posting, { content: true, followers: true }) });
  });

  app.get("/v1/postings/:id/apply", (c) => {
    allow(c, "Find a posting application question form");
    const posting = visiblePosting(c, c.req.param("id"));
    return c.json({ data: applyForm(posting) });
  });

  app.post("/v1/postings/:id/apply", async (c) => {
    allow(c, "Apply to a posting");
    visiblePosting(c, c.req.param("id"));
    const body = await jsonBody(c);
    const info = Array.isArray(body.personalInformation) ? (body.personalInformation as { name?: unknown; value?: unknown }[]) : [];
    const field = (name: string): string | null => {
      const v = info.find((x) => x?.name === name)?.value;
      return typeof v === "string" ? v : null;
    };
    const urls = Array.isArray(body.urls) ? (body.urls as { value?: unknown }[]).map((u) => u?.value).filter((u): u is string => typeof u === "string") : [];
    const origin = body.origin === "internal" ? "internal" : "applied";
    const result = ops.applyToPosting(c.req.param("id"), {
      name: field("fullName") ?? field("name") ?? "",
      email: field("email") ?? "",
      phone: field("phone"),
      location: field("location"),
      links: urls,
      origin,
      ...(typeof body.source === "string" ? { source: body.source } : {}),
      eeo: eeoAnswersFromApply(body.eeoResponses, state.now()),
    });
    return c.json({ data: { applicationId: result.applicationId } }, 201);
  });

  // ---- EEO survey responses ------------------------------------------------------------------

  /** `[start, end]` from two timestamp parameters; Lever's default is the last week. */
  const eeoWindow = (c: Ctx, startName: string, endName: string): [number, number] => {
    const end = timeQuery(c, endName) ?? state.now();
    const start = timeQuery(c, startName) ?? end - defaultEeoWindowMs;
    if (start > end) throw badRequest(`${startName} must not be after ${endName}`);
    return [start, end];
  };
  const eeoVisible = (c: Ctx) => (opportunityId: string) =>
    c.get("key").confidentialAccess || state.opportunities.get(opportunityId)?.confidentiality !== "confidential";

  app.get("/v1/eeo/responses/pii", (c) => {
    allow(c, "Find all EEO responses with PII");
    const [start, end] = eeoWindow(c, "created_at_start", "created_at_end");
    return c.json({ data: { eeoResponses: eeoRows(state, start, end, eeoVisible(c)).map((r) => eeoPiiJson(state, r)) } });
  });

  app.get("/v1/eeo/responses", (c) => {
    allow(c, "Find all EEO responses");
    const [start, end] = eeoWindow(c, "fromDate", "toDate");
    return c.json({ data: { eeoResponses: eeoRows(state, start, end, eeoVisible(c)).map((r) => eeoAnonymousJson(state, r)) } });
  });

  // ---- Reference data ------------------------------------------------------------------------

  app.get("/v1/stages", (c) => {
    allow(c, "Find all stages");
    return page(c, state.stages, (s) => ({ ...s }));
  });
  app.get("/v1/stages/:id", (c) => {
    allow(c, "Find a stage");
    const stage = state.stages.find((s) => s.id === c.req.param("id"));
    if (!stage) throw notFound("stages", c.req.param("id"));
    return c.json({ data: { ...stage } });
  });

  app.get("/v1/archive_reasons", (c) => {
    allow(c, "Find all archive reasons");
    const type = c.req.query("type");
    if (type !== undefined && type !== "hired" && type !== "non-hired") throw badRequest("type must be hired or non-hired");
    const items = state.archiveReasons.filter((r) => type === undefined || (type === "hired" ? r.type === "hired" : r.type !== "hired"));
    return page(c, items, (r) => ({ ...r }));
  });
  app.get("/v1/archive_reasons/:id", (c) => {
    allow(c, "Find all archive reasons");
    const reason = state.archiveReasons.find((r) => r.id === c.req.param("id"));
    if (!reason) throw notFound("archive_reasons", c.req.param("id"));
    return c.json({ data: { ...reason } });
  });

  app.get("/v1/users", (c) => {
    allow(c, "Find all users");
    const email = c.req.query("email")?.toLowerCase();
    const roles = queryList(c, "accessRole");
    const external = c.req.query("external_directory_id");
    const includeDeactivated = boolQuery(c, "includeDeactivated") === true;
    const items = [...state.users.values()].filter(
      (u) =>
        (includeDeactivated || u.deactivatedAt === null) &&
        (email === undefined || u.email.toLowerCase() === email) &&
        (roles.length === 0 || roles.includes(u.accessRole)) &&
        (external === undefined || u.externalDirectoryId === external),
    );
    return page(c, items, userJson);
  });
  app.get("/v1/users/:id", (c) => {
    allow(c, "Find a user");
    const user = state.users.get(c.req.param("id"));
    if (!user) throw notFound("users", c.req.param("id"));
    return c.json({ data: userJson(user) });
  });

  const counts = (field: "tags" | "sources") => {
    const map = new Map<string, number>();
    for (const o of state.opportunities.values()) if (o.deletedAt === null) for (const t of o[field]) map.set(t, (map.get(t) ?? 0) + 1);
    return [...map.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([text, count]) => ({ id: text, text, count }));
  };
  app.get("/v1/tags", (c) => {
    allow(c, "Find all tags");
    return page(c, counts("tags"), ({ text, count }) => ({ text, count }));
  });
  app.get("/v1/sources", (c) => {
    allow(c, "Find all sources");
    return page(c, counts("sources"), ({ text, count }) => ({ text, count }));
  });

  app.get("/v1/feedback_templates", (c) => {
    allow(c, "Find all feedback templates");
    return page(c, [...state.feedbackTemplates.values()], (t) => ({ ...t }));
  });
  app.get("/v1/feedback_templates/:id", (c) => {
    allow(c, "Find all feedback templates");
    const t = state.feedbackTemplates.get(c.req.param("id"));
    if (!t) throw notFound("feedback_templates", c.req.param("id"));
    return c.json({ data: { ...t } });
  });

  mountFormRoutes(app, { state, allow, performAs, visibleOpportunity, page, jsonBody });

  // ---- Webhooks API --------------------------------------------------------------------------

  app.get("/v1/webhooks", (c) => {
    allow(c, "Find all webhooks");
    return page(c, [...state.apiWebhooks.values()], (w) => webhookJson(w, false));
  });
  app.post("/v1/webhooks", async (c) => {
    allow(c, "Add a webhook");
    return c.json({ data: webhookJson(ops.createWebhook(await jsonBody(c)), true) }, 201);
  });
  app.put("/v1/webhooks", async (c) => {
    allow(c, "Update a webhook");
    return c.json({ data: ops.updateWebhooks(await jsonBody(c)).map((w) => webhookJson(w, false)) });
  });
  app.delete("/v1/webhooks/:id", (c) => {
    allow(c, "Delete a webhook");
    ops.deleteWebhook(c.req.param("id"));
    return c.body(null, 204);
  });

  return app;
}

/**
 * Lever's `include` restricts an object to the named fields (and is how a list pulls the optional
 * `content` and `followers`): `?include=content` answers `{id, content}`, nothing else. Fields
 * named in `expand` stay, since expand wins over include.
 */
function restrict(json: Record<string, unknown>, include: Set<string>, expand: Set<string> = new Set()): Record<string, unknown> {
  if (include.size === 0) return json;
  const out: Record<string, unknown> = { id: json.id };
  for (const f of [...include, ...expand]) if (f in json) out[f] = json[f];
  return out;
}

function applyForm(posting: PostingRecord): Record<string, unknown> {
  return {
    id: posting.id,
    text: posting.text,
    personalInformation: [
      { text: "Full name", description: "", required: true, name: "fullName", type: "text", value: null },
      { text: "Email", description: "", required: true, name: "email", type: "text", value: null },
      { text: "Current company", description: "", required: false, name: "currentCompany", type: "text", value: null },
      { text: "Current location", description: "", required: false, name: "location", type: "text", value: null },
      { text: "Phone", description: "", required: false, name: "phone", type: "text", value: null },
      { text: "Resume/CV", description: "", required: true, name: "resume", type: "file-upload", value: null },
    ],
    urls: [
      { text: "LinkedIn", description: "", required: false, name: "LinkedIn", type: "text", value: null },
      { text: "GitHub", description: "", required: false, name: "GitHub", type: "text", value: null },
      { text: "Portfolio", description: "", required: false, name: "Portfolio", type: "text", value: null },
    ],
    customQuestions: [
      {
        id: `cq-${posting.id.slice(0, 8)}`,
        text: "Application questions",
        fields: [
          { text: "Are you authorised to work in the country of this role?", description: "", required: true, type: "yes-no", value: null },
          { text: "What interests you about this role?", description: "", required: false, type: "textarea", value: null },
        ],
      },
    ],
    eeoQuestions: {},
    consentDisclosures: {},
  };
}
