/**
 * Values from a run's scope in workflow files: `{{ steps.screen.output.score }}` inserts a value,
 * conditions test one. Deliberately tiny — paths and comparisons, no code — so a workflow file can
 * never execute anything, and untrusted text inserted into it stays text.
 */
import type { Expression } from "./schema.ts";

const WHOLE = /^\{\{\s*([\w$.-]+)\s*\}\}$/;
const PART = /\{\{\s*([\w$.-]+)\s*\}\}/g;

/** The value at a dotted path (`a.b.0.c`); undefined when any part is missing. */
export function valueAt(scope: unknown, path: string): unknown {
  let cur: unknown = scope;
  for (const part of path.split(".")) {
    if (cur === null || cur === undefined) return undefined;
    if (Array.isArray(cur) && /^\d+$/.test(part)) cur = cur[Number(part)];
    else if (Array.isArray(cur) && part === "length") cur = cur.length;
    else if (typeof cur === "object" && Object.hasOwn(cur, part)) cur = (cur as Record<string, unknown>)[part];
    else return undefined;
  }
  return cur;
}

function asText(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (Array.isArray(value)) return value.map(asText).join(", ");
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/**
 * Renders templates inside any value. A string that is only `{{ path }}` becomes the raw value
 * (a list stays a list); otherwise values are inserted as text.
 */
export function render(value: unknown, scope: unknown): unknown {
  if (typeof value === "string") {
    const whole = WHOLE.exec(value);
    if (whole) return valueAt(scope, whole[1]!);
    return value.replace(PART, (_, path: string) => asText(valueAt(scope, path)));
  }
  if (Array.isArray(value)) return value.map((v) => render(v, scope));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, render(v, scope)]));
  }
  return value;
}

/** Renders to text (lists joined with ", "). */
export function renderText(template: string, scope: unknown): string {
  return asText(render(template, scope));
}

function same(a: unknown, b: unknown): boolean {
  if (typeof a === "string" && typeof b === "string") return a.toLowerCase() === b.toLowerCase();
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Evaluates a condition against the scope. */
export function evaluate(expr: Expression, scope: unknown): boolean {
  if (expr.all && !expr.all.every((e) => evaluate(e, scope))) return false;
  if (expr.any && !expr.any.some((e) => evaluate(e, scope))) return false;
  if (expr.not && evaluate(expr.not, scope)) return false;
  if (expr.path === undefined) return true;
  const v = valueAt(scope, expr.path);
  if (expr.exists !== undefined && (v !== undefined && v !== null) !== expr.exists) return false;
  if (expr.empty !== undefined) {
    const isEmpty = v === undefined || v === null || v === "" || (Array.isArray(v) && v.length === 0);
    if (isEmpty !== expr.empty) return false;
  }
  if ("equals" in expr && expr.equals !== undefined && !same(v, expr.equals)) return false;
  if ("notEquals" in expr && expr.notEquals !== undefined && same(v, expr.notEquals)) return false;
  if (expr.in && !expr.in.some((x) => same(v, x))) return false;
  if (expr.contains !== undefined) {
    if (Array.isArray(v)) {
      if (!v.some((x) => same(x, expr.contains))) return false;
    } else if (typeof v === "string") {
      if (!v.toLowerCase().includes(String(expr.contains).toLowerCase())) return false;
    } else return false;
  }
  const n = typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : Number.NaN;
  if (expr.gt !== undefined && !(n > expr.gt)) return false;
  if (expr.gte !== undefined && !(n >= expr.gte)) return false;
  if (expr.lt !== undefined && !(n < expr.lt)) return false;
  if (expr.lte !== undefined && !(n <= expr.lte)) return false;
  return true;
}
