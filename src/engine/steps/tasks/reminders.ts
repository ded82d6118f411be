/**
 * `scheduling.reminder`: run by the interview-reminders workflow's timers (armed by Lever's
 * interview events, N before each interview's start). Finds the panel Fulcrum booked for the
 * interview, re-reads its state and times (so a cancelled panel gets nothing and a moved one is
 * reminded for its new time only), picks the reminder due now, claims it once by booking, audience,
 * offset and start, and sends the candidate's reminder (worded from the time actually left, with
 * the video link and the booking's reschedule link) and the not-yet-accepted interviewers' (in
 * their own zones) — or, with `send: approve`, writes them for the workflow's notify steps; see
 * reminder-delivery.ts for why. The output carries the panel's no-show risk and its reasons. A high
 * risk alerts the recruiter (`with.alertTo`) once per booking, offset and start: sent here with
 * `send: auto` (an internal e-mail that decides nothing about the candidate, approved with the
 * booking like the reminders), else left to the workflow's alert step (`alert: true`).
 */
import type { CalendarProvider, CalendarSecrets, CalendarsConfig } from "../../../calendars/index.ts";
import { calendarsConfigSchema, openCalendarProvider, resolveIdentity } from "../../../calendars/index.ts";
import {
  attendanceConfirmedAt,
  candidateReminder,
  DEFAULT_REMINDER_OFFSETS,
  dueReminder,
  interviewerReminder,
  linkLanguage,
  noShowRisk,
  noShowSignals,
  panelStart,
  parseBookingParams,
  parseReminderOffsets,
  ReminderOffsetError,
  type InviteAnswer,
  type ReminderRecipient,
} from "../../../scheduling/index.ts";
import { createReminderStore } from "../../../store/index.ts";
import { StepFailure } from "../../errors.ts";
import type { Notifier, TaskHandler } from "../../ports.ts";
import type { Mode } from "../../policy/index.ts";
import { autoSendBlock, bookedLink, deliverReminder, reminderSendMode } from "./reminder-delivery.ts";

export interface ReminderTaskSettings {
  calendars?: CalendarsConfig | undefined;
  secrets?: CalendarSecrets | undefined;
  /** Sends the reminders (`send: auto`). */
  notify?: Notifier | undefined;
  /** The service's public address, for the booking's reschedule link. */
  publicUrl?: string | undefined;
  /** The configuration's mode ceiling (environment, else config file); a shadow ceiling (or the console's) sends nothing. */
  modeCeiling?: Mode | undefined;
  /** Test seam: the clock. */
  now?: (() => number) | undefined;
}

/** Interviewers who have not accepted the invite are reminded this long before, whatever the candidate's offsets. */
const DEFAULT_INTERVIEWER_OFFSET = "24h";

/** "24 hours", "90 minutes", "2 days". */
function offsetWords(minutes: number): string {
  if (minutes % 1440 === 0) return minutes === 1440 ? "24 hours" : `${minutes / 1440} days`;
  if (minutes % 60 === 0) return minutes === 60 ? "1 hour" : `${minutes / 60} hours`;
  return `${minutes} minutes`;
}

interface Row {
  panel_key: string;
  state: string;
  params: Record<string, unknown>;
  events: Record<string, Record<string, unknown>>;
  revision: number;
  created_at: Date | string;
  link_reschedules: number | null;
  link_booked: boolean;
  link_language: string | null;
}

/** The `scheduling.reminder` task over the configured calendars (for the interviewers' answers). */
export function schedulingReminderTask(settings: ReminderTaskSettings = {}): TaskHandler {
  const calendars = settings.calendars ?? calendarsConfigSchema.parse({});
  let providers: Map<string, CalendarProvider> | undefined;
  const open = () => (providers ??= new Map(calendars.connections.map((c) => [c.id, openCalendarProvider(c, calendars, settings.secrets)])));
  const clock = settings.now ?? Date.now;

  return async ({ with: params, event, connectionId, db, dryRun, lever, traceId }) => {
    let offsets: number[];
    try {
      offsets = parseReminderOffsets(params.offsets === undefined || params.offsets === "" ? [...DEFAULT_REMINDER_OFFSETS] : params.offsets);
    } catch (error) {
      if (error instanceof ReminderOffsetError) throw new StepFailure(`settings.offsets: ${error.message}`);
      throw error;
    }
    let interviewerOffset: number;
    try {
      const given = parseReminderOffsets(
        params.interviewerOffset === undefined || params.interviewerOffset === "" ? DEFAULT_INTERVIEWER_OFFSET : params.interviewerOffset,
      );
      if (given.length !== 1) throw new ReminderOffsetError(`give one offset, such as 24h (got ${given.length})`);
      interviewerOffset = given[0]!;
    } catch (error) {
      if (error instanceof ReminderOffsetError) throw new StepFailure(`settings.interviewerOffset: ${error.message}`);
      throw error;
    }
    const send = reminderSendMode(params.send);
    // Interviewers read the organisation's language, whatever the posting's: Fulcrum has no
    // organisation-wide language, so the workflow says it (settings.interviewerLanguage), English otherwise.
    const interviewerLanguage = linkLanguage(typeof params.interviewerLanguage === "string" ? params.interviewerLanguage : undefined);
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
              exists (select 1 from booking_links l where l.panel_key = b.panel_key and l.status = 'booked') as link_booked,
              (select l.request->>'language' from booking_links l where l.panel_key = b.panel_key order by l.updated_at desc limit 1) as link_language
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
    // The interviewers' reminder has its own offset: due once its moment has come and no nearer reminder's has.
    const interviewersDue = dueReminder(start, [interviewerOffset, ...offsets], now) === interviewerOffset;
    if (offset === undefined && !interviewersDue) return skip(`no reminder is due now: the panel starts at ${start}`);

    const store = createReminderStore(db);
    const joinUrl = Object.values(row.events)
      .map((e) => e.conferenceUrl as string | undefined)
      .find(Boolean);
    const sent = await store.sentFor(row.panel_key);
    const delivery = { notify: settings.notify, publicUrl: settings.publicUrl, box: settings.secrets?.box, modeCeiling: settings.modeCeiling };
    const block = await autoSendBlock(
      { db, send, dryRun, workflowId: typeof params.workflow === "string" ? params.workflow : undefined, runId: params.run },
      delivery,
    );
    const zoneOf = (person: { leverUserId: string; email: string; name?: string | undefined }): ReminderRecipient => {
      let zone: string | undefined;
      try {
        const id = resolveIdentity({ id: person.leverUserId, email: person.email, name: person.name }, calendars);
        zone = "timezone" in id ? id.timezone : undefined;
      } catch {
        zone = undefined;
      }
      if (zone) return { email: person.email.toLowerCase(), timezone: zone, zoneSource: "calendar" };
      if (calendars.defaultTimezone) return { email: person.email.toLowerCase(), timezone: calendars.defaultTimezone, zoneSource: "organisation" };
      return { email: person.email.toLowerCase(), timezone: "UTC", zoneSource: "utc" };
    };
    const deliver = (claim: Parameters<typeof store.claim>[0], messages: { to: string; subject: string; text: string }[], link: string | undefined) =>
      deliverReminder({
        db,
        dryRun,
        block,
        notify: settings.notify,
        claim,
        messages,
        link,
        traceId,
        connectionId,
        opportunityId: booking.opportunityId,
        actor: "task:scheduling.reminder",
      });

    // The candidate's reminder, once per booking, offset and start, with the booking's reschedule link.
    let candidate: Record<string, unknown> = { due: false, reason: "the booking has no e-mail address for the candidate" };
    if (offset === undefined) candidate = { due: false, reason: `no candidate reminder is due now (settings.offsets): the panel starts at ${start}` };
    else if (booking.candidate.email) {
      // Not for a reminder waiting for approval: its text is kept in a proposal.
      const link = row.link_booked && !(block && "approve" in block) ? await bookedLink(db, row.panel_key, delivery) : undefined;
      const text = candidateReminder(booking, {
        now,
        // The posting's language, as the candidate's booking link keeps it, or the booking for a panel
        // booked without a link (from the scheduling workflow's settings.language); English otherwise.
        language: linkLanguage(row.link_language ?? booking.language),
        joinUrl,
        rescheduleUrl: link?.url,
        confirmUrl: link?.url ? `${link.url}#attend` : undefined,
        confirmationHint: row.link_booked && !link?.url,
      });
      candidate = await deliver(
        { panelKey: row.panel_key, audience: "candidate", offsetMinutes: offset, start, recipients: 1 },
        [{ to: booking.candidate.email, subject: text.subject, text: text.text }],
        link?.url,
      );
      if (link?.reason) candidate.link = link.reason;
    }

    // Interviewers who have not accepted, at their own offset (settings.interviewerOffset), each in their own zone.
    let interviewers: Record<string, unknown> = { due: false, reason: `interviewers are reminded ${offsetWords(interviewerOffset)} before only` };
    let invite: InviteAnswer = "unknown";
    if (interviewersDue) {
      const pending = await unanswered(row.events, booking, calendars, open);
      if ("error" in pending) interviewers = { due: false, reason: pending.error };
      else if (pending.emails.length === 0) interviewers = { due: false, reason: "every interviewer accepted the invite" };
      else {
        const people = booking.sessions.flatMap((s) => s.interviewers);
        const recipients = pending.emails.map((email) => zoneOf(people.find((p) => p.email.toLowerCase() === email) ?? { leverUserId: email, email }));
        const claim = {
          panelKey: row.panel_key,
          audience: "interviewers" as const,
          offsetMinutes: interviewerOffset,
          start,
          recipients: pending.emails.length,
        };
        // Sent: one e-mail per zone, so each reads their own times; for approval: one e-mail to all, every zone named.
        const zones = [...new Set(recipients.map((r) => r.timezone))];
        const groups = block ? [recipients] : zones.map((z) => recipients.filter((r) => r.timezone === z));
        const messages = groups.map((group) => {
          const text = interviewerReminder(booking, { now, joinUrl, recipients: group, language: interviewerLanguage });
          return { to: group.map((r) => r.email).join(", "), subject: text.subject, text: text.text };
        });
        interviewers = { ...(await deliver(claim, messages, undefined)), count: pending.emails.length };
      }
      if ("candidate" in pending && pending.candidate) invite = pending.candidate;
    }

    const zones = booking.sessions
      .flatMap((s) => s.interviewers)
      .map(zoneOf)
      .filter((z) => z.zoneSource !== "utc")
      .map((z) => z.timezone);
    const lastCandidate = sent.find((s) => s.audience === "candidate" && s.start === new Date(start).toISOString() && s.offsetMinutes !== offset);
    // "I'll be there" on the booking page (linked from each reminder) answers the reminder and stands
    // for the invite accepted; a panel booked without a link gives the candidate no way to answer.
    const confirmedAt = await attendanceConfirmedAt(db, row.panel_key, start);
    const risk = noShowRisk(
      noShowSignals(booking, {
        interviewerZones: zones,
        bookedAt: new Date(row.created_at).toISOString(),
        reschedules: Math.max(Number(row.revision), Number(row.link_reschedules ?? 0)),
        invite,
        // Fulcrum does not read the candidate's mailbox: the booking page's "I'll be there" is the answer it sees.
        reminder: lastCandidate ? { sentAt: lastCandidate.sentAt, answered: row.link_booked ? confirmedAt !== undefined : undefined } : undefined,
        confirmedAt,
        now: new Date(now).toISOString(),
      }),
    );
    // The recruiter is alerted once per booking, offset and start, however many sessions' timers fire.
    // With send: auto the alert goes out here, like the reminders (see the file's comment); otherwise
    // `alert` asks the workflow's alert step to send it (after a person approves, or recorded in shadow).
    const alertMessage = `No-show risk ${risk.level} for the interview at ${start}: ${risk.reasons.join("; ")}.`;
    const alertClaim = { panelKey: row.panel_key, audience: "alert" as const, offsetMinutes: offset ?? interviewerOffset, start, recipients: 1 };
    const alertTo = typeof params.alertTo === "string" ? params.alertTo.trim() : "";
    let alert = false;
    let alerted: Record<string, unknown> | undefined;
    if (risk.level === "high" && alertTo !== "" && !block) {
      alerted = await deliver(alertClaim, [{ to: alertTo, subject: `No-show risk: interview at ${start}`, text: alertMessage }], undefined);
    } else if (risk.level === "high") alert = dryRun || (await store.claim(alertClaim));
    return {
      due: candidate.due === true || interviewers.due === true,
      sent: candidate.sent === true || interviewers.sent === true,
      // Cancelling or moving the booking withdraws this run's reminders still waiting for approval.
      panelKey: row.panel_key,
      offsetMinutes: offset ?? interviewerOffset,
      start,
      candidate,
      interviewers,
      risk,
      reasons: risk.reasons,
      alert,
      ...(alerted ? { alerted: { sent: alerted.sent === true, ...(alerted.reason ? { reason: alerted.reason } : {}) } } : {}),
      alertMessage,
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
      // A CalDAV event reads back under its UID, not the address it was created at: matched by that address (href) too.
      found = (await provider.events(identity, range)).find((x) => x.id === e.id || x.key === key || (typeof e.href === "string" && x.href === e.href));
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
