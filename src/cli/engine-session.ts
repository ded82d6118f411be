/**
 * What the operator commands (`fulcrum events`, `fulcrum jobs`) open: the database (migrated), the
 * job queue without background duties, and the inbox. The embedded database serves one process
 * at a time, so while `fulcrum serve` holds it (its pid file in the data folder names a live
 * process) these commands refuse rather than corrupt it.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadConfig, type Config } from "../config/index.ts";
import { silentLogger } from "../observability/index.ts";
import { migrate, openDatabase, type Database } from "../store/index.ts";
import { createJobQueue, type JobQueue } from "../engine/queue/index.ts";
import { createInbox, type Inbox } from "../engine/inbox/index.ts";

export interface EngineSession {
  config: Config;
  db: Database;
  queue: JobQueue;
  inbox: Inbox;
}

/** The pid file `fulcrum serve` keeps in the data folder while it holds the embedded database. */
export function servePidFile(config: Config): string {
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
export function embeddedDatabaseHolder(config: Config): number | undefined {
  if (config.databaseUrl) return undefined;
  const file = servePidFile(config);
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, "utf8").trim());
  return Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid) ? pid : undefined;
}

/**
 * Throws, with what to do instead, while a live `fulcrum serve` holds the embedded database; every
 * command that opens the database on its own calls this first (nothing to check on PostgreSQL).
 */
export function refuseWhileServeHoldsEmbeddedDatabase(config: Config): void {
  const holder = embeddedDatabaseHolder(config);
  if (holder) {
    throw new Error(
      `fulcrum serve (pid ${holder}) is using the embedded database in ${config.dataDir}, which serves one process at a time; stop it first, or use the console or the REST API under /api (or set DATABASE_URL to share a PostgreSQL server)`,
    );
  }
}

/** Records this process as the holder of the embedded database; returns the release function. */
export function holdEmbeddedDatabase(config: Config): () => void {
  if (config.databaseUrl) return () => {};
  const holder = embeddedDatabaseHolder(config);
  if (holder) {
    throw new Error(`another fulcrum serve (pid ${holder}) is using the embedded database in ${config.dataDir}; stop it first, or give each its own FULCRUM_DATA_DIR`);
  }
  const file = servePidFile(config);
  mkdirSync(config.dataDir, { recursive: true });
  writeFileSync(file, `${process.pid}\n`);
  return () => rmSync(file, { force: true });
}

/**
 * Opens the deployment's database (migrated) for a command, runs `fn`, and closes it, whatever
 * happens. Refuses while `fulcrum serve` holds the embedded database.
 */
export async function withDatabase<T>(fn: (db: Database, config: Config) => Promise<T>): Promise<T> {
  const config = loadConfig();
  refuseWhileServeHoldsEmbeddedDatabase(config);
  const db = await openDatabase({ url: config.databaseUrl, dataDir: join(config.dataDir, "db") });
  try {
    await migrate(db);
    return await fn(db, config);
  } finally {
    await db.close();
  }
}

/** Opens a session, runs `fn`, and closes everything, whatever happens. */
export async function withEngine<T>(fn: (session: EngineSession) => Promise<T>): Promise<T> {
  return withDatabase(async (db, config) => {
    const queue = createJobQueue({ db, logger: silentLogger, background: false });
    await queue.start();
    try {
      const inbox = createInbox({ db, queue, logger: silentLogger });
      await inbox.start();
      return await fn({ config, db, queue, inbox });
    } finally {
      await queue.stop({ graceful: false, timeoutMs: 1000 });
    }
  });
}
