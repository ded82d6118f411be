/**
 * Lever-style list pages: `limit` 1–100 (default 100), an opaque `offset` token from the previous
 * page's `next`, and `hasNext`. Tokens carry a generation number; bumping it makes every issued
 * token "Invalid offset token", as Lever's sometimes become.
 */
import { badRequest } from "./errors.ts";

export class Paginator {
  generation = 0;

  /** Makes every token issued so far invalid. */
  invalidateTokens(): void {
    this.generation += 1;
  }

  /**
   * Returns one page of `items` (already in their canonical order) with the list envelope.
   * The token names the last item served, so a page stays correct when items are added.
   */
  page<T extends { id: string }>(
    items: readonly T[],
    query: { limit?: string | undefined; offset?: string | undefined },
    toJson: (item: T) => unknown,
  ): { data: unknown[]; hasNext: boolean; next?: string } {
    let limit = 100;
    if (query.limit !== undefined) {
      if (!/^\d+$/.test(query.limit) || Number(query.limit) < 1 || Number(query.limit) > 100)
        throw badRequest(`limit must be a whole number from 1 to 100, got ${query.limit}`);
      limit = Number(query.limit);
    }
    let start = 0;
    if (query.offset !== undefined && query.offset !== "") {
      const match = /^(\d+)\.(\d+)\.([\w-]+)$/.exec(query.offset);
      if (!match || Number(match[1]) !== this.generation) throw badRequest(`Invalid offset token: ${query.offset}`);
      const position = Number(match[2]);
      const lastId = match[3] as string;
      const found = items.findIndex((i) => i.id === lastId);
      start = found >= 0 ? found + 1 : Math.min(position, items.length);
    }
    const slice = items.slice(start, start + limit);
    const hasNext = start + limit < items.length;
    const last = slice[slice.length - 1];
    return {
      data: slice.map(toJson),
      hasNext,
      ...(hasNext && last ? { next: `${this.generation}.${start + slice.length}.${last.id}` } : {}),
    };
  }
}
