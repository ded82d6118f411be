import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { openTestDatabase, testEngines, type TestDatabase } from "../../store/testing.ts";
import { createModeCeiling } from "./mode-ceiling.ts";

for (const e of await testEngines()) {
  describe(`the live mode ceiling on ${e.kind}`, { skip: e.skip }, () => {
    let t: TestDatabase;
    before(async () => {
      t = await openTestDatabase(e.kind);
    });
    after(async () => t?.drop());

    it("is the environment's ceiling until the console sets one", async () => {
      await t.db.query("delete from settings");
      const c = createModeCeiling(t.db, "assist");
      assert.equal(await c.get(), "assist");
      assert.deepEqual(await c.state(), { effective: "assist", environment: "assist", override: null, updatedBy: null, updatedAt: null });
    });

    it("takes the lower of the environment's and the console's, so the console cannot raise an environment cap", async () => {
      const capped = createModeCeiling(t.db, "assist");
      const s = await capped.set("auto", "user:ops");
      assert.equal(s.effective, "assist");
      assert.equal(s.override, "auto");
      assert.equal(s.updatedBy, "user:ops");
      await capped.set("shadow", "user:ops");
      assert.equal(await capped.get(), "shadow");
      assert.equal(await createModeCeiling(t.db, "auto").get(), "shadow");
    });

    it("drops the cache of every store in the process on a change", async () => {
      const engineSide = createModeCeiling(t.db, "auto", { ttlMs: 60_000 });
      const consoleSide = createModeCeiling(t.db, "auto", { ttlMs: 60_000 });
      await consoleSide.set("auto", "user:a");
      assert.equal(await engineSide.get(), "auto");
      await consoleSide.set("shadow", "user:a");
      assert.equal(await engineSide.get(), "shadow");
    });

    it("sees another process's change once its cache is older than the TTL", async () => {
      let clock = 1_000;
      const c = createModeCeiling(t.db, "auto", { ttlMs: 2000, now: () => clock });
      await c.set("auto", "user:a");
      assert.equal(await c.get(), "auto");
      // Another process writes straight to the shared table.
      await t.db.query(`update settings set value = '"shadow"'::jsonb where key = 'mode_ceiling'`);
      clock += 1999;
      assert.equal(await c.get(), "auto", "still within the TTL");
      clock += 2;
      assert.equal(await c.get(), "shadow");
    });

    it("ignores a stored value that is not a mode, keeping the environment's ceiling", async () => {
      await t.db.query(`update settings set value = '"sometimes"'::jsonb where key = 'mode_ceiling'`);
      assert.equal(await createModeCeiling(t.db, "assist").get(), "assist");
    });

    it("refuses to store a value that is not a mode and keeps the previous one", async () => {
      const c = createModeCeiling(t.db, "auto");
      await c.set("assist", "user:a");
      await assert.rejects(c.set("never" as "auto", "user:a"), /shadow, assist or auto/);
      assert.equal(await c.get(), "assist");
    });
  });
}
