/**
 * What the console's scheduling views show: the panels Fulcrum proposed or booked, each with a
 * state derived from its proposal and its booking row, and for one proposal the options and the
 * interviewers' calendars the solver saw (recorded by `scheduling.propose`), for the day timeline.
 * Read from the database only: the console asks neither Lever nor any calendar.
 */
import { bookedPanelIds, schedulingPanelRows, schedulingProposeOutput } from "../../engine/index.ts";
import type { Queryable } from "../../store/index.ts";
import { panelReminders, type PanelReminder } from "./panel-reminders.ts";
import { coversPosting, type Caller } from "./roles.ts";

/**
 * A panel's state. `proposed`: options wait for a person; `escalated`: nothing fits, or a waiting
 * proposal was escalated; `booking`: approved, being written; `booked`; `failed`; `rejected`;
 * `expired`; `shadow`: recorded only. A booked panel takes the booking row's `state` when something
 * changed after booking (`declined`, `cancelled`, `moved`, `rescheduling`, `escalated`); a status
 * the row names that is not one of these is passed through as it is.
 */
export type PanelState = "proposed" | "escalated" | "booking" | "booked" | "failed" | "rejected" | "expired" | "shadow" | "closed" | (string & {});

export interface PanelSession {
  title: string;
  start: string;
  end: string;
  interviewers: string[];
}

export interface ScheduledPanel {
  proposalId: string;
  runId: string;
  state: PanelState;
  candidateName: string | null;
  postingId: string | null;
  postingTitle: string | null;
  stage: string | null;
  /** The candidate's time zone the panel was planned in. */
  candidateTimezone: string | null;
  sessions: PanelSession[];
  firstStart: string | null;
  lastEnd: string | null;
  createdAt: string;
  /** Why it is in this state, when there is more to say (what blocks, the booking's error). */
  detail: string | null;
  /** A booked panel's reminders: who, when, and armed / sent / waiting / withdrawn / skipped (with the reason). */
  reminders?: PanelReminder[] | undefined;
}

const iso = (v: Date | string) => new Date(v).toISOString();
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

/** The state of one panel from its proposal and booking row. */
export function panelState(p: {
  kind: string;
  status: string;
  escalated: boolean;
  bookingStatus: string | null;
  bookingState?: string | null | undefined;
}): PanelState {
  if (p.kind === "approval") return p.status === "pending" ? "escalated" : p.status === "shadow" ? "shadow" : "closed";
  switch (p.bookingStatus) {
    case null:
      break;
    case "booked":
      // What happened after booking (declined, cancelled, moved, rescheduling, escalated), when anything did.
      return p.bookingState || "booked";
    case "held":
    case "writing":
      return "booking";
    case "failed":
      return "failed";
    default:
      return p.bookingStatus;
  }
  switch (p.status) {
    case "pending":
      return p.escalated ? "escalated" : "proposed";
    case "approved":
      return "booking";
    case "applied":
      return "booked";
    default:
      return p.status;
  }
}

function sessionsOf(action: Record<string, unknown>): PanelSession[] {
  const booking = action.booking as { sessions?: unknown } | undefined;
  if (!booking || !Array.isArray(booking.sessions)) return [];
  return booking.sessions.flatMap((raw): PanelSession[] => {
    const s = raw as { title?: unknown; start?: unknown; end?: unknown; interviewers?: unknown };
    const start = str(s.start);
    const end = str(s.end);
    if (!start || !end) return [];
    const people = Array.isArray(s.interviewers) ? s.interviewers : [];
    // Interviewers by name; a Lever user without one shows as such, never by e-mail address.
    const interviewers = people.map((i) => str((i as { name?: unknown }).name) ?? `Lever user ${str((i as { leverUserId?: unknown }).leverUserId) ?? "?"}`);
    return [{ title: str(s.title) ?? "Interview", start, end, interviewers }];
  });
}

export interface PanelsFilter {
  /** Also panels whose last session has ended (default: upcoming ones and those with no time yet). */
  past?: boolean | undefined;
  now?: number | undefined;
  limit?: number | undefined;
}

/** The panels the caller may see (a hiring manager: their postings'), soonest first; those with no time yet come first. */
export async function listScheduledPanels(db: Queryable, caller: Caller, filter: PanelsFilter = {}): Promise<ScheduledPanel[]> {
  const rows = await schedulingPanelRows(db, { postingIds: caller.role === "hiring_manager" ? (caller.postingIds ?? []) : undefined });
  const now = filter.now ?? Date.now();
  const panels = rows.map((r): ScheduledPanel & { panelKey: string | undefined } => {
    const sessions = sessionsOf(r.action);
    const state = panelState({
      kind: r.kind,
      status: r.status,
      escalated: r.escalated_at !== null,
      bookingStatus: r.booking_status,
      bookingState: r.booking_state,
    });
    const booking = r.action.booking as { candidate?: { timezone?: unknown } } | undefined;
    const detail = r.kind === "approval" ? (r.propose_reason ?? str(r.action.message) ?? null) : state === "failed" ? r.booking_error : null;
    const panelKey = str((r.action.booking as { panelKey?: unknown } | undefined)?.panelKey);
    return {
      panelKey,
      proposalId: String(r.id),
      runId: String(r.run_id),
      state,
      candidateName: r.candidate_name,
      postingId: r.posting_id,
      postingTitle: r.posting_title,
      stage: r.stage,
      candidateTimezone: str(booking?.candidate?.timezone) ?? r.propose_zone,
      sessions,
      firstStart: sessions[0]?.start ?? null,
      lastEnd: sessions.at(-1)?.end ?? null,
      createdAt: iso(r.created_at),
      detail: detail ? detail.slice(0, 2000) : null,
    };
  });
  const open = new Set(["proposed", "escalated", "booking"]);
  const shown = panels.filter((p) => filter.past || (p.lastEnd ? Date.parse(p.lastEnd) >= now : open.has(p.state)));
  shown.sort((a, b) =>
    a.firstStart === b.firstStart
      ? Number(b.proposalId) - Number(a.proposalId)
      : a.firstStart === null
        ? -1
        : b.firstStart === null
          ? 1
          : a.firstStart < b.firstStart
            ? -1
            : 1,
  );
  const page = shown.slice(0, Math.min(Math.max(filter.limit ?? 500, 1), 2000));
  // Reminders of the panels booked (through a proposal or the candidate's link), read for this page only.
  const booked = await bookedPanelIds(
    db,
    page.flatMap((p) => (p.panelKey && wasBooked(p.state) ? [p.panelKey] : [])),
  );
  const reminders = await panelReminders(
    db,
    booked.map((b) => ({
      panelKey: b.panel_key,
      panelId: b.panel_id,
      state: b.state,
      start: page.find((p) => p.panelKey === b.panel_key)?.firstStart ?? null,
    })),
    now,
  );
  return page.map(({ panelKey, ...p }) => (panelKey && reminders.has(panelKey) ? { ...p, reminders: reminders.get(panelKey) } : p));
}

/** States of a panel that was booked (its reminders are worth reading). */
function wasBooked(state: PanelState): boolean {
  return !["proposed", "escalated", "booking", "failed", "rejected", "expired", "shadow", "closed"].includes(state);
}

/** A scheduling proposal's options and the calendars its solver saw, for the day timeline. */
export interface SchedulingContext {
  feasible: boolean;
  reason: string | null;
  candidateTimezone: string | null;
  window: { start: string; end: string; days: string[] } | null;
  options: { label: string; reasons: string[]; booking: unknown }[];
  calendars: unknown[];
}

/** The scheduling context of a proposal; undefined when it is not a scheduling proposal or the caller may not see it. */
export async function schedulingContext(db: Queryable, caller: Caller, proposalId: string): Promise<SchedulingContext | undefined> {
  if (!/^\d{1,15}$/.test(proposalId)) return undefined;
  const r = await schedulingProposeOutput(db, Number(proposalId));
  if (!r || !coversPosting(caller, r.posting_id)) return undefined;
  const o = r.output;
  const window = o.window as SchedulingContext["window"] | undefined;
  return {
    feasible: o.feasible === true,
    reason: str(o.reason) ?? null,
    candidateTimezone: str(o.candidateTimezone) ?? null,
    window: window && typeof window === "object" ? window : null,
    options: Array.isArray(o.options) ? (o.options as SchedulingContext["options"]).slice(0, 10) : [],
    calendars: Array.isArray(o.calendars) ? o.calendars.slice(0, 100) : [],
  };
}
