/** How a run ended (or where it stands): the status and error `fulcrum workflows test` prints. */
import type { Queryable } from "../../store/index.ts";

export interface RunOutcome {
  status: string;
  error: string | null;
}

/** The run's status and error; undefined when there is no such run. */
export async function runOutcome(db: Queryable, runId: number): Promise<RunOutcome | undefined> {
  const { rows } = await db.query<RunOutcome>("select status, error from workflow_runs where id = $1", [runId]);
  return rows[0];
}
