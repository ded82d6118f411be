/**
 * `npm test`'s runner gives a second run only to a file whose process died of a signal after all of
 * its tests passed (the upstream V8 WebAssembly fault met with PGlite); a failing test, a thrown
 * error, or a crash that comes back always fails the suite.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { filesToRetry } from "../scripts/run-tests.ts";

const RUNNER = join(import.meta.dirname, "..", "scripts", "run-tests.ts");
const dir = mkdtempSync(join(tmpdir(), "fulcrum-run-tests-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, `import { test } from "node:test";\nimport { existsSync, writeFileSync } from "node:fs";\n${body}\n`);
  return path;
}

/** A file whose tests pass and whose process aborts on exit — the first time only, or every time. */
function crashingOnExit(name: string, once: boolean): string {
  const marker = join(dir, `${name}.ran`);
  const abort = once
    ? `process.on("exit", () => { if (!existsSync(${JSON.stringify(marker)})) { writeFileSync(${JSON.stringify(marker)}, "1"); process.abort(); } });`
    : `process.on("exit", () => process.abort());`;
  return file(name, `test("passes", () => {});\n${abort}`);
}

function runner(...files: string[]) {
  // This file itself runs under the test runner, which marks its children with NODE_TEST_CONTEXT; a
  // runner started with that mark reports to its parent instead of running the files.
  const { NODE_TEST_CONTEXT: _, ...env } = process.env;
  return spawnSync(process.execPath, [RUNNER, ...files], { encoding: "utf8", timeout: 60_000, env });
}

describe("npm test's runner", () => {
  it("runs a file again, alone, when its process died of a signal after every test passed, and passes when the second run does", () => {
    const flaky = crashingOnExit("flaky-exit.test.mjs", true);
    const fine = file("fine.test.mjs", `test("fine", () => {});`);
    const result = runner(flaky, fine);
    assert.equal(result.status, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /1 test file\(s\) passed every test but their process died of a signal/);
    assert.match(result.stdout, /flaky-exit\.test\.mjs \(SIGABRT\)/);
    assert.match(result.stdout, /the second run passed/);
  });

  it("fails when the crash comes back on the second run", () => {
    const result = runner(crashingOnExit("always-exit.test.mjs", false));
    assert.equal(result.status, 1);
    assert.match(result.stdout, /the second run failed too; the failure stands/);
  });

  it("never runs again a file with a failing test, even when its process also crashed", () => {
    const failing = file("failing.test.mjs", `test("fails", () => { throw new Error("a real failure"); });\nprocess.on("exit", () => process.abort());`);
    const result = runner(failing);
    assert.equal(result.status, 1);
    assert.doesNotMatch(result.stdout, /running each once more/);
  });

  it("never runs again a file whose process was killed rather than crashed (SIGKILL: the OOM killer, a timeout)", () => {
    const exiting = file("killed.test.mjs", `test("passes", () => {});\nprocess.on("exit", () => process.kill(process.pid, "SIGKILL"));`);
    const result = runner(exiting, crashingOnExit("flaky-too.test.mjs", true));
    assert.equal(result.status, 1);
    assert.doesNotMatch(result.stdout, /running each once more/);
  });

  it("chooses only crash signals on files without failed tests", () => {
    const retry = filesToRetry({
      failedTests: new Set(["b.test.ts"]),
      processFailures: new Map([
        ["a.test.ts", { signal: "SIGTRAP", exitCode: null }],
        ["b.test.ts", { signal: "SIGSEGV", exitCode: null }],
        ["c.test.ts", { signal: null, exitCode: 1 }],
        ["d.test.ts", { signal: "SIGTERM", exitCode: null }],
        ["e.test.ts", { signal: "SIGABRT", exitCode: null }],
      ]),
    });
    assert.deepEqual(retry, ["a.test.ts", "e.test.ts"]);
  });
});
