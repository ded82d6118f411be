/**
 * What the audit search resolves names with: the applications whose run read a candidate of that
 * name from Lever, and the traces of a workflow's runs (the trail is indexed by trace).
 */
import type { Queryable } from "../../store/index.ts";

export interface NamedApplication {
  opportunity_id: string;
  /** The candidate's Lever contact id, when the run read one. */
  contact: string | null;
  name: string;
}

/**
 * Applications whose candidate's name matches `pattern` (an `ilike` pattern, escaped by the
 * caller), at most `limit` of them, in no particular order.
 */
export async function applicationsNamed(db: Queryable, pattern: string, limit: number): Promise<NamedApplication[]> {
  const { rows } = await db.query<NamedApplication>(
    `select distinct opportunity_id, context->'opportunity'->>'contact' as contact, context->'opportunity'->>'name' as name
         from workflow_runs
         where opportunity_id is not null and context->'opportunity'->>'name' ilike $1
         limit ${Math.max(1, Math.floor(limit))}`,
    [pattern],
  );
  return rows;
}

/** The trace ids of the workflow's latest `limit` runs, newest first (one per run, so a trace may repeat). */
export async function workflowTraceIds(db: Queryable, workflowId: string, limit: number): Promise<string[]> {
  const { rows } = await db.query<{ trace_id: string }>(
    `select trace_id from workflow_runs where workflow_id = $1 order by id desc limit ${Math.max(1, Math.floor(limit))}`,
    [workflowId],
  );
  return rows.map((r) => r.trace_id);
}
