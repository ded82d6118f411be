/**
 * A check on the test files themselves. `npm test` runs with --test-force-exit (so a leaked handle
 * can never hang CI), and under it a test file exits as soon as the tests it already knows have
 * run: tests registered after a top-level `await` that follows the first registration would run
 * unreported, failures included. Every top-level `await` must come before the first test.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, it } from "node:test";

const ROOT = join(import.meta.dirname, "..");

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    if (d.name === "node_modules" || d.name.startsWith(".")) return [];
    const path = join(dir, d.name);
    return d.isDirectory() ? testFiles(path) : d.name.endsWith(".test.ts") ? [path] : [];
  });
}

/** Top-level awaits (statements at column 0) after the file's first top-level test or suite. */
export function lateAwaits(source: string): number[] {
  const lines = source.split("\n");
  const first = lines.findIndex((l) => /^(describe|it|test|suite)(\.\w+)?\(/.test(l));
  if (first < 0) return [];
  const late: number[] = [];
  for (let i = first + 1; i < lines.length; i++) {
    if (/^(?:const|let|var|for|await|export const)\b[^\n]*\bawait\b/.test(lines[i]!)) late.push(i + 1);
  }
  return late;
}

describe("test files", () => {
  it("finds a top-level await after the first test, and none before it", () => {
    assert.deepEqual(lateAwaits('const e = await x();\ndescribe("a", () => {});\n'), []);
    assert.deepEqual(lateAwaits('describe("a", () => {});\nfor (const e of await x()) {\n  it("b", () => {});\n}\n'), [2]);
    assert.deepEqual(lateAwaits('it("a", async () => {\n  await y();\n});\n'), []);
  });

  it("await everything at the top level before registering the first test", () => {
    const offenders = testFiles(join(ROOT, "src"))
      .concat(testFiles(join(ROOT, "test")))
      .flatMap((f) => lateAwaits(readFileSync(f, "utf8")).map((line) => `${relative(ROOT, f)}:${line}`));
    assert.deepEqual(offenders, [], "move these awaits above the file's first test (see this file's comment)");
  });
});
