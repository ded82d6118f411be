/**
 * `webhooks install` end to end: a second Lever account is subscribed through Lever's webhooks API
 * to `/webhooks/lever/<id>` of a running server; the sandbox's signed deliveries are then verified
 * with the stored per-webhook tokens, routed to that connection, and stored.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { startServer, type RunningServer } from "../src/cli/commands/serve.ts";
import { loadConfig } from "../src/config/index.ts";
import { silentLogger } from "../src/observability/index.ts";
import { startSandbox, type Sandbox } from "../src/sandbox/index.ts";
import { createPostgresDatabase, testEngines } from "../src/store/testing.ts";

for (const engine of await testEngines()) {
  describe(`webhooks install through Lever's API on ${engine.kind}`, { skip: engine.skip }, () => {
    let running: RunningServer;
    let sandbox: Sandbox;
    let dataDir: string;
    let dropDb: (() => Promise<void>) | undefined;

    before(async () => {
      // The server listens on plain http on loopback, which only this test-only switch lets subscribe.
      sandbox = await startSandbox({ port: 0, seed: 11, candidates: 3, webhookRetryDelaysMs: [50, 50], allowHttpLoopbackWebhooks: true });
      dataDir = mkdtempSync(join(tmpdir(), "fulcrum-wh-"));
      const env: NodeJS.ProcessEnv = {
        FULCRUM_DATA_DIR: dataDir,
        PORT: "0",
        LEVER_API_KEY: sandbox.apiKey,
        LEVER_API_BASE_URL: sandbox.url,
        FULCRUM_LEVER_ALLOWED_HOSTS: new URL(sandbox.url).origin,
      };
      if (engine.kind === "postgres") {
        const created = await createPostgresDatabase();
        dropDb = created.drop;
        env.DATABASE_URL = created.url;
        env.FULCRUM_SECRET_KEY = randomBytes(32).toString("hex");
      }
      running = await startServer({ config: loadConfig(env), logger: silentLogger });
      // A second customer's account, with a key of its own.
      await running.registry.add({ id: "acme", environment: "custom", baseUrl: sandbox.url, apiKey: sandbox.createApiKey() });
    });
    after(async () => {
      await running?.stop({ timeoutMs: 2000 });
      await sandbox?.close();
      await dropDb?.();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it("routes a delivery signed with an installed webhook's token to its connection and stores it", async () => {
      const result = await running.registry.installWebhooks("acme", running.url);
      assert.equal(result.url, `${running.url}/webhooks/lever/acme`);
      assert.ok(result.rows.every((r) => r.action === "created"));
      assert.ok(
        result.notes.some((n) => /https only/.test(n)),
        "plain http is flagged as sandbox-only",
      );

      const opportunity = [...sandbox.state.opportunities.values()][0]!;
      const target = sandbox.state.stages.find((s) => s.id !== opportunity.stage)!;
      sandbox.triggerStageChange(opportunity.id, target.id);
      await sandbox.deliveriesSettled();
      const delivery = sandbox.deliveries.filter((d) => d.via === "api").at(-1)!;
      assert.equal(delivery.url, result.url);
      assert.equal(delivery.status, 200, delivery.error ?? "");

      const deadline = Date.now() + 10_000;
      for (;;) {
        const events = await running.ctx.inbox.listEvents({ limit: 100 });
        const stored = events.find((e) => e.connectionId === "acme" && e.event === "candidateStageChange");
        if (stored) break;
        if (Date.now() > deadline) throw new Error("the delivery was not stored for connection acme");
        await sleep(100);
      }
    });

    it("doctor reaches the running server's /healthz and the connection's webhook route", async () => {
      const rows = await running.registry.doctor("acme", { publicUrl: running.url, allowHosts: ["127.0.0.1"] });
      assert.equal(rows.find((r) => r.check === "public URL /healthz")?.status, "ok");
      const route = rows.find((r) => r.check === "public URL webhook route");
      assert.equal(route?.status, "ok", route?.detail ?? "no row");
      assert.equal(rows.find((r) => r.check === "webhook events")?.status, "ok");
    });

    it("refuses a delivery whose token belongs to another connection", async () => {
      // Re-send the sandbox's signed body for acme to the default connection's URL.
      const body = sandbox.deliveries.filter((d) => d.via === "api").at(-1)!.body;
      const res = await fetch(`${running.url}/webhooks/lever/default`, { method: "POST", headers: { "content-type": "application/json" }, body });
      assert.equal(res.status, 401);
    });
  });
}
