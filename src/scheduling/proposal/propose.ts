/**
 * A scheduling proposal from a panel plan and the interviewers' availability: one solver request per
 * business day of the window (so each interviewer's load cap is that day's: interviews already in
 * their calendar that day and week count against it), the best schedule of each day, and 2–3
 * options — the best day first, then the next days, then other start times — each a full
 * `scheduling.book` param set with its reasons. Pure: the caller reads Lever and the calendars.
 *
 * An existing interview is a blocking event whose title matches `interviewPattern` (default
 * `\binterview`, case-insensitive); all-day events never count.
 */
import { DateTime } from "luxon";
import type { InterviewerAvailability } from "../../calendars/index.ts";
import { solvePanel } from "../solver/solve-panel.ts";
import type { PanelAnswer, PanelRequestInput, ScheduledSession } from "../solver/request.ts";
import type { BookingParams } from "../booking/params.ts";
import type { LinkLanguage } from "../self-schedule/link-request.ts";
import type { PanelPlan, PanelUser } from "./panel-plan.ts";

export interface ProposalInput {
  plan: PanelPlan;
  users: PanelUser[];
  /** Availability per Lever user of every pool (and shadow pool), as `readAvailability` answers. */
  availability: InterviewerAvailability[];
  candidate: { name: string; email?: string | undefined; timezone: string };
  opportunityId: string;
  postingId?: string | undefined;
  stageId?: string | undefined;
  panelKey: string;
  /** The moment the proposal is made; the window starts on the next day in the candidate's zone. */
  now: number;
  interviewPattern: string;
  /** How many options to propose (2–3; default 3). */
  maxOptions?: number | undefined;
  format?: "video" | "onsite" | undefined;
  /** The candidate's language (the posting's), kept on each option's booking for its reminders. */
  language?: LinkLanguage | undefined;
  /** List many options (the self-scheduling page): up to `perDay` start times a day, `total` in all, in time order. */
  list?: { perDay: number; total: number } | undefined;
}

export interface ProposalOption {
  label: string;
  booking: BookingParams;
  reasons: string[];
}

export interface Proposal {
  feasible: boolean;
  /** The best option's params (what the booking action is given); absent when nothing fits. */
  booking?: BookingParams | undefined;
  options: ProposalOption[];
  reasons: string[];
  /** When nothing fits: what blocks, naming the session, pool or constraint. */
  reason?: string | undefined;
  window: { start: string; end: string; days: string[] };
  /** What was read with an assumption, and who was left out. */
  notes: string[];
  /** What the solver saw of each interviewer over the window, compact and capped, for a day timeline. */
  calendars: CalendarView[];
}

/** One interviewer's day timeline data: working time and blocking events within the window. */
export interface CalendarView {
  id: string;
  name: string;
  timezone?: string | undefined;
  /** Why nothing is shown when the calendar could not be read. */
  error?: string | undefined;
  working: { start: string; end: string }[];
  /** Blocking events (free ones are left out); titles only when the calendar gave them. */
  busy: { start: string; end: string; status: "busy" | "tentative" | "oof"; allDay?: boolean; title?: string }[];
  /** Blocks left out beyond the cap. */
  omitted?: number | undefined;
}

/** At most this many people and blocks per person are kept with a proposal (its output stays small). */
export const CALENDAR_VIEW_LIMITS = { people: 40, blocksPerPerson: 80, titleChars: 80 } as const;

/** The interviewers' availability as the timeline shows it, clipped to the window and capped. */
export function calendarViews(availability: InterviewerAvailability[], window: { start: string; end: string }, name: (id: string) => string): CalendarView[] {
  const from = Date.parse(window.start);
  const to = Date.parse(window.end);
  const inside = (r: { start: string; end: string }) => Date.parse(r.end) > from && Date.parse(r.start) < to;
  return availability.slice(0, CALENDAR_VIEW_LIMITS.people).map((a): CalendarView => {
    if (!a.ok) return { id: a.leverUserId, name: name(a.leverUserId), error: a.error, working: [], busy: [] };
    const busy = a.interviewer.busy.filter((b) => b.status !== "free" && inside(b));
    const kept = busy.slice(0, CALENDAR_VIEW_LIMITS.blocksPerPerson).map((b) => ({
      start: b.start,
      end: b.end,
      status: b.status as "busy" | "tentative" | "oof",
      ...(b.allDay ? { allDay: true } : {}),
      ...(b.title ? { title: b.title.slice(0, CALENDAR_VIEW_LIMITS.titleChars) } : {}),
    }));
    return {
      id: a.leverUserId,
      name: name(a.leverUserId),
      timezone: a.interviewer.timezone,
      working: a.working.filter(inside).map((w) => ({ start: w.start, end: w.end })),
      busy: kept,
      ...(busy.length > kept.length ? { omitted: busy.length - kept.length } : {}),
    };
  });
}

/** The window's business days (Monday–Friday in `zone`), starting the day after `now`. */
export function businessDays(now: number, zone: string, count: number): DateTime[] {
  const days: DateTime[] = [];
  let day = DateTime.fromMillis(now, { zone }).startOf("day").plus({ days: 1 });
  while (days.length < count) {
    if (day.weekday <= 5) days.push(day);
    day = day.plus({ days: 1 });
  }
  return days;
}

/** The range to read calendars over: whole weeks around the window, so weekly caps count every interview. */
export function readWindow(days: DateTime[]): { start: string; end: string } {
  const first = days[0]!.startOf("week").minus({ days: 1 });
  const last = days.at(-1)!.endOf("week").plus({ days: 1 });
  return { start: first.toUTC().toISO()!, end: last.toUTC().toISO()! };
}

const fmt = (iso: string, zone: string) => DateTime.fromISO(iso, { zone }).toFormat("ccc d LLL HH:mm");

/** Builds the proposal. */
export function proposeSchedule(input: ProposalInput): Proposal {
  const { plan, candidate } = input;
  const zone = candidate.timezone;
  const maxOptions = input.list ? Math.max(1, input.list.total) : Math.min(3, Math.max(2, input.maxOptions ?? 3));
  const perDay = input.list ? Math.max(1, input.list.perDay) : maxOptions;
  const days = businessDays(input.now, zone, plan.windowBusinessDays);
  const window = { start: days[0]!.toUTC().toISO()!, end: days.at(-1)!.plus({ days: 1 }).toUTC().toISO()!, days: days.map((d) => d.toISODate()!) };
  const notes = [...plan.notes];
  const users = new Map(input.users.map((u) => [u.id, u]));
  const name = (id: string) => users.get(id)?.name ?? id;
  const readable = new Map<string, Extract<InterviewerAvailability, { ok: true }>>();
  for (const a of input.availability) {
    if (a.ok) {
      readable.set(a.leverUserId, a);
      for (const n of a.notes.slice(0, 5)) notes.push(`${name(a.leverUserId)}: ${n}`);
    } else notes.push(`${name(a.leverUserId)} is left out: their calendar could not be read (${a.error})`);
  }
  const calendars = calendarViews(input.availability, window, name);
  if (plan.problems.length > 0) {
    return {
      feasible: false,
      options: [],
      reasons: plan.problems,
      reason: `the panel cannot be set up: ${plan.problems.join("; ")}`,
      window,
      notes,
      calendars,
    };
  }

  let pattern: RegExp;
  try {
    pattern = new RegExp(input.interviewPattern, "i");
  } catch {
    pattern = /\binterview/i;
  }
  // Existing interviews per person: by their own day and ISO week.
  const load = new Map<string, { day: Map<string, number>; week: Map<string, number> }>();
  for (const [id, a] of readable) {
    const perDay = new Map<string, number>();
    const perWeek = new Map<string, number>();
    for (const b of a.interviewer.busy) {
      if (b.allDay || b.status === "free" || !b.title || !pattern.test(b.title)) continue;
      const t = DateTime.fromISO(b.start, { zone: a.interviewer.timezone });
      if (!t.isValid) continue;
      perDay.set(t.toISODate()!, (perDay.get(t.toISODate()!) ?? 0) + 1);
      const week = `${t.weekYear}-W${t.weekNumber}`;
      perWeek.set(week, (perWeek.get(week) ?? 0) + 1);
    }
    load.set(id, { day: perDay, week: perWeek });
  }
  const capFor = (id: string, day: DateTime): { max: number; why?: string } => {
    const a = readable.get(id)!;
    const local = day.setZone(a.interviewer.timezone, { keepLocalTime: false }).plus({ hours: 12 });
    const l = load.get(id)!;
    const today = l.day.get(local.toISODate()!) ?? 0;
    const week = l.week.get(`${local.weekYear}-W${local.weekNumber}`) ?? 0;
    let max = plan.sessions.length;
    let why: string | undefined;
    if (plan.loadCaps.perDay !== undefined && plan.loadCaps.perDay - today < max) {
      max = Math.max(0, plan.loadCaps.perDay - today);
      why = `${today} interview${today === 1 ? "" : "s"} already that day (cap ${plan.loadCaps.perDay})`;
    }
    if (plan.loadCaps.perWeek !== undefined && plan.loadCaps.perWeek - week < max) {
      max = Math.max(0, plan.loadCaps.perWeek - week);
      why = `${week} interview${week === 1 ? "" : "s"} already that week (cap ${plan.loadCaps.perWeek})`;
    }
    return { max, why };
  };

  const pooled = [...new Set(plan.sessions.flatMap((s) => s.pool))].filter((id) => readable.has(id));
  type DayResult = { day: DateTime; answer: PanelAnswer; caps: Map<string, { max: number; why?: string }> };
  const results: DayResult[] = [];
  for (const day of days) {
    const caps = new Map(pooled.map((id) => [id, capFor(id, day)]));
    const request: PanelRequestInput = {
      id: day.toISODate()!,
      candidate: { timezone: zone },
      window: { start: day.toUTC().toISO()!, end: day.plus({ days: 1 }).toUTC().toISO()! },
      granularityMinutes: plan.granularityMinutes,
      maxGapMinutes: plan.maxGapMinutes,
      bufferMinutes: plan.bufferMinutes,
      sessions: plan.sessions.map((s) => ({ id: s.id, title: s.title, minutes: s.minutes, need: s.need, pool: s.pool.filter((id) => readable.has(id)) })),
      interviewers: pooled.map((id) => {
        const a = readable.get(id)!.interviewer;
        return {
          id,
          email: a.email,
          timezone: a.timezone,
          workingHours: a.workingHours,
          maxSessions: caps.get(id)!.max,
          busy: a.busy.map(({ title: _t, ...b }) => b),
        };
      }),
    };
    const answer = solvePanel(request, { alternatives: perDay - 1 });
    results.push({ day, answer, caps });
  }

  const scheduled = results.filter((r) => r.answer.status === "scheduled");
  const blockedDays = results
    .filter((r) => r.answer.status !== "scheduled")
    .map((r) => `${r.day.toFormat("ccc d LLL")}: ${named(r.answer.reason ?? "nothing fits", users)}`);
  if (scheduled.length === 0) {
    const reason = `no time in the window (${days.length} business days from ${days[0]!.toFormat("ccc d LLL")}, ${zone}) fits the panel. ${blockedDays.join(" | ")}`;
    return { feasible: false, options: [], reasons: [reason, ...notes], reason, window, notes, calendars };
  }

  // Best of each day first (other days), then other start times of those days.
  const picks: { sessions: ScheduledSession[]; day: DayResult; rank: string }[] = [];
  for (const r of scheduled)
    if (picks.length < maxOptions)
      picks.push({ sessions: r.answer.sessions, day: r, rank: picks.length === 0 ? "earliest possible" : "best time on another day" });
  for (const r of scheduled)
    for (const alt of r.answer.alternatives ?? [])
      if (picks.length < maxOptions) picks.push({ sessions: alt.sessions, day: r, rank: "another start time on the same day" });
  if (input.list) picks.sort((a, b) => Date.parse(a.sessions[0]!.start) - Date.parse(b.sessions[0]!.start));

  const options = picks.map((pick, n) => {
    const sessions = pick.sessions.map((s) => {
      const planned = plan.sessions.find((p) => p.id === s.id)!;
      return { planned, s, shadow: undefined as string | undefined };
    });
    // The shadow seat: someone in training free for the whole session, not already on the panel.
    if (plan.shadow && plan.shadow.pool.length > 0) {
      const onPanel = new Set(pick.sessions.flatMap((s) => s.interviewers));
      for (const [i, entry] of sessions.entries()) {
        if (plan.shadow.sessions === "first" && i > 0) break;
        const free = plan.shadow.pool.find((id) => !onPanel.has(id) && isFree(readable.get(id), entry.s.start, entry.s.end));
        if (free) {
          entry.shadow = free;
          onPanel.add(free);
        }
      }
    }
    const booking: BookingParams = {
      opportunityId: input.opportunityId,
      ...(input.postingId ? { postingId: input.postingId } : {}),
      ...(input.stageId ? { stageId: input.stageId } : {}),
      panelKey: input.panelKey,
      candidate: { name: candidate.name, ...(candidate.email ? { email: candidate.email } : {}), timezone: zone },
      format: input.format ?? "video",
      ...(input.language ? { language: input.language } : {}),
      sessions: sessions.map(({ planned, s, shadow }) => ({
        id: s.id,
        title: planned.title,
        start: s.start,
        end: s.end,
        interviewers: [...s.interviewers, ...(shadow ? [shadow] : [])].map((id) => ({
          leverUserId: id,
          email: (users.get(id)?.email ?? readable.get(id)!.interviewer.email).toLowerCase(),
          ...(users.get(id)?.name ? { name: users.get(id)!.name! } : {}),
        })),
        ...(planned.feedbackTemplateId ? { feedbackTemplateId: planned.feedbackTemplateId } : {}),
      })),
    };
    const first = pick.sessions[0]!;
    const last = pick.sessions.at(-1)!;
    const reasons = [
      `${pick.rank}: ${fmt(first.start, zone)}–${DateTime.fromISO(last.end, { zone }).toFormat("HH:mm")} in the candidate's time (${zone})`,
      ...sessions.map(
        ({ planned, s, shadow }) =>
          `${planned.title} ${fmt(s.start, zone)}–${DateTime.fromISO(s.end, { zone }).toFormat("HH:mm")}: ${s.interviewers.map(name).join(", ")}${shadow ? ` (shadow: ${name(shadow)})` : ""}`,
      ),
      ...whyNotOthers(pick.sessions, plan, readable, pick.day.caps, name),
    ];
    if (n === 0 && blockedDays.length > 0) reasons.push(`earlier days do not fit: ${blockedDays.slice(0, 3).join(" | ")}`);
    return { label: `Option ${n + 1}: ${fmt(first.start, zone)} (${zone})`, booking, reasons };
  });

  return {
    feasible: true,
    booking: options[0]!.booking,
    options,
    reasons: options[0]!.reasons,
    window,
    notes,
    calendars,
  };
}

function isFree(a: Extract<InterviewerAvailability, { ok: true }> | undefined, start: string, end: string): boolean {
  if (!a) return false;
  const s = Date.parse(start);
  const e = Date.parse(end);
  return a.free.some((f) => Date.parse(f.start) <= s && Date.parse(f.end) >= e);
}

/** For each session, why the other members of its pool do not sit it. */
function whyNotOthers(
  sessions: ScheduledSession[],
  plan: PanelPlan,
  readable: Map<string, Extract<InterviewerAvailability, { ok: true }>>,
  caps: Map<string, { max: number; why?: string }>,
  name: (id: string) => string,
): string[] {
  const out: string[] = [];
  for (const s of sessions) {
    const planned = plan.sessions.find((p) => p.id === s.id)!;
    const others = planned.pool.filter((id) => !s.interviewers.includes(id));
    const why = others.map((id) => {
      const a = readable.get(id);
      if (!a) return `${name(id)} (calendar not read)`;
      const cap = caps.get(id);
      if (cap && cap.max === 0) return `${name(id)} (${cap.why ?? "at their load cap"})`;
      const st = Date.parse(s.start);
      const en = Date.parse(s.end);
      const inWork = a.working.some((w) => Date.parse(w.start) <= st && Date.parse(w.end) >= en);
      if (!inWork) return `${name(id)} (outside working hours)`;
      if (!isFree(a, s.start, s.end)) return `${name(id)} (busy, or within the ${plan.bufferMinutes}-minute buffer)`;
      return `${name(id)} (free, not needed)`;
    });
    if (why.length > 0) out.push(`not on ${planned.title}: ${why.join(", ")}`);
  }
  return out;
}

/** A solver reason with Lever user ids replaced by names. */
function named(reason: string, users: Map<string, PanelUser>): string {
  let out = reason;
  for (const [id, u] of users) if (u.name && out.includes(id)) out = out.replaceAll(id, u.name);
  return out;
}
