/**
 * `fulcrum runs list|show|rerun`: what the workflow engine did, step by step, and re-running a
 * run from one of its steps.
 */
import type { Command } from "commander";
import { withDatabase } from "../engine-session.ts";
import { getRun, listProposals, listRuns } from "../../engine/index.ts";

export function register(program: Command): void {
  const runs = program.command("runs").description("Workflow runs: one per workflow and event, with each step's input and output.");

  runs
    .command("list")
    .description("List runs, newest first (overdue ones are marked).")
    .option("--status <status>", "running, waiting, succeeded, failed or cancelled")
    .option("--workflow <id>", "only this workflow")
    .option("--overdue", "only runs still open past their deadline")
    .option("--limit <n>", "how many (default 20)", "20")
    .option("--json", "print JSON")
    .action(async (o: { status?: string; workflow?: string; overdue?: boolean; limit: string; json?: boolean }) => {
      const rows = await withDatabase((db) => listRuns(db, { status: o.status, workflowId: o.workflow, overdue: o.overdue, limit: Number(o.limit) || 20 }));
      if (o.json) return void process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
      if (rows.length === 0) return void process.stdout.write("no runs\n");
      for (const r of rows) {
        process.stdout.write(
          `${String(r.id).padStart(6)}  ${r.createdAt}  ${r.workflowId.padEnd(24)} ${r.status.padEnd(9)}${r.overdue ? " OVERDUE" : ""}  ${r.event}  ${r.opportunityId ?? ""}${r.error ? `\n        error: ${r.error}` : ""}\n`,
        );
      }
    });

  runs
    .command("show")
    .description("Show one run: its steps with inputs and outputs, and its proposals.")
    .argument("<id>", "run id")
    .option("--json", "print JSON")
    .action(async (id: string, o: { json?: boolean }, cmd: Command) => {
      if (!/^\d+$/.test(id)) return cmd.error(`fulcrum runs show: "${id}" is not a run id`, { exitCode: 2 });
      const result = await withDatabase(async (db) => {
        const run = await getRun(db, Number(id));
        return run ? { run, proposals: await listProposals(db, { runId: run.id, limit: 500 }) } : null;
      });
      if (!result) return cmd.error(`fulcrum runs show: no run ${id}`, { exitCode: 1 });
      if (o.json) return void process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      const { run, proposals } = result;
      process.stdout.write(`run ${run.id}: ${run.workflowId} on ${run.event} (${run.source}), ${run.status}${run.overdue ? " OVERDUE" : ""}\n`);
      process.stdout.write(`  opportunity ${run.opportunityId ?? "-"}  trace ${run.traceId}  generation ${run.generation}\n`);
      if (run.error) process.stdout.write(`  error: ${run.error}\n`);
      for (const s of run.steps) {
        process.stdout.write(
          `  ${String(s.position).padStart(2)}. ${s.stepId} (${s.type}) ${s.status}${s.attempts > 1 ? ` after ${s.attempts} attempts` : ""}${s.error ? ` — ${s.error}` : ""}\n`,
        );
      }
      for (const p of proposals.reverse())
        process.stdout.write(`  proposal ${p.id} [${p.stepId}] ${p.status}: ${p.summary}${p.decidedBy ? ` (by ${p.decidedBy})` : ""}\n`);
    });
}
