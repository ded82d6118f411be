/**
 * The console's audit search in the words people use: a candidate by name (or id), a person by
 * name or e-mail, a workflow, a date range — resolved here to the ids the trail is indexed by.
 * Candidate names come from the runs Fulcrum made for them (the opportunity it read from Lever);
 * people are console accounts. What each name matched is returned with the records, so the page
 * can say "Ada Lovelace (2 applications)" instead of leaving a reader to guess.
 */
import { applicationsNamed, workflowTraceIds } from "../../engine/index.ts";
import type { AuditSearch } from "../../governance/index.ts";
import type { Queryable } from "../../store/index.ts";

/** The search as the page sends it (query parameters); every field optional, at least one given. */
export interface AuditSearchParams {
  trace?: string | undefined;
  candidate?: string | undefined;
  opportunity?: string | undefined;
  /** A console account by id (links such as /audit?user=…). */
  user?: string | undefined;
  /** A console account by name or e-mail. */
  person?: string | undefined;
  workflow?: string | undefined;
  /** `YYYY-MM-DD` (start of that day, UTC) or an ISO 8601 time. */
  from?: string | undefined;
  /** `YYYY-MM-DD` (the whole day included, UTC) or an ISO 8601 time. */
  to?: string | undefined;
}

export interface ResolvedAuditSearch {
  query: AuditSearch;
  /** What the names matched, for the page to show. */
  matched: {
    candidates?: { name: string; applications: number }[];
    people?: { name: string; email: string }[];
    workflow?: { id: string; runs: number };
  };
}

/** A bad search: which field and why; answered as 400. */
export class AuditSearchError extends Error {
  override readonly name = "AuditSearchError";
  /** The search field at fault (`candidate`, `from`, …). */
  readonly field: string;
  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.field = field;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** A name search matches at most this many applications or people; more means the name is too vague. */
const MAX_MATCHES = 500;
/** A workflow's runs whose traces are searched (the most recent first). */
const MAX_TRACES = 5000;

function dateOf(field: "from" | "to", value: string): Date {
  const day = DAY.test(value);
  const d = new Date(day ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(d.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(value))
    throw new AuditSearchError(field, `"${value.slice(0, 40)}" is not a date; use YYYY-MM-DD or an ISO 8601 time`);
  // A day given as the end of a range includes that whole day.
  return field === "to" && day ? new Date(d.getTime() + 86_400_000) : d;
}

/** `%` and `_` in a name are letters, not wildcards. */
const likeOf = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * Turns the page's search into the trail's query.
 *
 * @example
 * const { query, matched } = await resolveAuditSearch(db, { candidate: "Ada", from: "2026-05-01" });
 * const records = await audit.search(query); // matched.candidates: [{ name: "Ada Lovelace", applications: 2 }]
 */
export async function resolveAuditSearch(db: Queryable, params: AuditSearchParams): Promise<ResolvedAuditSearch> {
  const p = Object.fromEntries(
    Object.entries(params)
      .map(([k, v]) => [k, typeof v === "string" ? v.trim() : undefined])
      .filter(([, v]) => v),
  ) as AuditSearchParams;
  if (Object.keys(p).length === 0)
    throw new AuditSearchError("search", "give a candidate, person, workflow, date range, trace, opportunity or user to search for");
  for (const [field, value] of Object.entries(p)) if ((value as string).length > 200) throw new AuditSearchError(field, "longer than 200 characters");
  const query: AuditSearch = { traceId: p.trace, opportunityId: p.opportunity, userId: p.user, limit: 1000 };
  const matched: ResolvedAuditSearch["matched"] = {};
  if (p.from) query.from = dateOf("from", p.from);
  if (p.to) query.to = dateOf("to", p.to);
  if (query.from && query.to && query.from >= query.to) throw new AuditSearchError("to", "the range ends before it starts");

  if (p.candidate) {
    if (UUID.test(p.candidate)) {
      // An id may be the candidate's (Lever contact) or one application's (opportunity).
      query.about = { candidateIds: [p.candidate], opportunityIds: [p.candidate] };
    } else {
      if (p.candidate.length < 2) throw new AuditSearchError("candidate", "give at least two letters of the name");
      const rows = await applicationsNamed(db, likeOf(p.candidate), MAX_MATCHES + 1);
      if (rows.length > MAX_MATCHES)
        throw new AuditSearchError("candidate", `more than ${MAX_MATCHES} applications match "${p.candidate}"; give more of the name`);
      const byName = new Map<string, Set<string>>();
      for (const r of rows) byName.set(r.name, (byName.get(r.name) ?? new Set()).add(r.opportunity_id));
      matched.candidates = [...byName.entries()].map(([name, ids]) => ({ name, applications: ids.size })).sort((a, b) => a.name.localeCompare(b.name));
      query.about = {
        candidateIds: [...new Set(rows.flatMap((r) => (r.contact ? [r.contact] : [])))],
        opportunityIds: [...new Set(rows.map((r) => r.opportunity_id))],
      };
    }
  }

  if (p.person) {
    const { rows } = await db.query<{ id: string; email: string; name: string | null }>(
      `select id::text as id, email, name from console_users
       where id::text = $1 or email ilike $2 or name ilike $2 order by email limit ${MAX_MATCHES + 1}`,
      [p.person.toLowerCase(), likeOf(p.person)],
    );
    if (rows.length > MAX_MATCHES) throw new AuditSearchError("person", `more than ${MAX_MATCHES} people match "${p.person}"; give more of the name`);
    matched.people = rows.map((r) => ({ name: r.name?.trim() || r.email, email: r.email }));
    // The CLI records people by e-mail (`user:ada@example.com`), the console by id.
    query.userIds = rows.flatMap((r) => [r.id, r.email]);
  }

  if (p.workflow) {
    const traceIds = await workflowTraceIds(db, p.workflow, MAX_TRACES);
    matched.workflow = { id: p.workflow, runs: traceIds.length };
    query.workflow = { id: p.workflow, traceIds: [...new Set(traceIds)] };
  }
  return { query, matched };
}
