/**
 * Databases for tests. Every suite that touches storage runs on both engines: an in-memory PGlite
 * and a fresh database on the PostgreSQL server (127.0.0.1:5432, or FULCRUM_TEST_POSTGRES_URL),
 * created for the run and dropped after it. When no server answers, the PostgreSQL variant is
 * skipped with a message saying so; CI always has one.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { openDatabase, type Database, type DatabaseKind } from "./database.ts";
import { migrate } from "./migrate.ts";

const ADMIN_URL = process.env.FULCRUM_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export interface TestDatabase {
  db: Database;
  /** Connection string of the PostgreSQL variant (for other processes); undefined for PGlite. */
  url: string | undefined;
  drop(): Promise<void>;
}

let serverAvailable: Promise<boolean> | undefined;

export function postgresAvailable(): Promise<boolean> {
  serverAvailable ??= (async () => {
    const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      await client.end();
      return true;
    } catch {
      return false;
    }
  })();
  return serverAvailable;
}

/** Creates an empty PostgreSQL database for this run and returns its URL. */
export async function createPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `fulcrum_test_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: ADMIN_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

/** Opens a migrated, empty database of the given kind. */
export async function openTestDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  if (kind === "pglite") {
    const db = await openDatabase({ dataDir: "memory://" });
    await migrate(db);
    return { db, url: undefined, drop: () => db.close() };
  }
  const created = await createPostgresDatabase();
  const db = await openDatabase({ url: created.url, poolSize: 5 });
  await migrate(db);
  return {
    db,
    url: created.url,
    async drop() {
      await db.close();
      await created.drop();
    },
  };
}

/**
 * The engines a storage test should run on, each with the reason it is skipped (if it is).
 * Use with node:test: `for (const e of await testEngines()) describe(e.kind, { skip: e.skip }, …)`.
 */
export async function testEngines(): Promise<{ kind: DatabaseKind; skip: string | false }[]> {
  const only = process.env.FULCRUM_TEST_DB as DatabaseKind | undefined;
  const hasServer = await postgresAvailable();
  const engines: { kind: DatabaseKind; skip: string | false }[] = [
    { kind: "pglite", skip: false },
    {
      kind: "postgres",
      skip: hasServer ? false : `no PostgreSQL server answered at ${new URL(ADMIN_URL).host}; set FULCRUM_TEST_POSTGRES_URL`,
    },
  ];
  return only ? engines.filter((e) => e.kind === only) : engines;
}
