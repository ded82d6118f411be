/**
 * Prompts are versioned files: `prompts/<name>/<version>.md`, YAML front-matter then the
 * instructions. Front-matter: `name`, `version`, `description`, `output` (the step type whose
 * output schema the prompt must produce), `temperature`, optional `maxOutputTokens` and `models`
 * (a model id per provider). A broken file is reported with its path and line.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { LineCounter, parseDocument, isMap, isScalar } from "yaml";
import { z } from "zod";

/** The repository's built-in prompts: read only; versions saved from the console go to `savedPromptsDir`. */
export const BUILT_IN_PROMPTS_DIR = join(import.meta.dirname, "..", "..", "prompts");

/**
 * Where prompt versions saved from the console live: `<data folder>/prompts`, read after the
 * built-in folder so a saved version wins over a built-in one of the same name@version.
 */
export function savedPromptsDir(dataDir: string): string {
  return join(dataDir, "prompts");
}

export class PromptFileError extends Error {
  override readonly name = "PromptFileError";
  readonly file: string;
  readonly line: number | undefined;
  constructor(file: string, line: number | undefined, problem: string) {
    super(`${file}${line ? `:${line}` : ""}: ${problem}`);
    this.file = file;
    this.line = line;
  }
}

const frontMatterSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "lower-case letters, digits and hyphens"),
    version: z.string().regex(/^v\d+$/, "v followed by a number, e.g. v1"),
    description: z.string().min(1),
    output: z.string().min(1),
    temperature: z.number().min(0).max(2).default(0),
    maxOutputTokens: z.number().int().min(16).max(64_000).optional(),
    models: z.partialRecord(z.enum(["openai", "anthropic", "azure", "openai-compatible"]), z.string().min(1)).default({}),
  })
  .strict();

export interface Prompt {
  name: string;
  version: string;
  /** `name@version`, recorded with every output. */
  id: string;
  description: string;
  /** The step type whose output schema this prompt produces. */
  output: string;
  temperature: number;
  maxOutputTokens: number | undefined;
  /** Model id hints per provider. */
  models: Partial<Record<"openai" | "anthropic" | "azure" | "openai-compatible", string>>;
  /** The instructions (system prompt). */
  instructions: string;
  /** sha256 of the file, so an edited file under the same version is noticed. */
  sha256: string;
  file: string;
}

/**
 * Parses one prompt file. `knownOutputs` are the step types a prompt may target; `file` is used
 * in error messages and to check that name and version match the path.
 */
export function parsePromptFile(text: string, file: string, knownOutputs?: ReadonlySet<string>): Prompt {
  const normalised = text.replace(/\r\n/g, "\n");
  if (!normalised.startsWith("---\n")) throw new PromptFileError(file, 1, "must start with a `---` line opening the YAML front-matter");
  const close = normalised.indexOf("\n---", 4);
  if (close < 0) throw new PromptFileError(file, 1, "the front-matter is not closed by a `---` line");
  const yamlText = normalised.slice(4, close + 1);
  const lineCounter = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const line = e.pos?.[0] !== undefined ? lineCounter.linePos(e.pos[0]).line + 1 : undefined;
    throw new PromptFileError(file, line, `YAML: ${e.message.split("\n")[0]}`);
  }
  const lineOfKey = (key: PropertyKey | undefined): number | undefined => {
    if (!isMap(doc.contents) || key === undefined) return undefined;
    const pair = doc.contents.items.find((p) => isScalar(p.key) && p.key.value === key);
    const range = pair && isScalar(pair.key) ? pair.key.range : undefined;
    return range ? lineCounter.linePos(range[0]).line + 1 : undefined;
  };
  const parsed = frontMatterSchema.safeParse(doc.toJS() ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key = issue.code === "unrecognized_keys" ? issue.keys[0] : issue.path[0];
    const field =
      issue.code === "unrecognized_keys" ? `unknown field "${String(key)}"` : `${issue.path.map(String).join(".") || "front-matter"}: ${issue.message}`;
    throw new PromptFileError(file, lineOfKey(key) ?? 2, field);
  }
  const fm = parsed.data;
  const parts = file.split(/[\\/]/);
  const [dirName, fileName] = [parts.at(-2), parts.at(-1)];
  if (fileName?.endsWith(".md") && fileName !== `${fm.version}.md`)
    throw new PromptFileError(file, lineOfKey("version"), `version "${fm.version}" does not match the file name ${fileName}`);
  if (dirName && fileName?.endsWith(".md") && dirName !== fm.name)
    throw new PromptFileError(file, lineOfKey("name"), `name "${fm.name}" does not match the folder ${dirName}`);
  if (knownOutputs && !knownOutputs.has(fm.output)) {
    throw new PromptFileError(file, lineOfKey("output"), `output "${fm.output}" is not a known step type (${[...knownOutputs].join(", ")})`);
  }
  const instructions = normalised
    .slice(close + 4)
    .replace(/^\n+/, "")
    .trimEnd();
  if (instructions.length < 20)
    throw new PromptFileError(file, yamlText.split("\n").length + 2, "the instructions after the front-matter are missing or too short");
  return {
    name: fm.name,
    version: fm.version,
    id: `${fm.name}@${fm.version}`,
    description: fm.description,
    output: fm.output,
    temperature: fm.temperature,
    maxOutputTokens: fm.maxOutputTokens,
    models: fm.models,
    instructions,
    sha256: createHash("sha256").update(text).digest("hex"),
    file,
  };
}

export interface PromptRegistry {
  /** `name` (latest version not awaiting approval) or `name@version`. Throws PromptFileError/Error when unknown. */
  get(ref: string): Prompt;
  list(): Prompt[];
}

const versionNumber = (v: string) => Number(v.slice(1));

/**
 * Loads every prompt in the folders (later folders override earlier ones for the same
 * name@version). Throws on the first broken file, naming it and the line.
 *
 * A version with a marker file beside it (`v3.pending`, written when a version saved from the
 * console awaits a second person's approval) is loaded for `name@version` (replays) but is never
 * the latest version a plain `name` resolves to.
 */
export function loadPrompts(dirs: readonly string[] = [BUILT_IN_PROMPTS_DIR], knownOutputs?: ReadonlySet<string>): PromptRegistry {
  const prompts = new Map<string, Prompt>();
  const pending = new Set<string>();
  for (const dir of dirs) {
    if (!existsSync(dir)) continue;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      for (const file of readdirSync(join(dir, entry.name))) {
        if (/^v\d+\.pending$/.test(file)) pending.add(`${entry.name}@${file.slice(0, -".pending".length)}`);
        if (!file.endsWith(".md")) continue;
        const path = join(dir, entry.name, file);
        const prompt = parsePromptFile(readFileSync(path, "utf8"), path, knownOutputs);
        prompts.set(prompt.id, prompt);
      }
    }
  }
  return {
    get(ref) {
      const at = ref.indexOf("@");
      if (at >= 0) {
        const p = prompts.get(ref);
        if (!p) throw new Error(`no prompt ${ref}; known: ${[...prompts.keys()].sort().join(", ") || "none"}`);
        return p;
      }
      const versions = [...prompts.values()]
        .filter((p) => p.name === ref && !pending.has(p.id))
        .sort((a, b) => versionNumber(b.version) - versionNumber(a.version));
      if (!versions[0]) throw new Error(`no prompt named ${ref}; known: ${[...new Set([...prompts.values()].map((p) => p.name))].sort().join(", ") || "none"}`);
      return versions[0];
    },
    list: () => [...prompts.values()].sort((a, b) => a.id.localeCompare(b.id)),
  };
}
