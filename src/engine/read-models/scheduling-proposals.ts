/**
 * What the console's scheduling views read about proposals: each scheduling proposal with its
 * candidate labels, its booking row and what `scheduling.propose` recorded, and for one proposal
 * that step's output (the options and calendars the solver saw). Who may see which posting is the
 * caller's business: these take the postings to keep, already decided.
 */
import type { Queryable } from "../../store/index.ts";
import { LABEL_COLUMNS, type CandidateLabelRow } from "./candidate-labels.ts";

export interface SchedulingPanelRow extends CandidateLabelRow {
  id: string | number;
  run_id: string | number;
  kind: string;
  status: string;
  posting_id: string | null;
  action: Record<string, unknown>;
  created_at: Date | string;
  escalated_at: Date | string | null;
  booking_status: string | null;
  booking_state: string | null;
  booking_error: string | null;
  propose_reason: string | null;
  propose_zone: string | null;
}

// A scheduling proposal is a `scheduling.book` action, or the approval gate a run reaches when its
// `scheduling.propose` step found nothing that fits (that step's output carries `panelSource`).
const PANELS_SQL = `
  select p.id, p.run_id, p.kind, p.status, p.posting_id, p.action, p.created_at, p.escalated_at, ${LABEL_COLUMNS},
    b.status as booking_status, b.state as booking_state, b.error as booking_error, s.output->>'reason' as propose_reason, s.output->>'candidateTimezone' as propose_zone
  from proposals p
  join workflow_runs r on r.id = p.run_id
  left join scheduling_bookings b on p.kind = 'scheduling.book' and b.panel_key = p.action->'booking'->>'panelKey'
  left join lateral (
    select output from workflow_steps ws
    where ws.run_id = p.run_id and ws.generation <= p.generation and ws.output ? 'panelSource'
    order by ws.generation desc limit 1
  ) s on true
  where (p.kind = 'scheduling.book' or (p.kind = 'approval' and s.output is not null and s.output->>'feasible' = 'false'))`;

/** The newest 2,000 scheduling proposals, newest first; only those on `postingIds` when given (a hiring manager's). */
export async function schedulingPanelRows(db: Queryable, filter: { postingIds?: readonly string[] | undefined } = {}): Promise<SchedulingPanelRow[]> {
  const params: unknown[] = [];
  let where = "";
  if (filter.postingIds) {
    params.push(filter.postingIds);
    where = ` and p.posting_id = any($${params.length}::text[])`;
  }
  const { rows } = await db.query<SchedulingPanelRow>(`${PANELS_SQL}${where} order by p.id desc limit 2000`, params);
  return rows;
}

/** A scheduling proposal's posting and what its run's latest `scheduling.propose` step output; undefined when there is none. */
export async function schedulingProposeOutput(
  db: Queryable,
  proposalId: number,
): Promise<{ posting_id: string | null; output: Record<string, unknown> } | undefined> {
  const { rows } = await db.query<{ posting_id: string | null; output: Record<string, unknown> }>(
    `select p.posting_id, s.output from proposals p
     join lateral (
       select output from workflow_steps ws
       where ws.run_id = p.run_id and ws.generation <= p.generation and ws.output ? 'panelSource'
       order by ws.generation desc limit 1
     ) s on true
     where p.id = $1 and p.kind in ('scheduling.book', 'approval')`,
    [proposalId],
  );
  return rows[0];
}

/** A `scheduling.book` proposal's posting and the key of the panel it books; undefined when there is no such proposal. */
export async function bookingProposalPanel(db: Queryable, proposalId: string): Promise<{ posting_id: string | null; panel_key: string | null } | undefined> {
  const { rows } = await db.query<{ posting_id: string | null; panel_key: string | null }>(
    "select posting_id, action->'booking'->>'panelKey' as panel_key from proposals where id = $1 and kind = 'scheduling.book'",
    [proposalId],
  );
  return rows[0];
}
