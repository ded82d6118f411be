/**
 * The sandbox as Lever documents it (reference §1.4 perform_as, §2.2 errors, §3.10 panels, §5
 * webhooks), where an earlier sandbox was more lenient than Lever.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { leverErrorBodySchema } from "../lever/index.ts";
import { interviewEventFields, startSandbox, type Sandbox } from "./index.ts";

type Call = (method: string, path: string, options?: { body?: unknown; key?: string | null }) => Promise<{ status: number; body: any }>;

function caller(sandbox: Sandbox): Call {
  return async (method, path, options = {}) => {
    const key = options.key === undefined ? sandbox.apiKey : options.key;
    const headers: Record<string, string> = {};
    if (key !== null) headers.authorization = `Basic ${Buffer.from(`${key}:`).toString("base64")}`;
    if (options.body !== undefined) headers["content-type"] = "application/json";
    const res = await fetch(`${sandbox.url}${path}`, { method, headers, ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}) });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
}

describe("Lever sandbox, as Lever documents it", () => {
  let sandbox: Sandbox;
  let call: Call;
  let recruiter: string;
  let interviewer: string;
  let admin: string;

  before(async () => {
    sandbox = await startSandbox({ seed: 5, rateLimit: false, candidates: 8 });
    call = caller(sandbox);
    recruiter = sandbox.demo!.userIdsByName.get("Priya Raman")!;
    interviewer = sandbox.demo!.userIdsByName.get("Rafael Ortiz")!;
    admin = sandbox.demo!.userIdsByName.get("Dana Whitfield")!;
  });
  after(async () => sandbox.close());

  const openOpportunity = () =>
    [...sandbox.state.opportunities.values()].find(
      (o) => o.archived === null && o.confidentiality === "non-confidential" && o.applications.length === 1 && o.deletedAt === null,
    )!;
  const publishedPosting = () =>
    [...sandbox.state.postings.values()].find((p) => p.state === "published" && p.confidentiality === "non-confidential" && p.owner !== recruiter)!;

  describe("perform_as_posting_owner", () => {
    it("still needs perform_as: without it the create is a 400 naming perform_as and nothing is created", async () => {
      const before = sandbox.state.opportunities.size;
      const res = await call("POST", "/opportunities?perform_as_posting_owner=true", {
        body: { name: "Ona Owner", emails: ["ona.owner@example.org"], postings: [publishedPosting().id] },
      });
      assert.equal(res.status, 400);
      assert.deepEqual(res.body, { code: "BadRequest", message: "Missing required query parameter: perform_as" });
      assert.equal(sandbox.state.opportunities.size, before);
    });

    it("with perform_as, makes the posting's owner the opportunity's owner while the write is the perform-as user's", async () => {
      const posting = publishedPosting();
      const res = await call("POST", `/opportunities?perform_as=${recruiter}&perform_as_posting_owner=true`, {
        body: { name: "Ona Owner", emails: ["ona.owner2@example.org"], postings: [posting.id] },
      });
      assert.equal(res.status, 201);
      assert.equal(res.body.data.owner, posting.owner);
      const record = sandbox.state.opportunities.get(res.body.data.id)!;
      assert.equal(record.stageChanges[0]!.userId, recruiter);
    });
  });

  describe("webhook URLs", () => {
    it("refuses to create a webhook at an http URL, loopback or not, with Lever's error body", async () => {
      const before = sandbox.state.apiWebhooks.size;
      for (const url of ["http://hooks.example.org/lever", "http://127.0.0.1:8080/webhooks/lever", "ftp://hooks.example.org/x"]) {
        const res = await call("POST", "/webhooks", { body: { url, event: "candidateHired" } });
        assert.equal(res.status, 400, url);
        leverErrorBodySchema.parse(res.body);
        assert.equal(res.body.code, "BadRequest");
        assert.match(res.body.message, /https/);
      }
      assert.equal(sandbox.state.apiWebhooks.size, before);
    });

    it("refuses to move a webhook to an http URL and keeps the one it had", async () => {
      const created = await call("POST", "/webhooks", { body: { url: "https://hooks.example.org/lever", event: "candidateHired" } });
      assert.equal(created.status, 201);
      const res = await call("PUT", "/webhooks", { body: { data: [{ id: created.body.data.id, url: "http://hooks.example.org/lever" }] } });
      assert.equal(res.status, 400);
      assert.match(res.body.message, /data\[0\]\.url .* https/);
      assert.equal(sandbox.state.apiWebhooks.get(created.body.data.id)!.url, "https://hooks.example.org/lever");
    });

    it("accepts loopback http only in a sandbox started with the test-only allowHttpLoopbackWebhooks", async () => {
      const local = await startSandbox({ seed: 6, rateLimit: false, demo: false, allowHttpLoopbackWebhooks: true });
      try {
        const localCall = caller(local);
        for (const url of ["http://127.0.0.1:9/webhooks/lever", "http://localhost:9/h", "http://[::1]:9/h"]) {
          assert.equal((await localCall("POST", "/webhooks", { body: { url, event: "candidateHired" } })).status, 201, url);
        }
        const remote = await localCall("POST", "/webhooks", { body: { url: "http://hooks.example.org/lever", event: "candidateHired" } });
        assert.equal(remote.status, 400);
      } finally {
        await local.close();
      }
    });
  });

  describe("error bodies", () => {
    it("answers {code, message} with one code per status, none with an Error suffix", async () => {
      const opp = openOpportunity();
      const limited = sandbox.createApiKey({ permissions: ["Find all stages"] });
      const unprocessable = sandbox.actions.addResume(opp.id, {
        file: { name: "cv.pdf", contentType: "application/pdf", bytes: new Uint8Array([1, 2, 3]) },
        status: "error",
      });
      const cases: [number, string, Promise<{ status: number; body: any }>][] = [
        [400, "BadRequest", call("GET", "/stages?limit=0")],
        [401, "Unauthorized", call("GET", "/stages", { key: "not-a-key" })],
        [401, "Unauthorized", call("GET", "/stages", { key: null })],
        [403, "Forbidden", call("GET", "/opportunities", { key: limited })],
        [404, "ResourceNotFound", call("GET", "/opportunities/00000000-0000-4000-8000-000000000000")],
        [404, "ResourceNotFound", call("GET", "/no-such-route")],
        [422, "UnprocessableEntity", call("GET", `/opportunities/${opp.id}/resumes/${unprocessable.id}/download`)],
      ];
      for (const [status, code, pending] of cases) {
        const res = await pending;
        assert.equal(res.status, status, code);
        leverErrorBodySchema.parse(res.body);
        assert.equal(res.body.code, code);
        assert.ok(!/Error$/.test(res.body.code));
      }
    });

    it("answers 429 TooManyRequests past the burst", async () => {
      const limited = await startSandbox({ seed: 7, demo: false, rateLimit: true });
      try {
        const limitedCall = caller(limited);
        const answers = await Promise.all(Array.from({ length: 30 }, () => limitedCall("GET", "/stages")));
        const refused = answers.find((a) => a.status === 429);
        assert.ok(refused, "some request past the burst of 20 is refused");
        assert.equal(refused.body.code, "TooManyRequests");
      } finally {
        await limited.close();
      }
    });
  });

  describe("a panel replaced with PUT", () => {
    it("keeps what the request cannot name: ids, creator, creation time, stage, interview ids and their feedback, interviewers' answers", async () => {
      const opp = openOpportunity();
      const template = [...sandbox.state.feedbackTemplates.values()].find((t) => t.fields.some((f) => f.type === "score-system"))!;
      const created = await call("POST", `/opportunities/${opp.id}/panels?perform_as=${recruiter}`, {
        body: {
          timezone: "Europe/Lisbon",
          note: "Onsite",
          externalUrl: "https://scheduler.example.org/p/1",
          interviews: [
            { subject: "Technical", interviewers: [{ id: interviewer }], date: Date.UTC(2027, 2, 1, 9), duration: 60, feedbackTemplate: template.id },
            { subject: "Values", interviewers: [{ id: admin }], date: Date.UTC(2027, 2, 1, 11), duration: 45 },
          ],
        },
      });
      assert.equal(created.status, 201);
      const panel = created.body.data;
      const [technical, values] = panel.interviews;
      // The interviewer accepted the invitation, and submitted feedback for the technical interview.
      sandbox.state.panels.get(panel.id)!.interviews[0]!.interviewers[0]!.responseStatus = "accepted";
      const feedback = await call("POST", `/opportunities/${opp.id}/feedback?perform_as=${interviewer}`, {
        body: { baseTemplateId: template.id, panel: panel.id, interview: technical.id, completedAt: Date.UTC(2027, 2, 1, 12) },
      });
      assert.equal(feedback.status, 201);
      // The candidate moves on before the panel is replaced.
      const nextStage = sandbox.state.stages.find((s) => s.id !== opp.stage && s.id !== "offer")!;
      assert.equal((await call("PUT", `/opportunities/${opp.id}/stage`, { body: { stage: nextStage.id } })).status, 200);

      const put = await call("PUT", `/opportunities/${opp.id}/panels/${panel.id}?perform_as=${admin}`, {
        body: {
          timezone: "Europe/Berlin",
          interviews: [
            {
              id: technical.id,
              subject: "Technical (moved)",
              interviewers: [{ id: interviewer }],
              date: Date.UTC(2027, 2, 2, 9),
              duration: 60,
              feedbackTemplate: template.id,
            },
          ],
        },
      });
      assert.equal(put.status, 200);
      const replaced = put.body.data;
      // Kept: what the request cannot carry.
      assert.equal(replaced.id, panel.id);
      assert.equal(replaced.createdAt, panel.createdAt);
      assert.equal(replaced.user, recruiter, "the creator stays the creator");
      assert.equal(replaced.stage, panel.stage, "the panel stays on the stage it was scheduled for");
      assert.equal(replaced.externallyManaged, true);
      assert.equal(replaced.canceledAt, null);
      assert.equal(replaced.interviews.length, 1);
      assert.equal(replaced.interviews[0].id, technical.id);
      assert.equal(replaced.interviews[0].interviewers[0].responseStatus, "accepted");
      const fetched = await call("GET", `/opportunities/${opp.id}/interviews/${technical.id}`);
      assert.equal(fetched.body.data.createdAt, sandbox.state.panels.get(panel.id)!.interviews[0]!.createdAt);
      assert.deepEqual(fetched.body.data.feedbackForms, [feedback.body.data.id], "the feedback stays linked to the interview");
      // Replaced: what the request can carry, omitted means deleted.
      assert.equal(replaced.timezone, "Europe/Berlin");
      assert.equal(replaced.note, "");
      assert.equal(replaced.externalUrl, null);
      assert.equal(replaced.interviews[0].subject, "Technical (moved)");
      assert.equal((await call("GET", `/opportunities/${opp.id}/interviews/${values.id}`)).status, 404);
    });
  });

  describe("interview webhooks", () => {
    it("carry the ids the reference lists (interviewId, panelId, opportunityId, contactId) and nothing invented, whatever caused them", async () => {
      const opp = openOpportunity();
      const from = sandbox.events.length;
      const created = await call("POST", `/opportunities/${opp.id}/panels?perform_as=${recruiter}`, {
        body: { timezone: "UTC", interviews: [{ subject: "Later", interviewers: [{ id: interviewer }], date: Date.now() + 7 * 86_400_000, duration: 30 }] },
      });
      const interviewId = created.body.data.interviews[0].id;
      await call("PUT", `/opportunities/${opp.id}/interviews/${interviewId}?perform_as=${recruiter}`, {
        body: { panel: created.body.data.id, interviewers: [{ id: interviewer }], date: Date.now() + 8 * 86_400_000, duration: 30 },
      });
      const reason = sandbox.state.archiveReasons.find((r) => r.type !== "hired")!;
      // Archiving with cleanInterviews deletes the future interview.
      assert.equal((await call("PUT", `/opportunities/${opp.id}/archived`, { body: { reason: reason.id, cleanInterviews: true } })).status, 200);
      const events = sandbox.events.slice(from).filter((e) => e.event.startsWith("interview") && e.data.interviewId === interviewId);
      assert.deepEqual(
        events.map((e) => e.event),
        ["interviewCreated", "interviewUpdated", "interviewDeleted"],
      );
      for (const e of events) {
        assert.deepEqual(Object.keys(e.data).sort(), [...interviewEventFields].sort(), e.event);
        assert.deepEqual(e.data, { interviewId, panelId: created.body.data.id, opportunityId: opp.id, contactId: opp.contact });
      }
      await call("PUT", `/opportunities/${opp.id}/archived`, { body: { reason: null } });
    });

    it("can leave fields out, for testing a receiver against a payload Lever has not confirmed", async () => {
      const partial = await startSandbox({ seed: 8, rateLimit: false, candidates: 4, interviewEventFields: ["interviewId", "opportunityId"] });
      try {
        const opp = [...partial.state.opportunities.values()].find((o) => o.archived === null && o.deletedAt === null)!;
        const user = [...partial.state.users.values()].find((u) => u.deactivatedAt === null)!;
        partial.actions.createPanel(opp.id, { timezone: "UTC", interviews: [{ interviewers: [{ id: user.id }], date: Date.now(), duration: 30 }] }, user.id);
        const event = partial.events.at(-1)!;
        assert.equal(event.event, "interviewCreated");
        assert.deepEqual(Object.keys(event.data).sort(), ["interviewId", "opportunityId"]);
      } finally {
        await partial.close();
      }
    });
  });
});
