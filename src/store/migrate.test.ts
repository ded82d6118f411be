import { describe, it, after, before } from "node:test";
import assert from "node:assert/strict";
import { openTestDatabase, testEngines, type TestDatabase } from "./testing.ts";
import { migrate, splitStatements } from "./migrate.ts";

// Awaited before any test is registered: under --test-force-exit a file exits once the tests it
// knows have run, so tests registered after a later top-level await would be dropped unreported.
const ENGINES = await testEngines();

describe("splitStatements", () => {
  it("keeps a $$ function body whole and drops comment lines", () => {
    const parts = splitStatements(
      "-- a comment\ncreate table a (x int);\ncreate function f() returns int as $$\nbegin\n  return 1;\nend;\n$$ language plpgsql;\n",
    );
    assert.equal(parts.length, 2);
    assert.match(parts[1]!, /return 1;\nend;/);
  });
});

for (const engine of ENGINES) {
  describe(`migrations on ${engine.kind}`, { skip: engine.skip }, () => {
    let t: TestDatabase;
    before(async () => {
      t = await openTestDatabase(engine.kind);
    });
    after(async () => t?.drop());

    it("applies nothing the second time", async () => {
      assert.deepEqual(await migrate(t.db), []);
      const { rows } = await t.db.query<{ n: number }>("select count(*)::int as n from fulcrum_migrations");
      assert.ok(rows[0]!.n >= 1);
    });

    it("counts the rows a select returns and the rows a write touched, the same on both engines", async () => {
      const select = await t.db.query("select version from fulcrum_migrations");
      assert.equal(select.rowCount, select.rows.length);
      assert.ok(select.rowCount >= 1);
      const update = await t.db.query("update fulcrum_migrations set name = name where version < 0");
      assert.equal(update.rowCount, 0);
    });

    it("rolls back a failing migration whole and records nothing", async () => {
      const bad = [{ version: 9999, name: "bad", sql: "create table ok_part (x int);\nselect * from no_such_table;\n" }];
      await assert.rejects(migrate(t.db, bad), /no_such_table/);
      const { rows } = await t.db.query("select 1 from fulcrum_migrations where version = 9999");
      assert.equal(rows.length, 0);
      await assert.rejects(t.db.query("select * from ok_part"), /ok_part/);
    });
  });
}
