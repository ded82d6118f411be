/**
 * A circuit breaker per AI provider. Closed: calls go through. After `failureThreshold`
 * consecutive failures it opens: calls are refused until `cooldownMs` has passed. Then it is
 * half-open: one trial call goes through; success closes it, failure opens it again.
 *
 * State lives in this process: each worker learns about an outage on its own after a few
 * failures, which costs at most `failureThreshold` calls per process.
 *
 * Why it is not shared through the database (decided for multi-process PostgreSQL deployments):
 * - What sharing would save is small. With N processes, an outage costs N × `failureThreshold`
 *   failed calls before every circuit is open (3 each by default) and then one trial call per
 *   process per cool-down, instead of 3 and one. For 2–8 workers that is 6–24 calls to a provider
 *   that is down anyway; fast failures (5xx, 429, refused connections) cost milliseconds, and a
 *   timeout costs one job slot for `FULCRUM_AI_TIMEOUT_MS` whether shared or not.
 * - What it would cost is not. Keeping the closed path free of queries means caching the shared
 *   state (a process then keeps calling a dead provider until its cache expires — about the same
 *   calls sharing was meant to save) or LISTEN/NOTIFY (PostgreSQL only; PGlite deployments are one
 *   process, with nothing to share). A shared half-open trial needs a lease that expires, so a
 *   process that dies mid-trial does not hold every circuit open. Counting consecutive failures
 *   across processes needs a write per failed call.
 * - It would widen faults. A failure local to one process (its egress proxy, DNS, a bad node)
 *   would open the circuit for every process and send all AI steps to fallback or waiting; a
 *   per-process breaker keeps that fault where it is.
 * - The fleet's view already exists: the `fulcrum_ai_circuit_open{provider}` gauge per process
 *   (aggregated by the metrics scraper), the state-change log line, and `engine: local` on every
 *   output that fell back.
 * Revisit if deployments run many workers against a provider that bills failed calls or
 * rate-limits per key. The cheap form then is "broadcast open": on a change to open, store
 * `{ provider, retryAt }` (the `settings` table will do) and NOTIFY; the others open until
 * `retryAt` and run their own trial; failures are still counted locally and closed-state calls
 * still make no query.
 */

export type CircuitState = "closed" | "open" | "half-open";

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. */
  failureThreshold: number;
  /** How long the circuit stays open before a trial call. */
  cooldownMs: number;
  /** Clock, for tests. */
  now?: () => number;
  /** Told about every state change (metrics, logs). */
  onStateChange?: (state: CircuitState) => void;
}

export type CircuitDecision = { allowed: true } | { allowed: false; retryAt: Date };

/**
 * @example
 * const breaker = new CircuitBreaker({ failureThreshold: 3, cooldownMs: 30_000 });
 * const d = breaker.request();
 * if (!d.allowed) throw new RetryAfterError("provider unavailable", d.retryAt);
 */
export class CircuitBreaker {
  readonly #threshold: number;
  readonly #cooldownMs: number;
  readonly #now: () => number;
  readonly #onStateChange: ((state: CircuitState) => void) | undefined;
  #state: CircuitState = "closed";
  #failures = 0;
  #openedAt = 0;
  #trialInFlight = false;

  constructor(options: CircuitBreakerOptions) {
    if (!(options.failureThreshold >= 1)) throw new RangeError("failureThreshold must be at least 1");
    this.#threshold = options.failureThreshold;
    this.#cooldownMs = options.cooldownMs;
    this.#now = options.now ?? Date.now;
    this.#onStateChange = options.onStateChange;
  }

  /** The state now (an open circuit past its cool-down reads as half-open). */
  get state(): CircuitState {
    if (this.#state === "open" && this.#now() - this.#openedAt >= this.#cooldownMs) return "half-open";
    return this.#state;
  }

  /** When an open circuit lets a trial call through. */
  get retryAt(): Date {
    return new Date(this.#openedAt + this.#cooldownMs);
  }

  /** Asks to make a call. In half-open state only one trial call is let through at a time. */
  request(): CircuitDecision {
    const state = this.state;
    if (state === "closed") return { allowed: true };
    if (state === "half-open") {
      if (this.#trialInFlight) return { allowed: false, retryAt: new Date(this.#now() + Math.min(this.#cooldownMs, 5_000)) };
      this.#set("half-open");
      this.#trialInFlight = true;
      return { allowed: true };
    }
    return { allowed: false, retryAt: this.retryAt };
  }

  recordSuccess(): void {
    this.#failures = 0;
    this.#trialInFlight = false;
    this.#set("closed");
  }

  recordFailure(): void {
    this.#failures++;
    const wasTrial = this.#trialInFlight;
    this.#trialInFlight = false;
    if (wasTrial || this.#state === "half-open" || this.#failures >= this.#threshold) {
      this.#openedAt = this.#now();
      this.#set("open");
    }
  }

  #set(state: CircuitState): void {
    if (state === this.#state) return;
    this.#state = state;
    this.#onStateChange?.(state);
  }
}
