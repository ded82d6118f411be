/**
 * Preloaded into every test file's process by `scripts/run-tests.ts` (`execArgv: --import`): the
 * process reports its results to the runner over its stdout, a pipe, and under `forceExit` it exits
 * as soon as its tests are done. Pipe writes are asynchronous on Linux, so the last results could
 * still be buffered at that exit and be lost without a trace: fewer tests counted, a failure among
 * them unseen, and the run still green (nodejs/node#64833). Blocking writes leave nothing buffered.
 */
const stdout = process.stdout as typeof process.stdout & { _handle?: { setBlocking?: (blocking: boolean) => void } };
if (!stdout.isTTY) stdout._handle?.setBlocking?.(true);
