/**
 * `fulcrum schedule no-show <opportunity|booking> --as <person>`: the candidate did not come to a
 * booked panel. Marks it (the fairness report counts no-shows per group from this mark) and writes
 * who marked it to the audit trail, in one transaction. Refused, with the reason and nothing
 * changed, before the panel's first session has started, for a cancelled or already-marked panel,
 * and when the opportunity has several started panels (then the booking keys are listed).
 */
import type { Command } from "commander";
import { createAuditTrail } from "../../governance/index.ts";
import { markNoShow, NoShowRefused } from "../../scheduling/index.ts";
import { withDatabase } from "../engine-session.ts";

/** The audit kind of a marked no-show (the console's action writes the same). */
const NO_SHOW_AUDIT_KIND = "scheduling.no_show";

export function registerNoShow(schedule: Command): void {
  schedule
    .command("no-show <panel>")
    .description(
      "Mark a booked panel as a no-show (the candidate did not come), audited; <panel> is the opportunity id or the booking key. Refused before the panel has started.",
    )
    .requiredOption("--as <person>", "who is marking it, for the audit trail (e.g. an e-mail or a name)")
    .option("--now <iso>", "the time to mark it at (default: now)")
    .addHelpText(
      "after",
      `
With an opportunity id, the opportunity's one booked panel that has started is marked; when several
have, name one by its booking key (the message lists them). With the embedded database, run it
while fulcrum serve is stopped, or use the console's Scheduling page.

Example:
  fulcrum schedule no-show 4f1c… --as dana@example.com
`,
    )
    .action(async (panel: string, o: { as: string; now?: string }, cmd: Command) => {
      const who = o.as.trim();
      if (!who || who.length > 200) return cmd.error("fulcrum schedule no-show: --as must name who is marking it (1–200 characters)", { exitCode: 2 });
      const now = o.now ? new Date(o.now) : new Date();
      if (Number.isNaN(now.getTime()))
        return cmd.error(`fulcrum schedule no-show: --now "${o.now}" is not a date and time (e.g. 2026-01-31T14:00:00Z)`, { exitCode: 2 });
      const actor = `cli:${who}`;
      try {
        const marked = await withDatabase((db) =>
          db.transaction(async (tx) => {
            const m = await markNoShow(tx, panel, actor, now);
            await createAuditTrail(db).append(
              {
                kind: NO_SHOW_AUDIT_KIND,
                actor,
                subject: { connectionId: m.connectionId, opportunityId: m.opportunityId },
                data: { panelKey: m.panelKey, firstStart: m.firstStart, markedAt: m.at },
              },
              tx,
            );
            return m;
          }),
        );
        process.stdout.write(
          `panel ${marked.panelKey} (opportunity ${marked.opportunityId}, started ${marked.firstStart}) marked a no-show by ${who}; recorded in the audit trail\n`,
        );
      } catch (error) {
        if (error instanceof NoShowRefused) return cmd.error(`fulcrum schedule no-show: refused: ${error.message}`, { exitCode: 1 });
        throw error;
      }
    });
}
