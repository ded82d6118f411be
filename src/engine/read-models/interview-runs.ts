/**
 * What the console needs to find an interview-analysis proposal's transcript: the run's trace and
 * connection (the transcript's key), the player URL a step recorded, and whether the run had
 * steps that worked on a recording at all (so a missing transcript can be told apart from none).
 */
import type { Queryable } from "../../store/index.ts";

export interface InterviewProposalRow {
  posting_id: string | null;
  run_id: string | number;
  trace_id: string;
  connection_id: string;
  /** The latest player URL a step of the run recorded. */
  player_url: string | null;
  /** True when a task step of the run worked on a recording (its input names a `recordId`). */
  has_steps: boolean;
}

/** The run behind proposal `proposalId`; undefined when there is no such proposal. */
export async function interviewProposalRow(db: Queryable, proposalId: number): Promise<InterviewProposalRow | undefined> {
  const { rows } = await db.query<InterviewProposalRow>(
    `select p.posting_id, p.run_id, r.trace_id, r.connection_id,
       (select ws.output->>'playerUrl' from workflow_steps ws where ws.run_id = r.id and ws.output ? 'playerUrl' order by ws.generation desc limit 1) as player_url,
       exists (select 1 from workflow_steps ws where ws.run_id = r.id and ws.type = 'task' and ws.input ? 'recordId') as has_steps
     from proposals p join workflow_runs r on r.id = p.run_id where p.id = $1`,
    [proposalId],
  );
  return rows[0];
}
