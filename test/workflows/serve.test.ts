import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { loadConfig } from "../../src/config/index.ts";
import { silentLogger } from "../../src/observability/index.ts";
import { createPostgresDatabase, testEngines } from "../../src/store/testing.ts";
import { startServer, type RunningServer } from "../../src/cli/commands/serve.ts";
import { createApiToken } from "../../src/server/api/tokens.ts";
import { resumeFor } from "./harness.ts";

const ADMIN = "serve-admin-token-0123456789";

for (const e of await testEngines()) {
  describe(`fulcrum serve runs workflows from Lever webhooks on ${e.kind}`, { skip: e.skip }, () => {
    let running: RunningServer;
    let dropDb: (() => Promise<void>) | undefined;

    before(async () => {
      const env: NodeJS.ProcessEnv = {
        FULCRUM_DATA_DIR: mkdtempSync(join(tmpdir(), "fulcrum-wf-serve-")),
        PORT: "0",
        FULCRUM_SANDBOX_PORT: "0",
        FULCRUM_ADMIN_TOKEN: ADMIN,
      };
      if (e.kind === "postgres") {
        const created = await createPostgresDatabase();
        dropDb = created.drop;
        env.DATABASE_URL = created.url;
        env.FULCRUM_SECRET_KEY = randomBytes(32).toString("hex");
      }
      running = await startServer({ config: loadConfig(env), logger: silentLogger });
    });
    after(async () => {
      await running?.stop({ timeoutMs: 2000 });
      await dropDb?.();
    });

    const api = async (path: string) => {
      const res = await fetch(`${running.url}/api${path}`, { headers: { authorization: `Bearer ${ADMIN}` } });
      return (await res.json()) as Record<string, any>;
    };

    it("a new application in the sandbox arrives as a signed webhook, is screened, and shows in the API", async () => {
      // Built-in workflows start in shadow, on the sandbox too: a person asks to switch screening
      // to auto, and a second admin approves (four eyes).
      const asked = await fetch(`${running.url}/api/workflows/application-screening`, {
        method: "PATCH",
        headers: { authorization: `Bearer ${ADMIN}`, "content-type": "application/json" },
        body: JSON.stringify({ mode: "auto" }),
      });
      assert.equal(asked.status, 202, await asked.clone().text());
      const { change } = (await asked.json()) as { change: { id: number } };
      const approver = (await createApiToken(running.ctx.db, "second admin", "admin")).token;
      const switched = await fetch(`${running.url}/api/workflows/application-screening/changes/${change.id}/approve`, {
        method: "POST",
        headers: { authorization: `Bearer ${approver}` },
      });
      assert.equal(switched.status, 200, await switched.clone().text());
      const sandbox = running.sandbox!;
      const posting = [...sandbox.state.postings.values()].find((p) => p.state === "published" && p.content.lists.length > 0)!;
      const { opportunityId } = sandbox.actions.applyToPosting(posting.id, {
        name: "Webhook Person",
        email: "webhook.person@example.net",
        resume: { name: "cv.txt", contentType: "text/plain", bytes: resumeFor(posting.content) },
      });
      const until = Date.now() + 30_000;
      let note: Record<string, any> | undefined;
      while (!note && Date.now() < until) {
        await new Promise((r) => setTimeout(r, 200));
        note = (await api("/proposals?workflow=application-screening&status=applied")).proposals.find(
          (p: { opportunityId: string; stepId: string }) => p.opportunityId === opportunityId && p.stepId === "note",
        );
      }
      assert.ok(note, "the screening note was applied");
      const run = (await api(`/runs/${note.runId}`)).run;
      assert.equal(run.event, "applicationCreated");
      assert.equal(run.source, "lever");
      assert.ok([...sandbox.state.notes.values()].some((n) => (n as { opportunityId?: string }).opportunityId === opportunityId));
      const workflows = (await api("/workflows")).workflows.map((w: { id: string }) => w.id);
      assert.ok(workflows.includes("application-screening") && workflows.includes("talent-pool-nurture"));
    });
  });
}
