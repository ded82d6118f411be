/**
 * Numbered, append-only SQL migrations (`migrations/0001-name.sql`, …), applied in order on start.
 * A released file is never edited: a change is a new file. Each migration runs in its own
 * transaction together with the row that records it, so a crash leaves it either applied or not.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Database } from "./database.ts";

const MIGRATIONS_DIR = join(import.meta.dirname, "migrations");

// Any fixed number works; it only has to be the same in every Fulcrum process.
const MIGRATION_LOCK_ID = 4_100_001;

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export function listMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((file) => /^\d{4}-[\w-]+\.sql$/.test(file))
    .sort()
    .map((file) => ({
      version: Number(file.slice(0, 4)),
      name: file.slice(5, -4),
      sql: readFileSync(join(dir, file), "utf8"),
    }));
}

/** Applies every migration not yet applied; returns the versions it applied. */
export async function migrate(db: Database, migrations = listMigrations()): Promise<number[]> {
  await db.exec(`create table if not exists fulcrum_migrations (
    version integer primary key,
    name text not null,
    applied_at timestamptz not null default now()
  )`);
  const applied: number[] = [];
  for (const migration of migrations) {
    const done = await db.transaction(async (tx) => {
      // Several processes may start at once against one server: the advisory lock makes the
      // second wait for the first, then see the migration as applied. PGlite has one process.
      if (db.kind === "postgres") {
        await tx.query("select pg_advisory_xact_lock($1)", [MIGRATION_LOCK_ID]);
      }
      const existing = await tx.query("select 1 from fulcrum_migrations where version = $1", [migration.version]);
      if (existing.rows.length > 0) return false;
      for (const statement of splitStatements(migration.sql)) await tx.query(statement);
      await tx.query("insert into fulcrum_migrations (version, name) values ($1, $2)", [migration.version, migration.name]);
      return true;
    });
    if (done) applied.push(migration.version);
  }
  return applied;
}

/**
 * Splits a migration into statements so each runs through the extended protocol inside the
 * transaction. Statements end with a semicolon at the end of a line; `$$` bodies are kept whole.
 */
export function splitStatements(sql: string): string[] {
  const statements: string[] = [];
  let current = "";
  let inDollar = false;
  for (const line of sql.split("\n")) {
    if (/^\s*--/.test(line) && !inDollar) continue;
    current += line + "\n";
    const dollars = line.match(/\$\$/g)?.length ?? 0;
    if (dollars % 2 === 1) inDollar = !inDollar;
    if (!inDollar && /;\s*$/.test(line)) {
      statements.push(current.trim());
      current = "";
    }
  }
  if (current.trim()) statements.push(current.trim());
  return statements;
}
