/**
 * Transactions whose statements are prepared once per database session. The group commit sends
 * the same few statements for every batch, and parsing and planning them each time cost more
 * than the rows they write at the batch sizes a busy intake sees: pg-boss's job insert (a 3 KB
 * statement) took ~0.7 ms of PostgreSQL CPU to plan, and 2–3 ms of the event loop on PGlite.
 *
 * - PostgreSQL: named statements of the `pg` driver, parsed once per pooled connection and then
 *   only bound and executed (their text is no longer sent each time).
 * - PGlite (one session, no named statements in its API): `PREPARE` once, then `EXECUTE` with the
 *   parameters written as escaped string literals. Only statements whose parameters are all
 *   strings (or null) go this way, which is how the inbox passes them (JSON text); others run as
 *   they are.
 */
import type pg from "pg";
import type { Database, Queryable, QueryResult } from "../../store/index.ts";

/** Statement text → name, shared by every connection (a name always means the same text). */
const names = new Map<string, string>();
/** The inbox sends a handful of distinct statements; past this, new ones go unnamed. */
const MAX_NAMES = 32;
/** Names already prepared in each embedded database's session. */
const preparedIn = new WeakMap<Database, Set<string>>();

function nameFor(text: string): string | undefined {
  let name = names.get(text);
  if (name === undefined && names.size < MAX_NAMES) {
    name = `fulcrum_inbox_${names.size + 1}`;
    names.set(text, name);
  }
  return name;
}

/** A string literal that means `value` whatever `standard_conforming_strings` says. */
function literal(value: string | null): string {
  if (value === null) return "null";
  return `E'${value.replace(/\\/g, "\\\\").replace(/'/g, "''")}'`;
}

/** Runs `fn` in one transaction, committed when it resolves and rolled back when it throws. */
export async function preparedTransaction<T>(db: Database, fn: (tx: Queryable) => Promise<T>): Promise<T> {
  if (db.kind === "postgres") return postgresTransaction(db.raw as pg.Pool, fn);
  let prepared = preparedIn.get(db);
  if (!prepared) preparedIn.set(db, (prepared = new Set()));
  const done = prepared;
  return db.transaction((tx) =>
    fn({
      async query<R>(text: string, params: unknown[] = []): Promise<QueryResult<R>> {
        const name = nameFor(text);
        if (name === undefined || !params.every((p) => typeof p === "string" || p === null)) return tx.query<R>(text, params);
        if (!done.has(name)) {
          // PREPARE outlives the transaction (it is not undone by a rollback), so it is made once.
          await tx.query(`prepare ${name} as ${text}`);
          done.add(name);
        }
        const args = params as (string | null)[];
        return tx.query<R>(args.length ? `execute ${name}(${args.map(literal).join(", ")})` : `execute ${name}`);
      },
    }),
  );
}

async function postgresTransaction<T>(pool: pg.Pool, fn: (tx: Queryable) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: unknown;
  try {
    await client.query("begin");
    const result = await fn({
      async query<R>(text: string, params: unknown[] = []): Promise<QueryResult<R>> {
        const name = nameFor(text);
        const r = await client.query(name === undefined ? { text, values: params } : { name, text, values: params });
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
