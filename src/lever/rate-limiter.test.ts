import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createMemoryRateLimiter } from "./rate-limiter.ts";

describe("in-memory Lever rate limiter", () => {
  it("grants a burst of 20 at once, then one token every 100 ms (10/s)", () => {
    let now = 0;
    const limiter = createMemoryRateLimiter({ now: () => now, safetyMarginMs: 0 });
    const waits = Array.from({ length: 22 }, () => limiter.reserve("c"));
    assert.deepEqual(waits.slice(0, 20), Array(20).fill(0));
    assert.ok(Math.abs(waits[20]! - 100) < 1e-9);
    assert.ok(Math.abs(waits[21]! - 200) < 1e-9);
    now = 1000; // ten tokens refilled, two of them already promised
    assert.equal(limiter.reserve("c"), 0);
  });

  it("never refills past the burst, and keeps connections apart", () => {
    let now = 0;
    const limiter = createMemoryRateLimiter({ ratePerSecond: 10, burst: 2, now: () => now });
    now = 60_000;
    assert.equal(limiter.reserve("a"), 0);
    assert.equal(limiter.reserve("a"), 0);
    assert.ok(limiter.reserve("a") > 0);
    assert.equal(limiter.reserve("b"), 0);
  });

  it("adds the safety margin to waits for refilled tokens, not to burst tokens", () => {
    const limiter = createMemoryRateLimiter({ ratePerSecond: 10, burst: 1, safetyMarginMs: 50, now: () => 0 });
    assert.equal(limiter.reserve("c"), 0);
    assert.ok(Math.abs(limiter.reserve("c") - 150) < 1e-9);
    assert.ok(Math.abs(limiter.reserve("c") - 250) < 1e-9);
  });

  it("after a 429 empties the bucket and holds refills for the pause", async () => {
    let now = 0;
    const limiter = createMemoryRateLimiter({ ratePerSecond: 10, burst: 20, safetyMarginMs: 0, now: () => now });
    assert.equal(limiter.reserve("c"), 0);
    await limiter.backOff("c", 1000);
    assert.ok(Math.abs(limiter.reserve("c") - 1100) < 1e-9);
    now = 2000;
    assert.equal(limiter.reserve("c"), 0);
  });
});
