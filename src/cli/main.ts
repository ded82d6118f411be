/**
 * The `fulcrum` command. Each file in `commands/` registers one command (or a group) on the
 * program through its `register` export, so adding a command never touches this file.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Command } from "commander";
import { ConfigError } from "../config/index.ts";
import { EmbeddedDatabaseBusyError } from "../store/embedded-holder.ts";

export async function buildProgram(): Promise<Command> {
  const program = new Command("fulcrum")
    .description("Governed AI workflows for hiring teams on Lever.")
    .showHelpAfterError("(run with --help for usage)")
    .configureHelp({ sortSubcommands: true });
  const dir = join(import.meta.dirname, "commands");
  const files = readdirSync(dir).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts")).sort();
  for (const file of files) {
    const mod = (await import(pathToFileURL(join(dir, file)).href)) as { register?: (p: Command) => void };
    mod.register?.(program);
  }
  return program;
}

export async function main(argv: string[]): Promise<void> {
  const program = await buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (error) {
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
