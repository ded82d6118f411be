/**
 * Lever list endpoints as async iterables of items. Pages follow the opaque `next` token while
 * `hasNext` is true (small lists omit both: one page). Lever's tokens can go stale ("Invalid offset
 * token"); then the listing restarts from the first page, as Lever's own advice and other connectors
 * do, and items already yielded are skipped by id so a restart never yields duplicates.
 */
import type { z } from "zod";
import { LeverApiError, LeverResponseError } from "./errors.ts";
import { leverListPageSchema } from "./schemas.ts";
import type { QueryValue, Transport } from "./transport.ts";

/** A Lever listing: iterate it with `for await`, or collect it with `toArray()`. */
export interface LeverList<T> extends AsyncIterable<T> {
  toArray(): Promise<T[]>;
}

export interface PaginateOptions<S extends z.ZodType> {
  endpoint: string;
  path: string;
  query?: Record<string, QueryValue> | undefined;
  schema: S;
  /** Page size, 1–100. Default 100. */
  limit?: number | undefined;
  signal?: AbortSignal | undefined;
  /** How many times a stale token may restart the listing. Default 3. */
  maxRestarts?: number | undefined;
}

export function isInvalidOffsetToken(error: unknown): boolean {
  return error instanceof LeverApiError && /invalid offset token/i.test(`${error.leverMessage ?? ""} ${error.code ?? ""}`);
}

/** The identity used to skip items already yielded after a restart. */
function identity(item: unknown): string | undefined {
  if (typeof item !== "object" || item === null) return undefined;
  const { id, text } = item as { id?: unknown; text?: unknown };
  if (typeof id === "string") return id;
  // Tags and sources have no id; their text is their identity.
  return typeof text === "string" ? `text:${text}` : undefined;
}

export function paginate<S extends z.ZodType>(transport: Transport, options: PaginateOptions<S>): LeverList<z.infer<S>> {
  const maxRestarts = options.maxRestarts ?? 3;
  async function* iterate(): AsyncGenerator<z.infer<S>> {
    const seen = new Set<string>();
    let offset: string | undefined;
    let restarts = 0;
    for (;;) {
      let body: unknown;
      try {
        const response = await transport.request({
          method: "GET",
          endpoint: options.endpoint,
          path: options.path,
          query: { ...options.query, limit: options.query?.limit ?? options.limit ?? 100, offset },
          signal: options.signal,
        });
        body = response.body;
      } catch (error) {
        if (offset !== undefined && isInvalidOffsetToken(error) && restarts < maxRestarts) {
          restarts++;
          offset = undefined;
          continue;
        }
        throw error;
      }
      const page = leverListPageSchema.safeParse(body);
      if (!page.success) throw new LeverResponseError(options.endpoint, page.error.message);
      for (const [index, raw] of page.data.data.entries()) {
        const item = options.schema.safeParse(raw);
        if (!item.success) {
          const issue = item.error.issues[0];
          throw new LeverResponseError(options.endpoint, `data[${index}].${issue?.path.join(".") ?? ""}: ${issue?.message ?? "invalid"}`);
        }
        const id = identity(item.data);
        if (id !== undefined) {
          if (seen.has(id)) continue;
          seen.add(id);
        }
        yield item.data;
      }
      if (!page.data.hasNext || !page.data.next) return;
      offset = page.data.next;
    }
  }
  return {
    [Symbol.asyncIterator]: iterate,
    async toArray() {
      const all: z.infer<S>[] = [];
      for await (const item of iterate()) all.push(item);
      return all;
    },
  };
}
