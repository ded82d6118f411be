/**
 * The `fulcrum` command. Each file in `commands/` registers one command (or a group) on the
 * program through its `register` export, so adding a command never touches this file.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Command, type ErrorOptions as CommanderErrorOptions } from "commander";

const USAGE_HINT = "(run with --help for usage)";

/**
 * A command that points to `--help` after usage errors only: commander's own (an unknown option, a
 * missing argument; each has its own `code`) and a command's `cmd.error` with exit status 2, which
 * is how our commands report a bad option or argument. A well-formed command that fails on its input
 * (no speech in a recording, a refused change) exits otherwise, and usage help would mislead there.
 */
class FulcrumCommand extends Command {
  override createCommand(name?: string): Command {
    return new FulcrumCommand(name);
  }

  override error(message: string, options?: CommanderErrorOptions): never {
    const usage = (options?.code !== undefined && options.code !== "commander.error") || options?.exitCode === 2;
    this.showHelpAfterError(usage ? USAGE_HINT : false);
    return super.error(message, options);
  }
}

export async function buildProgram(only?: string): Promise<Command> {
  const program = new FulcrumCommand("fulcrum").description("Governed AI workflows for hiring teams on Lever.").configureHelp({ sortSubcommands: true });
  const dir = join(import.meta.dirname, "commands");
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts") && (only === undefined || f === only))
    .sort();
  for (const file of files) {
    const mod = (await import(pathToFileURL(join(dir, file)).href)) as { register?: (p: Command) => void };
    mod.register?.(program);
  }
  return program;
}

/**
 * The program for a command line: when the command's name has a file of its own in `commands/` that
 * registers it, only that file is loaded (loading every command's modules costs seconds, which
 * matters to `fulcrum schedule solve` in a pipeline); anything else loads them all.
 */
async function programFor(argv: string[]): Promise<Command> {
  const name = argv[2];
  if (name && /^[a-z][a-z-]*$/.test(name)) {
    const one = await buildProgram(`${name}.ts`);
    if (one.commands.some((c) => c.name() === name)) return one;
  }
  return buildProgram();
}

export async function main(argv: string[]): Promise<void> {
  const program = await programFor(argv);
  try {
    await program.parseAsync(argv);
  } catch (error) {
    // Loaded only when something failed: configuration and the store cost start-up time a command may not need.
    const { ConfigError } = await import("../config/index.ts");
    const { EmbeddedDatabaseBusyError } = await import("../store/index.ts");
    if (error instanceof ConfigError) {
      process.stderr.write(`fulcrum: configuration error: ${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    if (error instanceof EmbeddedDatabaseBusyError) {
      // Expected and explained: the message, not a stack trace.
      process.stderr.write(`fulcrum: ${error.message}\n`);
      process.exit(75); // EX_TEMPFAIL: try again once serve has stopped
    }
    throw error;
  }
}

if (import.meta.filename === process.argv[1]) await main(process.argv);
