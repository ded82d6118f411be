/**
 * People instead of ids: the audit trail and settings record who acted as `user:<id>`; the page
 * asks the server for their names once and shows those.
 */
import { useEffect, useState } from "react";
import { get } from "./api.ts";

const known = new Map<string, string>();

/** How a recorded actor reads: a person's name, "an API token", "… (command line)" or the actor as recorded. */
export function actorName(actor: string, people: Record<string, string> | undefined, me?: { id: string }): string {
  if (me && actor === `user:${me.id}`) return "you";
  const name = people?.[actor] ?? known.get(actor);
  if (name) return name;
  if (actor.startsWith("token:")) return `API token ${actor.slice(6)}`;
  if (actor.startsWith("cli:")) return `${actor.slice(4)} (command line)`;
  if (actor.startsWith("user:") && actor.includes("@")) return actor.slice(5);
  return actor;
}

/** Remembers names a response already carried (the audit search does). */
export function rememberPeople(people: Record<string, string> | undefined): void {
  for (const [actor, name] of Object.entries(people ?? {})) known.set(actor, name);
}

/** Names of the `user:` actors given, fetched once per page; a change of list re-asks only for new ones. */
export function usePeople(actors: readonly (string | null | undefined)[]): Record<string, string> {
  const wanted = [...new Set(actors.filter((a): a is string => typeof a === "string" && a.startsWith("user:")))].sort();
  const key = wanted.join("\n");
  const [, setTick] = useState(0);
  useEffect(() => {
    const missing = wanted.filter((a) => !known.has(a));
    if (missing.length === 0) return;
    let cancelled = false;
    get<{ people: Record<string, string> }>(`/console/api/people?${missing.map((a) => `actor=${encodeURIComponent(a)}`).join("&")}`).then(
      (r) => {
        rememberPeople(r.people);
        if (!cancelled) setTick((n) => n + 1);
      },
      () => undefined,
    );
    return () => {
      cancelled = true;
    };
    // the key stands for the list
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return Object.fromEntries(wanted.flatMap((a) => (known.has(a) ? [[a, known.get(a)!]] : [])));
}
