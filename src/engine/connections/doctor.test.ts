/**
 * `doctor`'s verdicts against the Lever sandbox: permitted, refused (with the permission as Lever's
 * settings page words it, and the scope), not found (a 404 that cannot tell, never a pass), and per
 * enabled workflow whether what it needs is granted — for API keys and OAuth grants lacking
 * specific permissions.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { silentLogger } from "../../observability/index.ts";
import { sandboxPermissions, startSandbox, type Sandbox } from "../../sandbox/index.ts";
import { openTestDatabase, testEngines, type TestDatabase } from "../../store/testing.ts";
import { loadWorkflows, workflowSchema, type Workflow } from "../workflows/index.ts";
import { createConnectionRegistry, doctorFailed, formatDoctorTable, type ConnectionRegistry, type DoctorRow } from "./index.ts";
import { verdictOf } from "./doctor.ts";

const row = (rows: DoctorRow[], check: string) => {
  const found = rows.find((r) => r.check === check);
  assert.ok(found, `no doctor row "${check}" in ${rows.map((r) => r.check).join(", ")}`);
  return found;
};

const hrHandoff = loadWorkflows().workflows.find((w) => w.workflow.id === "hr-handoff")!.workflow;
const engines = await testEngines();

/** A workflow that only writes notes: it needs no offers, EEO or resume. */
const noter: Workflow = workflowSchema.parse({
  id: "noter",
  name: "Noter",
  triggers: [{ lever: "candidateStageChange" }],
  steps: [{ id: "n", type: "lever.note", body: "hello" }],
});

for (const engine of engines) {
  describe(`doctor against the Lever sandbox on ${engine.kind}`, { skip: engine.skip }, () => {
    let t: TestDatabase;
    let sandbox: Sandbox;
    let registry: ConnectionRegistry;
    const performAs = "priya.raman@northwind-demo.example";

    before(async () => {
      [t, sandbox] = await Promise.all([openTestDatabase(engine.kind), startSandbox({ port: 0, seed: 7, candidates: 4, rateLimit: false })]);
      registry = createConnectionRegistry({
        db: t.db,
        config: { connections: [], leverAllowedHosts: [sandbox.url] },
        secretKey: randomBytes(32),
        logger: silentLogger,
        workflows: async () => [hrHandoff, noter],
      });
    });
    after(async () => {
      await sandbox?.close();
      await t?.drop();
    });

    const counts = () => ({
      notes: sandbox.state.notes.size,
      opportunities: sandbox.state.opportunities.size,
      webhooks: sandbox.state.apiWebhooks.size,
      states: JSON.stringify([...sandbox.state.opportunities.values()].map((o) => [o.stage, o.archived, o.tags])),
    });

    it("with a full key checks offers, POST /opportunities, both lists, EEO, resume download and webhook create/delete, writing nothing", async () => {
      await registry.add({ id: "full", environment: "custom", baseUrl: sandbox.url, apiKey: sandbox.apiKey, performAs });
      const before = counts();
      const rows = await registry.doctor("full");
      assert.deepEqual(counts(), before, "doctor wrote nothing");
      for (const endpoint of [
        "GET /opportunities",
        "GET /postings",
        "GET /opportunities/:opportunity/offers",
        "GET /eeo/responses/pii",
        "GET /opportunities/:opportunity/resumes/:resume/download",
        "POST /opportunities",
        "POST /webhooks",
        "POST /opportunities/:opportunity/notes",
        "PUT /opportunities/:opportunity/archived",
        "POST /opportunities/:opportunity/panels",
        "POST /opportunities/:opportunity/forms",
        "GET /form_templates",
      ]) {
        // A GET answers 2xx; a write probe is refused on validation, which is only an inference.
        assert.equal(
          row(rows, endpoint).verdict,
          endpoint.startsWith("GET ") ? "permitted" : "permitted-inferred",
          `${endpoint}: ${row(rows, endpoint).detail}`,
        );
        assert.equal(row(rows, endpoint).status, "ok");
      }
      assert.match(
        row(rows, "POST /opportunities/:opportunity/notes").detail,
        /^permitted \(inferred: Lever validated the request, so the permission check passed\): .* with 400; nothing written$/,
      );
      assert.match(row(rows, "GET /postings").detail, /^permitted \(answered 200/);
      // The made-up opportunity answered 404; the verdict came from a second probe on a real one.
      assert.match(row(rows, "POST /opportunities/:opportunity/notes").detail, /made-up opportunity answered 404, which tells nothing.*nothing written/);
      // A made-up webhook id answers 404, which cannot tell the permission: never a pass.
      const del = row(rows, "DELETE /webhooks/:webhook");
      assert.equal(del.verdict, "not found");
      assert.equal(del.status, "warn");
      assert.match(del.fix!, /"Delete a webhook"/);
      assert.equal(row(rows, "workflow hr-handoff").status, "ok");
      assert.match(row(rows, "workflow hr-handoff").detail, /offers:read:admin.*all granted/);
      assert.equal(row(rows, "workflow noter").status, "ok");
      assert.equal(row(rows, "Fulcrum itself").status, "warn");
      assert.match(row(rows, "Fulcrum itself").detail, /could not tell for DELETE \/webhooks\/:webhook \(not found\)/);
      assert.equal(doctorFailed(rows), false);
    });

    it("names each refused permission as Lever's settings page words it and fails only the workflows that need it", async () => {
      const missing = [
        "Find all candidate offers",
        "Create an opportunity",
        "Add a webhook",
        "Download an opportunity resume file",
        "Find all EEO responses with PII",
        "Delete a webhook",
      ];
      const key = sandbox.createApiKey({ permissions: sandboxPermissions.filter((p) => !missing.includes(p)) });
      await registry.add({ id: "limited", environment: "custom", baseUrl: sandbox.url, apiKey: key, performAs });
      const rows = await registry.doctor("limited");
      const expectations: [string, string, string][] = [
        ["GET /opportunities/:opportunity/offers", "Find all candidate offers", "offers:read:admin"],
        ["POST /opportunities", "Create an opportunity", "opportunities:write:admin"],
        ["POST /webhooks", "Add a webhook", "webhooks:write:admin"],
        ["DELETE /webhooks/:webhook", "Delete a webhook", "webhooks:write:admin"],
        ["GET /opportunities/:opportunity/resumes/:resume/download", "Download an opportunity resume file", "resumes:read:admin"],
        ["GET /eeo/responses/pii", "Find all EEO responses with PII", "eeo_responses_pii:read:admin"],
      ];
      for (const [endpoint, permission, scope] of expectations) {
        const r = row(rows, endpoint);
        assert.equal(r.verdict, "refused", `${endpoint}: ${r.detail}`);
        assert.equal(r.permission, permission);
        assert.equal(r.scope, scope);
        assert.match(r.fix!, new RegExp(`Add the API-key permission "${permission}"`));
      }
      // Needed by an enabled workflow or by Fulcrum: a failure; needed by nobody enabled: a warning.
      assert.equal(row(rows, "GET /opportunities/:opportunity/offers").status, "fail");
      assert.equal(row(rows, "GET /opportunities/:opportunity/resumes/:resume/download").status, "warn");
      assert.equal(row(rows, "POST /opportunities").status, "warn");
      const hr = row(rows, "workflow hr-handoff");
      assert.equal(hr.status, "fail");
      assert.match(hr.detail, /missing: "Find all candidate offers"/);
      assert.equal(row(rows, "workflow noter").status, "ok");
      assert.match(row(rows, "Fulcrum itself").detail, /missing: .*"Add a webhook"/);
      assert.equal(doctorFailed(rows), true);
    });

    it("with an OAuth grant lacking offers:read:admin names the scope, and the connection's own list is flagged", async () => {
      await registry.add({
        id: "granted",
        environment: "custom",
        baseUrl: sandbox.url,
        performAs,
        oauth: {
          clientId: sandbox.oauth.clientId,
          clientSecret: sandbox.oauth.clientSecret,
          redirectUri: "https://fulcrum.example.com/oauth/lever/callback",
          hosts: sandbox.oauth.hosts,
          scopes: [
            "opportunities:write:admin",
            "notes:write:admin",
            "postings:read:admin",
            "users:read:admin",
            "webhooks:write:admin",
            "eeo_responses_pii:read:admin",
            "resumes:read:admin",
          ],
        },
      });
      const { url } = await registry.beginOAuthConnect("granted");
      assert.ok(!new URL(url).searchParams.get("scope")!.split(" ").includes("offers:read:admin"), "the connection's own list is asked for as is");
      const back = await fetch(url, { redirect: "manual" });
      await registry.completeOAuthConnect(new URL(back.headers.get("location")!).searchParams);
      const rows = await registry.doctor("granted");
      const offers = row(rows, "GET /opportunities/:opportunity/offers");
      assert.equal(offers.verdict, "refused");
      assert.match(offers.fix!, /OAuth scope offers:read:admin/);
      assert.equal(row(rows, "POST /opportunities/:opportunity/notes").verdict, "permitted-inferred");
      assert.equal(row(rows, "workflow hr-handoff").status, "fail");
      assert.match(row(rows, "workflow hr-handoff").detail, /missing: offers:read:admin/);
      assert.equal(row(rows, "OAuth scopes").status, "warn");
      assert.match(row(rows, "OAuth scopes").detail, /offers:read:admin \(hr-handoff\)/);
      assert.match(row(rows, "OAuth scopes").detail, /confidential:access:admin/);
      assert.ok(formatDoctorTable(rows).includes("workflow hr-handoff"));
    });

    it("without its own scope list, a connect asks for what the enabled workflows need, confidential access unless opted out", async () => {
      const oauth = {
        clientId: sandbox.oauth.clientId,
        clientSecret: sandbox.oauth.clientSecret,
        redirectUri: "https://fulcrum.example.com/oauth/lever/callback",
        hosts: sandbox.oauth.hosts,
      };
      await registry.add({ id: "asks", environment: "custom", baseUrl: sandbox.url, performAs, oauth });
      await registry.add({ id: "private", environment: "custom", baseUrl: sandbox.url, performAs, oauth: { ...oauth, confidential: false } });
      const scopes = async (id: string) => new URL((await registry.beginOAuthConnect(id)).url).searchParams.get("scope")!.split(" ");
      const asks = await scopes("asks");
      for (const s of ["offline_access", "offers:read:admin", "confidential:access:admin", "notes:write:admin", "webhooks:write:admin"])
        assert.ok(asks.includes(s), `${s} in ${asks.join(" ")}`);
      assert.ok(!(await scopes("private")).includes("confidential:access:admin"));
      // Granted what it asked for, every enabled workflow passes.
      const back = await fetch((await registry.beginOAuthConnect("asks")).url, { redirect: "manual" });
      await registry.completeOAuthConnect(new URL(back.headers.get("location")!).searchParams);
      const rows = await registry.doctor("asks");
      assert.equal(row(rows, "workflow hr-handoff").status, "ok");
      assert.equal(row(rows, "OAuth scopes").status, "ok");
      assert.equal(doctorFailed(rows), false, formatDoctorTable(rows));
    });
  });
}

describe("doctor verdicts", () => {
  it("counts 2xx as permitted, 400 and 422 as permitted by inference, 403 as refused, and a 404 as not found rather than a pass", () => {
    assert.equal(verdictOf(200), "permitted");
    assert.equal(verdictOf(400), "permitted-inferred");
    assert.equal(verdictOf(422), "permitted-inferred");
    assert.equal(verdictOf(403), "refused");
    assert.equal(verdictOf(404), "not found");
    assert.equal(verdictOf(503), "unchecked");
  });
});
