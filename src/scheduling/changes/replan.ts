/**
 * Re-planning a booked panel after a change (the `scheduling.replan` task's core; pure). An
 * interviewer declined: their seat is filled from the same session's pool at the same time by the
 * first person who is free for the whole session (working hours, buffers, busy and tentative time,
 * load caps), fewest interviews that week first. When nobody is, or the event was cancelled or
 * moved, or the candidate asked to move, the panel is solved again over a new window with the
 * same panel key (the re-booking then updates what was booked). A change that lands within
 * `escalateWithinHours` of the interview, or one that nothing fits, is escalated to a person with
 * the conflicts spelled out: who, when and why.
 */
import { DateTime } from "luxon";
import type { InterviewerAvailability } from "../../calendars/index.ts";
import type { BookingParams } from "../booking/params.ts";
import type { PanelPlan, PanelUser } from "../proposal/panel-plan.ts";
import { proposeSchedule, type ProposalOption } from "../proposal/propose.ts";
import type { PanelChange } from "./watch-changes.ts";

/** A change within this many hours of the interview goes to a person as well. */
export const ESCALATE_WITHIN_HOURS = 48;

export interface ReplanInput {
  /** The panel as booked now. */
  booking: BookingParams;
  revision: number;
  change: PanelChange["data"];
  plan: PanelPlan;
  users: PanelUser[];
  /** Availability of every pool member over the booked day and the new window, as `readAvailability` answers. */
  availability: InterviewerAvailability[];
  now: number;
  interviewPattern: string;
  maxOptions?: number | undefined;
  escalateWithinHours?: number | undefined;
}

export interface Replan {
  /** fill-seat: same time, someone else in the seat; re-solve: new times; none: nothing to change. */
  outcome: "fill-seat" | "re-solve" | "none";
  feasible: boolean;
  /** The next revision's booking (same panel key), when something fits. */
  booking?: BookingParams | undefined;
  revision: number;
  options: ProposalOption[];
  reasons: string[];
  reason?: string | undefined;
  /** True when a person must be told now (nothing fits, or the interview is near). */
  escalate: boolean;
  /** Why it is escalated and what conflicts, one line each (empty when not escalated). */
  conflicts: string[];
  message: string;
}

type Readable = Extract<InterviewerAvailability, { ok: true }>;

const when = (start: string, end: string, zone: string) =>
  `${DateTime.fromISO(start, { zone }).toFormat("ccc d LLL HH:mm")}–${DateTime.fromISO(end, { zone }).toFormat("HH:mm")} (${zone})`;

export function isFree(a: Readable | undefined, start: string, end: string): boolean {
  if (!a) return false;
  const s = Date.parse(start);
  const e = Date.parse(end);
  return a.free.some((f) => Date.parse(f.start) <= s && Date.parse(f.end) >= e);
}

/** Interviews already in someone's calendar on the local day and ISO week of `at`. */
export function loadOn(a: Readable, at: string, pattern: RegExp): { day: number; week: number } {
  const t = DateTime.fromISO(at, { zone: a.interviewer.timezone });
  let day = 0;
  let week = 0;
  for (const b of a.interviewer.busy) {
    if (b.allDay || b.status === "free" || !b.title || !pattern.test(b.title)) continue;
    const s = DateTime.fromISO(b.start, { zone: a.interviewer.timezone });
    if (!s.isValid) continue;
    if (s.toISODate() === t.toISODate()) day++;
    if (s.weekYear === t.weekYear && s.weekNumber === t.weekNumber) week++;
  }
  return { day, week };
}

export function patternOf(text: string): RegExp {
  try {
    return new RegExp(text, "i");
  } catch {
    return /\binterview/i;
  }
}

/** Re-plans the panel for one change. */
export function replanPanel(input: ReplanInput): Replan {
  const { booking, change, plan } = input;
  const zone = booking.candidate.timezone;
  const users = new Map(input.users.map((u) => [u.id, u]));
  const readable = new Map<string, Readable>();
  for (const a of input.availability) if (a.ok) readable.set(a.leverUserId, a);
  const name = (id: string) => users.get(id)?.name ?? id;
  const pattern = patternOf(input.interviewPattern);
  const next = input.revision + 1;
  const hoursLeft = (Date.parse(change.firstStart) - input.now) / 3_600_000;
  const near = hoursLeft < (input.escalateWithinHours ?? ESCALATE_WITHIN_HOURS);
  const what: string[] = [];
  const why: string[] = [];

  if (change.kind === "declined") {
    const attendee = (change.attendee ?? "").toLowerCase();
    const seats = booking.sessions.filter((s) => s.interviewers.some((i) => i.email.toLowerCase() === attendee));
    if (seats.length === 0) {
      const message = `${attendee} declined, but sits no session of the panel: nothing to change`;
      return { outcome: "none", feasible: true, revision: input.revision, options: [], reasons: [message], escalate: false, conflicts: [], message };
    }
    const decliner = seats[0]!.interviewers.find((i) => i.email.toLowerCase() === attendee)!;
    const who = `${decliner.name ?? decliner.email} (${decliner.email})`;
    for (const s of seats) what.push(`${who} declined ${s.title}, ${when(s.start, s.end, zone)}`);

    // Fill each declined seat at the same time from the same pool.
    const onPanelAt = (s: { start: string; end: string }) =>
      new Set(
        booking.sessions
          .filter((o) => Date.parse(o.start) < Date.parse(s.end) && Date.parse(o.end) > Date.parse(s.start))
          .flatMap((o) => o.interviewers.map((i) => i.leverUserId)),
      );
    const sessions = booking.sessions.map((s) => ({ ...s, interviewers: [...s.interviewers] }));
    const filled: string[] = [];
    let unfilled = false;
    for (const s of sessions) {
      const at = s.interviewers.findIndex((i) => i.email.toLowerCase() === attendee);
      if (at < 0) continue;
      const planned = plan.sessions.find((p) => p.id === s.id);
      const busyOnPanel = onPanelAt(s);
      const pool = (planned?.pool ?? []).filter((id) => id !== decliner.leverUserId && !busyOnPanel.has(id));
      const notFree: string[] = [];
      const free: { id: string; week: number }[] = [];
      for (const id of pool) {
        const a = readable.get(id);
        if (!a) {
          notFree.push(`${name(id)}: calendar not read`);
          continue;
        }
        if (!isFree(a, s.start, s.end)) {
          const inWork = a.working.some((w) => Date.parse(w.start) <= Date.parse(s.start) && Date.parse(w.end) >= Date.parse(s.end));
          notFree.push(`${name(id)}: ${inWork ? `busy, or within the ${plan.bufferMinutes}-minute buffer` : "outside working hours"}`);
          continue;
        }
        const load = loadOn(a, s.start, pattern);
        if (plan.loadCaps.perDay !== undefined && load.day >= plan.loadCaps.perDay) {
          notFree.push(`${name(id)}: ${load.day} interviews already that day (cap ${plan.loadCaps.perDay})`);
          continue;
        }
        if (plan.loadCaps.perWeek !== undefined && load.week >= plan.loadCaps.perWeek) {
          notFree.push(`${name(id)}: ${load.week} interviews already that week (cap ${plan.loadCaps.perWeek})`);
          continue;
        }
        free.push({ id, week: load.week });
      }
      free.sort((a, b) => a.week - b.week);
      const pick = free[0];
      if (!pick) {
        unfilled = true;
        why.push(`nobody else in the pool of ${s.title} is free then${notFree.length ? `: ${notFree.join("; ")}` : " (the pool has no one else)"}`);
        continue;
      }
      const email = (users.get(pick.id)?.email ?? readable.get(pick.id)!.interviewer.email).toLowerCase();
      s.interviewers[at] = { leverUserId: pick.id, email, ...(users.get(pick.id)?.name ? { name: users.get(pick.id)!.name! } : {}) };
      filled.push(`${name(pick.id)} takes ${who}'s seat in ${s.title}, ${when(s.start, s.end, zone)}`);
    }
    if (!unfilled) {
      const nextBooking: BookingParams = { ...booking, sessions };
      const reasons = [...what, ...filled];
      const conflicts = near
        ? [
            ...what,
            `the interview starts in ${Math.max(0, Math.round(hoursLeft))} hours (within ${input.escalateWithinHours ?? ESCALATE_WITHIN_HOURS})`,
            ...filled,
          ]
        : [];
      const message = `Same time, another interviewer: ${filled.join("; ")}`;
      return {
        outcome: "fill-seat",
        feasible: true,
        booking: nextBooking,
        revision: next,
        options: [{ label: `Revision ${next}: ${filled.join("; ")}`, booking: nextBooking, reasons }],
        reasons,
        escalate: near,
        conflicts,
        message,
      };
    }
  } else if (change.kind === "cancelled") {
    what.push(
      `the calendar event of ${sessionTitles(booking, change.sessionIds)} was ${change.how ?? "cancelled"} (${when(booking.sessions[0]!.start, booking.sessions.at(-1)!.end, zone)})`,
    );
  } else if (change.kind === "moved") {
    what.push(
      `the calendar event of ${sessionTitles(booking, change.sessionIds)} was moved by hand to ${change.start ? when(change.start, change.end ?? change.start, zone) : "another time"}`,
    );
  } else {
    what.push(
      `the candidate asked to move the interview${change.reason ? ` (${change.reason})` : ""}, booked ${when(booking.sessions[0]!.start, booking.sessions.at(-1)!.end, zone)}`,
    );
  }

  // Solve again: the panel's own events do not block its interviewers, a decliner is busy at the
  // time they declined, and the booked times are not offered again when the candidate asked to move.
  const availability = input.availability.map((a) => (a.ok ? withoutOwnEvents(a, booking, change) : a));
  const proposal = proposeSchedule({
    plan,
    users: input.users,
    availability,
    candidate: booking.candidate,
    opportunityId: booking.opportunityId,
    postingId: booking.postingId,
    stageId: booking.stageId,
    panelKey: booking.panelKey,
    now: input.now,
    interviewPattern: input.interviewPattern,
    maxOptions: input.maxOptions,
    format: booking.format,
    language: booking.language,
  });
  if (!proposal.feasible) {
    const conflicts = [...what, ...why, `nothing fits within the window: ${proposal.reason ?? "no time found"}`];
    const message = `Panel for ${booking.candidate.name} needs a person: ${conflicts.join(". ")}`;
    return {
      outcome: "re-solve",
      feasible: false,
      revision: input.revision,
      options: [],
      reasons: conflicts,
      reason: proposal.reason,
      escalate: true,
      conflicts,
      message,
    };
  }
  const options = proposal.options.map((o) => ({
    ...o,
    booking: {
      ...o.booking,
      ...(booking.eventsPer ? { eventsPer: booking.eventsPer } : {}),
      ...(booking.packetUrl ? { packetUrl: booking.packetUrl } : {}),
      ...(booking.notes ? { notes: booking.notes } : {}),
    },
  }));
  const reasons = [...what, ...why, ...options[0]!.reasons];
  const conflicts = near
    ? [
        ...what,
        ...why,
        `the interview starts in ${Math.max(0, Math.round(hoursLeft))} hours (within ${input.escalateWithinHours ?? ESCALATE_WITHIN_HOURS})`,
        `proposed instead: ${options[0]!.label}`,
      ]
    : [];
  return {
    outcome: "re-solve",
    feasible: true,
    booking: options[0]!.booking,
    revision: next,
    options,
    reasons,
    escalate: near,
    conflicts,
    message: `New times proposed: ${options[0]!.label}`,
  };
}

function sessionTitles(b: BookingParams, ids: string[]): string {
  const titles = b.sessions.filter((s) => ids.includes(s.id)).map((s) => s.title);
  return titles.length ? titles.join(", ") : "the panel";
}

/**
 * Availability with the panel's own booked sessions taken out of its interviewers' busy time
 * (they would otherwise block the panel from its own slot), and a decliner kept busy when they
 * declined. The free time is recomputed only through the solver, which reads `busy`.
 */
function withoutOwnEvents(a: Readable, b: BookingParams, change: PanelChange["data"]): Readable {
  const own = b.sessions.filter((s) => s.interviewers.some((i) => i.leverUserId === a.leverUserId));
  const declined = change.kind === "declined" && a.interviewer.email.toLowerCase() === (change.attendee ?? "").toLowerCase();
  const span = { start: b.sessions[0]!.start, end: b.sessions.at(-1)!.end };
  const busy = a.interviewer.busy.filter(
    (x) => !own.some((s) => Date.parse(x.start) >= Date.parse(s.start) && x.end !== undefined && Date.parse(x.end) <= Date.parse(s.end)),
  );
  // The candidate asked to move, or the decliner cannot come: the booked span is not offered again.
  if (declined || change.kind === "reschedule") busy.push({ start: span.start, end: span.end, status: "busy" });
  return { ...a, interviewer: { ...a.interviewer, busy } };
}
