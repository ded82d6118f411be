/**
 * One database interface over two engines: PGlite (PostgreSQL compiled to WASM, embedded in this
 * process, persisted in a folder) and a PostgreSQL server reached through `pg`. Both speak the
 * same SQL, so the rest of Fulcrum never knows which one it has.
 */
import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";

export interface QueryResult<T> {
  rows: T[];
  rowCount: number;
}

/** Anything that runs parameterised SQL: the database itself or an open transaction. */
export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<T>>;
}

export type DatabaseKind = "pglite" | "postgres";

export interface Database extends Queryable {
  readonly kind: DatabaseKind;
  /** Runs several statements with no parameters (migrations). */
  exec(sql: string): Promise<void>;
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** The raw engine, for adapters (pg-boss) that need it. */
  readonly raw: PGlite | pg.Pool;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** A PostgreSQL connection string; when absent, the embedded database is used. */
  url?: string | undefined;
  /** Folder of the embedded database; `memory://` for a throw-away one. */
  dataDir?: string | undefined;
  /** Connections in the server pool. */
  poolSize?: number | undefined;
  /** PGlite extensions to load into the embedded database (e.g. pgvector, for tests of that path). */
  pgliteExtensions?: NonNullable<Parameters<typeof PGlite.create>[1]>["extensions"] | undefined;
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  if (options.url) return openPostgres(options.url, options.poolSize ?? 10);
  return openPglite(options.dataDir ?? ".fulcrum/db", options.pgliteExtensions);
}

// PostgreSQL returns bigint (int8) as text by default; our counters and ids fit in a JS number.
pg.types.setTypeParser(20, (value) => Number(value));

async function openPostgres(url: string, poolSize: number): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // A broken idle connection must not crash the process; the pool replaces it.
  pool.on("error", () => {});
  await pool.query("select 1");
  const query = async <T>(sql: string, params?: unknown[]): Promise<QueryResult<T>> => {
    const result = await pool.query(sql, params as unknown[]);
    return { rows: result.rows as T[], rowCount: result.rowCount ?? 0 };
  };
  return {
    kind: "postgres",
    raw: pool,
    query,
    async exec(sql) {
      await pool.query(sql);
    },
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query("begin");
        const result = await fn({
          async query<T>(sql: string, params?: unknown[]) {
            const r = await client.query(sql, params as unknown[]);
            return { rows: r.rows as T[], rowCount: r.rowCount ?? 0 };
          },
        });
        await client.query("commit");
        return result;
      } catch (error) {
        await client.query("rollback").catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    async close() {
      await pool.end();
    },
  };
}

async function openPglite(dataDir: string, extensions?: OpenDatabaseOptions["pgliteExtensions"]): Promise<Database> {
  if (!dataDir.startsWith("memory://")) mkdirSync(dataDir, { recursive: true });
  const db = extensions ? await PGlite.create(dataDir, { extensions }) : await PGlite.create(dataDir);
  const query = async <T>(sql: string, params?: unknown[]): Promise<QueryResult<T>> => {
    const result = await db.query<T>(sql, params);
    return { rows: result.rows, rowCount: result.affectedRows || result.rows.length };
  };
  return {
    kind: "pglite",
    raw: db,
    query,
    async exec(sql) {
      await db.exec(sql);
    },
    async transaction(fn) {
      return db.transaction(async (tx) =>
        fn({
          async query<T>(sql: string, params?: unknown[]) {
            const r = await tx.query<T>(sql, params);
            return { rows: r.rows, rowCount: r.affectedRows || r.rows.length };
          },
        }),
      );
    },
    async close() {
      await db.close();
    },
  };
}
