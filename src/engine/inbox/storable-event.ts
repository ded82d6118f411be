/**
 * What the inbox can store. An event's payload goes into a `jsonb` column and its names into
 * `text` columns, and PostgreSQL refuses some of what JSON allows: the NUL character (`\u0000`),
 * a lone UTF-16 surrogate (`"\ud800"` not followed by its pair), and nesting deeper than its parser's
 * stack. Such an event would fail its transaction every time it was delivered (and the sender,
 * told to try again later, would retry it forever), so it is refused up front, naming the field.
 */

/** Deepest nesting of objects and arrays stored (the envelope counts as level 1). */
export const MAX_PAYLOAD_DEPTH = 64;

/** Longest dedupe key stored: it sits in a unique b-tree index, whose entries are bounded (~2.7 KB). */
export const MAX_DEDUPE_KEY_LENGTH = 500;

/** Longest connection, source or event name stored. */
export const MAX_NAME_LENGTH = 200;

export type UnstorableCode = "nesting_too_deep" | "nul_character" | "lone_surrogate" | "field_too_long" | "time_out_of_range";

/** Why an event cannot be stored: `path` names the field (`data.candidate.emails[2]`). */
export interface UnstorableProblem {
  code: UnstorableCode;
  path: string;
  message: string;
}

/**
 * Thrown by `Inbox.storeEvent` for an event PostgreSQL could never store. Nothing was written;
 * delivering the same event again cannot succeed, so it is the sender's error (HTTP 400), not ours.
 */
export class UnstorableEventError extends Error {
  override readonly name = "UnstorableEventError";
  readonly code: UnstorableCode;
  readonly path: string;
  constructor(problem: UnstorableProblem) {
    super(problem.message);
    this.code = problem.code;
    this.path = problem.path;
  }
}

/** A step of the walk: the value, how deep it is, and how it was reached (for the path). */
interface Visit {
  value: unknown;
  depth: number;
  parent: Visit | null;
  key: string | number | null;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** `data.candidate["odd key"].emails[2]`, shortened in the middle when very deep. */
function pathOf(visit: Visit, root: string, extraKey?: string): string {
  const keys: (string | number)[] = extraKey === undefined ? [] : [extraKey];
  for (let v: Visit | null = visit; v && v.key !== null; v = v.parent) keys.unshift(v.key);
  const segment = (k: string | number) => {
    if (typeof k === "number") return `[${k}]`;
    if (IDENTIFIER.test(k) && k.length <= 40) return `.${k}`;
    // JSON.stringify escapes NUL and lone surrogates, so the path itself is always printable.
    return `[${JSON.stringify(k.length > 40 ? `${k.slice(0, 40)}…` : k)}]`;
  };
  const parts = keys.map(segment);
  const shown = parts.length > 8 ? [...parts.slice(0, 5), "…", ...parts.slice(-2)] : parts;
  const text = `${root}${shown.join("")}`;
  return text.startsWith(".") ? text.slice(1) : text || "body";
}

function textProblem(text: string): "nul_character" | "lone_surrogate" | null {
  if (text.includes("\u0000")) return "nul_character";
  if (!text.isWellFormed()) return "lone_surrogate";
  return null;
}

const TEXT_MESSAGES = {
  nul_character: "contains the NUL character (\\u0000), which cannot be stored",
  lone_surrogate: "contains a lone UTF-16 surrogate (half of a character, e.g. \\ud800), which is not valid Unicode",
} as const;

/**
 * The first thing in `value` (a parsed JSON body) that PostgreSQL's `jsonb` would refuse, or null.
 * The walk is iterative and stops at `maxDepth`, so a hostile body cannot exhaust the stack.
 * `root` prefixes the paths it reports (e.g. `""` for a whole body).
 *
 * @example
 * findUnstorableValue({ data: { name: "A\u0000" } })
 * // → { code: "nul_character", path: "data.name", message: "data.name: contains the NUL character …" }
 */
export function findUnstorableValue(value: unknown, root = "", maxDepth = MAX_PAYLOAD_DEPTH): UnstorableProblem | null {
  const stack: Visit[] = [{ value, depth: 1, parent: null, key: null }];
  const problem = (code: UnstorableCode, path: string, what: string): UnstorableProblem => ({ code, path, message: `${path}: ${what}` });
  while (stack.length > 0) {
    const visit = stack.pop()!;
    const v = visit.value;
    if (typeof v === "string") {
      const bad = textProblem(v);
      if (bad) return problem(bad, pathOf(visit, root), TEXT_MESSAGES[bad]);
      continue;
    }
    if (typeof v !== "object" || v === null) continue;
    if (visit.depth > maxDepth) {
      return problem("nesting_too_deep", pathOf(visit, root), `nested deeper than ${maxDepth} levels of objects and arrays`);
    }
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], depth: visit.depth + 1, parent: visit, key: i });
      continue;
    }
    const keys = Object.keys(v);
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i]!;
      const bad = textProblem(key);
      if (bad) return problem(bad, pathOf(visit, root, key), `a field name ${TEXT_MESSAGES[bad]}`);
      stack.push({ value: (v as Record<string, unknown>)[key], depth: visit.depth + 1, parent: visit, key });
    }
  }
  return null;
}

/**
 * The first problem with a name column's value (`connectionId`, `event`, …), or null.
 */
export function findUnstorableName(field: string, text: string, maxLength: number): UnstorableProblem | null {
  const bad = textProblem(text);
  if (bad) return { code: bad, path: field, message: `${field}: ${TEXT_MESSAGES[bad]}` };
  if (text.length > maxLength) return { code: "field_too_long", path: field, message: `${field}: longer than ${maxLength} characters` };
  return null;
}
