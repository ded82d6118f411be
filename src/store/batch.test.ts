/**
 * `db.batch`: statements that do not depend on each other's results, run as one transaction (on
 * the embedded database, one call into PGlite). Same answers on both engines; all or nothing.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { openDatabase } from "./database.ts";
import { openTestDatabase, testEngines } from "./testing.ts";

const ENGINES = await testEngines();

for (const engine of ENGINES) {
  describe(`db.batch on ${engine.kind}`, { skip: engine.skip }, () => {
    test("runs the statements in order and answers each with its own rows", async () => {
      const { db, drop } = await openTestDatabase(engine.kind);
      try {
        await db.exec("create table batch_a (id serial primary key, v text, n int)");
        const quoted = `it's a \\ "test" $1 ; -- not a comment`;
        const results = await db.batch([
          { sql: "insert into batch_a (v, n) values ($1, $2) returning id, v", params: [quoted, 1] },
          { sql: "insert into batch_a (v, n) values ($1, $2), ($3, $4)", params: ["b", 2, "c", null] },
          { sql: "select count(*)::int as n from batch_a" },
          { sql: "select v from batch_a where n is null" },
        ]);
        assert.equal(results.length, 4);
        assert.deepEqual(results[0]!.rows, [{ id: 1, v: quoted }]);
        assert.equal(results[1]!.rowCount, 2);
        assert.deepEqual(results[2]!.rows, [{ n: 3 }]);
        assert.deepEqual(results[3]!.rows, [{ v: "c" }]);
        // Run again: the prepared statements are reused and answer for the new values.
        const again = await db.batch([{ sql: "insert into batch_a (v, n) values ($1, $2) returning id, v", params: ["d", 4] }]);
        assert.deepEqual(again[0]!.rows, [{ id: 4, v: "d" }]);
      } finally {
        await drop();
      }
    });

    test("commits nothing when one statement fails, and reports PostgreSQL's error", async () => {
      const { db, drop } = await openTestDatabase(engine.kind);
      try {
        await db.exec("create table batch_u (id int primary key, v text)");
        await db.query("insert into batch_u values ($1, $2)", [1, "kept"]);
        await assert.rejects(
          db.batch([
            { sql: "insert into batch_u values ($1, $2)", params: [2, "rolled back"] },
            { sql: "insert into batch_u values ($1, $2)", params: [1, "a duplicate"] },
          ]),
          (e: Error & { code?: string; constraint?: string }) => e.code === "23505" && e.constraint === "batch_u_pkey",
        );
        assert.deepEqual((await db.query("select id, v from batch_u order by id")).rows, [{ id: 1, v: "kept" }]);
        // The session is usable afterwards, in and out of transactions.
        await db.batch([{ sql: "insert into batch_u values ($1, $2)", params: [3, "after"] }]);
        assert.equal((await db.transaction(async (tx) => tx.query("select count(*)::int as n from batch_u"))).rows[0]!.n, 2);
      } finally {
        await drop();
      }
    });

    test("answers after a table changed under a prepared statement, and the session's other statements still work", async () => {
      const { db, drop } = await openTestDatabase(engine.kind);
      try {
        await db.exec("create table batch_c (a int)");
        const select = { sql: "select * from batch_c where a = $1", params: [1] };
        await db.query("insert into batch_c values ($1)", [1]);
        for (let i = 0; i < 3; i++) assert.deepEqual((await db.batch([select]))[0]!.rows, [{ a: 1 }]);
        await db.exec("alter table batch_c add column b text default 'x'");
        assert.deepEqual((await db.batch([select]))[0]!.rows, [{ a: 1, b: "x" }]);
        assert.deepEqual((await db.batch([select]))[0]!.rows, [{ a: 1, b: "x" }]);
        // Statements prepared outside batches are untouched.
        assert.deepEqual((await db.query("select a from batch_c where a = $1", [1])).rows, [{ a: 1 }]);
      } finally {
        await drop();
      }
    });

    test("runs statements whose parameters have no literal form (arrays) as an ordinary transaction", async () => {
      const { db, drop } = await openTestDatabase(engine.kind);
      try {
        await db.exec("create table batch_r (id int)");
        const results = await db.batch([
          { sql: "insert into batch_r select unnest($1::int[])", params: [[1, 2, 3]] },
          { sql: "select sum(id)::int as s from batch_r where id = any($1::int[])", params: [[2, 3]] },
        ]);
        assert.deepEqual(results[1]!.rows, [{ s: 5 }]);
        await assert.rejects(
          db.batch([
            { sql: "insert into batch_r select unnest($1::int[])", params: [[7]] },
            { sql: "select 1 / ($1::int - 1)", params: [1] },
          ]),
          (e: Error & { code?: string }) => e.code === "22012",
        );
        assert.deepEqual((await db.query("select count(*)::int as n from batch_r")).rows, [{ n: 3 }]);
      } finally {
        await drop();
      }
    });
  });
}

describe("db.batch on the embedded database in this thread", () => {
  test("answers as on its own thread", async () => {
    const db = await openDatabase({ dataDir: "memory://", pgliteThread: "main" });
    try {
      await db.exec("create table batch_m (id serial primary key, v text)");
      const [inserted, counted] = await db.batch([
        { sql: "insert into batch_m (v) values ($1) returning id", params: ["x"] },
        { sql: "select count(*)::int as n from batch_m where v = $1", params: ["x"] },
      ]);
      assert.deepEqual(inserted!.rows, [{ id: 1 }]);
      assert.deepEqual(counted!.rows, [{ n: 1 }]);
      await assert.rejects(
        db.batch([{ sql: "insert into batch_m (id, v) values ($1, $2)", params: [1, "dup"] }]),
        (e: Error & { code?: string }) => e.code === "23505",
      );
      assert.deepEqual((await db.query("select count(*)::int as n from batch_m")).rows, [{ n: 1 }]);
    } finally {
      await db.close();
    }
  });
});
