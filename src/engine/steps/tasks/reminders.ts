/**
 * `scheduling.reminder`: run by the interview-reminders workflow's timers (armed by Lever's
 * interview events, N before each interview's start). Finds the panel Fulcrum booked for the
 * interview, re-reads its state and times (so a cancelled panel gets nothing and a moved one is
 * reminded for its new time only), picks the reminder due now, claims it once by booking, audience,
 * offset and start, and writes the candidate's and the not-yet-accepted interviewers' messages for
 * the workflow's notify steps, with the panel's no-show risk and its reasons.
 */
import type { CalendarProvider, CalendarSecrets, CalendarsConfig } from "../../../calendars/index.ts";
import { calendarsConfigSchema, openCalendarProvider, resolveIdentity } from "../../../calendars/index.ts";
import {
  candidateReminder,
  DEFAULT_REMINDER_OFFSETS,
  dueReminder,
  interviewerReminder,
  noShowRisk,
  noShowSignals,
  panelStart,
  parseBookingParams,
  parseReminderOffsets,
  ReminderOffsetError,
  type InviteAnswer,
} from "../../../scheduling/index.ts";
import { createReminderStore } from "../../../store/index.ts";
import { StepFailure } from "../../errors.ts";
import type { TaskHandler } from "../../ports.ts";

export interface ReminderTaskSettings {
  calendars?: CalendarsConfig | undefined;
  secrets?: CalendarSecrets | undefined;
  /** Test seam: the clock. */
  now?: (() => number) | undefined;
}

const RESCHEDULE_HINT = "Need another time? Use the reschedule link in your booking confirmation, or reply to the recruiter.";

interface Row {
  panel_key: string;
  state: string;
  params: Record<string, unknown>;
  events: Record<string, Record<string, unknown>>;
  revision: number;
  created_at: Date | string;
  link_reschedules: number | null;
  link_booked: boolean;
}

/** The `scheduling.reminder` task over the configured calendars (for the interviewers' answers). */
export function schedulingReminderTask(settings: ReminderTaskSettings = {}): TaskHandler {
  const calendars = settings.calendars ?? calendarsConfigSchema.parse({});
  let providers: Map<string, CalendarProvider> | undefined;
  const open = () => (providers ??= new Map(calendars.connections.map((c) => [c.id, openCalendarProvider(c, calendars, settings.secrets)])));
  const clock = settings.now ?? Date.now;

  return async ({ with: params, event, connectionId, db, dryRun, lever }) => {
    let offsets: number[];
    try {
      offsets = parseReminderOffsets(params.offsets === undefined || params.offsets === "" ? [...DEFAULT_REMINDER_OFFSETS] : params.offsets);
    } catch (error) {
      if (error instanceof ReminderOffsetError) throw new StepFailure(`settings.offsets: ${error.message}`);
      throw error;
    }
    const skip = (reason: string) => ({ due: false, reason, candidate: { due: false }, interviewers: { due: false }, alert: false });

    let panelId = typeof event.panelId === "string" ? event.panelId : undefined;
    if (!panelId && typeof event.interviewId === "string" && typeof event.opportunityId === "string" && lever.getInterview) {
      const interview = (await lever.getInterview(event.opportunityId, event.interviewId)) as { panel?: unknown } | null;
      panelId = typeof interview?.panel === "string" ? interview.panel : undefined;
    }
    if (!panelId) return skip("the interview names no panel: nothing to remind");
    const { rows } = await db.query<Row>(
      `select b.panel_key, b.state, b.params, b.events, b.revision, b.created_at,
              (select max(l.reschedules) from booking_links l where l.panel_key = b.panel_key) as link_reschedules,
              exists (select 1 from booking_links l where l.panel_key = b.panel_key and l.status = 'booked') as link_booked
         from scheduling_bookings b where b.connection_id = $1 and b.panel_id = $2 and b.status = 'booked'`,
      [connectionId, panelId],
    );
    const row = rows[0];
    if (!row) return skip("Fulcrum did not book this panel: its reminders are not Fulcrum's to send");
    if (row.state !== "booked") return skip(`the panel is ${row.state}: no reminder`);
    const booking = parseBookingParams(row.params);
    const start = panelStart(booking);
    const now = clock();
    const offset = dueReminder(start, offsets, now);
    if (offset === undefined) return skip(`no reminder is due now: the panel starts at ${start}`);

    const store = createReminderStore(db);
    const joinUrl = Object.values(row.events)
      .map((e) => e.conferenceUrl as string | undefined)
      .find(Boolean);
    const sent = await store.sentFor(row.panel_key);

    // The candidate's reminder, once per booking, offset and start.
    let candidate: Record<string, unknown> = { due: false, reason: "the booking has no e-mail address for the candidate" };
    if (booking.candidate.email) {
      const claim = { panelKey: row.panel_key, audience: "candidate" as const, offsetMinutes: offset, start, recipients: 1 };
      if (dryRun || (await store.claim(claim))) {
        // Booking links keep only a hash of their token, so the link itself cannot be repeated here.
        const text = candidateReminder(booking, { offsetMinutes: offset, joinUrl, rescheduleHint: row.link_booked ? RESCHEDULE_HINT : undefined });
        candidate = { due: true, to: booking.candidate.email, subject: text.subject, message: text.text, offsetMinutes: offset };
      } else candidate = { due: false, reason: `the ${offset}-minute reminder for this time was already sent` };
    }

    // Interviewers who have not accepted, at the first (largest) offset only.
    let interviewers: Record<string, unknown> = { due: false, reason: "interviewers are reminded at the first offset only" };
    let invite: InviteAnswer = "unknown";
    if (offset === offsets[0]) {
      const pending = await unanswered(row.events, booking, calendars, open);
      if ("error" in pending) interviewers = { due: false, reason: pending.error };
      else if (pending.emails.length === 0) interviewers = { due: false, reason: "every interviewer accepted the invite" };
      else {
        const claim = { panelKey: row.panel_key, audience: "interviewers" as const, offsetMinutes: offset, start, recipients: pending.emails.length };
        if (dryRun || (await store.claim(claim))) {
          const text = interviewerReminder(booking, { offsetMinutes: offset, joinUrl });
          interviewers = { due: true, to: pending.emails.join(", "), count: pending.emails.length, subject: text.subject, message: text.text };
        } else interviewers = { due: false, reason: "the interviewers' reminder for this time was already sent" };
      }
      if ("candidate" in pending && pending.candidate) invite = pending.candidate;
    }

    const zones = booking.sessions
      .flatMap((s) => s.interviewers)
      .map((i) => {
        try {
          const id = resolveIdentity({ id: i.leverUserId, email: i.email, name: i.name }, calendars);
          return ("timezone" in id ? id.timezone : undefined) ?? calendars.defaultTimezone;
        } catch {
          return calendars.defaultTimezone;
        }
      })
      .filter((z): z is string => typeof z === "string");
    const lastCandidate = sent.find((s) => s.audience === "candidate" && s.start === new Date(start).toISOString() && s.offsetMinutes !== offset);
    const risk = noShowRisk(
      noShowSignals(booking, {
        interviewerZones: zones,
        bookedAt: new Date(row.created_at).toISOString(),
        reschedules: Math.max(Number(row.revision), Number(row.link_reschedules ?? 0)),
        invite,
        // Fulcrum does not read the candidate's mailbox: an earlier reminder's answer is unknown.
        reminder: lastCandidate ? { sentAt: lastCandidate.sentAt } : undefined,
        now: new Date(now).toISOString(),
      }),
    );
    // The recruiter is alerted once per booking, offset and start, however many sessions' timers fire.
    const alert =
      risk.level === "high" && (dryRun || (await store.claim({ panelKey: row.panel_key, audience: "alert", offsetMinutes: offset, start, recipients: 1 })));
    return {
      due: candidate.due === true || interviewers.due === true,
      // Cancelling or moving the booking withdraws this run's reminders still waiting for approval.
      panelKey: row.panel_key,
      offsetMinutes: offset,
      start,
      candidate,
      interviewers,
      risk,
      reasons: risk.reasons,
      alert,
      alertMessage: `No-show risk ${risk.level} for the interview at ${start}: ${risk.reasons.join("; ")}.`,
    };
  };
}

/** Interviewers whose answer to the calendar invite is not `accepted`, read from the organisers' calendars. */
async function unanswered(
  events: Record<string, Record<string, unknown>>,
  booking: ReturnType<typeof parseBookingParams>,
  calendars: CalendarsConfig,
  open: () => Map<string, CalendarProvider>,
): Promise<{ emails: string[]; candidate?: InviteAnswer } | { error: string }> {
  if (calendars.connections.length === 0) return { error: "no calendar is connected: the interviewers' answers cannot be read" };
  const invited = new Set(booking.sessions.flatMap((s) => s.interviewers.map((i) => i.email.toLowerCase())));
  const pending = new Set<string>();
  let candidate: InviteAnswer | undefined;
  for (const [key, e] of Object.entries(events)) {
    const provider = open().get(String(e.connectionId));
    const organizer = String(e.organizer ?? "").toLowerCase();
    const person = booking.sessions.flatMap((s) => s.interviewers).find((i) => i.email.toLowerCase() === organizer);
    if (!provider || !person) return { error: `the calendar holding event ${String(e.id)} is not open` };
    const identity = resolveIdentity({ id: person.leverUserId, email: person.email, name: person.name }, calendars);
    if ("emailOnly" in identity) return { error: `${organizer} has no connected calendar` };
    const sessions = booking.sessions.filter((s) => (e.sessions as string[] | undefined)?.includes(s.id));
    if (sessions.length === 0) continue;
    const range = { start: sessions[0]!.start, end: sessions.at(-1)!.end };
    let found;
    try {
      found = (await provider.events(identity, range)).find((x) => x.id === e.id || x.key === key);
    } catch (error) {
      return { error: `the interviewers' answers could not be read: ${(error as Error).message}` };
    }
    if (!found) continue;
    for (const a of found.attendees) {
      const email = a.email.toLowerCase();
      if (invited.has(email) && email !== organizer && a.response !== "accepted") pending.add(email);
      if (booking.candidate.email && email === booking.candidate.email.toLowerCase()) candidate = a.response;
    }
  }
  return { emails: [...pending].sort(), ...(candidate ? { candidate } : {}) };
}
