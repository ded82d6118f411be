import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { openDatabase, type Database } from "./database.ts";
import { createDatabaseRateLimiter, type Reservation } from "./lever-rate-limit.ts";
import { openTestDatabase, testEngines, type TestDatabase } from "./testing.ts";

/**
 * True when no window of the grant times (database clock) holds more tokens than a bucket of
 * `burst` refilled at `rate` allows: for grants i..j, j - i + 1 ≤ burst + rate·(g_j − g_i).
 */
function withinRate(grants: number[], rate: number, burst: number): { ok: boolean; worst: string } {
  const g = [...grants].sort((a, b) => a - b);
  for (let i = 0; i < g.length; i++) {
    for (let j = i; j < g.length; j++) {
      // 0.01 token of slack for float rounding of microsecond timestamps expressed in ms.
      const allowed = burst + (rate * (g[j]! - g[i]!)) / 1000 + 0.01;
      if (j - i + 1 > allowed) return { ok: false, worst: `${j - i + 1} tokens in ${(g[j]! - g[i]!).toFixed(4)} ms (allowed ${allowed.toFixed(4)})` };
    }
  }
  return { ok: true, worst: "" };
}

for (const engine of await testEngines()) {
  describe(`shared Lever rate limit on ${engine.kind}`, { skip: engine.skip }, () => {
    let t: TestDatabase;
    let second: Database | undefined;
    before(async () => {
      t = await openTestDatabase(engine.kind);
      // Another "process": on PostgreSQL a second pool of its own; PGlite has a single process.
      second = t.url ? await openDatabase({ url: t.url, poolSize: 5 }) : undefined;
    });
    after(async () => {
      await second?.close();
      await t?.drop();
    });

    it("lets a burst through at once, then makes each taker wait for the refill", async () => {
      const limiter = createDatabaseRateLimiter(t.db, { ratePerSecond: 10, burst: 3, safetyMarginMs: 0 });
      const got: Reservation[] = [];
      for (let i = 0; i < 5; i++) got.push(await limiter.reserve("burst"));
      const waits = got.map((r) => r.waitMs);
      assert.deepEqual(waits.slice(0, 3), [0, 0, 0]);
      assert.ok(waits[3]! <= 100 && waits[4]! <= 200, `waits ${waits}`);
      // Read on the database's clock, not on how long the calls took (a loaded machine is slow):
      // the 4th token is granted 100 ms (10/s) after the full bucket's first, the 5th 100 ms later.
      const grants = got.map((r) => r.grantAtMs);
      assert.ok(grants[3]! - grants[0]! >= 99, `4th granted ${grants[3]! - grants[0]!} ms after the 1st`);
      assert.ok(grants[4]! - grants[3]! >= 99, `5th granted ${grants[4]! - grants[3]!} ms after the 4th`);
    });

    it("never lets two concurrent takers together exceed the rate", async () => {
      const rate = 40;
      const burst = 5;
      const a = createDatabaseRateLimiter(t.db, { ratePerSecond: rate, burst, safetyMarginMs: 0 });
      const b = createDatabaseRateLimiter(second ?? t.db, { ratePerSecond: rate, burst, safetyMarginMs: 0 });
      const take = async (limiter: typeof a, n: number) => {
        const out: Reservation[] = [];
        for (let i = 0; i < n; i++) {
          const r = await limiter.reserve("shared");
          out.push(r);
          if (r.waitMs > 0) await new Promise((resolve) => setTimeout(resolve, r.waitMs));
        }
        return out;
      };
      const [ra, rb] = await Promise.all([take(a, 15), take(b, 15)]);
      const grants = [...ra, ...rb].map((r) => r.grantAtMs);
      const check = withinRate(grants, rate, burst);
      assert.ok(check.ok, check.worst);
      // 30 tokens from a bucket of 5 at 40/s cannot all be granted in under 25/40 s.
      const span = Math.max(...grants) - Math.min(...grants);
      assert.ok(span >= ((30 - burst) / rate) * 1000 - 1, `span ${span} ms`);
    });

    it("keeps separate buckets per connection", async () => {
      const limiter = createDatabaseRateLimiter(t.db, { ratePerSecond: 1, burst: 1, safetyMarginMs: 250 });
      assert.equal((await limiter.reserve("conn-a")).waitMs, 0);
      assert.equal((await limiter.reserve("conn-b")).waitMs, 0);
      assert.ok((await limiter.reserve("conn-a")).waitMs > 900);
    });

    it("adds its safety margin to refill waits only", async () => {
      const limiter = createDatabaseRateLimiter(t.db, { ratePerSecond: 10, burst: 1, safetyMarginMs: 500 });
      const first = await limiter.reserve("margin");
      assert.equal(first.waitMs, 0);
      const second = await limiter.reserve("margin");
      assert.ok(second.waitMs <= 600, `wait ${second.waitMs}`);
      // On the database's clock: 100 ms for the token plus the 500 ms margin after the first grant.
      const gap = second.grantAtMs - first.grantAtMs;
      assert.ok(gap >= 599 && gap <= 601, `second granted ${gap} ms after the first`);
    });

    it("after a 429, makes every taker of the connection wait out the pause", async () => {
      const a = createDatabaseRateLimiter(t.db, { ratePerSecond: 10, burst: 20, safetyMarginMs: 0 });
      const b = createDatabaseRateLimiter(second ?? t.db, { ratePerSecond: 10, burst: 20, safetyMarginMs: 0 });
      assert.equal((await a.reserve("storm")).waitMs, 0);
      await a.backOff("storm", 1000);
      const wait = (await b.reserve("storm")).waitMs;
      assert.ok(wait > 1000 && wait <= 1100, `wait ${wait}`);
    });

    it("take() waits for its token", async () => {
      const limiter = createDatabaseRateLimiter(t.db, { ratePerSecond: 20, burst: 1, safetyMarginMs: 250 });
      await limiter.take("waiter");
      const started = performance.now();
      await limiter.take("waiter");
      assert.ok(performance.now() - started >= 40);
    });
  });
}
