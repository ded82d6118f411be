/**
 * A first run that shows something: `fulcrum serve` on the built-in sandbox with its demo activity
 * on (fast, for the test) has proposals waiting for a person well within two minutes, with nobody
 * touching anything; "Simulate activity" on Start does one burst for admins and recruiters only.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { loadConfig } from "../src/config/index.ts";
import { silentLogger } from "../src/observability/index.ts";
import { startServer, type RunningServer } from "../src/cli/commands/serve.ts";
import { createUser } from "../src/server/console/index.ts";

const PASSWORD = "a long test password";
const cost = { N: 1024, r: 8, p: 1 };

describe("fulcrum serve with the sandbox's demo activity", () => {
  let running: RunningServer;
  let dataDir: string;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "fulcrum-activity-"));
    running = await startServer({
      config: loadConfig({ FULCRUM_DATA_DIR: dataDir, PORT: "0", FULCRUM_SANDBOX_PORT: "0", FULCRUM_LOG_LEVEL: "silent", FULCRUM_SANDBOX_ACTIVITY: "3" }),
      logger: silentLogger,
    });
    await createUser(running.ctx.db, { email: "recruiter@example.com", role: "recruiter", password: PASSWORD, postingIds: [] }, cost);
    await createUser(running.ctx.db, { email: "auditor@example.com", role: "auditor", password: PASSWORD, postingIds: [] }, cost);
  });
  after(async () => {
    await running?.stop({ timeoutMs: 2000 });
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function session(email: string) {
    const login = await fetch(`${running.url}/console/api/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email, password: PASSWORD }),
    });
    assert.equal(login.status, 200, await login.clone().text());
    const cookie = login.headers
      .getSetCookie()
      .map((c) => c.split(";")[0] ?? "")
      .join("; ");
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    return { cookie, headers: { cookie, origin: running.url, "x-csrf-token": csrfToken } };
  }

  it("has proposals waiting for a person within two minutes of starting, with nobody touching anything", async () => {
    const deadline = Date.now() + 120_000;
    let waiting: { workflow_id: string; status: string }[] = [];
    while (Date.now() < deadline) {
      ({ rows: waiting } = await running.ctx.db.query<{ workflow_id: string; status: string }>(
        "select workflow_id, status from proposals where status = 'pending'",
      ));
      if (waiting.length > 0) break;
      await sleep(1000);
    }
    assert.ok(waiting.length > 0, "no proposal waits for a person after two minutes of demo activity");
    // Interview scheduling runs in assist: the candidates moved into an interview stage get proposed times.
    assert.ok(
      waiting.some((p) => p.workflow_id === "interview-scheduling"),
      JSON.stringify(waiting),
    );
    // The applications the activity sends are screened too (in shadow, as the workflow's file says).
    const { rows } = await running.ctx.db.query<{ n: number }>("select count(*)::int as n from workflow_runs where workflow_id = 'application-screening'");
    assert.ok(rows[0]!.n > 0, "new applications are screened");
  });

  it("says on the overview how often the demo organisation is busy", async () => {
    const s = await session("recruiter@example.com");
    const overview = (await (await fetch(`${running.url}/console/api/overview`, { headers: { cookie: s.cookie } })).json()) as {
      activity?: { everySeconds: number | null };
    };
    assert.deepEqual(overview.activity, { everySeconds: 3 });
  });

  it("lets a recruiter simulate a burst of activity, which arrives as webhooks", async () => {
    const s = await session("recruiter@example.com");
    const sandbox = running.sandbox!;
    const opportunities = sandbox.state.opportunities.size;
    const res = await fetch(`${running.url}/console/api/sandbox/activity`, { method: "POST", headers: s.headers });
    const text = await res.text();
    assert.equal(res.status, 200, text);
    const body = JSON.parse(text) as { applications: number; stageMoves: number };
    assert.equal(body.applications, 1);
    assert.ok(body.stageMoves >= 1);
    assert.ok(!/@/.test(text), "no contact details in the answer");
    assert.ok(sandbox.state.opportunities.size > opportunities);
    await sandbox.deliveriesSettled();
    assert.ok(sandbox.deliveries.some((d) => d.event === "applicationCreated" && d.status === 200));
  });

  it("refuses the burst to an auditor and to a request without the console's CSRF token", async () => {
    const auditor = await session("auditor@example.com");
    assert.equal((await fetch(`${running.url}/console/api/sandbox/activity`, { method: "POST", headers: auditor.headers })).status, 403);
    const recruiter = await session("recruiter@example.com");
    assert.equal(
      (await fetch(`${running.url}/console/api/sandbox/activity`, { method: "POST", headers: { cookie: recruiter.cookie, origin: running.url } })).status,
      403,
    );
  });
});

describe("fulcrum serve with the sandbox's demo activity off", () => {
  it("starts no activity unless asked (tests and FULCRUM_SANDBOX_ACTIVITY=off)", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "fulcrum-activity-off-"));
    const running = await startServer({
      config: loadConfig({ FULCRUM_DATA_DIR: dataDir, PORT: "0", FULCRUM_SANDBOX_PORT: "0", FULCRUM_LOG_LEVEL: "silent" }),
      logger: silentLogger,
    });
    try {
      assert.equal(running.sandbox!.activity!.everySeconds, null);
      const events = running.sandbox!.events.length;
      await sleep(300);
      assert.equal(running.sandbox!.events.length, events);
    } finally {
      await running.stop({ timeoutMs: 2000 });
      rmSync(dataDir, { recursive: true, force: true });
    }
    assert.equal(loadConfig({ FULCRUM_SANDBOX_ACTIVITY: "off" }).sandbox.activitySeconds, null);
    assert.equal(loadConfig({ FULCRUM_SANDBOX_ACTIVITY: "2.5" }).sandbox.activitySeconds, 2.5);
    assert.throws(() => loadConfig({ FULCRUM_SANDBOX_ACTIVITY: "soon" }), /FULCRUM_SANDBOX_ACTIVITY: "soon" is not a number of seconds/);
  });
});
