/**
 * The embedded database's upkeep (see `embedded-maintenance.ts`): PGlite has no autovacuum and no
 * checkpointer, so Fulcrum's pass reclaims dead rows, gathers statistics and bounds the log.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { openDatabase } from "./database.ts";
import { maintainEmbeddedDatabase, startEmbeddedMaintenance } from "./embedded-maintenance.ts";
import { silentLogger } from "../observability/index.ts";
import { openTestDatabase, testEngines } from "./testing.ts";

const ENGINES = await testEngines();
const postgres = ENGINES.find((e) => e.kind === "postgres")!;

async function stats(db: Awaited<ReturnType<typeof openDatabase>>, table: string) {
  await db.query("select pg_stat_force_next_flush()");
  const { rows } = await db.query<{ dead: number; vacuums: number; analyzed: boolean }>(
    `select n_dead_tup::int as dead, (vacuum_count + autovacuum_count)::int as vacuums, last_analyze is not null as analyzed
       from pg_stat_user_tables where relname = $1`,
    [table],
  );
  return rows[0]!;
}

describe("embedded database maintenance", () => {
  test("vacuums a table full of dead rows, analyses one that changed, leaves quiet ones alone", async () => {
    const db = await openDatabase({ dataDir: "memory://" });
    try {
      await db.exec(`
        create table churn (id int primary key, v int);
        insert into churn select g, 0 from generate_series(1, 2000) g;
        update churn set v = v + 1;
        update churn set v = v + 1;
        create table grown (id int primary key);
        insert into grown select g from generate_series(1, 500) g;
        create table quiet (id int primary key);
        insert into quiet values (1);`);
      assert.ok((await stats(db, "churn")).dead >= 4000);
      const report = await maintainEmbeddedDatabase(db, { checkpointAfterBytes: Number.MAX_SAFE_INTEGER });
      assert.ok(report.vacuumed.includes("public.churn"), JSON.stringify(report));
      assert.ok(report.analyzed.includes("public.grown") || report.vacuumed.includes("public.grown"), JSON.stringify(report));
      assert.ok(!report.vacuumed.includes("public.quiet") && !report.analyzed.includes("public.quiet"));
      assert.equal(report.checkpoint, false);
      const after = await stats(db, "churn");
      assert.equal(after.dead, 0);
      assert.equal(after.vacuums, 1);
      assert.equal((await stats(db, "grown")).analyzed, true);
      // Nothing is lost, and a second pass finds nothing to do.
      assert.deepEqual((await db.query("select count(*)::int as n, sum(v)::int as s from churn")).rows, [{ n: 2000, s: 4000 }]);
      const again = await maintainEmbeddedDatabase(db, { checkpointAfterBytes: Number.MAX_SAFE_INTEGER });
      assert.deepEqual([again.vacuumed, again.analyzed], [[], []]);
    } finally {
      await db.close();
    }
  });

  test("makes a checkpoint once enough log has been written since the last", async () => {
    const db = await openDatabase({ dataDir: "memory://" });
    try {
      await db.exec("create table logged (id int); insert into logged select generate_series(1, 1000);");
      assert.equal((await maintainEmbeddedDatabase(db, { checkpointAfterBytes: 1 })).checkpoint, true);
      // Right after a checkpoint there is less log than a large threshold.
      assert.equal((await maintainEmbeddedDatabase(db, { checkpointAfterBytes: 1024 * 1024 })).checkpoint, false);
    } finally {
      await db.close();
    }
  });

  test("runs on a timer until stopped", async () => {
    const db = await openDatabase({ dataDir: "memory://" });
    try {
      await db.exec("create table timed (id int); insert into timed select generate_series(1, 100); delete from timed;");
      const maintenance = startEmbeddedMaintenance(db, { intervalMs: 20, logger: silentLogger });
      const deadline = Date.now() + 10_000;
      while ((await stats(db, "timed")).vacuums === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      await maintenance.stop();
      assert.equal((await stats(db, "timed")).vacuums, 1);
    } finally {
      await db.close();
    }
  });

  test("refuses a PostgreSQL server, which maintains itself", { skip: postgres.skip }, async () => {
    const { db, drop } = await openTestDatabase("postgres");
    try {
      await assert.rejects(maintainEmbeddedDatabase(db), /embedded database/);
    } finally {
      await drop();
    }
  });
});
