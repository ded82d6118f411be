/**
 * Start-up composition for the processes that manage connections (`fulcrum serve` and
 * `fulcrum connections`): finds the secret key, opens and migrates the database (unless given one),
 * builds the registry and applies the configured connections. One function, so both agree on how
 * that is done.
 */
import { join } from "node:path";
import type { Logger } from "pino";
import type { Config } from "../../config/index.ts";
import { migrate, openDatabase, refuseWhileServeHoldsEmbeddedDatabase, type Database } from "../../store/index.ts";
import { createConnectionRegistry, type ConnectionRegistry, type ConnectionRegistryOptions } from "./connection-registry.ts";
import { loadSecretKey } from "./secret-box.ts";

export interface OpenedConnections {
  registry: ConnectionRegistry;
  db: Database;
  /** Closes the database (when this function opened it). */
  close(): Promise<void>;
}

/**
 * Builds the registry for `config`. Throws ConfigError when the secret key is missing or malformed
 * (e.g. DATABASE_URL without FULCRUM_SECRET_KEY), and EmbeddedDatabaseBusyError (naming the server's
 * pid) when it would open the embedded database while `fulcrum serve` holds it.
 */
export async function openConnections(
  config: Config,
  logger: Logger,
  extra: Partial<Omit<ConnectionRegistryOptions, "config" | "secretKey" | "logger">> = {},
): Promise<OpenedConnections> {
  const ownDb = extra.db === undefined;
  // Opening the embedded database beside a running `fulcrum serve` would corrupt it: refuse first,
  // as every other command does (`serve` itself passes the database it holds).
  if (ownDb) refuseWhileServeHoldsEmbeddedDatabase(config);
  // Then the key: a missing key must stop start-up before anything is written.
  const { key, previous } = loadSecretKey(config);
  const db = extra.db ?? (await openDatabase({ url: config.databaseUrl, dataDir: join(config.dataDir, "db") }));
  try {
    if (ownDb) await migrate(db);
    const registry = createConnectionRegistry({ ...extra, db, config, secretKey: key, previousSecretKeys: previous, logger });
    await registry.upsertFromConfig();
    return { registry, db, close: async () => (ownDb ? db.close() : undefined) };
  } catch (error) {
    if (ownDb) await db.close();
    throw error;
  }
}
