/**
 * `npm test`'s runner gives a second run only to a file whose process died of a signal after all of
 * its tests passed (the upstream V8 WebAssembly fault met with PGlite); a failing test, a thrown
 * error, or a crash that comes back always fails the suite.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { after, describe, it } from "node:test";
import { filesToRetry, longestFirst } from "../scripts/run-tests.ts";

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
  return runnerWith({}, ...files);
}

function runnerWith(extraEnv: NodeJS.ProcessEnv, ...args: string[]) {
  // This file itself runs under the test runner, which marks its children with NODE_TEST_CONTEXT; a
  // runner started with that mark reports to its parent instead of running the files.
  const { NODE_TEST_CONTEXT: _, ...env } = process.env;
  return spawnSync(process.execPath, [RUNNER, ...args], { encoding: "utf8", timeout: 60_000, env: { ...env, ...extraEnv } });
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

  it("puts files in order of their recorded time, longest first, and files it has no time for before all of them", () => {
    const durations = { "src/a.test.ts": 1_000, "src/b.test.ts": 90_000, "test/c.test.ts": 30_000, "gone.test.ts": 5 };
    const files = ["src/a.test.ts", "src/b.test.ts", "test/c.test.ts", "test/new.test.ts", "src/new.test.ts"];
    assert.deepEqual(longestFirst(files, durations), ["src/new.test.ts", "test/new.test.ts", "src/b.test.ts", "test/c.test.ts", "src/a.test.ts"]);
  });

  it("starts the file with the longest recorded time first, so a slow file does not run alone at the end", () => {
    const order = join(dir, "started.log");
    const timed = (name: string) =>
      file(
        name,
        `import { appendFileSync } from "node:fs";\nappendFileSync(${JSON.stringify(order)}, ${JSON.stringify(name)} + "\\n");\ntest("waits", () => new Promise((r) => setTimeout(r, 1000)));`,
      );
    const quick = [timed("quick-1.test.mjs"), timed("quick-2.test.mjs")];
    const slow = timed("slow.test.mjs");
    const durations = join(dir, "durations.json");
    const key = (path: string) => relative(process.cwd(), path);
    writeFileSync(durations, JSON.stringify({ [key(quick[0]!)]: 100, [key(quick[1]!)]: 200, [key(slow)]: 60_000 }));
    const result = runnerWith({ FULCRUM_TEST_DURATIONS: durations }, ...quick, slow);
    assert.equal(result.status, 0, result.stdout + result.stderr);
    // Two files run at a time, each writing its name as it loads: given last, the slow file is still among the first two started.
    const started = readFileSync(order, "utf8").trim().split("\n");
    assert.equal(started.length, 3);
    assert.ok(started.slice(0, 2).includes("slow.test.mjs"), started.join(", "));
  });

  it("records each file's time with --record-durations, keeping the times of files it did not run", () => {
    const ran = file("recorded.test.mjs", `test("waits", () => new Promise((r) => setTimeout(r, 200)));`);
    const durations = join(dir, "recorded-durations.json");
    writeFileSync(durations, JSON.stringify({ "elsewhere.test.ts": 1234 }));
    const result = runnerWith({ FULCRUM_TEST_DURATIONS: durations }, "--record-durations", ran);
    assert.equal(result.status, 0, result.stdout + result.stderr);
    const recorded = JSON.parse(readFileSync(durations, "utf8")) as Record<string, number>;
    assert.equal(recorded["elsewhere.test.ts"], 1234);
    const own = recorded[relative(process.cwd(), ran)];
    assert.ok(own !== undefined && own >= 200, JSON.stringify(recorded));
  });

  it("runs as many files at a time as FULCRUM_TEST_CONCURRENCY says, two by default", () => {
    const runs = (concurrency: string | undefined) => {
      const log = join(dir, `overlap-${concurrency ?? "default"}.log`);
      const files = ["one", "two", "three"].map((name) =>
        file(
          `overlap-${concurrency ?? "default"}-${name}.test.mjs`,
          `import { appendFileSync } from "node:fs";\nappendFileSync(${JSON.stringify(log)}, "start\\n");\ntest("waits", () => new Promise((r) => setTimeout(r, 2000)));\nprocess.on("exit", () => appendFileSync(${JSON.stringify(log)}, "end\\n"));`,
        ),
      );
      const result = runnerWith(concurrency ? { FULCRUM_TEST_CONCURRENCY: concurrency } : {}, ...files);
      assert.equal(result.status, 0, result.stdout + result.stderr);
      // How many files had started before the first one ended.
      return readFileSync(log, "utf8").trim().split("\n").indexOf("end");
    };
    assert.equal(runs(undefined), 2);
    assert.equal(runs("3"), 3);
  });

  it("gives the test processes Node's compile cache, so module loading (and TypeScript stripping) is paid once, not per file", () => {
    const seen = join(dir, "compile-cache.txt");
    const probe = file(
      "compile-cache.test.mjs",
      `import { getCompileCacheDir } from "node:module";\ntest("reports", () => writeFileSync(${JSON.stringify(seen)}, String(getCompileCacheDir())));`,
    );
    // Started without a cache of its own (NODE_COMPILE_CACHE unset), the runner names one.
    const { NODE_TEST_CONTEXT: _, NODE_COMPILE_CACHE: __, ...env } = process.env;
    const result = spawnSync(process.execPath, [RUNNER, probe], { encoding: "utf8", timeout: 60_000, env });
    assert.equal(result.status, 0, result.stdout + result.stderr);
    assert.match(readFileSync(seen, "utf8"), /node_modules[/\\]\.cache[/\\]node-compile/);
  });
});
