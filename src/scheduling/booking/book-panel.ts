/**
 * Books one panel option (the `scheduling.book` action): holds the interviewers' seats in the
 * database, reads their free/busy again, creates the calendar events, e-mails the candidate an
 * invite, creates the Lever panel and a note. Every step is recorded in `scheduling_bookings`
 * and every external write carries a key derived from the panel key, so a retried or crashed
 * booking continues where it stopped and never makes a second event, invite or panel.
 */
import { createHash } from "node:crypto";
import { DateTime } from "luxon";
import {
  readAvailability,
  resolveIdentity,
  sendEmailInvite,
  UnknownIdentityError,
  type CalendarIdentity,
  type CalendarProvider,
  type CalendarsConfig,
  type InviteSmtpSettings,
} from "../../calendars/index.ts";
import { createBookingStore, type BookingRow, type Database, type Seat } from "../../store/index.ts";
import type { BookingParams, BookingSession } from "./params.ts";

/** The Lever writes a booking makes (a subset of the engine's Lever gateway). */
export interface BookingLever {
  createPanel(opportunityId: string, panel: Record<string, unknown>, o: { key: string }): Promise<{ id?: string | undefined }>;
  addNote(opportunityId: string, note: { value: string }, o: { key: string }): Promise<{ id?: string | undefined }>;
  /** Replaces an API-made panel (`PUT`, a full replacement); a re-booking needs it. */
  updatePanel?(opportunityId: string, panelId: string, panel: Record<string, unknown>, o: { key: string }): Promise<{ id?: string | undefined }>;
}

export interface BookingDeps {
  db: Database;
  /** The Lever connection the panel is written to. */
  connectionId: string;
  lever: BookingLever;
  calendars: CalendarsConfig;
  /** Open providers by connection id. */
  providers: ReadonlyMap<string, CalendarProvider>;
  /** The deployment's SMTP settings; needed when the candidate has an e-mail address. */
  smtp?: InviteSmtpSettings | undefined;
  /** CalDAV has no video service: this link (if any) goes into its events and the invite. */
  videoUrl?: string | undefined;
  /** Where the panel is shown in Fulcrum (Lever's `externalUrl`), e.g. the console's page. */
  externalUrl?: ((panelKey: string) => string | undefined) | undefined;
  /** Called as each stage completes (tests stop a process here). */
  onStage?: ((stage: "held" | "events" | "invite" | "panel" | "note") => void | Promise<void>) | undefined;
}

/** A booking that cannot go ahead as asked (a seat is taken, a calendar refused); retrying will not help. */
export class BookingError extends Error {
  override readonly name = "BookingError";
  readonly retryable = false;
}

export interface BookingResult {
  panelKey: string;
  status: "booked";
  events: { key: string; id: string; organizer: string; sessions: string[]; conferenceUrl?: string | undefined }[];
  invite: { uid: string; to: "candidate"; sent: boolean; reason?: string | undefined };
  panelId: string | null;
  noteId: string | null;
}

const lower = (s: string) => s.trim().toLowerCase();

/** The UID of the candidate's invite: the same for every attempt and every later update of this panel. */
export function inviteUid(panelKey: string): string {
  return `${createHash("sha256").update(`fulcrum:invite:${panelKey}`).digest("hex").slice(0, 40)}@fulcrum`;
}

export function hashParams(b: BookingParams): string {
  return createHash("sha256").update(JSON.stringify(b)).digest("hex");
}

function who(session: BookingSession): string {
  return session.interviewers.map((i) => i.name ?? i.email).join(", ");
}

/** "Tue 24 Mar 2026, 09:00–11:30 (Europe/Berlin)" in the candidate's zone. */
export function span(b: BookingParams): string {
  const start = DateTime.fromISO(b.sessions[0]!.start, { zone: b.candidate.timezone });
  const end = DateTime.fromISO(b.sessions.at(-1)!.end, { zone: b.candidate.timezone });
  return `${start.toFormat("ccc d LLL yyyy, HH:mm")}–${end.toFormat("HH:mm")} (${b.candidate.timezone})`;
}

/** The events to create: one per session, or one for the whole panel. */
export function plannedEvents(b: BookingParams): { key: string; sessions: BookingSession[] }[] {
  if ((b.eventsPer ?? "session") === "panel") return [{ key: `${b.panelKey}:panel-event`, sessions: b.sessions }];
  return b.sessions.map((s) => ({ key: `${b.panelKey}:${s.id}`, sessions: [s] }));
}

export function description(b: BookingParams, sessions: BookingSession[], videoUrl: string | undefined): string {
  const lines = [`Interview with ${b.candidate.name}`];
  if (sessions.length > 1 || b.sessions.length > 1) {
    lines.push(
      "",
      ...sessions.map(
        (s) =>
          `${DateTime.fromISO(s.start, { zone: "UTC" }).toFormat("HH:mm")}–${DateTime.fromISO(s.end, { zone: "UTC" }).toFormat("HH:mm")} UTC ${s.title}: ${who(s)}`,
      ),
    );
  }
  if (videoUrl) lines.push("", `Video: ${videoUrl}`);
  if (b.packetUrl) lines.push("", `Interview packet: ${b.packetUrl}`);
  if (b.notes) lines.push("", b.notes);
  return lines.join("\n");
}

/** The calendar identity that hosts an event: its first interviewer with a connected calendar. */
export function organizerOf(sessions: BookingSession[], config: CalendarsConfig): CalendarIdentity {
  const problems: string[] = [];
  for (const s of sessions) {
    for (const i of s.interviewers) {
      try {
        const id = resolveIdentity({ id: i.leverUserId, email: i.email, name: i.name }, config);
        if (!("emailOnly" in id)) return id;
        problems.push(`${i.email} has no connected calendar`);
      } catch (error) {
        if (!(error instanceof UnknownIdentityError)) throw error;
        problems.push(error.message);
      }
    }
  }
  throw new BookingError(
    `no interviewer of ${sessions.map((s) => `session "${s.id}"`).join(", ")} has a connected calendar to hold the event (${problems.join("; ")})`,
  );
}

/**
 * Re-reads every interviewer's free/busy over the panel and names each seat that is no longer
 * free. Overlap with a busy, tentative (as configured) or out-of-office event blocks; working
 * hours and buffers were the proposal's to respect, and a person may have moved a session on purpose.
 */
export async function seatsTaken(
  b: BookingParams,
  deps: Pick<BookingDeps, "calendars" | "providers">,
  only?: (sessionId: string, email: string) => boolean,
  /** Busy times that are the panel's own events (a re-booking's), which never block it. */
  own?: (leverUserId: string, busy: { start: string; end: string }) => boolean,
): Promise<string[]> {
  const users = new Map<string, { id: string; email: string; name?: string | undefined }>();
  for (const s of b.sessions)
    for (const i of s.interviewers) if (!only || only(s.id, i.email)) users.set(i.leverUserId, { id: i.leverUserId, email: i.email, name: i.name });
  if (users.size === 0) return [];
  const start = b.sessions[0]!.start;
  const end = b.sessions.reduce((m, s) => (Date.parse(s.end) > Date.parse(m) ? s.end : m), b.sessions[0]!.end);
  const list = [...users.values()];
  const read = await readAvailability(deps.calendars, deps.providers, {
    users: list,
    window: { start: new Date(Date.parse(start) - 86_400_000).toISOString(), end: new Date(Date.parse(end) + 86_400_000).toISOString() },
    bufferMinutes: 0,
  });
  const problems: string[] = [];
  const blockedBy = new Map<string, { start: string; end: string }[]>();
  for (const [n, r] of read.entries()) {
    const user = list[n]!;
    if (r.ok) {
      blockedBy.set(user.id, r.blocked);
      continue;
    }
    // Someone reached by e-mail only has no calendar to read: their seat cannot be checked.
    if (/emailOnly/.test(r.error)) continue;
    if (r.retryable) throw Object.assign(new Error(`free/busy of ${user.email} could not be read right before booking: ${r.error}`), { retryable: true });
    problems.push(`free/busy of ${user.email} could not be read: ${r.error}`);
  }
  for (const s of b.sessions) {
    for (const i of s.interviewers) {
      if (only && !only(s.id, i.email)) continue;
      const clash = (blockedBy.get(i.leverUserId) ?? []).find(
        (x) => Date.parse(x.start) < Date.parse(s.end) && Date.parse(x.end) > Date.parse(s.start) && !own?.(i.leverUserId, x),
      );
      if (clash) problems.push(`${i.name ?? i.email} is no longer free for session "${s.id}" (${s.start}–${s.end}): busy ${clash.start}–${clash.end}`);
    }
  }
  return problems;
}

/** The Lever panel of a booking (`POST` and the full-replace `PUT` take the same body). */
export function leverPanelBody(b: BookingParams, events: Record<string, Record<string, unknown>>, externalUrl: string | undefined): Record<string, unknown> {
  return {
    timezone: b.candidate.timezone,
    externallyManaged: true,
    ...(externalUrl ? { externalUrl } : {}),
    note: `Scheduled by Fulcrum${b.notes ? `: ${b.notes}` : ""}`,
    interviews: b.sessions.map((s) => {
      const eventOf = Object.values(events).find((e) => (e.sessions as string[]).includes(s.id));
      const location = b.format === "onsite" ? "On site" : ((eventOf?.conferenceUrl as string | undefined) ?? undefined);
      return {
        subject: s.title,
        interviewers: s.interviewers.map((i) => ({ id: i.leverUserId, ...(s.feedbackTemplateId ? { feedbackTemplate: s.feedbackTemplateId } : {}) })),
        date: Date.parse(s.start),
        duration: Math.round((Date.parse(s.end) - Date.parse(s.start)) / 60_000),
        ...(location ? { location } : {}),
        ...(s.feedbackTemplateId ? { feedbackTemplate: s.feedbackTemplateId } : {}),
      };
    }),
  };
}

/**
 * Books the panel, or continues a booking of the same `panelKey` that stopped part-way.
 * @throws {BookingError} when a seat is taken (by another booking, or in a calendar) or the booking
 *   cannot be made as asked; nothing is written then, and the seats are given back.
 * @example
 * const result = await bookPanel(params, { db, connectionId: "default", lever, calendars, providers, smtp });
 * // result.events[0].id, result.panelId
 */
export async function bookPanel(b: BookingParams, deps: BookingDeps): Promise<BookingResult> {
  const store = createBookingStore(deps.db);
  const paramsHash = hashParams(b);
  let row: BookingRow | undefined = await store.get(b.panelKey);
  if (row && row.status !== "failed" && row.paramsHash !== paramsHash) {
    throw new BookingError(
      `panel ${b.panelKey} is already ${row.status === "booked" ? "booked" : "being booked"} with other times or people; cancel it or propose again under a new panel key`,
    );
  }
  if (row?.status === "booked") return resultOf(b, row, deps);

  if (!row || row.status === "failed" || row.status === "held") {
    if (b.candidate.email && !deps.smtp)
      throw new BookingError("the candidate's invite needs outgoing e-mail: set FULCRUM_SMTP_URL (or the config file's smtp: block)");
    for (const plan of plannedEvents(b)) organizerOf(plan.sessions, deps.calendars);
    const seats: Seat[] = b.sessions.flatMap((s) => s.interviewers.map((i) => ({ interviewer: lower(i.email), sessionId: s.id, start: s.start, end: s.end })));
    const held = await store.hold({ panelKey: b.panelKey, connectionId: deps.connectionId, opportunityId: b.opportunityId, paramsHash, params: b }, seats);
    if (held.inProgress) {
      // Another attempt holds this panel key (a second click, another tab, a concurrent retry).
      if (held.booking.paramsHash !== paramsHash && held.booking.status !== "failed") {
        throw new BookingError(
          `panel ${b.panelKey} is already ${held.booking.status === "booked" ? "booked" : "being booked"} with other times or people; cancel it or propose again under a new panel key`,
        );
      }
      throw Object.assign(new Error(`panel ${b.panelKey} is being booked by another attempt right now; try again in a moment`), {
        retryable: true,
        inProgress: true,
      });
    }
    if (held.conflicts.length) {
      const text = held.conflicts
        .map((c) => `${c.interviewer} is already booked ${c.start}–${c.end} by panel ${c.panelKey} (session "${c.sessionId}")`)
        .join("; ");
      throw new BookingError(`booking conflict, nothing was booked: ${text}`);
    }
    row = held.booking;
    await deps.onStage?.("held");
    // Free/busy is read again right before the first write; a seat taken meanwhile stops the booking.
    let taken: string[];
    try {
      taken = await seatsTaken(b, deps);
    } catch (error) {
      if ((error as { retryable?: boolean }).retryable !== true) await store.fail(b.panelKey, (error as Error).message, paramsHash);
      throw error;
    }
    if (taken.length) {
      const message = `booking conflict, nothing was booked: ${taken.join("; ")}`;
      await store.fail(b.panelKey, message, paramsHash);
      throw new BookingError(message);
    }
    row = await store.setStatus(b.panelKey, "writing", null, { paramsHash, status: "held" });
  }

  // Calendar events, each recorded as soon as it exists; the provider's own key check covers a
  // crash between creating one and recording it.
  for (const plan of plannedEvents(b)) {
    if (row.events[plan.key]) continue;
    const organizer = organizerOf(plan.sessions, deps.calendars);
    const provider = deps.providers.get(organizer.connectionId);
    if (!provider) throw new BookingError(`calendar connection "${organizer.connectionId}" is not open`);
    const video = b.format !== "onsite";
    const staticLink = video && provider.kind === "caldav" ? deps.videoUrl : undefined;
    const attendees = new Map<string, { email: string; name?: string | undefined }>();
    for (const s of plan.sessions)
      for (const i of s.interviewers) if (lower(i.email) !== organizer.email) attendees.set(lower(i.email), { email: i.email, name: i.name });
    const event = await provider.createEvent(organizer, {
      key: plan.key,
      title: plan.sessions.length === 1 ? `Interview: ${plan.sessions[0]!.title} – ${b.candidate.name}` : `Interview panel – ${b.candidate.name}`,
      description: description(b, plan.sessions, staticLink),
      start: plan.sessions[0]!.start,
      end: plan.sessions.at(-1)!.end,
      timezone: organizer.timezone ?? b.candidate.timezone,
      attendees: [...attendees.values()],
      location: staticLink ?? (b.format === "onsite" ? "On site" : undefined),
      conference: video && provider.kind !== "caldav",
    });
    row = await store.recordEvent(b.panelKey, plan.key, {
      id: event.id,
      href: event.href,
      connectionId: organizer.connectionId,
      organizer: organizer.email,
      sessions: plan.sessions.map((s) => s.id),
      conferenceUrl: event.conferenceUrl ?? staticLink,
    });
  }
  await deps.onStage?.("events");

  const joinUrl = Object.values(row.events)
    .map((e) => e.conferenceUrl as string | undefined)
    .find(Boolean);
  if (!row.invite) {
    const uid = inviteUid(b.panelKey);
    if (b.candidate.email) {
      // Sent at most once: a crash after sending and before recording sends it again with the same
      // UID, which the candidate's calendar takes as the same event.
      const sessionLines = b.sessions.map(
        (s) =>
          `${DateTime.fromISO(s.start, { zone: b.candidate.timezone }).toFormat("HH:mm")}–${DateTime.fromISO(s.end, { zone: b.candidate.timezone }).toFormat("HH:mm")} ${s.title}`,
      );
      const sent = await sendEmailInvite(deps.smtp!, {
        method: "REQUEST",
        uid,
        sequence: 0,
        start: b.sessions[0]!.start,
        end: b.sessions.at(-1)!.end,
        title: `Interview – ${b.candidate.name}`,
        description: [...sessionLines, ...(b.notes ? ["", b.notes] : [])].join("\n"),
        location: b.format === "onsite" ? "On site" : undefined,
        joinUrl: b.format === "onsite" ? undefined : joinUrl,
        to: [{ email: b.candidate.email, name: b.candidate.name }],
        timezone: b.candidate.timezone,
      });
      row = await store.recordInvite(b.panelKey, { uid, sent: true, messageId: sent.messageId });
    } else {
      row = await store.recordInvite(b.panelKey, { uid, sent: false, reason: "the candidate has no e-mail address in the booking: no invite was sent" });
    }
  }
  await deps.onStage?.("invite");

  if (!row.panelId) {
    const externalUrl = deps.externalUrl?.(b.panelKey) ?? joinUrl;
    const panel = await deps.lever.createPanel(b.opportunityId, leverPanelBody(b, row.events, externalUrl), { key: `fulcrum:book:${b.panelKey}:panel` });
    row = await store.recordPanel(b.panelKey, panel.id ?? null);
  }
  await deps.onStage?.("panel");

  if (row.status !== "booked") {
    const people = [...new Set(b.sessions.flatMap((s) => s.interviewers.map((i) => i.name ?? i.email)))];
    const note = await deps.lever.addNote(
      b.opportunityId,
      { value: `Panel scheduled for ${span(b)} with ${people.join(", ")}.` },
      { key: `fulcrum:book:${b.panelKey}:note` },
    );
    row = await store.recordNote(b.panelKey, note.id ?? null);
  }
  await deps.onStage?.("note");
  return resultOf(b, row, deps);
}

function resultOf(b: BookingParams, row: BookingRow, _deps: BookingDeps): BookingResult {
  const invite = row.invite ?? {};
  return {
    panelKey: b.panelKey,
    status: "booked",
    events: Object.entries(row.events).map(([key, e]) => ({
      key,
      id: String(e.id),
      organizer: String(e.organizer),
      sessions: e.sessions as string[],
      ...(e.conferenceUrl ? { conferenceUrl: String(e.conferenceUrl) } : {}),
    })),
    invite: {
      uid: String(invite.uid ?? inviteUid(b.panelKey)),
      to: "candidate",
      sent: invite.sent === true,
      ...(invite.reason ? { reason: String(invite.reason) } : {}),
    },
    panelId: row.panelId || null,
    noteId: row.noteId || null,
  };
}
