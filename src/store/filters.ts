/**
 * Builds the `where` clause of a list query from optional filters, numbering the parameters in
 * order, so list endpoints add one line per filter instead of juggling `$n` by hand.
 */
export interface Filters {
  /** Adds a condition with one `?` standing for `value`. */
  add(condition: string, value: unknown): void;
  /** Adds a condition that takes no parameter. */
  raw(condition: string): void;
  /** Adds `value` as the next parameter and returns its placeholder (e.g. for `limit`). */
  param(value: unknown): string;
  /** `where a and b`, or an empty string when no filter was added. */
  where(): string;
  readonly params: unknown[];
}

export function createFilters(): Filters {
  const conditions: string[] = [];
  const params: unknown[] = [];
  return {
    params,
    add(condition, value) {
      params.push(value);
      conditions.push(condition.replace("?", `$${params.length}`));
    },
    raw(condition) {
      conditions.push(condition);
    },
    param(value) {
      params.push(value);
      return `$${params.length}`;
    },
    where() {
      return conditions.length ? `where ${conditions.join(" and ")}` : "";
    },
  };
}
