import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Hono } from "hono";
import { testEngines } from "../../src/store/testing.ts";
import { listProposals } from "../../src/engine/proposals/index.ts";
import { engineEvents } from "../../src/engine/runs/index.ts";
import { createMemoryConnectionDirectory } from "../../src/engine/sources/index.ts";
import { createApp } from "../../src/server/app.ts";
import { createApiToken } from "../../src/server/api/tokens.ts";
import { silentLogger } from "../../src/observability/index.ts";
import { resumeFor, startHarness, type Harness } from "./harness.ts";

function apply(h: Harness, name: string): string {
  const posting = [...h.sandbox.state.postings.values()].find((p) => p.state === "published" && p.content.lists.length > 0)!;
  return h.sandbox.actions.applyToPosting(posting.id, {
    name,
    email: `${name.toLowerCase().replace(/\W+/g, ".")}@example.net`,
    resume: { name: "resume.txt", contentType: "text/plain", bytes: resumeFor(posting.content) },
  }).opportunityId;
}

const notesOf = (h: Harness, opp: string) => [...h.sandbox.state.notes.values()].filter((n) => (n as { opportunityId?: string }).opportunityId === opp);

for (const e of await testEngines()) {
  describe(`the live mode ceiling switch on ${e.kind}`, { skip: e.skip }, () => {
    let h: Harness;
    let app: Hono;
    let admin: string;
    let recruiter: string;

    before(async () => {
      h = await startHarness(e.kind);
      app = createApp({
        config: h.config,
        db: h.t.db,
        logger: silentLogger,
        queue: h.queue,
        inbox: h.inbox,
        connections: createMemoryConnectionDirectory({}),
        engine: h.runtime.engine,
        workflows: h.runtime.workflows,
      });
      admin = (await createApiToken(h.t.db, "ops admin", "admin")).token;
      recruiter = (await createApiToken(h.t.db, "recruiter", "recruiter")).token;
    });
    after(async () => h?.close());

    async function call(method: string, token: string, body?: unknown) {
      const res = await app.request("/api/settings/mode-ceiling", {
        method,
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
      });
      return { status: res.status, json: (await res.json()) as Record<string, any> };
    }

    it("refuses a non-admin, reading or changing, and changes nothing", async () => {
      assert.equal((await call("PUT", recruiter, { mode: "shadow" })).status, 403);
      assert.equal((await call("GET", recruiter)).status, 403);
      const r = await call("GET", admin);
      assert.equal(r.status, 200);
      assert.equal(r.json.modeCeiling.effective, "auto");
      assert.equal(r.json.modeCeiling.override, null);
    });

    it("rejects a mode it does not know, with what is allowed", async () => {
      const r = await call("PUT", admin, { mode: "sometimes" });
      assert.equal(r.status, 400);
      assert.match(r.json.error.message, /shadow, assist or auto/);
      assert.equal((await call("PUT", admin, "{nope")).status, 400);
      assert.equal((await call("GET", admin)).json.modeCeiling.effective, "auto");
    });

    it("after PUT shadow a workflow in auto writes nothing to the sandbox; the change is audited and announced", async () => {
      const seen: unknown[] = [];
      const listen = (p: unknown) => seen.push(p);
      engineEvents.on("settings.modeCeiling", listen);
      try {
        const r = await call("PUT", admin, { mode: "shadow" });
        assert.equal(r.status, 200);
        assert.equal(r.json.modeCeiling.effective, "shadow");
      } finally {
        engineEvents.off("settings.modeCeiling", listen);
      }
      assert.deepEqual(seen, [
        {
          effective: "shadow",
          override: "shadow",
          environment: "auto",
          actor: `user:token:${(await h.t.db.query<{ id: number }>("select id from api_tokens where name = 'ops admin'")).rows[0]!.id}`,
        },
      ]);

      const listed = (await (await app.request("/api/workflows", { headers: { authorization: `Bearer ${admin}` } })).json()) as {
        workflows: { ceiling: string }[];
      };
      assert.ok(listed.workflows.length > 0 && listed.workflows.every((w) => w.ceiling === "shadow"), "the workflow list shows the ceiling in force");

      const opp = apply(h, "Ceiling Shadowed");
      const tagsBefore = [...h.sandbox.state.opportunities.get(opp)!.tags];
      await h.deliver(["applicationCreated"]);
      await h.settle();
      const proposals = (await listProposals(h.t.db, { workflowId: "application-screening", limit: 500 })).filter((p) => p.opportunityId === opp);
      assert.ok(proposals.length > 0, "the workflow ran");
      assert.ok(
        proposals.every((p) => p.status === "shadow"),
        JSON.stringify(proposals.map((p) => [p.stepId, p.status])),
      );
      assert.ok(proposals.some((p) => p.policy.some((r) => /ceiling shadow caps auto/.test(r))));
      assert.equal(notesOf(h, opp).length, 0);
      assert.deepEqual(h.sandbox.state.opportunities.get(opp)!.tags, tagsBefore);

      const audit = await h.t.db.query<{ actor: string; data: unknown }>("select actor, data from audit_records where kind = 'settings.mode_ceiling'");
      assert.equal(audit.rows.length, 1);
      assert.match(audit.rows[0]!.actor, /^user:token:\d+$/);
    });

    it("after PUT auto the same workflow writes again", async () => {
      assert.equal((await call("PUT", admin, { mode: "auto" })).json.modeCeiling.effective, "auto");
      const opp = apply(h, "Ceiling Lifted");
      await h.deliver(["applicationCreated"]);
      await h.settle();
      const note = (await listProposals(h.t.db, { workflowId: "application-screening", limit: 500 })).find(
        (p) => p.opportunityId === opp && p.stepId === "note",
      );
      assert.equal(note?.status, "applied");
      assert.equal(notesOf(h, opp).length, 1);
    });
  });
}
