import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Hono } from "hono";
import { loadConfig } from "../../config/index.ts";
import { silentLogger } from "../../observability/index.ts";
import { openTestDatabase, testEngines, type TestDatabase } from "../../store/testing.ts";
import { createJobQueue, type JobQueue } from "../../engine/queue/index.ts";
import { createInbox } from "../../engine/inbox/index.ts";
import { createMemoryConnectionDirectory } from "../../engine/sources/index.ts";
import { WorkflowSet } from "../../engine/workflows/index.ts";
import { createInlineDispatcher, createWorkflowEngine, type LeverGateway } from "../../engine/runs/index.ts";
import { createApp } from "../app.ts";
import { createApiToken, ensureBootstrapToken } from "./tokens.ts";

const ADMIN = "bootstrap-admin-token-0123456789";

const WORKFLOW = `id: tagger
name: Tagger
mode: assist
triggers: [{ lever: applicationCreated }, { manual: true }]
steps:
  - id: note
    type: lever.note
    body: "Hello {{ context.opportunity.name }}"
  - id: tag
    type: lever.tags
    add: [seen]
`;

for (const e of await testEngines()) {
  describe(`REST API on ${e.kind}`, { skip: e.skip }, () => {
    let t: TestDatabase;
    let queue: JobQueue;
    let app: Hono;
    let drain: () => Promise<void>;
    const writes: string[] = [];
    let recruiter: string;
    let auditor: string;

    before(async () => {
      t = await openTestDatabase(e.kind);
      queue = createJobQueue({ db: t.db, logger: silentLogger, schedule: false });
      await queue.start();
      const inbox = createInbox({ db: t.db, queue });
      await inbox.start();
      const dir = mkdtempSync(join(tmpdir(), "api-wf-"));
      writeFileSync(join(dir, "tagger.yaml"), WORKFLOW);
      const workflows = new WorkflowSet({ builtinDir: dir });
      const lever = {
        getOpportunity: async (id: string) => ({ id, name: "Mira", applications: [] }),
        addNote: async (_id: string, n: { value: string }) => (writes.push(`note:${n.value}`), { id: "n1" }),
        addTags: async (_id: string, tags: string[]) => void writes.push(`tags:${tags.join(",")}`),
      } as unknown as LeverGateway;
      const inline = createInlineDispatcher(t.db);
      const engine = createWorkflowEngine({ db: t.db, workflows, lever: () => lever, dispatcher: inline.dispatcher, modeCeiling: "auto" });
      drain = () => inline.drain(engine);
      const config = loadConfig({ FULCRUM_ADMIN_TOKEN: ADMIN, FULCRUM_SANDBOX: "off" });
      app = createApp({ config, db: t.db, logger: silentLogger, queue, inbox, connections: createMemoryConnectionDirectory({}), engine, workflows });
      await ensureBootstrapToken(t.db, ADMIN);
      recruiter = (await createApiToken(t.db, "recruiter bot", "recruiter")).token;
      auditor = (await createApiToken(t.db, "auditor", "auditor")).token;
      await engine.startManual("tagger", { connectionId: "c1", opportunityId: "o1", actor: "test", traceId: "t1" });
      await drain();
    });
    after(async () => {
      await queue?.stop({ graceful: false, timeoutMs: 1000 });
      await t?.drop();
    });

    async function call(method: string, path: string, token: string | null, body?: unknown) {
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (token) headers.authorization = `Bearer ${token}`;
      const res = await app.request(`/api${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
      });
      return { status: res.status, json: (await res.json()) as Record<string, any> };
    }

    it("refuses requests without a token or with an unknown one", async () => {
      assert.equal((await call("GET", "/runs", null)).status, 401);
      const bad = await call("GET", "/runs", "not-a-real-token-at-all");
      assert.equal(bad.status, 401);
      assert.match(bad.json.error.message, /unknown or revoked/);
    });

    it("stores only the sha256 of tokens", async () => {
      const { rows } = await t.db.query<{ token_sha256: string }>("select token_sha256 from api_tokens");
      assert.ok(rows.every((r) => /^[0-9a-f]{64}$/.test(r.token_sha256) && r.token_sha256 !== ADMIN));
    });

    it("lists runs with their steps and proposals", async () => {
      const runs = await call("GET", "/runs", ADMIN);
      assert.equal(runs.status, 200);
      assert.equal(runs.json.runs[0].workflowId, "tagger");
      assert.equal(runs.json.runs[0].status, "waiting");
      const one = await call("GET", `/runs/${runs.json.runs[0].id}`, ADMIN);
      assert.deepEqual(
        one.json.run.steps.map((s: { stepId: string; status: string }) => `${s.stepId}:${s.status}`),
        ["note:waiting"],
      );
      assert.equal(one.json.run.proposals[0].status, "pending");
      assert.equal((await call("GET", "/runs/abc", ADMIN)).status, 400);
      assert.equal((await call("GET", "/runs/99999", ADMIN)).status, 404);
    });

    it("lets a recruiter approve with edits and reject with a reason, and records who", async () => {
      const pending = await call("GET", "/proposals?status=pending", recruiter);
      // The run's note and tags wait together (newest first); the note is applied first.
      const note = pending.json.proposals.find((p: { stepId: string }) => p.stepId === "note");
      assert.ok(note, JSON.stringify(pending.json.proposals));
      assert.equal((await call("POST", `/proposals/${note.id}/approve`, recruiter, "{not json")).status, 400);
      const bad = await call("POST", `/proposals/${note.id}/approve`, recruiter, { edits: { opportunityId: "x" } });
      assert.equal(bad.status, 400);
      const ok = await call("POST", `/proposals/${note.id}/approve`, recruiter, { edits: { body: "Edited hello" } });
      assert.equal(ok.status, 200);
      assert.equal(
        ok.json.proposal.decidedBy,
        `user:token:${(await t.db.query<{ id: number }>("select id from api_tokens where name = 'recruiter bot'")).rows[0]!.id}`,
      );
      await drain();
      assert.deepEqual(writes, ["note:Edited hello"]);
      const tag = (await call("GET", "/proposals?status=pending", recruiter)).json.proposals[0];
      assert.equal(tag.stepId, "tag");
      assert.equal((await call("POST", `/proposals/${tag.id}/reject`, recruiter, {})).status, 400);
      const rejected = await call("POST", `/proposals/${tag.id}/reject`, recruiter, { reason: "not needed" });
      assert.equal(rejected.json.proposal.status, "rejected");
      assert.equal(rejected.json.proposal.decisions[0].reason, "not needed");
      const again = await call("POST", `/proposals/${tag.id}/approve`, recruiter, {});
      assert.equal(again.status, 409);
      await drain();
      assert.deepEqual(writes, ["note:Edited hello"]);
    });

    it("keeps roles apart: an auditor reads but cannot decide; a recruiter cannot change workflows", async () => {
      assert.equal((await call("GET", "/proposals", auditor)).status, 200);
      const p = (await call("GET", "/proposals", auditor)).json.proposals[0];
      assert.equal((await call("POST", `/proposals/${p.id}/approve`, auditor, {})).status, 403);
      assert.equal((await call("PATCH", "/workflows/tagger", recruiter, { mode: "auto" })).status, 403);
    });

    it("switches a workflow's mode and enabled flag, validating the body", async () => {
      assert.equal((await call("PATCH", "/workflows/tagger", ADMIN, { mode: "sometimes" })).status, 400);
      assert.equal((await call("PATCH", "/workflows/nope", ADMIN, { mode: "auto" })).status, 404);
      const r = await call("PATCH", "/workflows/tagger", ADMIN, { mode: "shadow", enabled: false });
      const { actions, ...workflow } = r.json.workflow;
      assert.deepEqual(workflow, { id: "tagger", enabled: false, mode: "shadow", ceiling: "auto", effectiveMode: "shadow", pendingChange: null });
      // The file says assist; the person's shadow is lower and decides every action.
      assert.deepEqual(
        actions.map((a: { step: string; mode: string; decidedBy: string[] }) => [a.step, a.mode, a.decidedBy.join("+")]),
        [
          ["note", "shadow", "workflow"],
          ["tag", "shadow", "workflow"],
        ],
      );
      assert.match(actions[0].reason, /^shadow: the workflow's mode \(set by \S+\)$/);
      const list = await call("GET", "/workflows", ADMIN);
      assert.equal(list.json.workflows[0].mode, "shadow");
      assert.equal(list.json.workflows[0].enabled, false);
    });

    it("lists dead jobs and events", async () => {
      assert.deepEqual((await call("GET", "/jobs/dead", ADMIN)).json.jobs, []);
      assert.equal((await call("POST", "/jobs/nope/retry", ADMIN)).status, 404);
      assert.deepEqual((await call("GET", "/events", ADMIN)).json.events, []);
      assert.equal((await call("GET", "/events?status=weird", ADMIN)).status, 400);
    });

    it("lists prompt versions", async () => {
      const r = await call("GET", "/prompts", ADMIN);
      assert.ok(r.json.prompts.some((p: { name: string }) => p.name === "resume-evidence"));
      assert.equal((await call("GET", "/prompts/resume-evidence/v1", ADMIN)).status, 200);
      assert.equal((await call("GET", "/prompts/..%2F..%2Fetc/v1", ADMIN)).status, 400);
    });
  });
}
