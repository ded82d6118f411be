/**
 * The console's "did not come" action on a booked panel: `POST /console/api/scheduling/panels/:id/no-show`
 * with the panel's proposal id (what the Scheduling page lists). Whoever may decide proposals may
 * mark one (a hiring manager: their postings' only); the mark and its audit record are written in
 * one transaction. Refusals say why: not booked, not started yet, cancelled, already marked.
 */
import { bookingProposalPanel } from "../../engine/index.ts";
import { createAuditTrail } from "../../governance/index.ts";
import { markNoShow, NoShowRefused, type MarkedNoShow } from "../../scheduling/index.ts";
import type { Database } from "../../store/index.ts";
import { coversPosting, type Caller } from "./roles.ts";

/** The audit kind of a marked no-show (`fulcrum schedule no-show` writes the same). */
const NO_SHOW_AUDIT_KIND = "scheduling.no_show";

/** The panel marked, or why not: `not_found` (no such proposal the caller may see) or `conflict` (nothing booked, not started, already marked…). */
export type NoShowAnswer = { marked: MarkedNoShow } | { refused: { kind: "not_found" | "conflict"; message: string } };

const refuse = (kind: "not_found" | "conflict", message: string): NoShowAnswer => ({ refused: { kind, message } });

/**
 * Marks the panel booked through proposal `proposalId` as a no-show by the caller at `now`.
 *
 * @example
 * const answer = await markPanelNoShow(db, caller, "42", new Date());
 * if ("refused" in answer) console.log(answer.refused.message); // e.g. "panel … has not started yet: …"
 */
export async function markPanelNoShow(db: Database, caller: Caller, proposalId: string, now: Date): Promise<NoShowAnswer> {
  if (!/^\d{1,18}$/.test(proposalId)) return refuse("not_found", `No scheduling proposal ${proposalId.slice(0, 40)} that you may see.`);
  const row = await bookingProposalPanel(db, proposalId);
  if (!row || !coversPosting(caller, row.posting_id)) return refuse("not_found", `No scheduling proposal ${proposalId} that you may see.`);
  if (!row.panel_key) return refuse("conflict", `Proposal ${proposalId} has no panel to mark: nothing was booked.`);
  const actor = `user:${caller.userId}`;
  try {
    const marked = await db.transaction(async (tx) => {
      const m = await markNoShow(tx, row.panel_key!, actor, now);
      await createAuditTrail(db).append(
        {
          kind: NO_SHOW_AUDIT_KIND,
          actor,
          subject: { connectionId: m.connectionId, opportunityId: m.opportunityId, userId: caller.userId },
          data: { panelKey: m.panelKey, proposalId, firstStart: m.firstStart, markedAt: m.at },
        },
        tx,
      );
      return m;
    });
    return { marked };
  } catch (error) {
    if (!(error instanceof NoShowRefused)) throw error;
    // The proposal exists but its booking does not (never booked, or the booking failed).
    if (error.reason === "unknown") return refuse("conflict", `Proposal ${proposalId} has no booked panel to mark.`);
    return refuse("conflict", `Not marked: ${error.message}.`);
  }
}
