/**
 * The workflows that are switched on now: the workflow files (built-in and the deployment's own)
 * with the console's switches (`workflow_settings`) over their `enabled`. What OAuth asks scopes for
 * and what `doctor` checks permissions for.
 */
import type { Queryable } from "../../store/index.ts";
import { loadWorkflows, type Workflow } from "../workflows/index.ts";

/**
 * Reads the enabled workflows. Files that do not parse are left out (`fulcrum workflows validate`
 * reports them).
 */
export async function enabledWorkflows(
  db: Queryable,
  options: { workflowsDir?: string | undefined; builtinDir?: string | undefined } = {},
): Promise<Workflow[]> {
  const { workflows } = loadWorkflows({ userDir: options.workflowsDir, builtinDir: options.builtinDir });
  const { rows } = await db.query<{ workflow_id: string; enabled: boolean | null }>("select workflow_id, enabled from workflow_settings");
  const switched = new Map(rows.map((r) => [r.workflow_id, r.enabled]));
  return workflows.map((w) => w.workflow).filter((w) => switched.get(w.id) ?? w.enabled);
}
