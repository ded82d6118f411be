/**
 * Prepared statements for the embedded database. Parsing and planning a statement costs PGlite
 * more than running most of Fulcrum's statements (about a millisecond for the engine's larger
 * ones, 2–3 ms for pg-boss's job insert). PGlite's API has no named statements, so a statement with
 * parameters is `PREPARE`d once per session the first time it is seen and then run as
 * `EXECUTE name(literal, …)`, its parameters written as quoted literals that PostgreSQL coerces to
 * the types it inferred at `PREPARE`, as it does for parameters sent apart. Statements whose
 * parameters are not all plain values (arrays, objects), and statements PostgreSQL cannot prepare,
 * run as before. (On a PostgreSQL server the `pg` driver's named statements do the same: see
 * `database.ts`.)
 */
import type { PGlite, Results, Transaction } from "@electric-sql/pglite";

/** Distinct statement texts kept prepared per session; past this, new texts run unprepared. */
export const MAX_PREPARED = 500;

/** Whether `sql` (with `params`) is worth preparing: a query or data change that takes parameters. */
export function preparable(sql: string, params: unknown[] | undefined): boolean {
  return params !== undefined && params.length > 0 && /^\s*(select|insert|update|delete|with)\b/i.test(sql);
}

type Target = PGlite | Transaction;

/** A quoted literal PostgreSQL reads as `value`, or undefined for values that have none here. */
function literal(value: unknown): string | undefined {
  if (value === null || value === undefined) return "null";
  let text: string;
  if (typeof value === "string") text = value;
  else if (typeof value === "number") {
    if (!Number.isFinite(value)) return undefined;
    text = String(value);
  } else if (typeof value === "boolean" || typeof value === "bigint") text = String(value);
  else if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return undefined;
    text = value.toISOString();
  } else return undefined;
  // E'' means the same whatever standard_conforming_strings says.
  return `E'${text.replace(/\\/g, "\\\\").replace(/'/g, "''")}'`;
}

/**
 * `inTransaction` (of `run`) says whether `on` is an open transaction, where a refused PREPARE must
 * not abort it.
 */
/** A statement of a batch (see `StatementCache.batch`). */
export interface Statement {
  sql: string;
  params?: unknown[] | undefined;
}

/** One statement's answer in a batch: its rows, and the rows it returned or changed. */
export interface BatchResult {
  rows: unknown[];
  rowCount: number;
}

/**
 * The parameters of `sql` as the argument list of an `EXECUTE` (`'a', 1, null`), or undefined when
 * the statement is not worth preparing or a parameter has no literal form. Both engines use it.
 */
export function executeArguments(sql: string, params: unknown[]): string | undefined {
  if (!preparable(sql, params)) return undefined;
  const literals = params.map(literal);
  return literals.some((l) => l === undefined) ? undefined : literals.join(", ");
}

/** Rows a single statement returned or changed (PGlite's `affectedRows` counts DML only). */
export function rowCountOf(r: Results<unknown>): number {
  return r.affectedRows || r.rows.length;
}

export interface StatementCache {
  /** Runs one statement on `on`, prepared when it can be. */
  run(on: Target, inTransaction: boolean, sql: string, params?: unknown[]): Promise<Results<unknown>>;
  /**
   * Runs `statements` in one transaction as one message of the simple protocol (PostgreSQL runs
   * the statements of one such message as one transaction), each as `EXECUTE` of its prepared
   * statement: one call into PGlite instead of a `BEGIN`, one call per statement and a `COMMIT`.
   * A statement that cannot be sent that way (a parameter with no literal form, a statement
   * PostgreSQL will not prepare) makes the batch run as an ordinary transaction instead.
   * `db` must not be inside a transaction (the statements are prepared on it first).
   */
  batch(db: PGlite, statements: Statement[]): Promise<BatchResult[]>;
}

/** A statement runner for one PGlite session (prepared statements belong to the session). */
export function createStatementCache(): StatementCache {
  /** Statement text → its prepared name, or `null` when it cannot be prepared. */
  const prepared = new Map<string, string | null>();
  let made = 0;

  async function prepare(on: Target, inTransaction: boolean, sql: string): Promise<string | null> {
    const name = `fulcrum_${++made}`;
    try {
      if (inTransaction) await on.query("savepoint fulcrum_prepare");
      await on.query(`prepare ${name} as ${sql}`);
      if (inTransaction) await on.query("release savepoint fulcrum_prepare");
      prepared.set(sql, name);
      return name;
    } catch {
      if (inTransaction) await on.query("rollback to savepoint fulcrum_prepare").catch(() => {});
      prepared.set(sql, null);
      return null;
    }
  }

  async function run(on: Target, inTransaction: boolean, sql: string, params: unknown[] = []): Promise<Results<unknown>> {
    const args = executeArguments(sql, params);
    if (args === undefined) return on.query(sql, params);
    let name = prepared.get(sql);
    if (name === null) return on.query(sql, params);
    if (name === undefined) {
      if (prepared.size >= MAX_PREPARED) return on.query(sql, params);
      name = await prepare(on, inTransaction, sql);
      if (name === null) return on.query(sql, params);
    }
    try {
      // One message of the simple protocol: the statement is already parsed and planned, so the
      // extended protocol's parse/describe/bind round would only cost PGlite a second pass.
      const [result] = await on.exec(`execute ${name}(${args})`);
      return result!;
    } catch (error) {
      // "cached plan must not change result type": a table changed under a prepared `select *`
      // (migrations run before anything else, so only a schema changed while running does this).
      // The plan is dropped and the text run itself; inside a transaction the error has already
      // aborted it, so that attempt fails and the next use prepares afresh.
      if ((error as { code?: string }).code !== "0A000") throw error;
      prepared.delete(sql);
      await on.query(`deallocate ${name}`).catch(() => {});
      return on.query(sql, params);
    }
  }

  /** The `EXECUTE` text of one statement (preparing it on `db` first), or undefined when it has none. */
  async function executeText(db: PGlite, { sql, params = [] }: Statement): Promise<string | undefined> {
    if (params.length === 0) return sql;
    const args = executeArguments(sql, params);
    if (args === undefined) return undefined;
    let name = prepared.get(sql);
    if (name === undefined && prepared.size < MAX_PREPARED) name = await prepare(db, false, sql);
    return name ? `execute ${name}(${args})` : undefined;
  }

  async function asTransaction(db: PGlite, statements: Statement[]): Promise<BatchResult[]> {
    return db.transaction(async (tx) => {
      const results: BatchResult[] = [];
      for (const s of statements) {
        const r = await run(tx, true, s.sql, s.params);
        results.push({ rows: r.rows, rowCount: rowCountOf(r) });
      }
      return results;
    });
  }

  async function batch(db: PGlite, statements: Statement[]): Promise<BatchResult[]> {
    const texts: string[] = [];
    for (const statement of statements) {
      const text = await executeText(db, statement);
      if (text === undefined) return asTransaction(db, statements);
      texts.push(text);
    }
    try {
      // `affectedRows` adds up over the statements of one message; `rowCount` is each one's own.
      return (await db.exec(texts.join(";\n"))).map((r) => ({ rows: r.rows, rowCount: r.rowCount ?? rowCountOf(r) }));
    } catch (error) {
      // A plan outdated by a changed table (see `run`): nothing was committed; the statements are
      // prepared afresh and run once more as a transaction.
      if ((error as { code?: string }).code !== "0A000") throw error;
      for (const { sql } of statements) {
        const name = prepared.get(sql);
        if (!name) continue;
        prepared.delete(sql);
        await db.query(`deallocate ${name}`).catch(() => {});
      }
      return asTransaction(db, statements);
    }
  }

  return { run, batch };
}
