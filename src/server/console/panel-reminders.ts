/**
 * A booked panel's reminders as the Scheduling page lists them: who (the candidate, the
 * interviewers who have not accepted, the recruiter's no-show alert), when, and their state —
 * `armed` (a timer of the interview-reminders workflow is still to fire), `sent`, `waiting` (for a
 * person's approval, with `send: approve`), `withdrawn` (the panel moved or was cancelled before it
 * went, with the reason) or `skipped` (the reminder task said why it sent nothing). Read from the
 * database only: the reminders sent, the engine's runs and timers (through its read models).
 */
import { armedReminderTimers, remindStepRows } from "../../engine/index.ts";
import { DEFAULT_REMINDER_OFFSETS, parseReminderOffsets } from "../../scheduling/index.ts";
import { createReminderStore, type Queryable } from "../../store/index.ts";

export type ReminderState = "armed" | "sent" | "waiting" | "withdrawn" | "skipped";

export interface PanelReminder {
  /** `candidate`, `interviewers`, `recruiter` (the high no-show-risk alert), or both the candidate and the interviewers. */
  who: string;
  /** When it went, is due, or was decided (ISO). */
  at: string;
  state: ReminderState;
  /** Why it was skipped or withdrawn; what it was for when that is not the panel's current time. */
  reason: string | null;
}

export interface PanelRef {
  panelKey: string;
  /** Lever's panel id, which the interviews' timers are matched by. */
  panelId: string | null;
  /** The panel's current first start (ISO). */
  start: string | null;
  /** The panel's state (booked, cancelled, moved …). */
  state: string;
}

const WHO: Record<string, string> = { candidate: "candidate", interviewers: "interviewers", alert: "recruiter" };
// Reasons that say only that this audience is not due at this timer: nothing a person needs to read.
const BY_DESIGN = [/^interviewers are reminded .* before only$/, /^no candidate reminder is due now/, /already sent/];

const iso = (v: Date | string) => new Date(v).toISOString();
const rec = (v: unknown): Record<string, unknown> => (v && typeof v === "object" ? (v as Record<string, unknown>) : {});

function offsetsOf(input: Record<string, unknown> | null | undefined): { candidate: number[]; interviewers: number[]; extra: number[] } {
  const read = (v: unknown, fallback: readonly string[]) => {
    try {
      return parseReminderOffsets(v === undefined || v === "" ? [...fallback] : v);
    } catch {
      return parseReminderOffsets([...fallback]);
    }
  };
  return { candidate: read(input?.offsets, DEFAULT_REMINDER_OFFSETS), interviewers: read(input?.interviewerOffset, ["24h"]), extra: read(undefined, ["3h"]) };
}

/** The reminders of each panel in `panels`, by panel key, in time order. */
export async function panelReminders(db: Queryable, panels: readonly PanelRef[], now = Date.now()): Promise<Map<string, PanelReminder[]>> {
  const out = new Map<string, PanelReminder[]>(panels.map((p) => [p.panelKey, []]));
  if (panels.length === 0) return out;
  const store = createReminderStore(db);
  const { steps, proposals } = await remindStepRows(
    db,
    panels.map((p) => p.panelKey),
  );
  const timers = await armedReminderTimers(
    db,
    panels.flatMap((p) => (p.panelId ? [p.panelId] : [])),
  );
  for (const panel of panels) {
    const list = out.get(panel.panelKey)!;
    const forOther = (start: string) => (panel.start && iso(start) !== iso(panel.start) ? `for the earlier time ${iso(start)}` : null);
    const sent = await store.sentFor(panel.panelKey);
    for (const s of sent) list.push({ who: WHO[s.audience] ?? s.audience, at: s.sentAt, state: "sent", reason: forOther(s.start) });

    const mine = steps.filter((s) => s.panel_key === panel.panelKey);
    for (const step of mine) {
      const o = step.output;
      const at = step.finished_at ? iso(step.finished_at) : typeof o.start === "string" ? o.start : new Date(now).toISOString();
      for (const audience of ["candidate", "interviewers"] as const) {
        const x = rec(o[audience]);
        if (x.sent === true) continue; // counted from the reminders sent
        if (x.due === true) {
          const p = proposals.find((q) => String(q.run_id) === String(step.run_id) && q.step_id === audience);
          if (!p || p.status === "pending") list.push({ who: WHO[audience]!, at, state: "waiting", reason: "waiting for a person's approval" });
          else if (p.status === "expired" || p.status === "rejected")
            list.push({
              who: WHO[audience]!,
              at,
              state: "withdrawn",
              reason: p.decision_reason ?? (p.status === "rejected" ? "rejected by a person" : "not approved in time"),
            });
          else if (p.status === "approved" || p.status === "applied") list.push({ who: WHO[audience]!, at, state: "sent", reason: "approved by a person" });
          continue;
        }
        const reason = typeof x.reason === "string" ? x.reason : null;
        if (reason && !BY_DESIGN.some((r) => r.test(reason))) list.push({ who: WHO[audience]!, at, state: "skipped", reason });
      }
    }

    // Timers still to fire, named by the offsets the workflow last ran with (24 h and 1 h, interviewers at 24 h, by default).
    if (panel.panelId && panel.start) {
      const last = mine.at(-1);
      const offsets = offsetsOf(last?.input);
      const start = Date.parse(panel.start);
      const seen = new Set<string>();
      for (const t of timers.filter((x) => x.panel_id === panel.panelId)) {
        const fire = Date.parse(iso(t.fire_at));
        if (fire < now || seen.has(iso(t.fire_at))) continue;
        const before = Math.round((start - fire) / 60_000);
        const near = (xs: number[]) => xs.some((m) => Math.abs(m - before) <= 2);
        const who = [near(offsets.candidate) ? "candidate" : "", near(offsets.interviewers) ? "interviewers" : ""].filter(Boolean);
        if (who.length === 0 && !near(offsets.extra)) continue; // a later session's timer: the panel's reminders go by its first start
        seen.add(iso(t.fire_at));
        const cancelled = panel.state === "cancelled";
        list.push({
          who: who.length ? who.join(" and ") : "candidate (extra reminder, when the no-show risk is high)",
          at: iso(t.fire_at),
          state: cancelled ? "withdrawn" : "armed",
          reason: cancelled ? "the panel was cancelled: the timer will find nothing to send" : null,
        });
      }
    }
    list.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  }
  return out;
}
