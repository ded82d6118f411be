/**
 * `fulcrum users` end to end: runs the real command in a child process against an embedded
 * database in a temporary folder.
 */
import { describe, it, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const MAIN = join(import.meta.dirname, "../../src/cli/main.ts");

describe("fulcrum users", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "fulcrum-users-"));
  const env = { ...process.env, FULCRUM_DATA_DIR: dataDir, FULCRUM_LOG_LEVEL: "silent", DATABASE_URL: "", LEVER_API_KEY: "" };
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it("creates an admin with a password shown once, refuses a second account for the same address, and lists it", async () => {
    const created = await run(process.execPath, [MAIN, "users", "add", "--admin", "--email", "ops@example.com"], { env });
    assert.match(created.stdout, /created admin ops@example\.com/);
    assert.match(created.stdout, /password \(shown once\): \S{20}/);
    await assert.rejects(run(process.execPath, [MAIN, "users", "add", "--email", "OPS@example.com"], { env }), (e: { stderr: string }) => /already exists/.test(e.stderr));
    const list = await run(process.execPath, [MAIN, "users", "list"], { env });
    assert.match(list.stdout, /ops@example\.com\tadmin/);
    const bad = run(process.execPath, [MAIN, "users", "add", "--role", "boss", "--email", "x@example.com"], { env });
    await assert.rejects(bad, (e: { stderr: string }) => /"boss" is not a role/.test(e.stderr));
  });
});
