/**
 * `fulcrum serve` end to end: with no Lever credentials it starts the built-in sandbox, subscribes
 * to its webhooks, and a stage change in the sandbox arrives as a stored, processed inbox event.
 */
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { loadConfig } from "../src/config/index.ts";
import { silentLogger } from "../src/observability/index.ts";
import { createPostgresDatabase, testEngines } from "../src/store/testing.ts";
import { startServer, type RunningServer } from "../src/cli/commands/serve.ts";
import type { InboxEvent } from "../src/engine/inbox/index.ts";
import { loadSecretKey } from "../src/engine/connections/index.ts";
import { anchorKeyFrom, createAuditTrail, verifyWithAnchors } from "../src/governance/index.ts";
import { openDatabase } from "../src/store/index.ts";
import { checkCalendarConnections, openCalendarProvider, readAvailability } from "../src/calendars/index.ts";

for (const engine of await testEngines()) {
  describe(`fulcrum serve with the built-in sandbox on ${engine.kind}`, { skip: engine.skip }, () => {
    let running: RunningServer;
    let dataDir: string;
    let dropDb: (() => Promise<void>) | undefined;
    const processed: InboxEvent[] = [];

    before(async () => {
      dataDir = mkdtempSync(join(tmpdir(), "fulcrum-serve-"));
      const env: NodeJS.ProcessEnv = { FULCRUM_DATA_DIR: dataDir, PORT: "0", FULCRUM_SANDBOX_PORT: "0" };
      if (engine.kind === "postgres") {
        const created = await createPostgresDatabase();
        dropDb = created.drop;
        env.DATABASE_URL = created.url;
        env.FULCRUM_SECRET_KEY = randomBytes(32).toString("hex");
      }
      running = await startServer({ config: loadConfig(env), logger: silentLogger });
      running.ctx.inbox.registerEventProcessor(async (event) => {
        processed.push(event);
      });
    });
    after(async () => {
      await running?.stop({ timeoutMs: 2000 });
      await dropDb?.();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it("connects the demo organisation's calendars to the sandbox's Google and Graph imitations", async () => {
      const calendars = running.ctx.config.calendars!;
      assert.deepEqual(
        calendars.connections.map((c) => c.id),
        ["sandbox-google", "sandbox-graph"],
      );
      const rows = await checkCalendarConnections(calendars);
      // The sandbox's credentials live in memory only; rows about how secrets are stored may warn.
      const checks = rows.filter((r) => !/: secret$/.test(r.check));
      assert.deepEqual(
        checks.map((r) => r.check.replace(/^calendar [\w-]+: /, "")),
        ["delegation", "calendar read", "app credentials", "permission", "schedule read"],
      );
      assert.ok(
        checks.every((r) => r.status === "ok"),
        JSON.stringify(checks),
      );
      const users = [...running.sandbox!.state.users.values()].filter((u) => u.deactivatedAt === null && u.email).slice(0, 4);
      const start = new Date();
      const read = await readAvailability(calendars, new Map(calendars.connections.map((c) => [c.id, openCalendarProvider(c, calendars)])), {
        users: users.map((u) => ({ id: u.id, email: u.email })),
        window: { start: start.toISOString(), end: new Date(start.getTime() + 7 * 86_400_000).toISOString() },
      });
      assert.ok(
        read.every((r) => r.ok && r.blocked.length > 0),
        JSON.stringify(read).slice(0, 300),
      );
    });

    it("answers health and readiness on its port", async () => {
      assert.equal((await fetch(`${running.url}/healthz`)).status, 200);
      assert.equal((await fetch(`${running.url}/readyz`)).status, 200);
    });

    it("receives a sandbox stage change as a signed webhook, stores it and hands it to the processor", async () => {
      const sandbox = running.sandbox!;
      assert.ok(sandbox, "the sandbox starts when no Lever credentials are configured");
      const opportunity = [...sandbox.state.opportunities.values()][0]!;
      const target = sandbox.state.stages.find((s) => s.id !== opportunity.stage)!;
      sandbox.triggerStageChange(opportunity.id, target.id);
      await sandbox.deliveriesSettled();
      const last = sandbox.deliveries.at(-1)!;
      assert.equal(last.status, 200);
      const deadline = Date.now() + 15_000;
      while (!processed.some((e) => (e.payload as { data: { opportunityId: string } }).data.opportunityId === opportunity.id)) {
        if (Date.now() > deadline) throw new Error("the event was not processed");
        await sleep(100);
      }
      const event = processed.find((e) => (e.payload as { data: { opportunityId: string } }).data.opportunityId === opportunity.id)!;
      assert.equal(event.event, "candidateStageChange");
      assert.equal(event.connectionId, "default");
    });

    it("acknowledges the sandbox's settings-page test ping without storing it", async () => {
      const before = (await running.ctx.inbox.listEvents({ limit: 1000 })).length;
      const attempt = await running.sandbox!.pingWebhook("candidateHired");
      assert.equal(attempt?.status, 200);
      assert.equal((await running.ctx.inbox.listEvents({ limit: 1000 })).length, before);
    });
  });
}

describe("fulcrum serve as a process", () => {
  it("prints where it listens, holds the embedded database, and on SIGTERM stops cleanly and lets go of it", { timeout: 90_000 }, async () => {
    const { spawn } = await import("node:child_process");
    const { existsSync } = await import("node:fs");
    const dataDir = mkdtempSync(join(tmpdir(), "fulcrum-serve-proc-"));
    try {
      const child = spawn(process.execPath, [join(import.meta.dirname, "..", "src", "cli", "main.ts"), "serve"], {
        env: { ...process.env, FULCRUM_DATA_DIR: dataDir, PORT: "0", FULCRUM_SANDBOX: "off", FULCRUM_LOG_LEVEL: "info", DATABASE_URL: "" },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let out = "";
      child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
      child.stderr!.on("data", (d: Buffer) => (out += d.toString()));
      const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
      const deadline = Date.now() + 60_000;
      while (!/webhooks:\s+http:\/\/127\.0\.0\.1:\d+\/webhooks\/lever/.test(out)) {
        if (Date.now() > deadline) throw new Error(`serve did not start: ${out}`);
        await sleep(100);
      }
      const url = /health:\s+(http:\/\/127\.0\.0\.1:\d+)\/healthz/.exec(out)![1]!;
      assert.equal((await fetch(`${url}/readyz`)).status, 200);
      assert.equal(existsSync(join(dataDir, "serve.pid")), true);
      child.kill("SIGTERM");
      assert.equal(await exited, 0);
      assert.match(out, /stopping: finishing jobs in flight/);
      assert.equal(existsSync(join(dataDir, "serve.pid")), false);

      // The chain head was anchored outside the database, and the anchors hold for the chain as left.
      assert.match(out, /audit anchors: .*audit-anchors \(every 900 s and at stop\)/);
      const db = await openDatabase({ dataDir: join(dataDir, "db") });
      try {
        const key = anchorKeyFrom(loadSecretKey({ dataDir }).key);
        const result = await verifyWithAnchors(createAuditTrail(db), { dir: join(dataDir, "audit-anchors"), trustedKeys: [key.publicKey] });
        assert.equal(result.ok, true, JSON.stringify(result));
        assert.equal(result.lastAnchor?.recordsSince, 0);
      } finally {
        await db.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
