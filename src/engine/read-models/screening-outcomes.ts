/**
 * What Fulcrum's own runs decided, for the fairness report: each screening run's result and what
 * happened to its proposal to advance, and each interview analysis's triage band. Dry runs are
 * left out: they decided nothing.
 */
import type { Queryable } from "../../store/index.ts";

export interface ScreeningRunRow {
  connection_id: string;
  opportunity_id: string;
  posting_id: string;
  posting_title: string | null;
  /** The screening task's output (`score`, `recommendation`, …). */
  output: { score?: unknown; recommendation?: unknown } | null;
  /** The latest proposal to move the stage: its status and who decided (`policy:…` for Fulcrum itself, `system` for an expiry). */
  advance_status: string | null;
  advance_decided_by: string | null;
}

/** Every real screening run with an opportunity and posting, newest first (callers keep the first per application). */
export async function screeningRunRows(db: Queryable): Promise<ScreeningRunRow[]> {
  const { rows } = await db.query<ScreeningRunRow>(
    `select r.connection_id, r.opportunity_id, r.posting_id, r.context->'posting'->>'text' as posting_title,
       (select s.output from workflow_steps s where s.run_id = r.id and s.type = 'task' and s.status = 'succeeded'
          order by s.generation desc, s.position limit 1) as output,
       p.status as advance_status, p.decided_by as advance_decided_by
     from workflow_runs r
     left join lateral (select status, decided_by from proposals where run_id = r.id and kind = 'lever.stage' order by id desc limit 1) p on true
     where r.workflow_id = 'application-screening' and not r.dry_run and r.opportunity_id is not null and r.posting_id is not null
     order by r.id desc`,
  );
  return rows;
}

export interface InterviewTriageRow {
  connection_id: string;
  opportunity_id: string;
  triage_tag: unknown;
}

/** The latest interview analysis's triage tag of each application. */
export async function interviewTriageRows(db: Queryable): Promise<InterviewTriageRow[]> {
  // The analysis step is found by its output (`triageTag` beside `interviewerCheck`) rather than by
  // workflow id, because the interview-analysis workflow is copied once per video tool.
  const { rows } = await db.query<InterviewTriageRow>(
    `select distinct on (r.connection_id, r.opportunity_id) r.connection_id, r.opportunity_id, s.output->'triageTag' as triage_tag
       from workflow_runs r join workflow_steps s on s.run_id = r.id
      where not r.dry_run and r.opportunity_id is not null and s.type = 'task' and s.status = 'succeeded'
        and s.output ? 'triageTag' and s.output ? 'interviewerCheck'
      order by r.connection_id, r.opportunity_id, r.id desc, s.generation desc`,
  );
  return rows;
}
