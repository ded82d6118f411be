/**
 * Who holds the embedded database. PGlite serves one process at a time, so `fulcrum serve` keeps
 * a pid file in the data folder while it holds it, and every command that would open it on its
 * own refuses while that process lives (nothing to check on a PostgreSQL server). Lives with the
 * store so that the CLI and the modules it calls (the connection registry) ask the same thing.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** What the holder needs from the configuration: the data folder, and whether PostgreSQL is used instead. */
interface DatabaseLocation {
  dataDir: string;
  databaseUrl?: string | undefined;
}

/** The pid file `fulcrum serve` keeps in the data folder while it holds the embedded database. */
export function servePidFile(config: DatabaseLocation): string {
  return join(config.dataDir, "serve.pid");
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The pid of a live `fulcrum serve` holding the embedded database, if any. */
export function embeddedDatabaseHolder(config: DatabaseLocation): number | undefined {
  if (config.databaseUrl) return undefined;
  const file = servePidFile(config);
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, "utf8").trim());
  return Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid) ? pid : undefined;
}

/** The embedded database is held by another process; the message says what to do instead. */
export class EmbeddedDatabaseBusyError extends Error {
  override name = "EmbeddedDatabaseBusyError";
}

/**
 * Throws, with what to do instead, while a live `fulcrum serve` holds the embedded database; every
 * command that opens the database on its own calls this first (nothing to check on PostgreSQL).
 */
export function refuseWhileServeHoldsEmbeddedDatabase(config: DatabaseLocation): void {
  const holder = embeddedDatabaseHolder(config);
  if (holder) {
    throw new EmbeddedDatabaseBusyError(
      `fulcrum serve (pid ${holder}) is using the embedded database in ${config.dataDir}, which serves one process at a time; stop it first, or use the console or the REST API under /api (or set DATABASE_URL to share a PostgreSQL server)`,
    );
  }
}

/** Records this process as the holder of the embedded database; returns the release function. */
export function holdEmbeddedDatabase(config: DatabaseLocation): () => void {
  if (config.databaseUrl) return () => {};
  const holder = embeddedDatabaseHolder(config);
  if (holder) {
    throw new EmbeddedDatabaseBusyError(
      `another fulcrum serve (pid ${holder}) is using the embedded database in ${config.dataDir}; stop it first, or give each its own FULCRUM_DATA_DIR`,
    );
  }
  const file = servePidFile(config);
  mkdirSync(config.dataDir, { recursive: true });
  writeFileSync(file, `${process.pid}\n`);
  return () => rmSync(file, { force: true });
}
