/**
 * Loading workflow files: YAML parsed with node positions kept, so a schema problem is reported
 * with the file, the line and the field it concerns. The built-in folder (`workflows/`) and the
 * user folder (`FULCRUM_WORKFLOWS_DIR`) are read together; a user file with the same id replaces
 * the built-in one.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, watch, type FSWatcher } from "node:fs";
import { basename, join, resolve } from "node:path";
import { isMap, isSeq, LineCounter, parseDocument, type Document, type Node } from "yaml";
import type { z } from "zod";
import { workflowSchema, type Workflow } from "./schema.ts";

/** The folder of built-in workflows shipped with Fulcrum. */
export const BUILTIN_WORKFLOWS_DIR = resolve(import.meta.dirname, "../../../workflows");

/** One problem in a workflow file, pointing at where it is. */
export interface WorkflowProblem {
  file: string;
  line: number;
  column: number;
  /** Dotted field path, e.g. `steps[2].mode`; empty for a YAML syntax problem. */
  field: string;
  message: string;
}

export class WorkflowFileError extends Error {
  override readonly name = "WorkflowFileError";
  readonly problems: WorkflowProblem[];
  constructor(problems: WorkflowProblem[]) {
    super(problems.map(formatProblem).join("\n"));
    this.problems = problems;
  }
}

/** `file:line:column field: message`, the shape editors and terminals link to. */
export function formatProblem(p: WorkflowProblem): string {
  return `${p.file}:${p.line}:${p.column}${p.field ? ` ${p.field}:` : ""} ${p.message}`;
}

/** A validated workflow with where it came from. */
export interface LoadedWorkflow {
  workflow: Workflow;
  file: string;
  /** `builtin` for files shipped in workflows/, `user` for FULCRUM_WORKFLOWS_DIR. */
  origin: "builtin" | "user";
  /** sha256 of the file's text: runs record which version of the workflow they followed. */
  hash: string;
}

export type ParseResult = { ok: true; workflow: Workflow; hash: string } | { ok: false; problems: WorkflowProblem[] };

function fieldName(path: PropertyKey[]): string {
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : `${i === 0 ? "" : "."}${String(p)}`)).join("");
}

/** The deepest YAML node on `path` (a missing key points at its parent mapping). */
function nodeAt(doc: Document, path: PropertyKey[]): { node: Node | null; keyNode?: Node } {
  let node: unknown = doc.contents;
  let keyNode: Node | undefined;
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((it) => (it.key as { value?: unknown } | null)?.value === key);
      if (!pair) break;
      keyNode = pair.key as Node;
      node = pair.value;
    } else if (isSeq(node) && typeof key === "number" && node.items[key]) {
      keyNode = undefined;
      node = node.items[key];
    } else break;
  }
  return { node: (node as Node | null) ?? null, ...(keyNode ? { keyNode } : {}) };
}

/** What a workflow is checked against besides its own schema. */
export interface WorkflowChecks {
  /** Ids of the configured hiring tools (the config file's `tools:`); unchecked when absent. */
  tools?: readonly string[] | undefined;
}

/** Parses and validates one workflow file's text. Never throws for bad input. */
export function parseWorkflow(text: string, file: string, checks: WorkflowChecks = {}): ParseResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((e) => ({
        file,
        line: e.linePos?.[0]?.line ?? 1,
        column: e.linePos?.[0]?.col ?? 1,
        field: "",
        message: e.message.split("\n")[0]!,
      })),
    };
  }
  const result = workflowSchema.safeParse(doc.toJS() ?? {});
  if (result.success) {
    const problems = checkTools(result.data, checks).map((issue) => problemFor(doc, lineCounter, file, issue as z.core.$ZodIssue));
    if (problems.length > 0) return { ok: false, problems };
    return { ok: true, workflow: result.data, hash: createHash("sha256").update(text).digest("hex") };
  }
  return { ok: false, problems: result.error.issues.map((issue) => problemFor(doc, lineCounter, file, issue)) };
}

/** Steps that name a hiring tool must name a configured one. */
function checkTools(workflow: Workflow, checks: WorkflowChecks): { code: "custom"; path: PropertyKey[]; message: string }[] {
  if (!checks.tools) return [];
  const known = checks.tools;
  const out: { code: "custom"; path: PropertyKey[]; message: string }[] = [];
  workflow.steps.forEach((step, i) => {
    if (step.type === "assessment.send" && !known.includes(step.with.tool)) {
      out.push({
        code: "custom",
        path: ["steps", i, "with", "tool"],
        message: `no tool "${step.with.tool}" is configured (${known.length ? `configured: ${known.join(", ")}` : "the config file has no tools: block"}); add tools.${step.with.tool} with an inviteUrl`,
      });
    }
  });
  return out;
}

function problemFor(doc: Document, lines: LineCounter, file: string, issue: z.core.$ZodIssue): WorkflowProblem {
  const { node, keyNode } = nodeAt(doc, issue.path);
  // Unknown keys are reported on their parent; point at the key itself when we can.
  let target: Node | null | undefined = issue.path.length > 0 ? (keyNode ?? node) : node;
  let field = fieldName(issue.path);
  if (issue.code === "unrecognized_keys" && isMap(node)) {
    const bad = node.items.find((it) => issue.keys.includes(String((it.key as { value?: unknown }).value)));
    if (bad) target = bad.key as Node;
    field = fieldName([...issue.path, issue.keys[0]!]);
  }
  const offset = target?.range?.[0] ?? 0;
  const pos = lines.linePos(offset);
  return { file, line: pos.line, column: pos.col, field, message: issue.message };
}

/** Reads every `*.yaml`/`*.yml` in `dir`. Problems are collected, not thrown. */
export function loadWorkflowDir(
  dir: string,
  origin: "builtin" | "user",
  checks: WorkflowChecks = {},
): { workflows: LoadedWorkflow[]; problems: WorkflowProblem[] } {
  const workflows: LoadedWorkflow[] = [];
  const problems: WorkflowProblem[] = [];
  if (!existsSync(dir)) return { workflows, problems };
  for (const name of readdirSync(dir).sort()) {
    if (!/\.ya?ml$/.test(name)) continue;
    const file = join(dir, name);
    const parsed = parseWorkflow(readFileSync(file, "utf8"), file, checks);
    if (!parsed.ok) problems.push(...parsed.problems);
    else workflows.push({ workflow: parsed.workflow, file, origin, hash: parsed.hash });
  }
  return { workflows, problems };
}

export interface WorkflowSetOptions extends WorkflowChecks {
  builtinDir?: string | undefined;
  userDir?: string | undefined;
}

/**
 * Loads built-in and user workflows. Two files with the same id in one folder is a problem;
 * a user workflow with a built-in's id replaces it.
 */
export function loadWorkflows(options: WorkflowSetOptions = {}): { workflows: LoadedWorkflow[]; problems: WorkflowProblem[] } {
  const builtin = loadWorkflowDir(options.builtinDir ?? BUILTIN_WORKFLOWS_DIR, "builtin", options);
  const user = options.userDir ? loadWorkflowDir(options.userDir, "user", options) : { workflows: [], problems: [] };
  const problems = [...builtin.problems, ...user.problems];
  const byId = new Map<string, LoadedWorkflow>();
  for (const set of [builtin.workflows, user.workflows]) {
    const seen = new Set<string>();
    for (const w of set) {
      if (seen.has(w.workflow.id)) {
        problems.push({
          file: w.file,
          line: 1,
          column: 1,
          field: "id",
          message: `workflow id "${w.workflow.id}" is also used by another file in ${basename(resolve(w.file, ".."))}`,
        });
        continue;
      }
      seen.add(w.workflow.id);
      byId.set(w.workflow.id, w);
    }
  }
  return { workflows: [...byId.values()], problems };
}

/**
 * The current workflows, reloaded when a file changes. A file that turns invalid keeps its last
 * good version running (and the problem is reported) rather than silently disappearing.
 */
export class WorkflowSet {
  #options: WorkflowSetOptions;
  #current = new Map<string, LoadedWorkflow>();
  #problems: WorkflowProblem[] = [];
  #watchers: FSWatcher[] = [];
  #timer: NodeJS.Timeout | undefined;
  #listeners: ((problems: WorkflowProblem[]) => void)[] = [];

  constructor(options: WorkflowSetOptions = {}) {
    this.#options = options;
    this.reload();
  }

  /** Re-reads the folders now. Returns the problems found. */
  reload(): WorkflowProblem[] {
    const { workflows, problems } = loadWorkflows(this.#options);
    const next = new Map(workflows.map((w) => [w.workflow.id, w]));
    const badFiles = new Set(problems.map((p) => p.file));
    for (const [id, old] of this.#current) if (badFiles.has(old.file) && existsSync(old.file) && next.get(id)?.file !== old.file) next.set(id, old);
    this.#current = next;
    this.#problems = problems;
    for (const l of this.#listeners) l(problems);
    return problems;
  }

  list(): LoadedWorkflow[] {
    return [...this.#current.values()];
  }

  get(id: string): LoadedWorkflow | undefined {
    return this.#current.get(id);
  }

  problems(): WorkflowProblem[] {
    return this.#problems;
  }

  /** Called after each reload with the problems found (empty when all is well). */
  onReload(listener: (problems: WorkflowProblem[]) => void): void {
    this.#listeners.push(listener);
  }

  /** Watches both folders; changes are coalesced for 100 ms (editors write in several steps). */
  watch(): void {
    for (const dir of [this.#options.builtinDir ?? BUILTIN_WORKFLOWS_DIR, this.#options.userDir]) {
      if (!dir || !existsSync(dir)) continue;
      const w = watch(dir, () => {
        clearTimeout(this.#timer);
        this.#timer = setTimeout(() => this.reload(), 100);
      });
      w.unref();
      this.#watchers.push(w);
    }
  }

  close(): void {
    clearTimeout(this.#timer);
    for (const w of this.#watchers) w.close();
    this.#watchers = [];
  }
}
