/**
 * Workflow and prompt files for the console: a workflow's YAML as loaded, and saving an edited
 * prompt as a new version file (`<saved>/<name>/v<N+1>.md`). Saved versions live in a folder of
 * their own in the data folder (`<FULCRUM_DATA_DIR>/prompts`), never in the installation's
 * `prompts/`, which holds the built-in versions and is only read; every reader looks in both, the
 * saved folder first. A prompt is checked by the prompt registry's own parser before it is
 * written, and an existing version is never overwritten.
 *
 * Four eyes: a saved version is written with a marker beside it (`v<N+1>.pending`) so it can be
 * replayed on history by `name@version` but is not the version workflows run by name until
 * someone other than its author approves it (which removes the marker). Who wrote and who
 * approved it is kept in `prompt_versions` and in the audit trail.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BUILT_IN_PROMPTS_DIR, parsePromptFile } from "../../ai/index.ts";
import { createAuditTrail } from "../../governance/index.ts";
import type { Database } from "../../store/index.ts";
import { checkFourEyes } from "./four-eyes.ts";

const NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/;
const VERSION = /^v\d{1,6}$/;
const MAX_PROMPT_BYTES = 100_000;

/** Why a prompt could not be saved or approved, and what kind of refusal that is. */
export class PromptSaveError extends Error {
  override readonly name = "PromptSaveError";
  readonly kind: "invalid" | "not_found" | "conflict";
  constructor(message: string, kind: "invalid" | "not_found" | "conflict" = "invalid") {
    super(message);
    this.kind = kind;
  }
}

function versionsOf(dir: string, suffix = ".md"): number[] {
  if (!existsSync(dir)) return [];
  const pattern = new RegExp(`^v(\\d+)${suffix.replace(".", "\\.")}$`);
  return readdirSync(dir)
    .map((f) => pattern.exec(f)?.[1])
    .filter((v): v is string => v !== undefined)
    .map(Number);
}

/** The folders a prompt's versions are read from, the saved folder first; the built-in one only when it is another folder. */
function promptFolders(savedDir: string): string[] {
  return savedDir === BUILT_IN_PROMPTS_DIR ? [savedDir] : [savedDir, BUILT_IN_PROMPTS_DIR];
}

/** The file of `name@version`: the saved folder's, else the built-in one; undefined when neither has it. */
export function promptVersionFile(name: string, version: string, savedDir: string): string | undefined {
  if (!NAME.test(name) || !VERSION.test(version)) return undefined;
  return promptFolders(savedDir)
    .map((d) => join(d, name, `${version}.md`))
    .find((f) => existsSync(f));
}

/**
 * Saves `text` as the next version of prompt `name` into `savedDir` (the data folder's prompts),
 * awaiting approval; the front-matter's `version:` is set to the new version, numbered after every
 * version in either folder. Returns the version written.
 */
export function savePromptVersion(name: string, text: string, savedDir: string): string {
  if (!NAME.test(name)) throw new PromptSaveError(`"${name}" is not a prompt name`);
  if (!promptFolders(savedDir).some((d) => existsSync(join(d, name))))
    throw new PromptSaveError(`there is no prompt "${name}"; new prompts are added as files`, "not_found");
  if (Buffer.byteLength(text) > MAX_PROMPT_BYTES) throw new PromptSaveError(`a prompt may have at most ${MAX_PROMPT_BYTES} bytes`);
  const dirs = promptFolders(savedDir).map((d) => join(d, name));
  const next = `v${Math.max(0, ...dirs.flatMap((d) => [...versionsOf(d), ...versionsOf(d, ".pending")])) + 1}`;
  const versioned = /^(---\n[\s\S]*?)^version:.*$/m.test(text) ? text.replace(/^version:.*$/m, `version: ${next}`) : text;
  try {
    parsePromptFile(versioned, `${name}/${next}.md`);
  } catch (error) {
    throw new PromptSaveError((error as Error).message);
  }
  const dir = join(savedDir, name);
  mkdirSync(dir, { recursive: true });
  // The marker first ("wx" claims the number against a save made a moment ago), then the file:
  // at no moment is the new version the one workflows run by name.
  try {
    writeFileSync(join(dir, `${next}.pending`), "awaiting approval\n", { flag: "wx" });
  } catch {
    throw new PromptSaveError(`version ${next} of "${name}" was saved by someone else a moment ago; save again`, "conflict");
  }
  writeFileSync(join(dir, `${next}.md`), versioned, { flag: "wx" });
  return next;
}

/**
 * Saves a person's edit as the next version awaiting approval, recording its author (in
 * `prompt_versions` and as `prompt.saved` in the audit trail).
 */
export async function proposePromptVersion(db: Database, name: string, text: string, author: string, promptsDir: string): Promise<string> {
  const version = savePromptVersion(name, text, promptsDir);
  try {
    await db.transaction(async (tx) => {
      await tx.query("insert into prompt_versions (name, version, author) values ($1, $2, $3)", [name, version, author]);
      await createAuditTrail(db).append({ kind: "prompt.saved", actor: author, data: { name, version } }, tx);
    });
  } catch (error) {
    // Without its author on record the version could not be approved properly: take it back.
    rmSync(join(promptsDir, name, `${version}.md`), { force: true });
    rmSync(join(promptsDir, name, `${version}.pending`), { force: true });
    throw error;
  }
  return version;
}

/**
 * Approves a version awaiting approval: from then on workflows that name the prompt run it.
 * Throws FourEyesError when `approver` wrote it and the rule is on; PromptSaveError (not_found, conflict)
 * for an unknown or already approved version.
 */
export async function approvePromptVersion(
  db: Database,
  name: string,
  version: string,
  approver: string,
  promptsDir: string,
): Promise<{ selfApproved: boolean }> {
  if (!NAME.test(name) || !VERSION.test(version)) throw new PromptSaveError(`no prompt version "${name}@${version}"`, "not_found");
  const marker = join(promptsDir, name, `${version}.pending`);
  const { rows } = await db.query<{ author: string; approved_by: string | null }>(
    "select author, approved_by from prompt_versions where name = $1 and version = $2",
    [name, version],
  );
  const row = rows[0];
  if (!promptVersionFile(name, version, promptsDir)) throw new PromptSaveError(`no prompt version "${name}@${version}"`, "not_found");
  if (row?.approved_by || !existsSync(marker))
    throw new PromptSaveError(`${name}@${version} is not awaiting approval${row?.approved_by ? ` (approved by ${row.approved_by})` : ""}`, "conflict");
  const { selfApproved } = await checkFourEyes(db, { what: `prompt ${name}@${version}`, author: row?.author ?? null, approver });
  await db.transaction(async (tx) => {
    const updated = await tx.query(
      `insert into prompt_versions (name, version, author, approved_by, approved_at) values ($1, $2, 'unknown', $3, now())
       on conflict (name, version) do update set approved_by = excluded.approved_by, approved_at = now() where prompt_versions.approved_by is null
       returning version`,
      [name, version, approver],
    );
    if (updated.rows.length === 0) throw new PromptSaveError(`${name}@${version} was approved by someone else meanwhile`, "conflict");
    const data: Record<string, unknown> = { name, version, author: row?.author ?? null };
    if (selfApproved) data.selfApproved = true;
    await createAuditTrail(db).append({ kind: "prompt.approved", actor: approver, data }, tx);
  });
  rmSync(marker, { force: true });
  return { selfApproved };
}

/** The latest version of a prompt (awaiting approval or not) and its text, from either folder (the saved one first). */
export function latestPrompt(name: string, savedDir: string): { version: string; text: string } | undefined {
  if (!NAME.test(name)) return undefined;
  const latest = Math.max(0, ...promptFolders(savedDir).flatMap((d) => versionsOf(join(d, name))));
  if (latest === 0) return undefined;
  const file = promptVersionFile(name, `v${latest}`, savedDir)!;
  return { version: `v${latest}`, text: readFileSync(file, "utf8") };
}

/** Every prompt in either folder with its versions (all of them, for replays) and those awaiting approval. */
export function listPrompts(savedDir: string): { name: string; versions: string[]; pending: string[] }[] {
  const names = new Set<string>();
  for (const d of promptFolders(savedDir)) {
    if (!existsSync(d)) continue;
    for (const e of readdirSync(d, { withFileTypes: true })) if (e.isDirectory() && NAME.test(e.name)) names.add(e.name);
  }
  return [...names].sort().map((name) => {
    const dirs = promptFolders(savedDir).map((d) => join(d, name));
    const files = new Set(dirs.flatMap((d) => versionsOf(d)));
    const pending = new Set(dirs.flatMap((d) => versionsOf(d, ".pending")));
    return {
      name,
      versions: [...files].sort((a, b) => a - b).map((v) => `v${v}`),
      pending: [...pending]
        .filter((v) => files.has(v))
        .sort((a, b) => a - b)
        .map((v) => `v${v}`),
    };
  });
}
