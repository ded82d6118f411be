/**
 * One database interface over two engines: PGlite (PostgreSQL compiled to WASM, embedded in this
 * process, persisted in a folder) and a PostgreSQL server reached through `pg`. Both speak the
 * same SQL, so the rest of Fulcrum never knows which one it has.
 */
import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { startPgliteThread, type PgliteThread } from "./pglite-thread.ts";
import { createStatementCache, executeArguments, MAX_PREPARED, preparable, type Statement } from "./pglite-prepared.ts";

export type { Statement } from "./pglite-prepared.ts";

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
  /**
   * True when the database does its work on this very thread (the embedded database opened with
   * `pgliteThread: "main"`): while it writes, nothing else here runs, not even reading requests.
   */
  readonly onThisThread: boolean;
  /** Runs several statements with no parameters (migrations). */
  exec(sql: string): Promise<void>;
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * Runs statements that do not depend on each other's results in one transaction, in order, and
   * resolves to one result each; when one fails, none is committed. On the embedded database the
   * whole batch is one call into PGlite (one trip to its thread, no separate `BEGIN`/`COMMIT`),
   * which is most of what a small transaction costs there.
   */
  batch(statements: Statement[]): Promise<QueryResult<Record<string, unknown>>[]>;
  /**
   * The raw engine, for adapters (pg-boss) that need it: the server pool, or the embedded
   * database (on its own thread by default, in this thread when opened with `pgliteThread: "main"`).
   */
  readonly raw: PGlite | PgliteThread | pg.Pool;
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
  /**
   * Where the embedded database runs. `worker` (the default): on a thread of its own, so its SQL
   * uses another core and never stalls this thread's HTTP serving. `main`: in this thread, as
   * PGlite does by itself (used with `pgliteExtensions`, which cannot cross threads, and by the
   * benchmarks as a baseline).
   */
  pgliteThread?: "worker" | "main" | undefined;
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  if (options.url) return openPostgres(options.url, options.poolSize ?? 10);
  const dataDir = options.dataDir ?? ".fulcrum/db";
  if (options.pgliteExtensions || options.pgliteThread === "main") return openPglite(dataDir, options.pgliteExtensions);
  return openPgliteThread(dataDir);
}

// PostgreSQL returns bigint (int8) as text by default; our counters and ids fit in a JS number.
pg.types.setTypeParser(20, (value) => Number(value));

/**
 * Statements with parameters run as named statements of the `pg` driver: parsed and planned once
 * per pooled connection, then only bound and run. Planning cost the server more than running most
 * of Fulcrum's statements (the engine's claim and settle, the inbox's batch insert). A statement
 * that cannot be prepared fails as it would unprepared; a plan outdated by a table changed while
 * running is dropped and the statement run unnamed (inside a transaction, which that error has
 * already aborted, the attempt fails and the next use prepares afresh; see `runNamed`).
 */
const statementNames = new Map<string, string>();
let namesMade = 0;

function statementName(sql: string, params: unknown[] | undefined): string | undefined {
  if (!preparable(sql, params)) return undefined;
  let name = statementNames.get(sql);
  if (name === undefined && statementNames.size < MAX_PREPARED) {
    name = `fulcrum_${++namesMade}`;
    statementNames.set(sql, name);
  }
  return name;
}

async function runNamed(client: pg.Pool | pg.PoolClient, sql: string, params: unknown[] | undefined): Promise<pg.QueryResult> {
  const name = statementName(sql, params);
  if (name === undefined) return client.query(sql, params as unknown[]);
  try {
    return await client.query({ name, text: sql, values: params as unknown[] });
  } catch (error) {
    // "cached plan must not change result type": a table changed under a prepared `select *`.
    if ((error as { code?: string }).code !== "0A000") throw error;
    // The next use of the text gets a new name, prepared afresh on each connection.
    if (statementNames.get(sql) === name) statementNames.delete(sql);
    return client.query(sql, params as unknown[]);
  }
}

/** Statements `PREPARE`d for batches, per pooled connection: text → name (null: refused). */
const batchPrepared = new WeakMap<pg.PoolClient, Map<string, string | null>>();
let batchNamesMade = 0;

/** The `EXECUTE` text of a batch statement on `client` (preparing it there first), or undefined. */
async function executeText(client: pg.PoolClient, { sql, params = [] }: Statement): Promise<string | undefined> {
  if (params.length === 0) return sql;
  const args = executeArguments(sql, params);
  if (args === undefined) return undefined;
  let names = batchPrepared.get(client);
  if (!names) batchPrepared.set(client, (names = new Map()));
  let name = names.get(sql);
  if (name === undefined) {
    if (names.size >= MAX_PREPARED) return undefined;
    name = `fulcrum_batch_${++batchNamesMade}`;
    try {
      await client.query(`prepare ${name} as ${sql}`);
    } catch {
      name = null;
    }
    names.set(sql, name);
  }
  return name === null ? undefined : `execute ${name}(${args})`;
}

async function openPostgres(url: string, poolSize: number): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // A broken idle connection must not crash the process; the pool replaces it.
  pool.on("error", () => {});
  await pool.query("select 1");
  const query = async <T>(sql: string, params?: unknown[]): Promise<QueryResult<T>> => {
    const result = await runNamed(pool, sql, params);
    return { rows: result.rows as T[], rowCount: result.rowCount ?? 0 };
  };
  return {
    kind: "postgres",
    onThisThread: false,
    raw: pool,
    query,
    async exec(sql) {
      await pool.query(sql);
    },
    transaction,
    batch,
    async close() {
      await pool.end();
    },
  };

  /**
   * A batch is one message of the simple protocol, which PostgreSQL runs as one transaction: one
   * round trip instead of four (`BEGIN`, two statements, `COMMIT`). Each statement is `PREPARE`d
   * once per pooled connection and sent as `EXECUTE name(literals)`, as on the embedded database.
   * A statement that cannot be sent that way runs the batch as an ordinary transaction.
   */
  async function batch(statements: Statement[]): Promise<QueryResult<Record<string, unknown>>[]> {
    const client = await pool.connect();
    let broken: Error | undefined;
    const rollbackFailed = (e: unknown) => (broken = e instanceof Error ? e : new Error(String(e)));
    try {
      const texts: string[] = [];
      for (const statement of statements) {
        const text = await executeText(client, statement);
        if (text === undefined) return await inTransaction(client, statements, rollbackFailed);
        texts.push(text);
      }
      let answers: pg.QueryResult | pg.QueryResult[];
      try {
        answers = (await client.query(texts.join(";\n"))) as unknown as pg.QueryResult | pg.QueryResult[];
      } catch (error) {
        // A plan outdated by a changed table (see `runNamed`): nothing was committed; prepared afresh.
        if ((error as { code?: string }).code !== "0A000") throw error;
        const names = batchPrepared.get(client);
        for (const { sql } of statements) {
          const name = names?.get(sql);
          names?.delete(sql);
          // Only the batch's own: the driver's named statements on this connection stay as they are.
          if (name) await client.query(`deallocate ${name}`);
        }
        return await inTransaction(client, statements, rollbackFailed);
      }
      return (Array.isArray(answers) ? answers : [answers]).map((r) => ({ rows: r.rows as Record<string, unknown>[], rowCount: r.rowCount ?? 0 }));
    } catch (error) {
      // A connection that failed mid-batch may hold an aborted transaction (a lost connection):
      // not given back for reuse.
      if (!(error as { code?: string }).code) broken ??= error instanceof Error ? error : new Error(String(error));
      throw error;
    } finally {
      client.release(broken);
    }
  }

  async function inTransaction(
    client: pg.PoolClient,
    statements: Statement[],
    onRollbackFailed: (error: unknown) => void,
  ): Promise<QueryResult<Record<string, unknown>>[]> {
    return transactionOn(
      client,
      async (tx) => {
        const results: QueryResult<Record<string, unknown>>[] = [];
        for (const { sql, params } of statements) results.push(await tx.query(sql, params));
        return results;
      },
      onRollbackFailed,
    );
  }

  async function transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    let broken: unknown;
    try {
      return await transactionOn(client, fn, (e) => (broken = e));
    } finally {
      // A connection that could not even roll back is not given back to the pool for reuse.
      client.release(broken instanceof Error ? broken : undefined);
    }
  }
}

/** Runs `fn` in a transaction on `client`; `onRollbackFailed` hears of a rollback that failed too. */
async function transactionOn<T>(client: pg.PoolClient, fn: (tx: Queryable) => Promise<T>, onRollbackFailed?: (error: unknown) => void): Promise<T> {
  try {
    await client.query("begin");
    const result = await fn({
      async query<T>(sql: string, params?: unknown[]) {
        const r = await runNamed(client, sql, params);
        return { rows: r.rows as T[], rowCount: r.rowCount ?? 0 };
      },
    });
    await client.query("commit");
    return result;
  } catch (error) {
    await client.query("rollback").catch((e: unknown) => onRollbackFailed?.(e));
    throw error;
  }
}

async function openPglite(dataDir: string, extensions?: OpenDatabaseOptions["pgliteExtensions"]): Promise<Database> {
  if (!dataDir.startsWith("memory://")) mkdirSync(dataDir, { recursive: true });
  const db = extensions ? await PGlite.create(dataDir, { extensions }) : await PGlite.create(dataDir);
  const statements = createStatementCache();
  const query = async <T>(sql: string, params?: unknown[]): Promise<QueryResult<T>> => {
    const result = await statements.run(db, false, sql, params);
    return { rows: result.rows as T[], rowCount: result.affectedRows || result.rows.length };
  };
  return {
    kind: "pglite",
    onThisThread: true,
    raw: db,
    query,
    async exec(sql) {
      await db.exec(sql);
    },
    async transaction(fn) {
      return db.transaction(async (tx) =>
        fn({
          async query<T>(sql: string, params?: unknown[]) {
            const r = await statements.run(tx, true, sql, params);
            return { rows: r.rows as T[], rowCount: r.affectedRows || r.rows.length };
          },
        }),
      );
    },
    async batch(list) {
      return (await statements.batch(db, list)) as QueryResult<Record<string, unknown>>[];
    },
    async close() {
      await db.close();
    },
  };
}

async function openPgliteThread(dataDir: string): Promise<Database> {
  if (!dataDir.startsWith("memory://")) mkdirSync(dataDir, { recursive: true });
  const db = await startPgliteThread(dataDir);
  return {
    kind: "pglite",
    onThisThread: false,
    raw: db,
    query: (sql, params) => db.query(sql, params),
    async exec(sql) {
      await db.exec(sql);
    },
    transaction: (fn) => db.transaction((tx) => fn({ query: (sql, params) => tx.query(sql, params) })),
    batch: (list) => db.batch(list) as Promise<QueryResult<Record<string, unknown>>[]>,
    close: () => db.close(),
  };
}
