/**
 * Upkeep the embedded database does not do for itself. PGlite runs PostgreSQL in single-user mode,
 * where neither autovacuum nor the checkpointer runs. Left alone:
 * - the row versions that updates and deletes leave behind are never reclaimed (every job moves
 *   through three or four states, so pg-boss's tables grow without end);
 * - the planner never gets statistics;
 * - the write-ahead log grows to `max_wal_size` (1 GB) before the first checkpoint. That checkpoint
 *   then writes out every changed page while all queries wait.
 *
 * A pass does what those two would, by PostgreSQL's own default rules:
 * - a table is vacuumed once its dead rows pass 50 + 20 % of its live rows;
 * - a table is analysed once its rows changed since the last analysis pass 50 + 10 % of them;
 * - a checkpoint is made once 64 MB of log has been written since the last one.
 *
 * Each step holds the single session while it runs. Most take milliseconds; a table with many
 * dead rows can take longer, once, instead of growing for good. A PostgreSQL server does all this
 * itself, so the pass only runs on the embedded database.
 */
import type { Logger } from "../observability/index.ts";
import type { Database } from "./database.ts";

export interface MaintenanceOptions {
  /** Log written since the last checkpoint that makes the pass take one, in bytes. Default 64 MB. */
  checkpointAfterBytes?: number;
}

export interface MaintenanceReport {
  /** Tables vacuumed (and analysed), as `schema.table`. */
  vacuumed: string[];
  /** Tables only analysed. */
  analyzed: string[];
  /** Whether a checkpoint was made. */
  checkpoint: boolean;
  ms: number;
}

interface TableStats {
  schema: string;
  name: string;
  live: number;
  dead: number;
  modified: number;
}

/** One maintenance pass over the embedded database. */
export async function maintainEmbeddedDatabase(db: Database, options: MaintenanceOptions = {}): Promise<MaintenanceReport> {
  if (db.kind !== "pglite") throw new Error("maintenance passes are for the embedded database; a PostgreSQL server runs its own");
  const started = performance.now();
  // Counters are flushed when the session goes idle, at most once a second; this one is forced so
  // the figures below include the last second's work.
  await db.query("select pg_stat_force_next_flush()");
  const { rows } = await db.query<TableStats>(
    `select schemaname as schema, relname as name, n_live_tup::float8 as live, n_dead_tup::float8 as dead,
            n_mod_since_analyze::float8 as modified
       from pg_stat_user_tables order by schemaname, relname`,
  );
  const report: MaintenanceReport = { vacuumed: [], analyzed: [], checkpoint: false, ms: 0 };
  for (const t of rows) {
    const table = `${quoteIdentifier(t.schema)}.${quoteIdentifier(t.name)}`;
    const vacuum = t.dead > 50 + 0.2 * t.live;
    const analyze = t.modified > 50 + 0.1 * t.live;
    if (vacuum) {
      await db.exec(`vacuum (analyze) ${table}`);
      report.vacuumed.push(`${t.schema}.${t.name}`);
    } else if (analyze) {
      await db.exec(`analyze ${table}`);
      report.analyzed.push(`${t.schema}.${t.name}`);
    }
  }
  const { rows: wal } = await db.query<{ bytes: number }>(
    "select pg_wal_lsn_diff(pg_current_wal_insert_lsn(), redo_lsn)::float8 as bytes from pg_control_checkpoint()",
  );
  if ((wal[0]?.bytes ?? 0) >= (options.checkpointAfterBytes ?? 64 * 1024 * 1024)) {
    await db.exec("checkpoint");
    report.checkpoint = true;
  }
  report.ms = Math.round(performance.now() - started);
  return report;
}

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * Runs a pass every `intervalMs` (default 5 minutes) until stopped. A failed pass is logged and
 * the next one runs on time; a pass never overlaps the one before.
 */
export function startEmbeddedMaintenance(db: Database, options: MaintenanceOptions & { intervalMs?: number; logger: Logger }): { stop(): Promise<void> } {
  const intervalMs = options.intervalMs ?? 5 * 60_000;
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    if (running) return;
    running = maintainEmbeddedDatabase(db, options)
      .then(
        (report) => {
          if (report.vacuumed.length || report.analyzed.length || report.checkpoint) {
            options.logger.info({ ...report }, "embedded database maintenance");
          }
        },
        (error: unknown) => options.logger.warn({ err: error }, "embedded database maintenance failed"),
      )
      .finally(() => (running = undefined));
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
