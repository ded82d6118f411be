/**
 * Runs `fulcrum <args>` in the test's own process, through the same program the binary builds (a
 * process per command would cost seconds apiece): exit code and what commander wrote. With `env`,
 * that is the whole environment for the command, and the test's own is put back afterwards.
 */
import { Readable } from "node:stream";
import { type Command, CommanderError } from "commander";
import { buildProgram, main } from "../../src/cli/main.ts";

export async function runFulcrum(args: string[], env?: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  const program = await buildProgram();
  const out: string[] = [];
  const err: string[] = [];
  const quiet = (cmd: Command) => {
    cmd.exitOverride();
    cmd.configureOutput({ writeOut: (s) => void out.push(s), writeErr: (s) => void err.push(s) });
    cmd.commands.forEach(quiet);
  };
  quiet(program);
  let code = 0;
  const saved = process.env;
  if (env) process.env = env;
  try {
    await program.parseAsync(["node", "fulcrum", ...args]);
  } catch (error) {
    if (error instanceof CommanderError) code = error.exitCode;
    else {
      code = 1;
      err.push(error instanceof Error ? error.message : String(error));
    }
  } finally {
    process.env = saved;
  }
  return { code, stdout: out.join(""), stderr: err.join("") };
}

/** What `process.exit` throws while {@link runFulcrumMain} runs, so the command stops where the process would have ended. */
class ProcessExit extends Error {
  readonly code: number;
  constructor(code: number) {
    super(`process.exit(${code})`);
    this.code = code;
  }
}

/**
 * Runs `fulcrum <args>` through the binary's own `main()` in the test's process, as a spawned
 * `node src/cli/main.ts <args>` would run it but without paying for a new process (TypeScript
 * stripping, module loading and WebAssembly compilation cost seconds per spawn): what the command
 * wrote to standard output and error, and the exit code it would have ended with — `process.exit`'s
 * argument (commander's usage errors, the configuration error's 78), else `process.exitCode`, else 1
 * for an error that would have gone uncaught. For the length of the command, `env` is the whole
 * environment and `cwd` the working folder; both, and the test's `process.exitCode`, are put back
 * afterwards. With `stdin`, the command reads that text, then the end of its input, from
 * `process.stdin`. Only text is captured: the binary chunks the test runner itself writes to standard
 * output (its report to the parent) pass through. Not for a test about the process itself (signals,
 * exit on a closed pipe, start-up time): spawn the binary there.
 */
export async function runFulcrumMain(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; stdin?: string } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const saved = {
    env: process.env,
    cwd: process.cwd(),
    exit: process.exit,
    exitCode: process.exitCode,
    stdout: process.stdout.write,
    stderr: process.stderr.write,
  };
  const capture = (stream: NodeJS.WriteStream, original: typeof process.stdout.write, into: string[]) =>
    ((chunk: unknown, ...rest: unknown[]) => {
      if (typeof chunk !== "string") return (original as (...a: unknown[]) => boolean).call(stream, chunk, ...rest);
      into.push(chunk);
      const callback = rest.find((r) => typeof r === "function") as (() => void) | undefined;
      if (callback) queueMicrotask(callback);
      return true;
    }) as typeof process.stdout.write;
  const stdinDescriptor = Object.getOwnPropertyDescriptor(process, "stdin")!;
  let code: number;
  process.exitCode = undefined;
  if (options.stdin !== undefined)
    Object.defineProperty(process, "stdin", { value: Readable.from([Buffer.from(options.stdin)]), configurable: true, writable: true });
  if (options.env) process.env = options.env;
  if (options.cwd) process.chdir(options.cwd);
  process.exit = ((exitCode?: number | string | null) => {
    throw new ProcessExit(Number(exitCode ?? process.exitCode ?? 0));
  }) as typeof process.exit;
  process.stdout.write = capture(process.stdout, saved.stdout, out);
  process.stderr.write = capture(process.stderr, saved.stderr, err);
  try {
    await main(["node", "fulcrum", ...args]);
    code = Number(process.exitCode ?? 0);
  } catch (error) {
    if (error instanceof ProcessExit) code = error.code;
    else {
      code = 1;
      err.push(error instanceof Error ? (error.stack ?? error.message) : String(error));
    }
  } finally {
    Object.defineProperty(process, "stdin", stdinDescriptor);
    process.stdout.write = saved.stdout;
    process.stderr.write = saved.stderr;
    process.exit = saved.exit;
    process.exitCode = saved.exitCode;
    if (options.cwd) process.chdir(saved.cwd);
    process.env = saved.env;
  }
  return { code, stdout: out.join(""), stderr: err.join("") };
}
