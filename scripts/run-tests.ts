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
 * Usage: `node scripts/run-tests.ts [file-or-glob …]` (default: every `*.test.ts` under src/ and test/).
 */
import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
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

const DEFAULT_PATTERNS = ["src/**/*.test.ts", "test/**/*.test.ts"];

interface PassOptions {
  files?: string[];
  globPatterns?: string[];
}

/** Runs one pass, printing the spec reporter's output, and returns what failed and how. */
async function runPass(options: PassOptions): Promise<{ outcomes: FileOutcomes; anyFailure: boolean }> {
  const outcomes: FileOutcomes = { failedTests: new Set(), processFailures: new Map() };
  let anyFailure = false;
  const stream = run({
    ...options,
    concurrency: 2,
    forceExit: true,
    timeout: 600_000,
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
  return { outcomes, anyFailure };
}

async function main(argv: string[]): Promise<number> {
  const args = argv.filter((a) => a.length > 0);
  const files: string[] = [];
  const patterns: string[] = [];
  for (const arg of args) {
    const isFile = await stat(arg).then(
      (s) => s.isFile(),
      () => false,
    );
    if (isFile) files.push(resolve(arg));
    else patterns.push(arg);
  }
  const first = await runPass(
    files.length > 0 || patterns.length > 0
      ? { ...(files.length > 0 ? { files } : {}), ...(patterns.length > 0 ? { globPatterns: patterns } : {}) }
      : { globPatterns: DEFAULT_PATTERNS },
  );
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
  const second = await runPass({ files: retry });
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
