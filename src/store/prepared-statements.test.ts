/**
 * Statements with parameters are prepared once per session on both engines (named statements on
 * PostgreSQL, PREPARE/EXECUTE in the embedded database's thread). What a caller sees must not change.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { openTestDatabase, testEngines } from "./testing.ts";

const ENGINES = await testEngines();

for (const engine of ENGINES) {
  describe(`prepared statements on ${engine.kind}`, { skip: engine.skip }, () => {
    test("the same text answers the same each time, and after its table changes", async () => {
      const { db, drop } = await openTestDatabase(engine.kind);
      try {
        await db.exec("create table prep_c (a int)");
        await db.query("insert into prep_c values ($1), ($2)", [1, 2]);
        const sql = "select * from prep_c where a = $1";
        for (let i = 0; i < 7; i++) assert.deepEqual((await db.query(sql, [1])).rows, [{ a: 1 }]);
        await db.exec("alter table prep_c add column b text default 'x'");
        assert.deepEqual((await db.query(sql, [2])).rows, [{ a: 2, b: "x" }]);
        // In a transaction too.
        const rows = await db.transaction(async (tx) => (await tx.query(sql, [1])).rows);
        assert.deepEqual(rows, [{ a: 1, b: "x" }]);
      } finally {
        await drop();
      }
    });

    test("a refused statement fails with PostgreSQL's error and leaves what was stored", async () => {
      const { db, drop } = await openTestDatabase(engine.kind);
      try {
        await db.exec("create table prep_u (id int primary key, v text)");
        const insert = "insert into prep_u (id, v) values ($1, $2)";
        await db.query(insert, [1, "first"]);
        await assert.rejects(db.query(insert, [1, "second"]), (e: Error & { code?: string }) => e.code === "23505");
        await assert.rejects(
          db.transaction(async (tx) => {
            await tx.query(insert, [2, "in a failed transaction"]);
            await tx.query(insert, [1, "again"]);
          }),
          (e: Error & { code?: string }) => e.code === "23505",
        );
        assert.deepEqual((await db.query("select id, v from prep_u order by id")).rows, [{ id: 1, v: "first" }]);
      } finally {
        await drop();
      }
    });
  });
}
