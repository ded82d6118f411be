import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { CircuitBreaker, type CircuitState } from "./circuit-breaker.ts";

describe("CircuitBreaker", () => {
  function make() {
    let t = 0;
    const changes: CircuitState[] = [];
    const breaker = new CircuitBreaker({ failureThreshold: 3, cooldownMs: 1000, now: () => t, onStateChange: (s) => changes.push(s) });
    return { breaker, changes, advance: (ms: number) => (t += ms) };
  }

  it("stays closed until the threshold of consecutive failures, then refuses calls until the cool-down", () => {
    const { breaker, advance } = make();
    breaker.recordFailure();
    breaker.recordSuccess(); // a success resets the count
    breaker.recordFailure();
    breaker.recordFailure();
    assert.equal(breaker.state, "closed");
    breaker.recordFailure();
    assert.equal(breaker.state, "open");
    const refused = breaker.request();
    assert.deepEqual(refused, { allowed: false, retryAt: new Date(1000) });
    advance(999);
    assert.equal(breaker.request().allowed, false);
  });

  it("lets one trial call through when half-open; success closes, failure re-opens with a new cool-down", () => {
    const { breaker, changes, advance } = make();
    for (let i = 0; i < 3; i++) breaker.recordFailure();
    advance(1000);
    assert.equal(breaker.state, "half-open");
    assert.equal(breaker.request().allowed, true);
    assert.equal(breaker.request().allowed, false, "a second call waits for the trial");
    breaker.recordFailure();
    assert.equal(breaker.state, "open");
    assert.deepEqual(breaker.request(), { allowed: false, retryAt: new Date(2000) });
    advance(1000);
    assert.equal(breaker.request().allowed, true);
    breaker.recordSuccess();
    assert.equal(breaker.state, "closed");
    assert.deepEqual(changes, ["open", "half-open", "open", "half-open", "closed"]);
  });
});
