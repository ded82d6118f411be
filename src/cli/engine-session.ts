/**
 * What the operator commands (`fulcrum events`, `fulcrum jobs`) open: the database (migrated), the
 * job queue without background duties, and the inbox. The embedded database serves one process
 * at a time, so while `fulcrum serve` holds it (its pid file in the data folder names a live
 * process) these commands refuse rather than corrupt it.
 */
import { join } from "node:path";
import { loadConfig, type Config } from "../config/index.ts";
import { silentLogger } from "../observability/index.ts";
import { migrate, openDatabase, refuseWhileServeHoldsEmbeddedDatabase, type Database } from "../store/index.ts";
import { createInbox, createJobQueue, type Inbox, type JobQueue } from "../engine/index.ts";

export { embeddedDatabaseHolder, holdEmbeddedDatabase } from "../store/index.ts";

export interface EngineSession {
  config: Config;
  db: Database;
  queue: JobQueue;
  inbox: Inbox;
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
