/**
 * Fault injection for reliability tests. The config object is read on every request, so tests can
 * change it while the sandbox runs (`sandbox.faults.errorRate = 0.3`). Random choices come from a
 * seeded generator, so a seeded run injects the same faults in the same order.
 */
import type { Prng } from "./resumes/prng.ts";

export interface FaultConfig {
  /** Added delay before every response, in ms. */
  latencyMs?: number;
  /** Probability (0–1) that a request is answered with `errorStatus` before it is processed. */
  errorRate?: number;
  /** Status for injected errors: 500 (default), 502, 503 or 504. */
  errorStatus?: number;
  /**
   * Probability (0–1) that a write (non-GET) is carried out and then answered with a 500 anyway,
   * so the caller cannot know it happened (the case idempotent writes must survive).
   */
  errorAfterWriteRate?: number;
  /** While true every request gets 429 (a rate-limit storm). */
  rateLimitStorm?: boolean;
  /** Probability (0–1) that the connection is destroyed without any response. */
  dropRate?: number;
  /** Probability (0–1) that the response body trickles out slowly. */
  slowBodyRate?: number;
  /** Pause between 64-byte pieces of a slow body, in ms (default 50). */
  slowBodyDelayMs?: number;
  /** Only requests whose `METHOD /path` matches this pattern get faults (all when absent). */
  match?: RegExp;
}

export type FaultDecision = { kind: "none" } | { kind: "error"; status: number } | { kind: "rate-limit" } | { kind: "drop" };

export class FaultInjector {
  readonly config: FaultConfig;
  readonly #rng: Prng;
  /** How many faults of each kind were injected (for assertions). */
  readonly counts = { error: 0, errorAfterWrite: 0, rateLimit: 0, drop: 0, slowBody: 0, delayed: 0 };

  constructor(config: FaultConfig, rng: Prng) {
    this.config = config;
    this.#rng = rng;
  }

  applies(method: string, path: string): boolean {
    return !this.config.match || this.config.match.test(`${method} ${path}`);
  }

  /** Decides what happens to a request before the API sees it. */
  before(method: string, path: string): FaultDecision {
    if (!this.applies(method, path)) return { kind: "none" };
    const c = this.config;
    if (c.rateLimitStorm) {
      this.counts.rateLimit++;
      return { kind: "rate-limit" };
    }
    if (c.dropRate && this.#rng.next() < c.dropRate) {
      this.counts.drop++;
      return { kind: "drop" };
    }
    if (c.errorRate && this.#rng.next() < c.errorRate) {
      this.counts.error++;
      return { kind: "error", status: c.errorStatus ?? 500 };
    }
    return { kind: "none" };
  }

  /** Whether a processed write should still be answered with a 500. */
  errorAfterWrite(method: string, path: string): boolean {
    if (method === "GET" || !this.applies(method, path)) return false;
    const rate = this.config.errorAfterWriteRate;
    if (rate && this.#rng.next() < rate) {
      this.counts.errorAfterWrite++;
      return true;
    }
    return false;
  }

  slowBody(method: string, path: string): boolean {
    if (!this.applies(method, path)) return false;
    const rate = this.config.slowBodyRate;
    if (rate && this.#rng.next() < rate) {
      this.counts.slowBody++;
      return true;
    }
    return false;
  }

  latency(method: string, path: string): number {
    if (!this.applies(method, path) || !this.config.latencyMs) return 0;
    this.counts.delayed++;
    return this.config.latencyMs;
  }

  /** Removes every fault. */
  clear(): void {
    for (const key of Object.keys(this.config) as (keyof FaultConfig)[]) delete this.config[key];
  }
}
