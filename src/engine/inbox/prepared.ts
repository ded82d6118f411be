/**
 * Transactions whose statements are prepared once per server connection. The group commit sends
 * the same few statements for every batch; on PostgreSQL, parsing and planning them each time
 * (pg-boss's job insert is a 3 KB statement) cost more server CPU than the rows they write did
 * at the batch sizes a busy intake sees. Named statements are parsed once per pooled connection
 * and then only bound and executed, and their text is no longer sent each time.
 *
 * On PGlite (one in-process connection) this is `db.transaction`.
 */
import type pg from "pg";
import type { Database, Queryable, QueryResult } from "../../store/index.ts";

/** Statement text → name, shared by every connection (a name always means the same text). */
const names = new Map<string, string>();
/** The inbox sends a handful of distinct statements; past this, new ones go unnamed. */
const MAX_NAMES = 32;

function nameFor(text: string): string | undefined {
  let name = names.get(text);
  if (name === undefined && names.size < MAX_NAMES) {
    name = `fulcrum_inbox_${names.size + 1}`;
    names.set(text, name);
  }
  return name;
}

/** Runs `fn` in one transaction, committed when it resolves and rolled back when it throws. */
export async function preparedTransaction<T>(db: Database, fn: (tx: Queryable) => Promise<T>): Promise<T> {
  if (db.kind !== "postgres") return db.transaction(fn);
  const client = await (db.raw as pg.Pool).connect();
  let broken: unknown;
  try {
    await client.query("begin");
    const result = await fn({
      async query<R>(text: string, params?: unknown[]): Promise<QueryResult<R>> {
        const name = nameFor(text);
        const r = await client.query(name === undefined ? { text, values: params ?? [] } : { name, text, values: params ?? [] });
        return { rows: r.rows as R[], rowCount: r.rowCount ?? 0 };
      },
    });
    await client.query("commit");
    return result;
  } catch (error) {
    await client.query("rollback").catch((e: unknown) => {
      broken = e;
    });
    throw error;
  } finally {
    // A connection that could not even roll back is not given back to the pool for reuse.
    client.release(broken instanceof Error ? broken : undefined);
  }
}
