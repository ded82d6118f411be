/**
 * The console's contract, checked against the server: each route the console reads answers in the
 * shape its schema in `src/contract/console-api.ts` gives, over a database with a run, proposals,
 * an event and a dead job in it; and every refusal, from `/api` and `/console/api` alike, is
 * `{ error: { code, message } }`.
 */
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Hono } from "hono";
import type { z } from "zod";
import {
  aiTestReplySchema,
  apiErrorSchema,
  auditSearchReplySchema,
  auditVerifySchema,
  deadJobListSchema,
  eventListSchema,
  fairnessReportSchema,
  fourEyesReplySchema,
  modeCeilingReplySchema,
  overviewSchema,
  peopleSchema,
  promptListSchema,
  promptReplySchema,
  proposalCardListSchema,
  proposalContextSchema,
  proposalLabelsSchema,
  proposalListSchema,
  proposalReplySchema,
  runLabelsSchema,
  runListSchema,
  runReplySchema,
  scheduledPanelListSchema,
  sessionSchema,
  settingsSchema,
  startCountsSchema,
  statusSchema,
  userListSchema,
  userReplySchema,
  webhookHoursSchema,
  workflowFileSchema,
  workflowListSchema,
  workflowPatchReplySchema,
} from "../contract/console-api.ts";
import { loadConfig } from "../config/index.ts";
import { createInbox } from "../engine/inbox/index.ts";
import { createJobQueue, type JobQueue } from "../engine/queue/index.ts";
import { createInlineDispatcher, createWorkflowEngine, type LeverGateway } from "../engine/runs/index.ts";
import { createMemoryConnectionDirectory } from "../engine/sources/index.ts";
import { WorkflowSet } from "../engine/workflows/index.ts";
import { silentLogger } from "../observability/index.ts";
import { openTestDatabase, testEngines, type TestDatabase } from "../store/testing.ts";
import { createApp } from "./app.ts";
import { createUser } from "./console/index.ts";

const ORIGIN = "http://fulcrum.test";
const COST = { N: 1024, r: 8, p: 1 };

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

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

for (const e of await testEngines()) {
  describe(`the console's contract on ${e.kind}`, { skip: e.skip }, () => {
    let t: TestDatabase;
    let queue: JobQueue;
    let app: Hono;
    let cookie = "";
    let csrf = "";
    let adminId = "";

    before(async () => {
      t = await openTestDatabase(e.kind);
      queue = createJobQueue({ db: t.db, logger: silentLogger, schedule: false });
      await queue.start();
      const inbox = createInbox({ db: t.db, queue });
      await inbox.start();
      const dir = mkdtempSync(join(tmpdir(), "contract-wf-"));
      writeFileSync(join(dir, "tagger.yaml"), WORKFLOW);
      const workflows = new WorkflowSet({ builtinDir: dir });
      const lever = {
        getOpportunity: async (id: string) => ({ id, name: "Mira", applications: [] }),
        addNote: async () => ({ id: "n1" }),
        addTags: async () => undefined,
      } as unknown as LeverGateway;
      const inline = createInlineDispatcher(t.db);
      const engine = createWorkflowEngine({ db: t.db, workflows, lever: () => lever, dispatcher: inline.dispatcher, modeCeiling: "auto" });
      const config = loadConfig({ FULCRUM_SANDBOX: "off", FULCRUM_PUBLIC_URL: ORIGIN });
      app = createApp({
        config,
        db: t.db,
        logger: silentLogger,
        queue,
        inbox,
        connections: createMemoryConnectionDirectory({}),
        engine,
        workflows,
        eeoSource: async () => [],
      });

      // A waiting run with two proposals, an event in the inbox and a job in a dead-letter queue.
      await engine.startManual("tagger", { connectionId: "c1", opportunityId: "o1", actor: "test", traceId: "t1" });
      await inline.drain(engine);
      await inbox.storeEvent({
        connectionId: "c1",
        source: "lever",
        event: "applicationCreated",
        dedupeKey: "contract-1",
        triggeredAt: new Date(),
        payload: { event: "applicationCreated", data: { opportunityId: "o1" } },
      });
      await queue.define("contract.fail", { retryLimit: 0 });
      await queue.work("contract.fail", { concurrency: 1 }, async () => {
        throw new Error("Lever answered 503");
      });
      await queue.send("contract.fail", { n: 1 });
      await waitFor("the dead-lettered job", async () => ((await queue.listDead()).length ? true : undefined));

      const admin = await createUser(t.db, { email: "admin@example.com", role: "admin", password: "admin password 1" }, COST);
      adminId = admin.id;
      const login = await app.request(`${ORIGIN}/console/api/login`, {
        method: "POST",
        headers: { origin: ORIGIN, "content-type": "application/json" },
        body: JSON.stringify({ email: "admin@example.com", password: "admin password 1" }),
      });
      assert.equal(login.status, 200, await login.clone().text());
      sessionSchema.parse(await login.json());
      cookie = login.headers
        .getSetCookie()
        .map((line) => line.split(";")[0]!)
        .join("; ");
      csrf = /fulcrum_csrf=([^;]+)/.exec(cookie)![1]!;
    });
    after(async () => {
      await queue?.stop({ graceful: false, timeoutMs: 1000 });
      await t?.drop();
    });

    /** A request from the signed-in admin's browser; the answer's status and body. */
    async function call(method: string, path: string, body?: unknown, signedIn = true) {
      const headers: Record<string, string> = { origin: ORIGIN, accept: "application/json" };
      if (signedIn) Object.assign(headers, { cookie, "x-csrf-token": decodeURIComponent(csrf) });
      if (body !== undefined) headers["content-type"] = "application/json";
      const res = await app.request(`${ORIGIN}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
      return { status: res.status, json: (await res.json()) as unknown };
    }

    /** Parses the answer with the route's schema; a mismatch fails naming the field. */
    async function answers<S extends z.ZodType>(schema: S, method: string, path: string, body?: unknown, status = 200): Promise<z.infer<S>> {
      const res = await call(method, path, body);
      assert.equal(res.status, status, `${method} ${path}: ${JSON.stringify(res.json)}`);
      const parsed = schema.safeParse(res.json);
      assert.ok(parsed.success, `${method} ${path} does not answer in the contract's shape: ${parsed.error?.message}`);
      return parsed.data;
    }

    it("answers the session, status, users and people in the contract's shapes", async () => {
      assert.equal((await answers(statusSchema, "GET", "/console/api/status")).signedIn, true);
      await answers(sessionSchema, "GET", "/console/api/session");
      const users = await answers(userListSchema, "GET", "/console/api/users");
      assert.deepEqual(
        users.users.map((u) => u.email),
        ["admin@example.com"],
      );
      await answers(userReplySchema, "POST", "/console/api/users", { email: "rec@example.com", role: "recruiter", password: "plum orchard kettle 42" }, 201);
      const people = await answers(peopleSchema, "GET", `/console/api/people?actor=user:${adminId}`);
      assert.equal(Object.keys(people.people).length, 1);
    });

    it("answers runs, proposals, their labels and context in the contract's shapes", async () => {
      const runs = await answers(runListSchema, "GET", "/api/runs");
      const runId = runs.runs[0]!.id;
      const run = await answers(runReplySchema, "GET", `/api/runs/${runId}`);
      assert.ok(run.run.steps.length > 0 && run.run.proposals.length > 0);
      await answers(runLabelsSchema, "GET", `/console/api/run-labels?ids=${runId}`);
      const proposals = await answers(proposalListSchema, "GET", "/api/proposals?status=pending");
      const id = proposals.proposals[0]!.id;
      assert.equal((await answers(proposalReplySchema, "GET", `/api/proposals/${id}`)).proposal?.id, id);
      await answers(proposalLabelsSchema, "GET", "/console/api/proposal-labels?status=pending");
      assert.equal((await answers(proposalCardListSchema, "GET", "/console/api/proposal-cards?status=pending")).cards[0]?.runId, String(runId));
      await answers(proposalContextSchema, "GET", `/console/api/proposals/${id}/context`);
      const decided = await answers(proposalReplySchema, "POST", `/api/proposals/${id}/reject`, { reason: "not now" });
      assert.equal(decided.proposal?.decisions[0]?.reason, "not now");
    });

    it("answers events, dead jobs and Start's figures in the contract's shapes", async () => {
      assert.ok((await answers(eventListSchema, "GET", "/api/events")).events.length > 0);
      const dead = await answers(deadJobListSchema, "GET", "/api/jobs/dead");
      assert.equal(dead.jobs[0]?.error, "Lever answered 503");
      await answers(overviewSchema, "GET", "/console/api/overview");
      await answers(startCountsSchema, "GET", "/console/api/start-counts");
      assert.equal((await answers(webhookHoursSchema, "GET", "/console/api/webhook-hours")).hours.length, 24);
      await answers(fairnessReportSchema, "GET", "/console/api/fairness");
    });

    it("answers workflows, a workflow's file and a change to it in the contract's shapes", async () => {
      const list = await answers(workflowListSchema, "GET", "/api/workflows");
      assert.deepEqual(
        list.workflows.map((w) => [w.id, w.actions.length]),
        [["tagger", 2]],
      );
      assert.match((await answers(workflowFileSchema, "GET", "/console/api/workflows/tagger")).workflow.yaml, /^id: tagger/);
      const prompts = await answers(promptListSchema, "GET", "/console/api/prompts");
      assert.ok(prompts.prompts.some((p) => p.name === "resume-evidence"));
      assert.equal((await answers(promptReplySchema, "GET", "/console/api/prompts/resume-evidence")).prompt.name, "resume-evidence");
      const lowered = await answers(workflowPatchReplySchema, "PATCH", "/api/workflows/tagger", { mode: "shadow" });
      assert.equal(lowered.workflow.mode, "shadow");
      // Raising waits for a second admin (four eyes): 202 with the change.
      const raised = await answers(workflowPatchReplySchema, "PATCH", "/api/workflows/tagger", { mode: "auto" }, 202);
      assert.equal(raised.change?.status, "pending");
    });

    it("answers settings, the scheduling list and the audit trail in the contract's shapes", async () => {
      await answers(settingsSchema, "GET", "/console/api/settings");
      assert.equal((await answers(modeCeilingReplySchema, "GET", "/api/settings/mode-ceiling")).modeCeiling.effective, "auto");
      assert.equal((await answers(modeCeilingReplySchema, "PUT", "/api/settings/mode-ceiling", { mode: "assist" })).modeCeiling.effective, "assist");
      assert.equal((await answers(fourEyesReplySchema, "GET", "/console/api/settings/four-eyes")).fourEyes.required, true);
      // No model provider here: the test call says there is nothing to call.
      assert.equal((await answers(aiTestReplySchema, "POST", "/console/api/settings/ai/test")).ok, true);
      await answers(scheduledPanelListSchema, "GET", "/console/api/scheduling/panels");
      // Changing the ceiling above left an audit record.
      const audit = await answers(auditSearchReplySchema, "GET", `/console/api/audit?from=${new Date().toISOString().slice(0, 10)}`);
      assert.ok(audit.records.length > 0, "the audit records");
      const verified = await answers(auditVerifySchema, "POST", "/console/api/audit/verify");
      assert.deepEqual(verified.problems, [], "the chain is whole (the anchors are not set up here)");
    });

    it("refuses in one shape, from the REST API and the console's API alike, each with its code", async () => {
      const refusals: [string, string, unknown, number, string][] = [
        ["GET", "/api/runs/99999", undefined, 404, "not_found"],
        ["GET", "/api/runs/abc", undefined, 400, "bad_id"],
        ["PATCH", "/api/workflows/tagger", { mode: "sometimes" }, 400, "bad_body"],
        ["GET", "/console/api/proposals/99999/context", undefined, 404, "not_found"],
        ["GET", "/console/api/no-such-endpoint", undefined, 404, "not_found"],
        ["GET", "/console/api/start-counts?since=yesterday", undefined, 400, "bad_query"],
        ["POST", "/console/api/users", { email: "not-an-address", role: "recruiter", password: "plum orchard kettle 42" }, 400, "bad_request"],
        // No such account is a kind of refusal, not a message the route reads.
        ["PATCH", "/console/api/users/no-such-id", { name: "Nobody" }, 404, "not_found"],
        ["POST", "/console/api/replay", { workflowId: "tagger" }, 501, "not_available"],
      ];
      for (const [method, path, body, status, code] of refusals) {
        const res = await call(method, path, body);
        assert.equal(res.status, status, `${method} ${path}: ${JSON.stringify(res.json)}`);
        const parsed = apiErrorSchema.safeParse(res.json);
        assert.ok(parsed.success, `${method} ${path} refuses in another shape: ${JSON.stringify(res.json)}`);
        assert.equal(parsed.data.error.code, code, `${method} ${path}`);
      }
      for (const path of ["/console/api/users", "/api/runs"]) {
        const res = await call("GET", path, undefined, false);
        assert.equal(res.status, 401);
        assert.equal(apiErrorSchema.parse(res.json).error.code, "unauthenticated");
      }
    });
  });
}
