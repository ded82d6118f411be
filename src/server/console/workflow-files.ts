/**
 * Workflow and prompt files for the console: a workflow's YAML as loaded, and saving an edited
 * prompt as a new version file (`prompts/<name>/v<N+1>.md`). A prompt is checked by the prompt
 * registry's own parser before it is written, and an existing version is never overwritten.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BUILT_IN_PROMPTS_DIR, parsePromptFile } from "../../ai/index.ts";

const NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/;
const MAX_PROMPT_BYTES = 100_000;

export class PromptSaveError extends Error {
  override readonly name = "PromptSaveError";
}

function versionsOf(dir: string): number[] {
  return readdirSync(dir)
    .map((f) => /^v(\d+)\.md$/.exec(f)?.[1])
    .filter((v): v is string => v !== undefined)
    .map(Number);
}

/**
 * Saves `text` as the next version of prompt `name`; the front-matter's `version:` is set to the
 * new version. Returns the version written.
 */
export function savePromptVersion(name: string, text: string, promptsDir = BUILT_IN_PROMPTS_DIR): string {
  if (!NAME.test(name)) throw new PromptSaveError(`"${name}" is not a prompt name`);
  const dir = join(promptsDir, name);
  if (!existsSync(dir)) throw new PromptSaveError(`there is no prompt "${name}"; new prompts are added as files`);
  if (Buffer.byteLength(text) > MAX_PROMPT_BYTES) throw new PromptSaveError(`a prompt may have at most ${MAX_PROMPT_BYTES} bytes`);
  const next = `v${Math.max(0, ...versionsOf(dir)) + 1}`;
  const file = join(dir, `${next}.md`);
  const versioned = /^(---\n[\s\S]*?)^version:.*$/m.test(text) ? text.replace(/^version:.*$/m, `version: ${next}`) : text;
  try {
    parsePromptFile(versioned, `${name}/${next}.md`);
  } catch (error) {
    throw new PromptSaveError((error as Error).message);
  }
  // "wx": fails if another save took this version number a moment ago.
  writeFileSync(file, versioned, { flag: "wx" });
  return next;
}

/** The latest version of a prompt and its text. */
export function latestPrompt(name: string, promptsDir = BUILT_IN_PROMPTS_DIR): { version: string; text: string } | undefined {
  if (!NAME.test(name)) return undefined;
  const dir = join(promptsDir, name);
  if (!existsSync(dir)) return undefined;
  const latest = Math.max(0, ...versionsOf(dir));
  if (latest === 0) return undefined;
  return { version: `v${latest}`, text: readFileSync(join(dir, `v${latest}.md`), "utf8") };
}

/** Every prompt with its versions. */
export function listPrompts(promptsDir = BUILT_IN_PROMPTS_DIR): { name: string; versions: string[] }[] {
  if (!existsSync(promptsDir)) return [];
  return readdirSync(promptsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && NAME.test(d.name))
    .map((d) => ({ name: d.name, versions: versionsOf(join(promptsDir, d.name)).sort((a, b) => a - b).map((v) => `v${v}`) }));
}
