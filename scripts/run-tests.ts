/**
 * `npm test`'s runner: Node's test runner (`node:test` `run()`, the same engine as `node --test`),
 * two files at a time, each in its own process, with `forceExit` so a leaked handle cannot hang the
 * suite — and one narrow second chance.
 *
 * Node 22–26 has an open V8 fault (nodejs/node#64500, "Concurrent PGlite WebAssembly initialization
 * intermittently SIGSEGVs Node.js"; our signature is `Check failed: jit_page_->allocations_.erase(addr)
 * == 1` in `ThreadIsolation::UnregisterWasmAllocation`) that kills about one process in a few hundred
 * that created and closed PGlite instances, mostly while it exits after its tests have passed. With
 * ~100 such files a full run hits it about one time in three, failing a suite whose tests all passed.
 *
 * So a file is run a second time, alone, when — and only when — its process died of a signal (the
 * fault aborts or segfaults; a failing assertion or a thrown error never ends in a signal), none of
 * its tests had failed, and the file has not had a second chance yet. The second run must pass on its
 * own merits. Both runs are reported, and the notice names the file, the signal and the upstream issue.
 *
 * `FULCRUM_TEST_CONCURRENCY` sets how many files run at a time instead of two (to measure what a
 * machine takes; many files spend much of their time waiting on a browser, a server or a timer).
 *
 * The test processes (and the processes they start) share Node's compile cache in
 * node_modules/.cache/node-compile (unless NODE_COMPILE_CACHE names another): each file's process
 * loads much of the same code, and the cache keeps the TypeScript-stripped, compiled modules from
 * one process to the next, which halves the CPU time of loading them.
 *
 * Files start longest first, by the wall time each took last time it was recorded
 * (`test/support/test-durations.json`; files with no time yet go before all of them): with two
 * at a time, a slow file started last would otherwise run alone at the end while the other slot
 * idles. `--record-durations` writes this run's times into that file (`FULCRUM_TEST_DURATIONS`
 * names another), keeping the times of files it did not run.
 *
 * Usage: `node scripts/run-tests.ts [--record-durations] [file-or-glob …]` (default: every
 * `*.test.ts` under src/ and test/).
 */
import { existsSync, globSync, readFileSync, writeFileSync } from "node:fs";
import { stat } from "node:fs/promises";
import { join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { run } from "node:test";
import { spec } from "node:test/reporters";
import type { TestEvent } from "node:test/reporters";

/** Signals a process dies of when V8 aborts or the process faults; never how a failed test ends. */
export const CRASH_SIGNALS: ReadonlySet<string> = new Set(["SIGABRT", "SIGTRAP", "SIGILL", "SIGSEGV", "SIGBUS"]);

/** What one pass of the runner saw, per test file. */
export interface FileOutcomes {
  /** Files with at least one failing test (any depth). */
  failedTests: Set<string>;
  /** Files whose process ended with an error of its own (not a failing test): file → signal or exit code. */
  processFailures: Map<string, { signal: string | null; exitCode: number | null }>;
}

/**
 * The files that earn a second run: their process died of a crash signal and none of their tests
 * failed. Everything else that failed stays failed.
 */
export function filesToRetry(outcomes: FileOutcomes): string[] {
  const retry: string[] = [];
  for (const [file, end] of outcomes.processFailures) {
    if (end.signal && CRASH_SIGNALS.has(end.signal) && !outcomes.failedTests.has(file)) retry.push(file);
  }
  return retry.sort();
}

/**
 * The files in the order to start them: those without a recorded time first (a new file may be
 * slow), then longest recorded time first, so the longest are not left to run alone at the end.
 * Ties keep path order. `durations` is keyed like `files` (paths relative to the repository).
 */
export function longestFirst(files: string[], durations: Readonly<Record<string, number>>): string[] {
  const known = (file: string) => Object.hasOwn(durations, file);
  return [...files].sort((a, b) => {
    if (known(a) !== known(b)) return known(a) ? 1 : -1;
    const byTime = (durations[b] ?? 0) - (durations[a] ?? 0);
    return byTime !== 0 ? byTime : a < b ? -1 : a > b ? 1 : 0;
  });
}

const DEFAULT_PATTERNS = ["src/**/*.test.ts", "test/**/*.test.ts"];
/** Makes a test file's report stream blocking, so forceExit cannot cut its last results off (see the file). */
const BLOCKING_REPORT_STREAM = join(import.meta.dirname, "..", "test", "support", "blocking-report-stream.ts");

const CONCURRENCY = Number(process.env.FULCRUM_TEST_CONCURRENCY ?? 2);
const DURATIONS_FILE = process.env.FULCRUM_TEST_DURATIONS ?? join(import.meta.dirname, "..", "test", "support", "test-durations.json");

function readDurations(): Record<string, number> {
  return existsSync(DURATIONS_FILE) ? (JSON.parse(readFileSync(DURATIONS_FILE, "utf8")) as Record<string, number>) : {};
}

/** Writes the times measured into the durations file, over the times it had, in path order (a stable diff). */
function recordDurations(measured: Map<string, number>): void {
  const all = { ...readDurations() };
  for (const [file, ms] of measured) all[relative(process.cwd(), file)] = Math.round(ms / 100) * 100;
  const sorted = Object.fromEntries(Object.entries(all).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  writeFileSync(DURATIONS_FILE, `${JSON.stringify(sorted, null, 2)}\n`);
}

/** Runs one pass over `files` (absolute paths, started in the order given), printing the spec reporter's output. */
async function runPass(files: string[]): Promise<{ outcomes: FileOutcomes; anyFailure: boolean; durations: Map<string, number> }> {
  const outcomes: FileOutcomes = { failedTests: new Set(), processFailures: new Map() };
  const durations = new Map<string, number>();
  let anyFailure = false;
  const stream = run({
    files,
    concurrency: CONCURRENCY,
    forceExit: true,
    // Without it, forceExit may drop a file's last results, failures included, at its exit.
    execArgv: [`--import=${pathToFileURL(BLOCKING_REPORT_STREAM).href}`],
    timeout: 600_000,
  });
  // A file's own entry (named by its path) completes when its process has ended: its wall time.
  stream.on("test:complete", (data: Extract<TestEvent, { type: "test:complete" }>["data"]) => {
    if (data.file && data.name === data.file && data.nesting === 0) durations.set(data.file, data.details.duration_ms);
  });
  stream.on("test:fail", (data: Extract<TestEvent, { type: "test:fail" }>["data"]) => {
    anyFailure = true;
    const file = data.file;
    if (!file) return;
    const error = data.details.error as Error & { failureType?: string; signal?: string | null; exitCode?: number | null };
    // The file-level entry Node adds when a test file's process ends badly carries the file path as
    // its name, and the signal or exit code the process ended with.
    const isProcessEntry = data.name === file && error?.failureType === "testCodeFailure" && ("signal" in error || "exitCode" in error);
    if (isProcessEntry) {
      outcomes.processFailures.set(file, { signal: error.signal ?? null, exitCode: error.exitCode ?? null });
    } else {
      outcomes.failedTests.add(file);
    }
  });
  const done = new Promise<void>((resolveDone, reject) => {
    const out = stream.compose(spec);
    out.on("error", reject);
    out.on("end", resolveDone);
    out.pipe(process.stdout, { end: false });
  });
  await done;
  return { outcomes, anyFailure, durations };
}

/** The test files named by the arguments (files, or globs as `node --test` takes them), relative to the repository, without node_modules. */
async function testFiles(args: string[]): Promise<string[]> {
  const files = new Set<string>();
  for (const arg of args.length > 0 ? args : DEFAULT_PATTERNS) {
    const isFile = await stat(arg).then(
      (s) => s.isFile(),
      () => false,
    );
    if (isFile) files.add(relative(process.cwd(), resolve(arg)));
    else for (const match of globSync(arg, { exclude: (name) => name === "node_modules" })) files.add(relative(process.cwd(), resolve(match)));
  }
  return [...files];
}

async function main(argv: string[]): Promise<number> {
  // Inherited by every test process and by the processes those start (CLI commands, workers).
  process.env.NODE_COMPILE_CACHE ??= join(import.meta.dirname, "..", "node_modules", ".cache", "node-compile");
  if (!Number.isInteger(CONCURRENCY) || CONCURRENCY < 1) {
    process.stderr.write(`run-tests: FULCRUM_TEST_CONCURRENCY must be a whole number of at least 1, not "${process.env.FULCRUM_TEST_CONCURRENCY}"\n`);
    return 2;
  }
  const record = argv.includes("--record-durations");
  const args = argv.filter((a) => a.length > 0 && a !== "--record-durations");
  const files = longestFirst(await testFiles(args), readDurations()).map((file) => resolve(file));
  const first = await runPass(files);
  if (record) recordDurations(first.durations);
  if (!first.anyFailure) return 0;

  const retry = filesToRetry(first.outcomes);
  const otherFailures = first.outcomes.failedTests.size > 0 || [...first.outcomes.processFailures.keys()].some((file) => !retry.includes(file));
  if (retry.length === 0 || otherFailures) return 1;

  process.stdout.write(
    `\nrun-tests: ${retry.length} test file(s) passed every test but their process died of a signal` +
      ` (the V8 WebAssembly fault of nodejs/node#64500, met with PGlite); running each once more, alone:\n` +
      retry.map((file) => `  ${file} (${first.outcomes.processFailures.get(file)?.signal})\n`).join("") +
      "\n",
  );
  const second = await runPass(retry);
  if (second.anyFailure) {
    process.stdout.write("\nrun-tests: the second run failed too; the failure stands.\n");
    return 1;
  }
  process.stdout.write("\nrun-tests: the second run passed; every test of the suite passed.\n");
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error("run-tests:", error);
      process.exit(1);
    },
  );
}
