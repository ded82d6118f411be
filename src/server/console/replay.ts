/**
 * Replay on history: runs a workflow as it is loaded now (after a changed prompt or workflow file)
 * as dry runs — shadow, nothing written to Lever — over the last N events it ran on, and compares
 * each dry run's proposals with what the original run proposed, step by step.
 */
import type { WorkflowEngine } from "../../engine/runs/index.ts";
import type { EngineEvent } from "../../engine/workflows/index.ts";
import type { Queryable } from "../../store/index.ts";
import type { ReplayRow } from "./console-api.ts";

interface ProposalBrief {
  step_id: string;
  summary: string;
  action: unknown;
}

async function proposalsOfRun(db: Queryable, runId: number): Promise<ProposalBrief[]> {
  const { rows } = await db.query<ProposalBrief>("select step_id, summary, action from proposals where run_id = $1 order by step_id", [runId]);
  return rows;
}

async function settled(db: Queryable, runIds: number[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { rows } = await db.query<{ n: number }>("select count(*)::int as n from workflow_runs where id = any($1::bigint[]) and status = 'running'", [runIds]);
    if (rows[0]!.n === 0) return;
    await new Promise((r) => setTimeout(r, 200));
  }
}

function describe(ps: ProposalBrief[]): string {
  return ps.length ? ps.map((p) => `${p.step_id}: ${p.summary}`).join("; ") : "no proposal";
}

function same(a: ProposalBrief[], b: ProposalBrief[]): boolean {
  const key = (ps: ProposalBrief[]) => JSON.stringify(ps.map((p) => [p.step_id, p.action]));
  return key(a) === key(b);
}

export async function replayOnHistory(
  db: Queryable,
  engine: Pick<WorkflowEngine, "handleEvent">,
  input: { workflowId: string; last: number },
  options: { timeoutMs?: number } = {},
): Promise<ReplayRow[]> {
  const { rows: runs } = await db.query<{ id: number; event: EngineEvent; inbox_event_id: number | null; name: string | null }>(
    `select id, event, inbox_event_id, context->'opportunity'->>'name' as name from workflow_runs
     where workflow_id = $1 and not dry_run order by id desc limit $2`,
    [input.workflowId, input.last],
  );
  if (runs.length === 0) throw new Error(`workflow "${input.workflowId}" has no runs to replay yet`);
  const pairs: { original: (typeof runs)[number]; dry: number | undefined }[] = [];
  for (const run of runs) {
    const ids = await engine.handleEvent({ ...run.event, workflowId: input.workflowId }, { dryRun: true });
    pairs.push({ original: run, dry: ids[0] });
  }
  await settled(db, pairs.map((p) => p.dry).filter((id): id is number => id !== undefined), options.timeoutMs ?? 60_000);
  const result: ReplayRow[] = [];
  for (const { original, dry } of pairs) {
    const before = await proposalsOfRun(db, Number(original.id));
    const after = dry === undefined ? [] : await proposalsOfRun(db, dry);
    result.push({
      eventId: String(original.inbox_event_id ?? original.event.key),
      candidate: original.name ?? undefined,
      current: describe(before),
      candidateVersion: dry === undefined ? "the workflow no longer matches this event" : describe(after),
      differs: dry === undefined || !same(before, after),
    });
  }
  return result;
}
