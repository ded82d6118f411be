/**
 * A newcomer's `npm start` as it is: FULCRUM_SANDBOX_ACTIVITY unset, so `fulcrum serve`'s own
 * default interval (20 s) drives the demo organisation, and proposals wait for a person within two
 * minutes of starting, with nobody touching anything. (test/sandbox-activity.test.ts runs the
 * activity every 3 s; this one runs it as shipped. Its first burst comes at once, so it takes about
 * as long as the screening and scheduling of that burst, not two minutes.)
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { loadConfig } from "../src/config/index.ts";
import { silentLogger } from "../src/observability/index.ts";
import { DEFAULT_SANDBOX_ACTIVITY_SECONDS, startServer, withServeDefaults } from "../src/cli/commands/serve.ts";

describe("fulcrum serve's default demo activity", () => {
  it("has proposals waiting within two minutes of starting when FULCRUM_SANDBOX_ACTIVITY is unset", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "fulcrum-activity-default-"));
    const started = Date.now();
    const config = withServeDefaults(loadConfig({ FULCRUM_DATA_DIR: dataDir, PORT: "0", FULCRUM_SANDBOX_PORT: "0", FULCRUM_LOG_LEVEL: "silent" }));
    assert.equal(config.sandbox.activitySeconds, DEFAULT_SANDBOX_ACTIVITY_SECONDS);
    const running = await startServer({ config, logger: silentLogger });
    try {
      assert.equal(running.sandbox!.activity!.everySeconds, 20, "serve's default interval");
      let waiting: { workflow_id: string }[] = [];
      while (Date.now() < started + 120_000) {
        ({ rows: waiting } = await running.ctx.db.query<{ workflow_id: string }>("select workflow_id from proposals where status = 'pending'"));
        if (waiting.length > 0) break;
        await sleep(500);
      }
      assert.ok(waiting.length > 0, "no proposal waits for a person two minutes after start at serve's default interval");
      // Interview scheduling runs in assist: a candidate moved into an interview stage gets proposed times.
      assert.ok(
        waiting.some((p) => p.workflow_id === "interview-scheduling"),
        JSON.stringify(waiting),
      );
    } finally {
      await running.stop({ timeoutMs: 2000 });
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("keeps the interval the environment gives, and off", () => {
    assert.equal(withServeDefaults(loadConfig({ FULCRUM_SANDBOX_ACTIVITY: "off" })).sandbox.activitySeconds, null);
    assert.equal(withServeDefaults(loadConfig({ FULCRUM_SANDBOX_ACTIVITY: "5" })).sandbox.activitySeconds, 5);
  });
});
