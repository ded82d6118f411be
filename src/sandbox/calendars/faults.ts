/**
 * Faults of the calendar imitations, read on every request so tests can change them while the
 * sandbox runs. They answer in the provider's own words: Google's rateLimitExceeded body, Graph's
 * ApplicationThrottled, both with Retry-After.
 */
export interface CalendarFaultConfig {
  /** The next this-many API calls (token endpoints excluded) get 429 with Retry-After. */
  rateLimitNext?: number;
  /** While true every API call gets 429. */
  rateLimitStorm?: boolean;
  /** Seconds in Retry-After (default 1). */
  retryAfterSeconds?: number;
  /** The next this-many API calls get 503. */
  unavailableNext?: number;
  /** Only calls whose `METHOD /path` matches get faults (all when absent), e.g. /freeBusy/. */
  match?: RegExp;
}

export type CalendarFault = { kind: "none" } | { kind: "rate-limit"; retryAfterSeconds: number } | { kind: "unavailable" };

export class CalendarFaults {
  readonly config: CalendarFaultConfig;
  readonly counts = { rateLimited: 0, unavailable: 0 };

  constructor(config: CalendarFaultConfig) {
    this.config = config;
  }

  before(method: string, path: string): CalendarFault {
    const c = this.config;
    if (c.match && !c.match.test(`${method} ${path}`)) return { kind: "none" };
    if (c.rateLimitStorm || (c.rateLimitNext ?? 0) > 0) {
      if (!c.rateLimitStorm) c.rateLimitNext! -= 1;
      this.counts.rateLimited++;
      return { kind: "rate-limit", retryAfterSeconds: c.retryAfterSeconds ?? 1 };
    }
    if ((c.unavailableNext ?? 0) > 0) {
      c.unavailableNext! -= 1;
      this.counts.unavailable++;
      return { kind: "unavailable" };
    }
    return { kind: "none" };
  }

  clear(): void {
    for (const key of Object.keys(this.config) as (keyof CalendarFaultConfig)[]) delete this.config[key];
  }
}
