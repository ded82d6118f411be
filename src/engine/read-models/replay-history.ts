/**
 * What a replay on history compares: a workflow's latest real runs, the proposals each made, and
 * the prompt version the workflow's latest run used.
 */
import type { Queryable } from "../../store/index.ts";
import type { EngineEvent } from "../workflows/index.ts";

export interface ProposalBrief {
  step_id: string;
  summary: string;
  action: unknown;
  status?: string;
  /** What a person changed before approving (null when nobody did). */
  edits?: unknown;
}

/** A run's proposals, by step id. */
export async function proposalsOfRun(db: Queryable, runId: number): Promise<ProposalBrief[]> {
  const { rows } = await db.query<ProposalBrief>("select step_id, summary, action, status, edits from proposals where run_id = $1 order by step_id", [runId]);
  return rows;
}

/** The `name@version` of prompt `name` that the workflow's latest real run used; undefined when none did. */
export async function latestPromptUsed(db: Queryable, workflowId: string, name: string): Promise<string | undefined> {
  const { rows } = await db.query<{ prompt: string }>(
    `select s.output->'meta'->>'prompt' as prompt from workflow_steps s join workflow_runs r on r.id = s.run_id
     where r.workflow_id = $1 and not r.dry_run and split_part(s.output->'meta'->>'prompt', '@', 1) = $2
     order by s.id desc limit 1`,
    [workflowId, name],
  );
  return rows[0]?.prompt;
}

export interface ReplayableRun {
  id: number;
  event: EngineEvent;
  inbox_event_id: number | null;
  /** The candidate's name, from the context the run fetched. */
  name: string | null;
  status: string;
}

/** The workflow's last `last` real (not dry) runs, newest first. */
export async function recentRealRuns(db: Queryable, workflowId: string, last: number): Promise<ReplayableRun[]> {
  const { rows } = await db.query<ReplayableRun>(
    `select id, event, inbox_event_id, context->'opportunity'->>'name' as name, status from workflow_runs
     where workflow_id = $1 and not dry_run order by id desc limit $2`,
    [workflowId, last],
  );
  return rows;
}
