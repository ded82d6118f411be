/**
 * `fulcrum prompts list|validate`: the versioned prompt files behind AI steps.
 */
import type { Command } from "commander";
import { existsSync } from "node:fs";
import { builtInSteps, BUILT_IN_PROMPTS_DIR, loadPrompts, PromptFileError, savedPromptsDir } from "../../ai/index.ts";
import { loadConfig } from "../../config/index.ts";

/** The built-in prompts, then the versions saved from the console (in the data folder), which win. */
const readFolders = (): string[] => [BUILT_IN_PROMPTS_DIR, savedPromptsDir(loadConfig().dataDir)];

const STEP_TYPES = new Set(builtInSteps.map((s) => s.type));

export function register(program: Command): void {
  const prompts = program.command("prompts").description("List and check the versioned prompt files (prompts/<name>/<version>.md) used by AI steps.");

  prompts
    .command("list")
    .description("Show every prompt as name@version with its output, temperature and model hints; versions awaiting approval are marked.")
    .option("--dir <folder...>", "extra prompt folders to include after the built-in one and the data folder's saved versions")
    .action((options: { dir?: string[] }) => {
      const registry = loadPrompts([...readFolders(), ...(options.dir ?? [])], STEP_TYPES);
      for (const p of registry.list()) {
        const models = Object.entries(p.models)
          .map(([k, v]) => `${k}=${v}`)
          .join(" ");
        // A version saved from the console waits (marker file beside it) until someone other than its author approves it.
        const pending = existsSync(p.file.replace(/\.md$/, ".pending")) ? "  (awaiting approval; not run by name)" : "";
        process.stdout.write(`${p.id.padEnd(28)} output=${p.output} temperature=${p.temperature}${models ? ` ${models}` : ""}  ${p.description}${pending}\n`);
      }
    });

  prompts
    .command("validate")
    .description("Check prompt files; print the file and line of the first problem and exit 1.")
    .argument("[folders...]", "prompt folders to check (default: the built-in one and <FULCRUM_DATA_DIR>/prompts, where the console saves versions)")
    .action((folders: string[], _options: unknown, cmd: Command) => {
      const dirs = folders.length ? folders : readFolders();
      try {
        const n = loadPrompts(dirs, STEP_TYPES).list().length;
        process.stdout.write(`${n} prompt file(s) valid\n`);
      } catch (error) {
        if (error instanceof PromptFileError) cmd.error(`fulcrum prompts validate: ${error.message}`, { exitCode: 1 });
        throw error;
      }
    });
}
