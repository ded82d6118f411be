/**
 * Runs `fulcrum <args>` in the test's own process, through the same program the binary builds (a
 * process per command would cost seconds apiece): exit code and what commander wrote. With `env`,
 * that is the whole environment for the command, and the test's own is put back afterwards.
 */
import { Command, CommanderError } from "commander";
import { buildProgram } from "../../src/cli/main.ts";

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
