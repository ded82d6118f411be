/**
 * Lever postings as the console offers them: a hiring manager's postings are picked from this
 * list by title, and a posting id that is not on it is refused (a wrong id would otherwise give
 * the person an empty inbox for ever).
 */

export interface PostingChoice {
  id: string;
  title: string;
  /** Lever's state: published, internal, closed, draft, pending, rejected. */
  state?: string | undefined;
  connectionId: string;
}

/** Every posting of every Lever connection. */
export type PostingsPort = () => Promise<PostingChoice[]>;

/** The Lever reads behind the list are shared for a minute: the users page asks on every visit. */
export function cachedPostings(load: PostingsPort, ttlMs = 60_000, now: () => number = Date.now): PostingsPort {
  let cached: { at: number; value: Promise<PostingChoice[]> } | undefined;
  return () => {
    if (!cached || now() - cached.at > ttlMs) {
      const value = load();
      cached = { at: now(), value };
      // A failed read is not kept: the next visit asks Lever again.
      value.catch(() => {
        if (cached?.value === value) cached = undefined;
      });
    }
    return cached.value;
  };
}

/** The ids given that are not postings of any connection, in the order given. */
export function unknownPostingIds(postings: readonly PostingChoice[], ids: readonly string[]): string[] {
  const known = new Set(postings.map((p) => p.id));
  return ids.filter((id) => !known.has(id));
}
