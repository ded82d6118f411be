/**
 * `fulcrum proposals list|approve|reject`: the actions waiting for a person. Approving enqueues
 * the step again; the server's workers apply it (with its idempotency key) and continue the run.
 */
import type { Command } from "commander";
import { loadConfig } from "../../config/index.ts";
import { silentLogger } from "../../observability/index.ts";
import { createEngineRuntime, createJobQueue, EngineError, getProposal, listProposals } from "../../engine/index.ts";
import { withDatabase } from "../engine-session.ts";

async function decide(id: string, decision: "approve" | "reject", o: { as: string; reason?: string; edits?: string }, cmd: Command): Promise<void> {
  if (!/^\d+$/.test(id)) return cmd.error(`fulcrum proposals ${decision}: "${id}" is not a proposal id`, { exitCode: 2 });
  let edits: Record<string, unknown> | undefined;
  if (o.edits) {
    try {
      edits = JSON.parse(o.edits) as Record<string, unknown>;
    } catch {
      return cmd.error(`fulcrum proposals approve: --edits must be a JSON object, e.g. '{"body":"…"}'`, { exitCode: 2 });
    }
  }
  const config = loadConfig();
  try {
    await withDatabase(async (db) => {
      const queue = createJobQueue({ db, logger: silentLogger, schedule: false });
      await queue.start();
      try {
        // Records the decision and enqueues the step for the server's workers. An e-mail is refused
        // here as the server's API refuses it, when the configuration (shared with the server) has
        // no SMTP settings.
        const proposals = await createEngineRuntime({ kind: "decide-only", db, queue, config });
        await proposals.decide(Number(id), { actor: `cli:${o.as}`, decision, reason: o.reason, edits });
        const p = await getProposal(db, Number(id));
        process.stdout.write(
          `proposal ${id} ${p?.status} by cli:${o.as}; ${decision === "approve" ? "the server applies it and continues the run" : "the run goes on without it"}\n`,
        );
      } finally {
        await queue.stop({ graceful: false, timeoutMs: 1000 });
      }
    });
  } catch (error) {
    if (error instanceof EngineError) return cmd.error(`fulcrum proposals ${decision}: ${error.message}`, { exitCode: 1 });
    throw error;
  }
}

export function register(program: Command): void {
  const proposals = program.command("proposals").description("Proposed actions: list them, approve (optionally edited) or reject with a reason.");

  proposals
    .command("list")
    .description("List proposals, newest first.")
    .option("--status <status>", "pending (default), shadow, approved, applied, rejected, expired or failed", "pending")
    .option("--workflow <id>", "only this workflow")
    .option("--posting <id>", "only this Lever posting")
    .option("--limit <n>", "how many (default 20)", "20")
    .option("--json", "print JSON")
    .action(async (o: { status: string; workflow?: string; posting?: string; limit: string; json?: boolean }) => {
      const rows = await withDatabase((db) =>
        listProposals(db, { status: o.status === "all" ? undefined : o.status, workflowId: o.workflow, postingId: o.posting, limit: Number(o.limit) || 20 }),
      );
      if (o.json) return void process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
      if (rows.length === 0) return void process.stdout.write(`no ${o.status} proposals\n`);
      for (const p of rows) {
        process.stdout.write(
          `${String(p.id).padStart(6)}  ${p.workflowId}/${p.stepId}  ${p.status}  ${p.summary}\n        opportunity ${p.opportunityId ?? "-"}  confidence ${p.confidence?.toFixed(2) ?? "-"}  ${p.prompt ?? ""}${p.flags.length ? `  flags: ${p.flags.join(", ")}` : ""}\n`,
        );
      }
    });

  proposals
    .command("approve")
    .description("Approve a pending proposal (optionally with edits); the server applies it.")
    .argument("<id>", "proposal id")
    .requiredOption("--as <name>", "who approves (recorded in the audit trail)")
    .option("--reason <text>", "why")
    .option("--edits <json>", `changed fields, e.g. '{"body":"…"}' for a note or '{"stage":"Phone Screen"}'`)
    .action((id: string, o: { as: string; reason?: string; edits?: string }, cmd: Command) => decide(id, "approve", o, cmd));

  proposals
    .command("reject")
    .description("Reject a pending proposal with a reason; the run goes on without it.")
    .argument("<id>", "proposal id")
    .requiredOption("--as <name>", "who rejects (recorded in the audit trail)")
    .requiredOption("--reason <text>", "why (required)")
    .action((id: string, o: { as: string; reason: string }, cmd: Command) => decide(id, "reject", o, cmd));
}
