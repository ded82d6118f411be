/**
 * The Lever write ledger on the database (`lever_write_ledger`): each write's idempotency key and
 * outcome, shared by every process, surviving crashes. See `src/lever/idempotent-write.ts` for how
 * the client uses it.
 */
import type { Queryable } from "./database.ts";

/** Where a write stands: pending (being sent), done, unknown (sent, no answer) or failed (refused). */
type WriteStatus = "pending" | "done" | "unknown" | "failed";

/** One write as recorded. The Lever client's `WriteLedger` port (`src/lever/ports.ts`) reads it. */
interface WriteRecord {
  connectionId: string;
  key: string;
  operation: string;
  status: WriteStatus;
  leverId: string | null;
  result: unknown;
  error: string | null;
  attempts: number;
}

/** The ledger on the database; it satisfies the Lever client's `WriteLedger` port. */
export interface DatabaseWriteLedger {
  get(connectionId: string, key: string): Promise<WriteRecord | undefined>;
  begin(connectionId: string, key: string, operation: string): Promise<void>;
  settle(
    connectionId: string,
    key: string,
    outcome: { status: "done"; leverId: string | null; result: unknown } | { status: "unknown" | "failed"; error: string },
  ): Promise<void>;
  /** Deletes settled records (done, failed) older than `olderThanDays`; returns how many. */
  prune(olderThanDays: number): Promise<number>;
}

interface Row {
  connection_id: string;
  key: string;
  operation: string;
  status: WriteStatus;
  lever_id: string | null;
  result: unknown;
  error: string | null;
  attempts: number;
}

export function createDatabaseWriteLedger(db: Queryable): DatabaseWriteLedger {
  return {
    async get(connectionId, key) {
      const { rows } = await db.query<Row>(
        `select connection_id, key, operation, status, lever_id, result, error, attempts
           from lever_write_ledger where connection_id = $1 and key = $2`,
        [connectionId, key],
      );
      const row = rows[0];
      if (!row) return undefined;
      return {
        connectionId: row.connection_id,
        key: row.key,
        operation: row.operation,
        status: row.status,
        leverId: row.lever_id,
        result: row.result,
        error: row.error,
        attempts: Number(row.attempts),
      };
    },
    async begin(connectionId, key, operation) {
      // The operation is kept from the first attempt: a key belongs to one operation for ever.
      await db.query(
        `insert into lever_write_ledger (connection_id, key, operation, status, attempts)
         values ($1, $2, $3, 'pending', 1)
         on conflict (connection_id, key) do update set
           status = 'pending', attempts = lever_write_ledger.attempts + 1, error = null, updated_at = now()`,
        [connectionId, key, operation],
      );
    },
    async settle(connectionId, key, outcome) {
      const result =
        outcome.status === "done"
          ? await db.query(
              `update lever_write_ledger set status = 'done', lever_id = $3, result = $4::jsonb, error = null, updated_at = now()
                where connection_id = $1 and key = $2`,
              [connectionId, key, outcome.leverId, JSON.stringify(outcome.result ?? null)],
            )
          : await db.query(
              `update lever_write_ledger set status = $3, error = $4, updated_at = now()
                where connection_id = $1 and key = $2`,
              [connectionId, key, outcome.status, outcome.error.slice(0, 2000)],
            );
      if (result.rowCount === 0) throw new Error(`lever_write_ledger: no record for key "${key}" on connection "${connectionId}"`);
    },
    async prune(olderThanDays) {
      const { rowCount } = await db.query(
        `delete from lever_write_ledger where status in ('done', 'failed') and updated_at < now() - make_interval(days => $1)`,
        [olderThanDays],
      );
      return rowCount;
    },
  };
}
