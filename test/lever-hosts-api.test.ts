/**
 * Where Lever keys may go, through the running server (issue 10, item 10): an admin cannot point a
 * connection at a host that is not Lever's through the console API, while the built-in sandbox,
 * which `serve` starts itself on loopback, keeps working as the default connection.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../src/config/index.ts";
import { silentLogger } from "../src/observability/index.ts";
import { startServer, type RunningServer } from "../src/cli/commands/serve.ts";
import { createUser } from "../src/server/console/index.ts";

describe("Lever base URLs through the console API of a running server", () => {
  let running: RunningServer;
  let dataDir: string;
  const seen: string[] = [];
  const listener = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    res.end("{}");
  });
  let listenerUrl = "";

  before(async () => {
    await new Promise<void>((r) => listener.listen(0, "127.0.0.1", r));
    listenerUrl = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
    dataDir = mkdtempSync(join(tmpdir(), "fulcrum-hosts-"));
    running = await startServer({
      config: loadConfig({ FULCRUM_DATA_DIR: dataDir, PORT: "0", FULCRUM_SANDBOX_PORT: "0", DATABASE_URL: "" }),
      logger: silentLogger,
    });
    await createUser(running.ctx.db, { email: "ops@example.com", role: "admin", password: "a long admin passphrase 7" }, { N: 1024, r: 8, p: 1 });
  });
  after(async () => {
    await running?.stop({ timeoutMs: 2000 });
    listener.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function signIn(): Promise<{ cookie: string; csrf: string }> {
    const res = await fetch(`${running.url}/console/api/login`, {
      method: "POST",
      headers: { origin: running.url, "content-type": "application/json" },
      body: JSON.stringify({ email: "ops@example.com", password: "a long admin passphrase 7" }),
    });
    assert.equal(res.status, 200, await res.clone().text());
    const cookie = res.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");
    return { cookie, csrf: ((await res.json()) as { csrfToken: string }).csrfToken };
  }

  it("refuses a connection on a loopback host with a 400 that says what is allowed, sends it nothing, and keeps the sandbox connection working", async () => {
    const { cookie, csrf } = await signIn();
    const res = await fetch(`${running.url}/console/api/connections`, {
      method: "POST",
      headers: { origin: running.url, cookie, "x-csrf-token": csrf, "content-type": "application/json" },
      body: JSON.stringify({ id: "rogue", apiKey: "stolen-key", baseUrl: `${listenerUrl}/v1` }),
    });
    assert.equal(res.status, 400);
    const { error } = (await res.json()) as { error: { code: string; message: string } };
    assert.equal(error.code, "connection_refused");
    assert.match(
      error.message,
      /connection "rogue": http:\/\/127\.0\.0\.1:\d+ is not https\. Lever API keys are only sent over https to api\.lever\.co, api\.eu\.lever\.co, api\.sandbox\.lever\.co\..*FULCRUM_LEVER_ALLOWED_HOSTS/,
    );
    assert.equal(await running.registry.exists("rogue"), false);
    assert.deepEqual(seen, []);

    // The built-in sandbox is allowed by its exact origin only, and answers through the registry.
    const stages = [];
    for await (const stage of (await running.registry.client("default")).listStages()) stages.push(stage);
    assert.ok(stages.length > 0);
    const sandboxPort = Number(new URL(running.sandbox!.url).port);
    await assert.rejects(
      running.registry.add({ id: "near", environment: "custom", baseUrl: `http://127.0.0.1:${sandboxPort + 1}/v1`, apiKey: "k" }),
      /is not https/,
    );
  });
});
