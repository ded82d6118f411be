import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { extractText, getDocumentProxy } from "unpdf";
import {
  leverCreatedOpportunitySchema,
  leverFeedbackSchema,
  leverFeedbackTemplateSchema,
  leverInterviewSchema,
  leverListPageSchema,
  leverNoteSchema,
  leverOpportunitySchema,
  leverPanelSchema,
  leverPostingSchema,
  leverResumeSchema,
  leverUserSchema,
  leverWebhookSubscriptionSchema,
  leverErrorBodySchema,
} from "../lever/index.ts";
import { startSandbox, type Sandbox } from "./index.ts";

interface CallOptions {
  body?: unknown;
  key?: string | null;
  form?: FormData;
}

function client(sandbox: Sandbox) {
  return async (method: string, path: string, options: CallOptions = {}): Promise<{ status: number; body: any; headers: Headers }> => {
    const key = options.key === undefined ? sandbox.apiKey : options.key;
    const headers: Record<string, string> = {};
    if (key !== null) headers.authorization = `Basic ${Buffer.from(`${key}:`).toString("base64")}`;
    let body: BodyInit | undefined;
    if (options.form) body = options.form;
    else if (options.body !== undefined) {
      headers["content-type"] = "application/json";
      body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
    }
    const res = await fetch(`${sandbox.url}${path}`, { method, headers, ...(body ? { body } : {}) });
    const type = res.headers.get("content-type") ?? "";
    const parsed = res.status === 204 ? null : type.includes("json") ? await res.json() : new Uint8Array(await res.arrayBuffer());
    return { status: res.status, body: parsed, headers: res.headers };
  };
}

function assertKeys(object: Record<string, unknown>, keys: string[], where: string): void {
  for (const k of keys) assert.ok(k in object, `${where} lacks "${k}"`);
}

/** Field sets of the reference's recorded real traffic (section 8). */
const opportunityKeys = [
  "id",
  "name",
  "headline",
  "contact",
  "stage",
  "confidentiality",
  "location",
  "emails",
  "phones",
  "links",
  "archived",
  "tags",
  "sources",
  "origin",
  "owner",
  "followers",
  "applications",
  "createdAt",
  "updatedAt",
  "lastInteractionAt",
  "lastAdvancedAt",
  "snoozedUntil",
  "stageChanges",
  "urls",
  "dataProtection",
  "isAnonymized",
];
const noteKeys = ["id", "noteId", "text", "fields", "user", "secret", "createdAt", "completedAt", "deletedAt"];
const noteFieldKeys = ["type", "text", "value", "createdAt", "user", "score", "stage"];
const panelKeys = [
  "id",
  "applications",
  "canceledAt",
  "createdAt",
  "start",
  "end",
  "externallyManaged",
  "externalUrl",
  "feedbackReminder",
  "interviews",
  "note",
  "stage",
  "timezone",
  "user",
];
const panelInterviewKeys = ["id", "date", "duration", "feedbackReminder", "feedbackTemplate", "interviewers", "location", "note", "subject"];
const interviewerKeys = ["id", "email", "name", "responseStatus", "feedbackTemplate"];
const panelBody = (interviewerId: string) => ({
  timezone: "Europe/Lisbon",
  interviews: [{ subject: "Chat", interviewers: [{ id: interviewerId }], date: Date.UTC(2027, 0, 5, 10), duration: 30 }],
});
const webhookKeys = ["id", "event", "url", "configuration", "createdAt", "updatedAt"];

describe("Lever sandbox API", () => {
  let sandbox: Sandbox;
  let call: ReturnType<typeof client>;
  let admin: string;
  let recruiter: string;
  let interviewer: string;

  before(async () => {
    sandbox = await startSandbox({ seed: 3, rateLimit: false });
    call = client(sandbox);
    admin = sandbox.demo!.userIdsByName.get("Dana Whitfield")!;
    recruiter = sandbox.demo!.userIdsByName.get("Priya Raman")!;
    interviewer = sandbox.demo!.userIdsByName.get("Rafael Ortiz")!;
  });
  after(async () => sandbox.close());

  const openOpportunity = () =>
    [...sandbox.state.opportunities.values()].find(
      (o) => o.archived === null && o.confidentiality === "non-confidential" && o.applications.length === 1 && o.deletedAt === null,
    )!;

  describe("fidelity with the recorded shapes", () => {
    it("lists opportunities in the list envelope with every field of the recorded opportunity", async () => {
      const res = await call("GET", "/opportunities?limit=2");
      assert.equal(res.status, 200);
      assertKeys(res.body, ["data", "hasNext", "next"], "list envelope");
      leverListPageSchema.parse(res.body);
      assert.equal(res.body.data.length, 2);
      for (const o of res.body.data) {
        assertKeys(o, opportunityKeys, "opportunity");
        leverOpportunitySchema.parse(o);
        assert.equal(typeof o.contact, "string");
        assert.equal(typeof o.createdAt, "number");
        assertKeys(o.urls, ["list", "show"], "urls");
      }
    });

    it("expands stage, owner, applications and contact into objects", async () => {
      const opp = openOpportunity();
      const res = await call("GET", `/opportunities/${opp.id}?expand=stage&expand=owner&expand=applications,contact`);
      assert.equal(res.status, 200);
      const o = res.body.data;
      assertKeys(o.stage, ["id", "text"], "expanded stage");
      leverUserSchema.parse(o.owner);
      assert.equal(o.applications[0].opportunityId, opp.id);
      assertKeys(o.applications[0], ["id", "opportunityId", "candidateId", "createdAt", "type", "posting", "name", "email", "archived"], "application");
      assert.equal(o.contact.id, opp.contact);
      leverOpportunitySchema.parse(o);
    });

    it("returns postings without content in lists unless include=content, with <li> requirement lists", async () => {
      const plain = await call("GET", "/postings?limit=3");
      assert.ok(plain.body.data.every((p: Record<string, unknown>) => !("content" in p)));
      const res = await call("GET", "/postings?include=text&include=content&include=categories&include=distributionChannels&state=published");
      assert.ok(res.body.data.length >= 8);
      for (const p of res.body.data) {
        leverPostingSchema.parse(p);
        assert.ok(p.content.description.length > 100, `${p.text} has a thin description`);
        assert.match(p.content.lists[0].content, /^<li>.+<\/li>/);
        assert.ok(p.distributionChannels.includes("public"));
      }
      const departments = new Set(res.body.data.map((p: { categories: { department: string } }) => p.categories.department));
      for (const d of ["Engineering", "Data", "Design", "Product", "Sales", "Marketing", "Finance"]) assert.ok(departments.has(d), `no published ${d} posting`);
    });

    it("include restricts a posting to the named fields, in lists and on a single posting, as Lever's docs say", async () => {
      const list = await call("GET", "/postings?include=content&state=published&limit=3");
      for (const p of list.body.data) assert.deepEqual(Object.keys(p).sort(), ["content", "id"]);
      const id = list.body.data[0].id;
      const one = await call("GET", `/postings/${id}?include=content`);
      assert.deepEqual(Object.keys(one.body.data).sort(), ["content", "id"]);
      const whole = await call("GET", `/postings/${id}`);
      assert.ok(whole.body.data.text && whole.body.data.content.lists.length > 0, "a single posting carries its content without include");
      const expanded = await call("GET", `/postings/${id}?include=text&expand=owner`);
      assert.deepEqual(Object.keys(expanded.body.data).sort(), ["id", "owner", "text"]);
    });

    it("creates a note and answers with the full note plus noteId; a reply joins the thread", async () => {
      const opp = openOpportunity();
      const res = await call("POST", `/opportunities/${opp.id}/notes?perform_as=${recruiter}`, {
        body: { value: "Strong distributed-systems background.", score: 3, notifyFollowers: true },
      });
      assert.equal(res.status, 201);
      assertKeys(res.body.data, noteKeys, "note");
      assertKeys(res.body.data.fields[0], noteFieldKeys, "note field");
      assert.equal(res.body.data.noteId, res.body.data.id);
      assert.equal(res.body.data.user, recruiter);
      assert.equal(res.body.data.fields[0].stage, opp.stage);
      leverNoteSchema.parse(res.body.data);
      const reply = await call("POST", `/opportunities/${opp.id}/notes?note_id=${res.body.data.id}`, { body: { value: "Agreed." } });
      assert.equal(reply.status, 201);
      assert.equal(reply.body.data.id, res.body.data.id);
      assert.deepEqual(
        reply.body.data.fields.map((f: { value: string }) => f.value),
        ["Strong distributed-systems background.", "Agreed."],
      );
      assert.equal(reply.body.data.fields[1].user, null);
    });

    it("creates a panel and answers with a single data object in the recorded panel shape", async () => {
      const opp = openOpportunity();
      const template = [...sandbox.state.feedbackTemplates.values()][1]!;
      const res = await call("POST", `/opportunities/${opp.id}/panels?perform_as=${recruiter}`, {
        body: {
          timezone: "Europe/Berlin",
          note: "Scheduled by the AI scheduling assistant",
          externalUrl: "https://scheduler.example.org/panels/pn_8812",
          interviews: [
            {
              subject: "Technical interview",
              note: "System design round",
              interviewers: [{ id: interviewer, feedbackTemplate: template.id }],
              date: 1767603600000,
              duration: 60,
              location: "https://meet.example.org/abc",
              feedbackTemplate: template.id,
            },
          ],
        },
      });
      assert.equal(res.status, 201);
      const panel = res.body.data;
      assert.ok(!("data" in panel), "panel must not be wrapped twice");
      assertKeys(panel, panelKeys, "panel");
      assertKeys(panel.interviews[0], panelInterviewKeys, "panel interview");
      assertKeys(panel.interviews[0].interviewers[0], interviewerKeys, "interviewer");
      assert.equal(panel.externallyManaged, true);
      assert.equal(panel.feedbackReminder, "daily");
      assert.equal(panel.start, 1767603600000);
      assert.equal(panel.end, 1767603600000 + 60 * 60_000);
      assert.deepEqual(panel.applications, opp.applications);
      leverPanelSchema.parse(panel);
      const interviews = await call("GET", `/opportunities/${opp.id}/interviews`);
      const created = interviews.body.data.find((i: { id: string }) => i.id === panel.interviews[0].id);
      leverInterviewSchema.parse(created);
      assert.equal(created.panel, panel.id);
      assert.equal(created.timezone, "Europe/Berlin");
    });

    it("archives and answers with the full opportunity carrying archived {reason, archivedAt}; null unarchives", async () => {
      const opp = openOpportunity();
      const reason = sandbox.state.archiveReasons.find((r) => r.type === null)!;
      const res = await call("PUT", `/opportunities/${opp.id}/archived?perform_as=${recruiter}`, { body: { reason: reason.id, cleanInterviews: false } });
      assert.equal(res.status, 200);
      assertKeys(res.body.data, opportunityKeys, "archived opportunity");
      assert.equal(res.body.data.archived.reason, reason.id);
      assert.equal(typeof res.body.data.archived.archivedAt, "number");
      const back = await call("PUT", `/opportunities/${opp.id}/archived`, { body: { reason: null } });
      assert.equal(back.body.data.archived, null);
    });

    it("changes stage and answers with the full opportunity and a new stageChanges entry", async () => {
      const opp = openOpportunity();
      const target = sandbox.state.stages.find((s) => s.text === "Phone Screen")!;
      const res = await call("PUT", `/opportunities/${opp.id}/stage?perform_as=${recruiter}`, { body: { stage: target.id } });
      assert.equal(res.status, 200);
      assert.equal(res.body.data.stage, target.id);
      const last = res.body.data.stageChanges.at(-1);
      assert.deepEqual({ toStageId: last.toStageId, userId: last.userId }, { toStageId: target.id, userId: recruiter });
      assert.equal(last.toStageIndex, sandbox.state.stages.indexOf(target));
    });

    it("creates a webhook returning configuration.signatureToken once; GET omits it", async () => {
      const res = await call("POST", "/webhooks", {
        body: {
          url: "https://ats-bridge.example.org/webhooks/lever/wh_01",
          event: "candidateStageChange",
          configuration: { conditions: { origins: ["applied", "referred", "sourced"] } },
        },
      });
      assert.equal(res.status, 201);
      assertKeys(res.body.data, webhookKeys, "webhook");
      assert.match(res.body.data.configuration.signatureToken, /^[0-9a-f]{48}$/);
      assert.deepEqual(res.body.data.configuration.conditions.origins, ["applied", "referred", "sourced"]);
      leverWebhookSubscriptionSchema.parse(res.body.data);
      const list = await call("GET", "/webhooks");
      const listed = list.body.data.find((w: { id: string }) => w.id === res.body.data.id);
      assert.ok(listed);
      assert.equal(listed.configuration.signatureToken, undefined);
      const noConditions = await call("POST", "/webhooks", { body: { url: "https://x.example.org/h", event: "candidateHired" } });
      assert.deepEqual(noConditions.body.data.configuration.conditions.origins, ["agency", "applied", "internal", "referred", "sourced", "university"]);
      const updated = await call("PUT", "/webhooks", { body: { data: [{ id: res.body.data.id, url: "https://ats-bridge.example.org/new" }] } });
      assert.equal(updated.status, 200);
      assert.equal(updated.body.data[0].url, "https://ats-bridge.example.org/new");
      assert.equal((await call("DELETE", `/webhooks/${res.body.data.id}`)).status, 204);
      assert.equal((await call("DELETE", `/webhooks/${res.body.data.id}`)).status, 404);
    });

    it("serves feedback with exactly one score-system field per template, and completed feedback", async () => {
      const templates = await call("GET", "/feedback_templates");
      assert.ok(templates.body.data.length >= 4);
      for (const t of templates.body.data) {
        leverFeedbackTemplateSchema.parse(t);
        assert.equal(t.fields.filter((f: { type: string }) => f.type === "score-system").length, 1, `${t.text} needs exactly one score-system field`);
      }
      assert.ok(templates.body.data.some((t: { id: string }) => t.id === "no-feedback"));
      const feedback = [...sandbox.state.feedback.values()][0]!;
      const res = await call("GET", `/opportunities/${feedback.opportunityId}/feedback`);
      const f = res.body.data.find((x: { id: string }) => x.id === feedback.id);
      leverFeedbackSchema.parse(f);
      assert.match(f.fields.find((x: { type: string }) => x.type === "score-system").value, /^[1-4] - /);
      assert.ok(f.completedAt);
    });

    it("submits, updates and deletes feedback under perform_as, validating template, fields and panel", async () => {
      const opp = openOpportunity();
      const template = [...sandbox.state.feedbackTemplates.values()].find((t) => t.text === "Technical Interview")!;
      const rating = template.fields.find((f) => f.type === "score-system")!;
      const body = { baseTemplateId: template.id, fieldValues: [{ id: rating.id, value: "3 - Hire" }], completedAt: Date.UTC(2026, 9, 2) };
      assert.equal((await call("POST", `/opportunities/${opp.id}/feedback`, { body })).status, 400);
      assert.equal((await call("POST", `/opportunities/${opp.id}/feedback?perform_as=${interviewer}`, { body: { ...body, panel: "p-only" } })).status, 400);
      assert.equal(
        (await call("POST", `/opportunities/${opp.id}/feedback?perform_as=${interviewer}`, { body: { ...body, fieldValues: [{ id: "nope", value: 1 }] } }))
          .status,
        400,
      );
      const created = await call("POST", `/opportunities/${opp.id}/feedback?perform_as=${interviewer}`, { body });
      assert.equal(created.status, 201);
      leverFeedbackSchema.parse(created.body.data);
      assert.equal(created.body.data.user, interviewer);
      assert.equal(created.body.data.fields.find((f: { id: string }) => f.id === rating.id).value, "3 - Hire");
      const updated = await call("PUT", `/opportunities/${opp.id}/feedback/${created.body.data.id}?perform_as=${interviewer}`, {
        body: { fieldValues: [{ id: rating.id, value: "4 - Strong Hire" }] },
      });
      assert.equal(updated.body.data.fields.find((f: { id: string }) => f.id === rating.id).value, "4 - Strong Hire");
      assert.equal((await call("DELETE", `/opportunities/${opp.id}/feedback/${created.body.data.id}?perform_as=${interviewer}`)).status, 204);
      const list = await call("GET", `/opportunities/${opp.id}/feedback`);
      assert.ok(!list.body.data.some((f: { id: string }) => f.id === created.body.data.id));
    });

    it("lists resumes with parsed data and downloads real PDF and DOCX bytes that hold the candidate's employers", async () => {
      const [oppId, profile] = [...sandbox.demo!.profiles.entries()][0]!;
      const list = await call("GET", `/opportunities/${oppId}/resumes`);
      const resume = list.body.data[0];
      leverResumeSchema.parse(resume);
      assert.equal(resume.file.ext, "pdf");
      assert.ok(resume.file.size > 1000);
      assert.equal(resume.parsedData.positions[0].org, profile.positions[0]!.org);
      const download = await call("GET", `/opportunities/${oppId}/resumes/${resume.id}/download`);
      assert.equal(download.status, 200);
      assert.equal(download.headers.get("content-type"), "application/pdf");
      assert.equal(download.body.length, resume.file.size);
      const { text } = await extractText(await getDocumentProxy(download.body), { mergePages: true });
      for (const p of profile.positions) assert.ok(text.replace(/\s+/g, " ").includes(p.org));
      const [docxOpp] = [...sandbox.demo!.profiles.keys()].slice(1);
      const docxList = await call("GET", `/opportunities/${docxOpp}/resumes`);
      assert.equal(docxList.body.data[0].file.ext, "docx");
      const docx = await call("GET", `/opportunities/${docxOpp}/resumes/${docxList.body.data[0].id}/download`);
      assert.equal(Buffer.from(docx.body.subarray(0, 2)).toString("latin1"), "PK");
    });

    it("answers 422 when downloading a resume Lever could not process", async () => {
      const unsupported = [...sandbox.state.resumes.values()].find((r) => r.status === "unsupported")!;
      const res = await call("GET", `/opportunities/${unsupported.opportunityId}/resumes/${unsupported.id}/download`);
      assert.equal(res.status, 422);
      leverErrorBodySchema.parse(res.body);
    });

    it("lists a resume parsed from a LinkedIn profile with its parsed data and no file, and has nothing to download for it", async () => {
      const opp = openOpportunity();
      const positions = [{ org: "Acme", title: "Engineer", summary: "", location: "Berlin", start: { year: 2020, month: 1 }, end: null }];
      const added = sandbox.actions.addResume(opp.id, { profile: "LinkedIn", parsedData: { positions, schools: [] } });
      const list = await call("GET", `/opportunities/${opp.id}/resumes`);
      const listed = list.body.data.find((r: { id: string }) => r.id === added.id);
      assert.equal(listed.file, null);
      assert.deepEqual(listed.parsedData.positions, positions);
      leverResumeSchema.parse(listed);
      const res = await call("GET", `/opportunities/${opp.id}/resumes/${added.id}/download`);
      assert.equal(res.status, 404);
      leverErrorBodySchema.parse(res.body);
    });

    it("answers 422 on download for an upload whose processing ended in error", async () => {
      const opp = openOpportunity();
      const added = sandbox.actions.addResume(opp.id, {
        file: { name: "cv.pdf", contentType: "application/pdf", bytes: new Uint8Array([1, 2, 3]) },
        status: "error",
      });
      const listed = (await call("GET", `/opportunities/${opp.id}/resumes`)).body.data.find((r: { id: string }) => r.id === added.id);
      assert.equal(listed.file.status, "error");
      assert.equal((await call("GET", `/opportunities/${opp.id}/resumes/${added.id}/download`)).status, 422);
    });
  });

  describe("pagination", () => {
    it("walks every opportunity with opaque next tokens and stops when hasNext is false", async () => {
      const seen: string[] = [];
      let offset: string | undefined;
      for (;;) {
        const res = await call("GET", `/opportunities?limit=7${offset ? `&offset=${encodeURIComponent(offset)}` : ""}`);
        assert.equal(res.status, 200);
        seen.push(...res.body.data.map((o: { id: string }) => o.id));
        if (!res.body.hasNext) {
          assert.equal(res.body.next, undefined);
          break;
        }
        offset = res.body.next;
      }
      const visible = [...sandbox.state.opportunities.values()].filter((o) => o.confidentiality === "non-confidential" && o.deletedAt === null);
      assert.equal(seen.length, visible.length);
      assert.equal(new Set(seen).size, seen.length);
    });

    it("rejects limits outside 1-100 with 400", async () => {
      for (const limit of ["0", "101", "abc"]) {
        const res = await call("GET", `/stages?limit=${limit}`);
        assert.equal(res.status, 400, `limit=${limit}`);
        assert.equal(res.body.code, "BadRequest");
      }
    });

    it("answers 400 Invalid offset token for a malformed token and for tokens invalidated later", async () => {
      const bad = await call("GET", "/opportunities?offset=not-a-token");
      assert.equal(bad.status, 400);
      assert.match(bad.body.message, /Invalid offset token/);
      const first = await call("GET", "/opportunities?limit=5");
      sandbox.invalidatePageTokens();
      const stale = await call("GET", `/opportunities?limit=5&offset=${encodeURIComponent(first.body.next)}`);
      assert.equal(stale.status, 400);
      assert.match(stale.body.message, /Invalid offset token/);
      const fresh = await call("GET", "/opportunities?limit=5");
      assert.equal((await call("GET", `/opportunities?limit=5&offset=${encodeURIComponent(fresh.body.next)}`)).status, 200);
    });
  });

  describe("filters", () => {
    it("filters opportunities by stage, posting, tag, email, archived and time windows", async () => {
      const opp = [...sandbox.state.opportunities.values()].find(
        (o) => o.archived === null && o.applications.length && o.confidentiality === "non-confidential",
      )!;
      const contact = sandbox.state.contacts.get(opp.contact)!;
      const byEmail = await call("GET", `/opportunities?email=${encodeURIComponent(contact.emails[0]!.toUpperCase())}`);
      assert.deepEqual(
        byEmail.body.data.map((o: { id: string }) => o.id),
        [opp.id],
      );
      const byStage = await call("GET", `/opportunities?stage_id=${opp.stage}`);
      assert.ok(byStage.body.data.every((o: { stage: string }) => o.stage === opp.stage));
      const archived = await call("GET", "/opportunities?archived=true");
      assert.ok(archived.body.data.length > 0 && archived.body.data.every((o: { archived: unknown }) => o.archived !== null));
      const postingId = sandbox.state.applications.get(opp.applications[0]!)!.posting!;
      const byPosting = await call("GET", `/opportunities?posting_id=${postingId}`);
      assert.ok(byPosting.body.data.some((o: { id: string }) => o.id === opp.id));
      const window = await call("GET", `/opportunities?created_at_start=${opp.createdAt}&created_at_end=${opp.createdAt}`);
      assert.ok(window.body.data.some((o: { id: string }) => o.id === opp.id));
      assert.ok(window.body.data.every((o: { createdAt: number }) => o.createdAt === opp.createdAt));
    });

    it("finds a user by exact e-mail and hides deactivated users unless asked", async () => {
      const res = await call("GET", "/users?email=priya.raman@northwind-demo.example");
      assert.deepEqual(
        res.body.data.map((u: { id: string }) => u.id),
        [recruiter],
      );
      const roles = new Set((await call("GET", "/users")).body.data.map((u: { accessRole: string }) => u.accessRole));
      assert.deepEqual([...roles].sort(), ["admin", "interviewer", "limited team member", "super admin", "team member"]);
      const all = await call("GET", "/users?includeDeactivated=true");
      assert.ok(all.body.data.some((u: { deactivatedAt: number | null }) => u.deactivatedAt !== null));
    });

    it("serves archive reasons with Hired typed hired and rejections typed null", async () => {
      const res = await call("GET", "/archive_reasons");
      assert.equal(res.body.data.filter((r: { type: string | null }) => r.type === "hired").length, 1);
      assert.ok(res.body.data.some((r: { type: string | null }) => r.type === null));
      const hired = await call("GET", "/archive_reasons?type=hired");
      assert.equal(hired.body.data.length, 1);
    });
  });

  describe("authentication, permissions and confidentiality", () => {
    it("answers 401 with {code, message} without credentials and with an unknown key", async () => {
      for (const key of [null, "not-a-key"]) {
        const res = await call("GET", "/stages", { key });
        assert.equal(res.status, 401);
        leverErrorBodySchema.parse(res.body);
        assert.ok(res.body.message.length > 0);
      }
    });

    it("answers 403 naming the missing permission for a key without it, and 200 for what it has", async () => {
      const key = sandbox.createApiKey({ permissions: ["Find all stages"] });
      assert.equal((await call("GET", "/stages", { key })).status, 200);
      const res = await call("GET", "/opportunities", { key });
      assert.equal(res.status, 403);
      assert.match(res.body.message, /Find all opportunities/);
      sandbox.revokeApiKey(key);
      assert.equal((await call("GET", "/stages", { key })).status, 401);
    });

    it("hides confidential opportunities unless confidentiality=all with a key that has access", async () => {
      const confidential = [...sandbox.state.opportunities.values()].find((o) => o.confidentiality === "confidential");
      assert.ok(confidential, "the demo org has confidential candidates");
      const ids = async (path: string, key?: string) => {
        const out: string[] = [];
        let offset = "";
        for (;;) {
          const res = await call("GET", `${path}${offset}`, key ? { key } : {});
          assert.equal(res.status, 200);
          out.push(...res.body.data.map((o: { id: string }) => o.id));
          if (!res.body.hasNext) return out;
          offset = `&offset=${encodeURIComponent(res.body.next)}`;
        }
      };
      assert.ok(!(await ids("/opportunities?limit=100")).includes(confidential.id));
      assert.ok((await ids("/opportunities?confidentiality=all&limit=100")).includes(confidential.id));
      const plainKey = sandbox.createApiKey();
      assert.equal((await call("GET", "/opportunities?confidentiality=all", { key: plainKey })).status, 403);
      assert.equal((await call("GET", `/opportunities/${confidential.id}`, { key: plainKey })).status, 403);
      assert.equal((await call("GET", `/opportunities/${confidential.id}`)).status, 200);
    });

    it("answers 404 ResourceNotFound for unknown objects and routes", async () => {
      const res = await call("GET", "/stages/a80b0000-0000-4000-8000-000000000000");
      assert.equal(res.status, 404);
      assert.deepEqual(res.body, { code: "ResourceNotFound", message: "stages a80b0000-0000-4000-8000-000000000000 was not found" });
      assert.equal((await call("GET", "/no-such-route")).status, 404);
    });
  });

  describe("perform_as", () => {
    it("requires perform_as on panels, interviews and opportunity creation (400) but not on notes, stage, archive and tags", async () => {
      const opp = openOpportunity();
      for (const [method, path, body] of [
        ["POST", `/opportunities/${opp.id}/panels`, panelBody(interviewer)],
        ["POST", `/opportunities/${opp.id}/interviews`, { panel: "x", interviewers: [{ id: interviewer }], date: 1, duration: 30 }],
        ["POST", "/opportunities", { name: "No Performer", emails: ["np@example.org"] }],
      ] as const) {
        const res = await call(method, path, { body });
        assert.equal(res.status, 400, `${method} ${path}`);
        assert.match(res.body.message, /perform_as/);
      }
      assert.equal((await call("POST", `/opportunities/${opp.id}/notes`, { body: { value: "anonymous" } })).status, 201);
      assert.equal((await call("POST", `/opportunities/${opp.id}/addTags`, { body: { tags: ["no-pa"] } })).status, 200);
      assert.equal((await call("PUT", `/opportunities/${opp.id}/stage`, { body: { stage: "applicant-new" } })).status, 200);
    });

    it("rejects an unknown or deactivated perform_as user with 400", async () => {
      const opp = openOpportunity();
      const former = sandbox.demo!.userIdsByName.get("Alex Former")!;
      for (const pa of ["00000000-0000-4000-8000-000000000000", former]) {
        const res = await call("POST", `/opportunities/${opp.id}/notes?perform_as=${pa}`, { body: { value: "x" } });
        assert.equal(res.status, 400);
        assert.match(res.body.message, /perform_as/);
      }
    });
  });

  describe("externallyManaged and API-created rules", () => {
    it("refuses to change or delete panels, interviews and notes made in Lever's UI", async () => {
      const uiPanel = [...sandbox.state.panels.values()].find((p) => !p.externallyManaged)!;
      const uiNote = [...sandbox.state.notes.values()].find((n) => !n.createdViaApi)!;
      const pa = `?perform_as=${admin}`;
      const cases = [
        await call("DELETE", `/opportunities/${uiPanel.opportunityId}/panels/${uiPanel.id}${pa}`),
        await call("PUT", `/opportunities/${uiPanel.opportunityId}/panels/${uiPanel.id}${pa}`, {
          body: { timezone: "UTC", interviews: [{ interviewers: [{ id: interviewer }], date: 1, duration: 30 }] },
        }),
        await call("DELETE", `/opportunities/${uiPanel.opportunityId}/interviews/${uiPanel.interviews[0]!.id}${pa}`),
        await call("POST", `/opportunities/${uiPanel.opportunityId}/interviews${pa}`, {
          body: { panel: uiPanel.id, interviewers: [{ id: interviewer }], date: 1, duration: 30 },
        }),
        await call("PUT", `/opportunities/${uiNote.opportunityId}/notes/${uiNote.id}`, { body: { values: [{ value: "rewritten" }] } }),
        await call("DELETE", `/opportunities/${uiNote.opportunityId}/notes/${uiNote.id}`),
      ];
      for (const res of cases) {
        assert.equal(res.status, 400);
        assert.match(res.body.message, /not (externally managed|created through the API)/);
      }
      assert.ok(sandbox.state.panels.has(uiPanel.id));
      assert.equal(sandbox.state.notes.get(uiNote.id)!.fields[0]!.value === "rewritten", false);
    });

    it("replaces a panel in full on PUT, keeping ids of listed interviews and dropping omitted fields", async () => {
      const opp = openOpportunity();
      const created = await call("POST", `/opportunities/${opp.id}/panels?perform_as=${recruiter}`, {
        body: {
          timezone: "Europe/Lisbon",
          note: "first",
          externalUrl: "https://s.example.org/1",
          interviews: [
            { subject: "A", interviewers: [{ id: interviewer }], date: Date.UTC(2027, 1, 1, 9), duration: 30 },
            { subject: "B", interviewers: [{ id: admin }], date: Date.UTC(2027, 1, 1, 10), duration: 30 },
          ],
        },
      });
      const [a] = created.body.data.interviews;
      const put = await call("PUT", `/opportunities/${opp.id}/panels/${created.body.data.id}?perform_as=${recruiter}`, {
        body: {
          timezone: "Europe/Berlin",
          interviews: [
            { id: a.id, subject: "A2", interviewers: [{ id: interviewer }], date: Date.UTC(2027, 1, 2, 9), duration: 45 },
            { subject: "C", interviewers: [{ id: recruiter }], date: Date.UTC(2027, 1, 2, 11), duration: 30 },
          ],
        },
      });
      assert.equal(put.status, 200);
      const panel = put.body.data;
      assert.equal(panel.timezone, "Europe/Berlin");
      assert.equal(panel.note, "");
      assert.equal(panel.externalUrl, null);
      assert.equal(panel.interviews.length, 2);
      assert.equal(panel.interviews[0].id, a.id);
      assert.equal(panel.interviews[0].subject, "A2");
      assert.notEqual(panel.interviews[1].id, created.body.data.interviews[1].id);
    });

    it("updates and deletes API-created notes; deleting a panel's last interview deletes the panel", async () => {
      const opp = openOpportunity();
      const note = await call("POST", `/opportunities/${opp.id}/notes`, { body: { value: "draft" } });
      const put = await call("PUT", `/opportunities/${opp.id}/notes/${note.body.data.id}`, { body: { values: [{ value: "final" }], user: recruiter } });
      assert.equal(put.status, 200);
      assert.deepEqual(put.body, { data: { noteId: note.body.data.id } });
      assert.equal(sandbox.state.notes.get(note.body.data.id)!.fields[0]!.value, "final");
      assert.equal((await call("DELETE", `/opportunities/${opp.id}/notes/${note.body.data.id}`)).status, 204);
      assert.equal((await call("GET", `/opportunities/${opp.id}/notes/${note.body.data.id}`)).status, 404);

      const panel = await call("POST", `/opportunities/${opp.id}/panels?perform_as=${recruiter}`, { body: panelBody(interviewer) });
      const extra = await call("POST", `/opportunities/${opp.id}/interviews?perform_as=${recruiter}`, {
        body: { panel: panel.body.data.id, subject: "Second", interviewers: [{ id: admin }], date: Date.UTC(2027, 0, 6, 10), duration: 45 },
      });
      assert.equal(extra.status, 201);
      assert.equal(extra.body.data.feedbackReminder, "frequently");
      const updated = await call("PUT", `/opportunities/${opp.id}/interviews/${extra.body.data.id}?perform_as=${recruiter}`, {
        body: { panel: panel.body.data.id, interviewers: [{ id: admin }], date: Date.UTC(2027, 0, 7, 10), duration: 30 },
      });
      assert.equal(updated.body.data.subject, "");
      assert.equal(updated.body.data.duration, 30);
      const first = panel.body.data.interviews[0].id;
      assert.equal((await call("DELETE", `/opportunities/${opp.id}/interviews/${first}?perform_as=${recruiter}`)).status, 204);
      assert.ok(sandbox.state.panels.has(panel.body.data.id));
      assert.equal((await call("DELETE", `/opportunities/${opp.id}/interviews/${extra.body.data.id}?perform_as=${recruiter}`)).status, 204);
      assert.ok(!sandbox.state.panels.has(panel.body.data.id));
    });

    it("validates panels: timezone, non-empty interviews, interviewers, duration and applications", async () => {
      const opp = openOpportunity();
      const base = panelBody(interviewer);
      const bad = [
        { ...base, timezone: undefined },
        { ...base, timezone: "Mars/Olympus" },
        { ...base, interviews: [] },
        { ...base, interviews: [{ ...base.interviews[0], interviewers: [] }] },
        { ...base, interviews: [{ ...base.interviews[0], duration: 0 }] },
        { ...base, applications: [] },
      ];
      for (const body of bad)
        assert.equal((await call("POST", `/opportunities/${opp.id}/panels?perform_as=${recruiter}`, { body })).status, 400, JSON.stringify(body));
    });
  });

  describe("creating opportunities", () => {
    it("creates from JSON, then dedupes a second create by e-mail onto the same contact", async () => {
      const posting = [...sandbox.state.postings.values()].find((p) => p.state === "published")!;
      const body = {
        name: "Ada Example",
        headline: "Analytical Engines",
        emails: ["ada@example.org"],
        phones: [{ type: "mobile", value: "+44 7700 900000" }],
        tags: ["from-api"],
        sources: ["Fulcrum"],
        origin: "sourced",
        postings: [posting.id],
      };
      const first = await call("POST", `/opportunities?perform_as=${recruiter}`, { body });
      assert.equal(first.status, 201);
      leverCreatedOpportunitySchema.parse(first.body);
      assert.equal(first.body.deduped, false);
      assert.equal(first.body.data.applications.length, 1);
      assert.ok(first.body.data.tags.includes("from-api"));
      const second = await call("POST", `/opportunities?perform_as=${recruiter}`, { body: { ...body, name: "Ada Changed", postings: [] } });
      assert.equal(second.body.deduped, true);
      assert.equal(second.body.data.contact, first.body.data.contact);
      assert.notEqual(second.body.data.id, first.body.data.id);
      assert.equal(second.body.data.name, "Ada Example", "an existing contact keeps its data");
    });

    it("rejects more than one posting with 400", async () => {
      const [p1, p2] = [...sandbox.state.postings.keys()];
      const res = await call("POST", `/opportunities?perform_as=${recruiter}`, {
        body: { name: "Two Postings", emails: ["two@example.org"], postings: [p1, p2] },
      });
      assert.equal(res.status, 400);
      assert.ok(![...sandbox.state.contacts.values()].some((c) => c.emails.includes("two@example.org")));
    });

    it("creates from multipart with a resumeFile that then downloads byte for byte", async () => {
      const form = new FormData();
      form.append("name", "Grace Multipart");
      form.append("emails[]", "grace.multipart@example.org");
      form.append("tags[]", "multipart");
      form.append("archived[reason]", sandbox.state.archiveReasons[1]!.id);
      const pdf = new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d, 0x31, 0x2e, 0x37, 0x0a, 1, 2, 3]);
      form.append("resumeFile", new Blob([pdf], { type: "application/pdf" }), "grace.pdf");
      const res = await call("POST", `/opportunities?perform_as=${recruiter}`, { form });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.deepEqual(res.body.data.emails, ["grace.multipart@example.org"]);
      assert.equal(res.body.data.archived.reason, sandbox.state.archiveReasons[1]!.id);
      const resumes = await call("GET", `/opportunities/${res.body.data.id}/resumes`);
      assert.equal(resumes.body.data[0].file.name, "grace.pdf");
      const download = await call("GET", `/opportunities/${res.body.data.id}/resumes/${resumes.body.data[0].id}/download`);
      assert.deepEqual([...download.body], [...pdf]);
    });

    it("answers 400 for a malformed JSON body and leaves the organisation unchanged", async () => {
      const before = sandbox.state.opportunities.size;
      const res = await call("POST", `/opportunities?perform_as=${recruiter}`, { body: "{not json" });
      assert.equal(res.status, 400);
      assert.equal(sandbox.state.opportunities.size, before);
    });
  });

  describe("tags, links, sources and contacts", () => {
    it("adds and removes tags, sources and links and returns the opportunity", async () => {
      const opp = openOpportunity();
      const added = await call("POST", `/opportunities/${opp.id}/addTags?perform_as=${recruiter}`, { body: { tags: ["ai-screened", "shortlist"] } });
      assert.ok(added.body.data.tags.includes("ai-screened"));
      const removed = await call("POST", `/opportunities/${opp.id}/removeTags`, { body: { tags: ["shortlist"] } });
      assert.ok(!removed.body.data.tags.includes("shortlist"));
      const src = await call("POST", `/opportunities/${opp.id}/addSources`, { body: { sources: ["Fulcrum"] } });
      assert.ok(src.body.data.sources.includes("Fulcrum"));
      const links = await call("POST", `/opportunities/${opp.id}/addLinks`, { body: { links: ["https://example.org/portfolio"] } });
      assert.ok(links.body.data.links.includes("https://example.org/portfolio"));
      const tags = await call("GET", "/tags");
      assert.ok(tags.body.data.some((t: { text: string; count: number }) => t.text === "ai-screened" && t.count >= 1));
      assert.equal((await call("POST", `/opportunities/${opp.id}/addTags`, { body: { tags: "not-an-array-of-strings".length } })).status, 400);
    });

    it("reads and updates a contact", async () => {
      const opp = openOpportunity();
      const res = await call("GET", `/contacts/${opp.contact}`);
      assertKeys(res.body.data, ["id", "name", "headline", "location", "emails", "phones", "isAnonymized"], "contact");
      const put = await call("PUT", `/contacts/${opp.contact}`, { body: { headline: "Now at Example Co", location: "Porto" } });
      assert.equal(put.body.data.headline, "Now at Example Co");
      assert.deepEqual(put.body.data.location, { name: "Porto" });
    });
  });

  describe("postings", () => {
    it("serves a posting's application form and takes an application through POST apply", async () => {
      const posting = [...sandbox.state.postings.values()].find((p) => p.state === "published")!;
      const form = await call("GET", `/postings/${posting.id}/apply`);
      assertKeys(form.body.data, ["personalInformation", "customQuestions", "eeoQuestions", "urls"], "apply form");
      const applied = await call("POST", `/postings/${posting.id}/apply`, {
        body: {
          personalInformation: [
            { name: "fullName", value: "Lin Applicant" },
            { name: "email", value: "lin@example.org" },
          ],
        },
      });
      assert.equal(applied.status, 201);
      const app = sandbox.state.applications.get(applied.body.data.applicationId)!;
      assert.equal(app.type, "posting");
      assert.equal(sandbox.state.opportunities.get(app.opportunityId)!.stage, "applicant-new");
      const closed = [...sandbox.state.postings.values()].find((p) => p.state === "closed")!;
      assert.equal(
        (
          await call("POST", `/postings/${closed.id}/apply`, {
            body: {
              personalInformation: [
                { name: "fullName", value: "X" },
                { name: "email", value: "x@example.org" },
              ],
            },
          })
        ).status,
        400,
      );
    });

    it("hides internal-only postings from a published list unless a channel is given", async () => {
      const internal = [...sandbox.state.postings.values()].find((p) => p.state === "internal" && p.confidentiality === "non-confidential")!;
      const published = await call("GET", "/postings?state=internal&state=published");
      assert.ok(!published.body.data.some((p: { id: string }) => p.id === internal.id));
      const withChannel = await call("GET", "/postings?state=internal&distributionChannel=internal");
      assert.ok(withChannel.body.data.some((p: { id: string }) => p.id === internal.id));
      assert.equal((await call("GET", "/postings?updated_at_start=1&state=published")).status, 400);
    });

    it("creates a posting as a draft owned by the perform-as user, and updates it in part with POST", async () => {
      const body = {
        text: "Platform Engineer",
        categories: { team: "Infrastructure", location: "Lisbon", commitment: "Full-time" },
        content: {
          descriptionHtml: "<div>Run our <b>Kubernetes</b> platform.</div>",
          lists: [{ text: "Requirements", content: "<li>Go</li><li>Kubernetes</li>" }],
        },
        workplaceType: "hybrid",
        tags: ["Infrastructure"],
      };
      assert.equal((await call("POST", "/postings", { body })).status, 400, "perform_as is required");
      const created = await call("POST", `/postings?perform_as=${recruiter}`, { body });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const posting = leverPostingSchema.parse(created.body.data);
      assert.equal(created.body.data.state, "draft");
      assert.equal(created.body.data.owner, recruiter);
      assert.deepEqual(created.body.data.distributionChannels, ["public", "internal"]);
      assert.equal(created.body.data.content.description, "Run our Kubernetes platform.");
      assert.equal(created.body.data.categories.location, "Lisbon");
      assert.ok(!(await call("GET", "/postings?state=published")).body.data.some((p: { id: string }) => p.id === posting.id), "a draft is not published");

      const published = await call("POST", `/postings/${posting.id}?perform_as=${recruiter}`, { body: { state: "published" } });
      assert.equal(published.status, 200);
      assert.equal(published.body.data.state, "published");
      assert.equal(published.body.data.text, "Platform Engineer", "fields not sent are kept");
      assert.deepEqual(published.body.data.content.lists, body.content.lists);
      assert.ok((await call("GET", "/postings?state=published")).body.data.some((p: { id: string }) => p.id === posting.id));
    });

    it("refuses a posting without a title, a confidential one, an unknown field, a half salary range, and a key without the permission", async () => {
      const bad: [unknown, RegExp][] = [
        [{ state: "published" }, /text is required/],
        [{ text: "Secret role", confidentiality: "confidential" }, /Confidential postings cannot be created/],
        [{ text: "Typo", titel: "x" }, /Unknown posting field: titel/],
        [{ text: "Paid", salaryRange: { min: 1, max: 2 } }, /salaryRange needs all of/],
        [{ text: "Odd", state: "open" }, /state must be one of/],
      ];
      const before = sandbox.state.postings.size;
      for (const [body, message] of bad) {
        const res = await call("POST", `/postings?perform_as=${recruiter}`, { body });
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.match(JSON.stringify(res.body), message);
      }
      assert.equal(sandbox.state.postings.size, before, "nothing was stored");
      const readOnly = sandbox.createApiKey({ permissions: ["Find all postings", "Find a posting"] });
      assert.equal((await call("POST", `/postings?perform_as=${recruiter}`, { body: { text: "Nope" }, key: readOnly })).status, 403);
      assert.equal((await call("POST", `/postings/no-such-posting?perform_as=${recruiter}`, { body: { state: "closed" } })).status, 404);
    });
  });
});

describe("Lever sandbox rate limit", () => {
  let sandbox: Sandbox;
  before(async () => {
    sandbox = await startSandbox({ seed: 4, demo: false });
  });
  after(async () => sandbox.close());

  it("answers 429 past a burst of 20 requests per key, while another key still gets through", async () => {
    const call = client(sandbox);
    const statuses = await Promise.all(Array.from({ length: 30 }, () => call("GET", "/stages").then((r) => r.status)));
    assert.ok(statuses.filter((s) => s === 200).length >= 20);
    assert.ok(statuses.filter((s) => s === 200).length <= 22);
    assert.ok(statuses.includes(429));
    const other = sandbox.createApiKey();
    assert.equal((await call("GET", "/stages", { key: other })).status, 200);
    const limited = await call("GET", "/stages");
    if (limited.status === 429) leverErrorBodySchema.parse(limited.body);
    sandbox.setRateLimit(false);
    const after = await Promise.all(Array.from({ length: 30 }, () => call("GET", "/stages").then((r) => r.status)));
    assert.ok(after.every((s) => s === 200));
  });
});
