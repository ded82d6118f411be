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
    await assert.rejects(run(process.execPath, [MAIN, "users", "add", "--email", "OPS@example.com"], { env }), (e: { stderr: string }) =>
      /already exists/.test(e.stderr),
    );
    const list = await run(process.execPath, [MAIN, "users", "list"], { env });
    assert.match(list.stdout, /ops@example\.com\tadmin/);
    const bad = run(process.execPath, [MAIN, "users", "add", "--role", "boss", "--email", "x@example.com"], { env });
    await assert.rejects(bad, (e: { stderr: string }) => /"boss" is not a role/.test(e.stderr));
  });

  it("refuses a guessable password from standard input with the reason, for a new account and a reset", async () => {
    const withStdin = (args: string[], input: string) =>
      new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = execFile(process.execPath, [MAIN, ...args], { env }, (error, _stdout, stderr) =>
          resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stderr }),
        );
        child.stdin!.end(`${input}\n`);
      });
    const weak = await withStdin(["users", "add", "--email", "weak@example.com", "--password-stdin"], "123456789012");
    assert.equal(weak.code, 1);
    assert.match(weak.stderr, /fulcrum users: the password is too easy to guess: This is a commonly used password/);
    const reset = await withStdin(["users", "reset-password", "--email", "ops@example.com", "--password-stdin"], "aaaaaaaaaaaa");
    assert.equal(reset.code, 1);
    assert.match(reset.stderr, /too easy to guess: Repeated characters/);
    const strong = await withStdin(["users", "add", "--email", "strong@example.com", "--password-stdin"], "plum orchard kettle 42");
    assert.equal(strong.code, 0, strong.stderr);
  });
});
