import { test } from "node:test";
import assert from "node:assert/strict";
import { PGlite } from "@electric-sql/pglite";
import { openDatabase, type Database } from "./database.ts";
import { startPgliteThread } from "./pglite-thread.ts";

async function withDb(fn: (db: Database) => Promise<void>): Promise<void> {
  const db = await openDatabase({ dataDir: "memory://" });
  try {
    await fn(db);
  } finally {
    await db.close();
  }
}

test("the embedded database runs on its own thread by default, and in this thread on request", async () => {
  const threaded = await openDatabase({ dataDir: "memory://" });
  const inline = await openDatabase({ dataDir: "memory://", pgliteThread: "main" });
  try {
    assert.ok(!(threaded.raw instanceof PGlite), "a proxy to the worker, not a PGlite instance");
    assert.ok(inline.raw instanceof PGlite);
    const sql = "select $1::int + 1 as n, $2::text as t, $3::timestamptz as at, $4::jsonb as j, $5::boolean as b";
    const params = [41, "it's \\ here", new Date("2026-01-02T03:04:05.678Z"), JSON.stringify({ a: [1, "x"] }), true];
    assert.deepEqual((await threaded.query(sql, params)).rows, (await inline.query(sql, params)).rows);
  } finally {
    await threaded.close();
    await inline.close();
  }
});

test("errors keep PostgreSQL's fields, and the database goes on after one", async () => {
  await withDb(async (db) => {
    await db.exec("create table t (id int primary key)");
    await db.query("insert into t values ($1)", [1]);
    const error = await db.query("insert into t values ($1)", [1]).then(
      () => undefined,
      (e: unknown) => e as Error & { code?: string; constraint?: string },
    );
    assert.ok(error, "the duplicate is refused");
    assert.equal(error.code, "23505");
    assert.equal(error.constraint, "t_pkey");
    assert.match(error.message, /duplicate key/);
    assert.equal((await db.query("select count(*)::int as n from t")).rows[0]!.n, 1);
  });
});

test("a prepared statement takes every plain parameter type, quotes and backslashes included", async () => {
  await withDb(async (db) => {
    await db.exec("create table v (s text, n numeric, i bigint, b boolean, d timestamptz, j jsonb)");
    const tricky = "O'Brien \\ \\' E'x' $1 ; drop table v; --";
    for (let round = 0; round < 3; round++) {
      // The same text three times: prepared the first time, executed after.
      await db.query("insert into v (s, n, i, b, d, j) values ($1, $2, $3, $4, $5, $6)", [
        tricky,
        1.5,
        2n ** 40n,
        false,
        new Date(0),
        JSON.stringify({ q: tricky }),
      ]);
    }
    const { rows } = await db.query<{ s: string; n: string; i: number; b: boolean; d: Date; j: { q: string } }>("select * from v where s = $1", [tricky]);
    assert.equal(rows.length, 3);
    assert.equal(rows[0]!.s, tricky);
    assert.equal(Number(rows[0]!.n), 1.5);
    assert.equal(Number(rows[0]!.i), 2 ** 40);
    assert.equal(rows[0]!.b, false);
    assert.equal(rows[0]!.d.getTime(), 0);
    assert.equal(rows[0]!.j.q, tricky);
    assert.equal((await db.query("select count(*)::int as n from v where s is null and $1::int = 1", [1])).rows[0]!.n, 0);
    // Arrays and objects are not literals: they go the unprepared way, with the same result.
    assert.equal((await db.query("select cardinality($1::text[]) as n", [["a", "b"]])).rows[0]!.n, 2);
  });
});

test("a statement PostgreSQL cannot prepare does not abort the transaction it is in", async () => {
  await withDb(async (db) => {
    await db.exec("create table w (x text)");
    const n = await db.transaction(async (tx) => {
      await tx.query("insert into w values ($1)", ["before"]);
      // `$1` alone has no type to infer: PREPARE refuses it, the statement runs unprepared.
      const { rows } = await tx.query<{ v: string }>("select $1 as v", ["untyped"]);
      assert.equal(rows[0]!.v, "untyped");
      await tx.query("insert into w values ($1)", ["after"]);
      return (await tx.query<{ n: number }>("select count(*)::int as n from w where x <> $1", [""])).rows[0]!.n;
    });
    assert.equal(n, 2);
    assert.equal((await db.query("select count(*)::int as n from w")).rows[0]!.n, 2);
  });
});

test("a prepared select * still answers after its table changes", async () => {
  await withDb(async (db) => {
    await db.exec("create table c (a int)");
    await db.query("insert into c values ($1)", [1]);
    const sql = "select * from c where a = $1";
    assert.deepEqual((await db.query(sql, [1])).rows, [{ a: 1 }]);
    await db.exec("alter table c add column b text default 'x'");
    assert.deepEqual((await db.query(sql, [1])).rows, [{ a: 1, b: "x" }]);
  });
});

test("transactions: committed on return, rolled back on throw, and other statements wait for them", async () => {
  await withDb(async (db) => {
    await db.exec("create table q (x int)");
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const tx = db.transaction(async (t) => {
      await t.query("insert into q values ($1)", [1]);
      await held;
      await t.query("insert into q values ($1)", [2]);
    });
    // Sent while the transaction is open: PGlite has one session, so this runs after it commits.
    const outside = db.query<{ n: number }>("select count(*)::int as n from q");
    await new Promise((resolve) => setTimeout(resolve, 20));
    release();
    await tx;
    assert.equal((await outside).rows[0]!.n, 2);
    await assert.rejects(
      db.transaction(async (t) => {
        await t.query("insert into q values ($1)", [3]);
        throw new Error("changed my mind");
      }),
      /changed my mind/,
    );
    assert.equal((await db.query<{ n: number }>("select count(*)::int as n from q")).rows[0]!.n, 2);
  });
});

test("LISTEN/NOTIFY reaches every listener of a channel until it unsubscribes", async () => {
  const thread = await startPgliteThread("memory://");
  try {
    const a: string[] = [];
    const b: string[] = [];
    const stopA = await thread.listen("news", (p) => a.push(p));
    const stopB = await thread.listen("news", (p) => b.push(p));
    await thread.query("select pg_notify($1, $2)", ["news", "one"]);
    await stopA();
    await thread.query("select pg_notify($1, $2)", ["news", "two"]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(a, ["one"]);
    assert.deepEqual(b, ["one", "two"]);
    await stopB();
    // exec returns one result per statement, as PGlite's own does (pg-boss relies on it).
    const results = await thread.exec("select 1 as a; select 2 as b");
    assert.deepEqual(
      results.map((r) => r.rows),
      [[{ a: 1 }], [{ b: 2 }]],
    );
  } finally {
    await thread.close();
  }
});

test("a data folder that cannot be opened is reported, not hung on", async () => {
  await assert.rejects(startPgliteThread("/proc/version/not-a-folder"), /embedded database/);
});
