/**
 * Marking a booked panel as a no-show (the candidate did not come), the fact the fairness report
 * counts per group. A person names the panel by its booking key or by the opportunity; marking is
 * refused, with the reason, when the panel is unknown, cancelled, already marked, when several of
 * the opportunity's panels could be meant, or before its first session has started (nobody can
 * have missed an interview that has not begun).
 */
import { createReminderStore, type PanelForNoShow, type Queryable } from "../../store/index.ts";

export type NoShowRefusal = "unknown" | "ambiguous" | "not-started" | "cancelled" | "already-marked";

/** Why a no-show was not marked; `reason` tells a caller which (an API maps it to a status). */
export class NoShowRefused extends Error {
  override readonly name = "NoShowRefused";
  readonly reason: NoShowRefusal;
  constructor(reason: NoShowRefusal, message: string) {
    super(message);
    this.reason = reason;
  }
}

export interface MarkedNoShow {
  panelKey: string;
  connectionId: string;
  opportunityId: string;
  firstStart: string;
  at: string;
}

/**
 * Marks the panel `ref` names (a booking key, or an opportunity id with one started panel) as a
 * no-show by `by` at `now`. Run it in the transaction that writes the audit record.
 *
 * @example
 * await db.transaction(async (tx) => {
 *   const marked = await markNoShow(tx, "opp-1", "user:7", new Date());
 *   await audit.append({ kind: "scheduling.no_show", actor: "user:7", subject: { opportunityId: marked.opportunityId }, data: { panelKey: marked.panelKey } }, tx);
 * });
 */
export async function markNoShow(db: Queryable, ref: string, by: string, now: Date): Promise<MarkedNoShow> {
  const wanted = ref.trim();
  if (!wanted || wanted.length > 300) throw new NoShowRefused("unknown", "name the panel by its booking key or the opportunity id (1–300 characters)");
  const store = createReminderStore(db);
  const panels = await store.panelsFor(wanted);
  if (panels.length === 0) throw new NoShowRefused("unknown", `no panel Fulcrum booked matches "${wanted}" (a booking key or an opportunity id)`);
  const panel = pick(panels, wanted, now);
  if (panel.noShow)
    throw new NoShowRefused("already-marked", `panel ${panel.panelKey} was already marked a no-show at ${panel.noShow.at} by ${panel.noShow.by}`);
  if (panel.state === "cancelled") throw new NoShowRefused("cancelled", `panel ${panel.panelKey} was cancelled, so nobody could miss it`);
  if (!panel.firstStart || Date.parse(panel.firstStart) > now.getTime()) {
    throw new NoShowRefused(
      "not-started",
      `panel ${panel.panelKey} has not started yet: its first session starts at ${panel.firstStart ?? "an unknown time"}; a no-show can be marked once it has begun`,
    );
  }
  // The store checks again in the update itself, so a second person marking at the same moment loses.
  if (!(await store.markNoShow(panel.panelKey, by, now)))
    throw new NoShowRefused("already-marked", `panel ${panel.panelKey} was marked or changed meanwhile; look again`);
  return {
    panelKey: panel.panelKey,
    connectionId: panel.connectionId,
    opportunityId: panel.opportunityId,
    firstStart: panel.firstStart,
    at: now.toISOString(),
  };
}

/** The panel meant: the booking key itself, or the opportunity's only panel that has started and is still open to marking. */
function pick(panels: readonly PanelForNoShow[], ref: string, now: Date): PanelForNoShow {
  const exact = panels.find((p) => p.panelKey === ref);
  if (exact || panels.length === 1) return exact ?? panels[0]!;
  const open = panels.filter((p) => !p.noShow && p.state !== "cancelled" && p.firstStart !== null && Date.parse(p.firstStart) <= now.getTime());
  if (open.length === 1) return open[0]!;
  if (open.length === 0) {
    // Nothing started yet (or everything is marked or cancelled): explain with the most recent panel.
    return panels.find((p) => p.firstStart !== null && Date.parse(p.firstStart) > now.getTime()) ?? panels[0]!;
  }
  throw new NoShowRefused(
    "ambiguous",
    `opportunity ${ref} has ${open.length} panels that have started; name one by its booking key: ${open.map((p) => `${p.panelKey} (${p.firstStart})`).join(", ")}`,
  );
}
