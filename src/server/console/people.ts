/**
 * Names for the actors the audit trail and settings record (`user:<id>`): the console shows a
 * person's name (or e-mail when they have none) instead of an id nobody can read.
 */
import type { Queryable } from "../../store/index.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** At most this many actors per call: a page never shows more distinct people than this. */
export const MAX_ACTORS = 500;

/**
 * The display names of the `user:` actors given, keyed by the actor as given. An actor names a
 * console account by id (`user:<uuid>`) or by e-mail (`user:ada@example.com`, as the CLI records
 * it); actors of another kind, and accounts that no longer exist, are left out.
 */
export async function namesOfActors(db: Queryable, actors: readonly string[]): Promise<Record<string, string>> {
  const wanted = [...new Set(actors.filter((a) => typeof a === "string" && a.startsWith("user:")))].slice(0, MAX_ACTORS);
  if (wanted.length === 0) return {};
  const ids = wanted.map((a) => a.slice(5)).filter((x) => UUID.test(x));
  const emails = wanted.map((a) => a.slice(5).toLowerCase()).filter((x) => x.includes("@"));
  const { rows } = await db.query<{ id: string; email: string; name: string | null }>(
    "select id, email, name from console_users where id::text = any($1::text[]) or lower(email) = any($2::text[])",
    [ids, emails],
  );
  const byKey = new Map<string, string>();
  for (const r of rows) {
    const shown = r.name?.trim() || r.email;
    byKey.set(r.id.toLowerCase(), shown);
    byKey.set(r.email.toLowerCase(), shown);
  }
  const names: Record<string, string> = {};
  for (const actor of wanted) {
    const shown = byKey.get(actor.slice(5).toLowerCase());
    if (shown) names[actor] = shown;
  }
  return names;
}
