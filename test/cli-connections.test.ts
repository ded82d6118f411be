/**
 * `fulcrum webhooks`, `fulcrum doctor` and `fulcrum connections` as a user runs them: separate
 * processes on the embedded database, configured by LEVER_* variables, against the Lever sandbox.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { sandboxPermissions, startSandbox, type Sandbox } from "../src/sandbox/index.ts";

const run = promisify(execFile);
const MAIN = join(import.meta.dirname, "..", "src", "cli", "main.ts");

describe("connection commands", () => {
  let sandbox: Sandbox;
  let dir: string;

  before(async () => {
    sandbox = await startSandbox({ port: 0, seed: 3, candidates: 3, rateLimit: false });
    dir = mkdtempSync(join(tmpdir(), "fulcrum-cli-"));
  });
  after(async () => {
    await sandbox?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function fulcrum(args: string[], env: Record<string, string> = {}) {
    try {
      const { stdout, stderr } = await run(process.execPath, [MAIN, ...args], {
        cwd: dir,
        env: {
          PATH: process.env.PATH ?? "",
          FULCRUM_DATA_DIR: join(dir, "data"),
          FULCRUM_LOG_LEVEL: "silent",
          LEVER_API_KEY: sandbox.apiKey,
          LEVER_API_BASE_URL: sandbox.url,
          FULCRUM_LEVER_ALLOWED_HOSTS: new URL(sandbox.url).origin,
          LEVER_PERFORM_AS: "marcus.lee@northwind-demo.example",
          ...env,
        },
        timeout: 120_000,
      });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code?: number; stdout?: string; stderr?: string };
      return { code: e.code ?? -1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
    }
  }

  it("webhooks install subscribes every event, reminds about the Super Admin toggle, and is idempotent", async () => {
    const first = await fulcrum(["webhooks", "install", "--url", "https://fulcrum.example.com"]);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /webhook URL for connection default: https:\/\/fulcrum\.example\.com\/webhooks\/lever\/default/);
    assert.match(first.stdout, /\+ candidateStageChange\s+created/);
    assert.match(first.stdout, /Super Admin/);
    const second = await fulcrum(["webhooks", "install", "--url", "https://fulcrum.example.com"]);
    assert.equal(second.code, 0, second.stderr);
    assert.doesNotMatch(second.stdout, /created/);
    assert.match(second.stdout, /= candidateStageChange\s+kept/);
    assert.equal(sandbox.state.apiWebhooks.size, 10);
  });

  it("doctor prints the table and exits 0 when nothing fails", async () => {
    const result = await fulcrum(["doctor"]);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /✓ credentials/);
    assert.match(result.stdout, /✓ perform-as user\s+marcus\.lee@northwind-demo\.example → [0-9a-f-]+, active, role admin/);
    assert.match(result.stdout, /- public URL\s+FULCRUM_PUBLIC_URL is not set/);
  });

  it("doctor exits 1 and names the permission to add when the key lacks one", async () => {
    const key = sandbox.createApiKey({ permissions: sandboxPermissions.filter((p) => p !== "Add opportunity tags") });
    const result = await fulcrum(["doctor"], { LEVER_API_KEY: key });
    assert.equal(result.code, 1);
    assert.match(result.stdout, /✗ POST \/opportunities\/:opportunity\/addTags\s+refused: 403/);
    assert.match(result.stdout, /fix: Add the API-key permission "Add opportunity tags"/);
  });

  it("connections list shows the configured account without its secrets", async () => {
    const result = await fulcrum(["connections", "list"]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /default\s+custom\s+api key\s+marcus\.lee@northwind-demo\.example\s+10 API webhook\(s\)\s+config/);
    assert.ok(!result.stdout.includes(sandbox.apiKey));
  });

  it("connections, doctor and webhooks refuse the embedded database while fulcrum serve holds it", async () => {
    // This test process stands in for a running server: its pid is alive.
    writeFileSync(join(dir, "data", "serve.pid"), `${process.pid}\n`);
    try {
      for (const args of [["connections", "list"], ["doctor"], ["webhooks", "install", "--url", "https://fulcrum.example.com"]]) {
        const result = await fulcrum(args);
        assert.notEqual(result.code, 0, args.join(" "));
        assert.match(result.stderr, new RegExp(`fulcrum serve \\(pid ${process.pid}\\) is using the embedded database in .*stop it first`), args.join(" "));
      }
    } finally {
      rmSync(join(dir, "data", "serve.pid"));
    }
  });

  it("connections add refuses a base URL on a host that is neither Lever's nor listed, saying how to allow it", async () => {
    const result = await fulcrum(
      ["connections", "add", "rogue", "--environment", "custom", "--base-url", "http://127.0.0.1:9/v1", "--api-key-env", "ROGUE_KEY"],
      { ROGUE_KEY: "rogue-secret" },
    );
    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      /fulcrum connections add: connection "rogue": http:\/\/127\.0\.0\.1:9 is not https\. Lever API keys are only sent over https to api\.lever\.co, api\.eu\.lever\.co, api\.sandbox\.lever\.co\. To use another host .*FULCRUM_LEVER_ALLOWED_HOSTS/,
    );
    assert.doesNotMatch(result.stdout + result.stderr, /rogue-secret/);
    assert.doesNotMatch((await fulcrum(["connections", "list"])).stdout, /rogue/);
  });

  it("doctor does not start when LEVER_API_BASE_URL points at a host nobody allowed", async () => {
    const result = await fulcrum(["doctor"], { LEVER_API_BASE_URL: "http://127.0.0.1:9/v1", FULCRUM_LEVER_ALLOWED_HOSTS: "" });
    assert.equal(result.code, 78);
    assert.match(result.stderr, /LEVER_API_BASE_URL: http:\/\/127\.0\.0\.1:9 is not https\..*FULCRUM_LEVER_ALLOWED_HOSTS/);
  });

  it("refuses to start against a database server without FULCRUM_SECRET_KEY", async () => {
    const result = await fulcrum(["connections", "list"], { DATABASE_URL: "postgres://127.0.0.1:1/none" });
    assert.equal(result.code, 78);
    assert.match(result.stderr, /FULCRUM_SECRET_KEY: is not set, but DATABASE_URL is.*openssl rand -hex 32/);
  });
});
