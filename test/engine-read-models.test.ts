/**
 * The server and the CLI read what the engine stored through its read models (`src/engine/index.ts`),
 * never from the engine's tables: the engine may then change how it stores runs, steps, proposals and
 * inbox events without the console or a command noticing. Test fixtures that insert rows are left
 * alone (only reads are looked for).
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, it } from "node:test";

const ROOT = join(import.meta.dirname, "..");

/** Files still being moved to read models, by others; each leaves this list when it has moved. */
const MOVING = new Set(["src/server/booking-page/link-reveal.ts"]);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const path = join(dir, d.name);
    return d.isDirectory() ? sourceFiles(path) : d.name.endsWith(".ts") && !d.name.endsWith(".test.ts") ? [path] : [];
  });
}

/** The lines of `source` that read one of the engine's tables, as `line: text`. */
function engineTableReads(source: string): string[] {
  return source
    .split("\n")
    .flatMap((line, i) => (/\b(from|join)\s+(workflow_runs|workflow_steps|proposals|inbox_events)\b/i.test(line) ? [`${i + 1}: ${line.trim()}`] : []));
}

describe("the engine's tables", () => {
  it("finds a read of an engine table in a query, and not an insert", () => {
    assert.equal(engineTableReads('db.query("select posting_id from proposals where id = $1")').length, 1);
    assert.equal(engineTableReads("select 1 from runs r\n join workflow_steps s on s.run_id = r.id").length, 1);
    assert.equal(engineTableReads("insert into workflow_runs (run_key) values ($1)").length, 0);
  });

  it("are read by the server and the CLI only through the engine's read models", () => {
    const reads = [...sourceFiles(join(ROOT, "src/server")), ...sourceFiles(join(ROOT, "src/cli"))].flatMap((path) => {
      const file = relative(ROOT, path).split("\\").join("/");
      if (MOVING.has(file)) return [];
      return engineTableReads(readFileSync(path, "utf8")).map((line) => `${file}:${line}`);
    });
    assert.deepEqual(reads, []);
  });
});
