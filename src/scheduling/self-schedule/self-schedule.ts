/**
 * Candidate self-scheduling: what the public booking page may do with a link's token. It lists the
 * options the exact solver finds feasible for the whole panel (read live from the calendars), books
 * one through the same `bookPanel` as an approved proposal (same seat locks, free/busy re-read and
 * idempotency by panel key), and later reschedules (`rebookPanel`) or cancels that booking. The
 * page never sees interviewers: an option is its day, start and end, and the sessions' titles.
 */
import { DateTime } from "luxon";
import {
  readAvailability,
  resolveIdentity,
  sendEmailInvite,
  UnknownIdentityError,
  type CalendarProvider,
  type CalendarsConfig,
  type InviteSmtpSettings,
} from "../../calendars/index.ts";
import {
  createBookingLinkStore,
  createBookingStore,
  createReminderStore,
  createSchedulingChangeStore,
  type BookingLink,
  type Database,
} from "../../store/index.ts";
import { bookPanel, BookingError, inviteUid, span, type BookingLever } from "../booking/book-panel.ts";
import { rebookPanel } from "../booking/rebook-panel.ts";
import type { BookingParams } from "../booking/params.ts";
import { businessDays, proposeSchedule, readWindow } from "../proposal/propose.ts";
import { DEFAULT_LINK_DAYS, firstName, linkRequestSchema, type LinkLanguage, type LinkRequest } from "./link-request.ts";

/** The Lever writes of self-scheduling: booking's, plus removing a cancelled panel. */
export interface SelfScheduleLever extends BookingLever {
  deletePanel?(opportunityId: string, panelId: string, o: { key: string }): Promise<void>;
}

export interface SelfScheduleDeps {
  db: Database;
  calendars: CalendarsConfig;
  /** Open providers by connection id (opened on first use by the caller). */
  providers: () => ReadonlyMap<string, CalendarProvider>;
  smtp?: InviteSmtpSettings | undefined;
  /** The Lever gateway of a connection. */
  lever: (connectionId: string) => Promise<SelfScheduleLever>;
  /** Tells the coordinator about a reschedule or cancellation (e-mail); failures are logged by the caller, never shown to the candidate. */
  notify?: ((to: string, message: { title: string; text: string }) => Promise<void>) | undefined;
  videoUrl?: string | undefined;
  externalUrl?: ((panelKey: string) => string | undefined) | undefined;
  now?: (() => number) | undefined;
}

/** One bookable option as the page shows it: no interviewers. */
export interface PublicOption {
  start: string;
  end: string;
  sessions: { title: string; start: string; end: string }[];
}

export interface PublicView {
  status: "open" | "booked" | "cancel_requested" | "cancelled";
  firstName: string;
  title: string;
  format: "video" | "onsite";
  language: LinkLanguage;
  /** The zone the candidate was assumed to be in (the page lets them change it). */
  timezone: string;
  sessions: { title: string; minutes: number }[];
  minutes: number;
  /** What is booked, when it is. */
  booked?: PublicOption | undefined;
  joinUrl?: string | undefined;
}

export type BookOutcome =
  | { ok: true; booked: PublicOption; rescheduled: boolean }
  | { ok: false; reason: "taken" | "closed"; options: PublicOption[] }
  /** A move asked for inside the notice period: nothing was moved, the coordinator was asked. */
  | { ok: false; reason: "notice"; options: [] };

export type CancelOutcome = { ok: true; applied: true } | { ok: true; applied: false; reason: "notice" } | { ok: false; reason: "closed" };

/** How many start times a day and in all the page lists. */
export const PAGE_OPTIONS = { perDay: 8, total: 60 } as const;

const lower = (s: string) => s.trim().toLowerCase();

function publicOption(b: BookingParams): PublicOption {
  return { start: b.sessions[0]!.start, end: b.sessions.at(-1)!.end, sessions: b.sessions.map((s) => ({ title: s.title, start: s.start, end: s.end })) };
}

/** A link's stored request, checked; a row that does not parse is treated as no link. */
function requestOf(link: BookingLink): LinkRequest | undefined {
  const r = linkRequestSchema.safeParse(link.request);
  return r.success ? r.data : undefined;
}

/**
 * @example
 * const self = createSelfScheduling({ db, calendars, providers: () => providers, smtp, lever: async () => gateway });
 * const view = await self.view(token);          // undefined: unknown or expired
 * const options = await self.options(token);    // feasible whole-panel options
 * const outcome = await self.book(token, options[0].start);
 */
export function createSelfScheduling(deps: SelfScheduleDeps) {
  const links = createBookingLinkStore(deps.db);
  const now = () => deps.now?.() ?? Date.now();

  async function open(token: string): Promise<{ link: BookingLink; request: LinkRequest } | undefined> {
    const link = await links.find(token, new Date(now()));
    if (!link) return undefined;
    const request = requestOf(link);
    return request ? { link, request } : undefined;
  }

  /** Every option the solver finds for the whole panel right now, as booking params, in time order. */
  async function solve(request: LinkRequest, list: { perDay: number; total: number }): Promise<BookingParams[]> {
    const at = now();
    const days = businessDays(at, request.candidate.timezone, request.plan.windowBusinessDays);
    const pool = [...new Set([...request.plan.sessions.flatMap((s) => s.pool), ...(request.plan.shadow?.pool ?? [])])];
    const byId = new Map(request.users.map((u) => [u.id, u]));
    const window = readWindow(days);
    const availability = await readAvailability(deps.calendars, deps.providers(), {
      users: pool.map((id) => ({ id, email: byId.get(id)?.email ?? undefined, name: byId.get(id)?.name ?? undefined })),
      window,
      bufferMinutes: request.plan.bufferMinutes,
    });
    // Seats another booking holds but may not have written into the calendars yet block too.
    const emailOf = (id: string) => byId.get(id)?.email?.toLowerCase();
    const emails = pool.map(emailOf).filter((e): e is string => Boolean(e));
    const held = await createBookingStore(deps.db).heldSeats(emails, window, request.panelKey);
    for (const a of availability) {
      if (!a.ok) continue;
      const email = emailOf(a.leverUserId);
      for (const seat of held)
        if (seat.interviewer === email) a.interviewer.busy.push({ start: seat.start, end: seat.end, status: "busy", title: "Held by another booking" });
    }
    const proposal = proposeSchedule({
      plan: request.plan,
      users: request.users,
      availability,
      candidate: request.candidate,
      opportunityId: request.opportunityId,
      postingId: request.postingId,
      stageId: request.stageId,
      panelKey: request.panelKey,
      now: at,
      interviewPattern: request.interviewPattern,
      format: request.format,
      list,
    });
    return proposal.options.map((o) => o.booking);
  }

  function bookingDeps(link: BookingLink, lever: SelfScheduleLever) {
    return {
      db: deps.db,
      connectionId: link.connectionId,
      lever,
      calendars: deps.calendars,
      providers: deps.providers(),
      smtp: deps.smtp,
      videoUrl: deps.videoUrl,
      externalUrl: deps.externalUrl,
    };
  }

  async function tellCoordinator(request: LinkRequest, title: string, text: string): Promise<void> {
    if (request.coordinator && deps.notify) await deps.notify(request.coordinator, { title, text });
  }

  return {
    /** What the page shows about a link; undefined for unknown, expired and damaged links alike. */
    async view(token: string): Promise<PublicView | undefined> {
      const opened = await open(token);
      if (!opened) return undefined;
      const { link, request } = opened;
      const booked = link.booked ? publicOption(link.booked as unknown as BookingParams) : undefined;
      const row = link.panelKey ? await createSchedulingChangeStore(deps.db).booked(link.panelKey) : undefined;
      const joinUrl =
        request.format === "video"
          ? Object.values(row?.events ?? {})
              .map((e) => e.conferenceUrl as string | undefined)
              .find(Boolean)
          : undefined;
      return {
        status: link.status,
        firstName: firstName(request.candidate.name),
        title: request.title,
        format: request.format,
        language: request.language,
        timezone: request.candidate.timezone,
        sessions: request.plan.sessions.map((s) => ({ title: s.title, minutes: s.minutes })),
        minutes: request.plan.sessions.reduce((m, s) => m + s.minutes, 0),
        ...(booked && link.status !== "cancelled" ? { booked } : {}),
        ...(joinUrl && link.status === "booked" ? { joinUrl } : {}),
      };
    },

    /** The feasible options (for booking, or for moving a booked panel). */
    async options(token: string): Promise<PublicOption[] | undefined> {
      const opened = await open(token);
      if (!opened) return undefined;
      if (opened.link.status !== "open" && opened.link.status !== "booked") return [];
      const all = await solve(opened.request, PAGE_OPTIONS);
      const current = opened.link.booked ? (opened.link.booked as unknown as BookingParams).sessions[0]!.start : undefined;
      return all.map(publicOption).filter((o) => o.start !== current);
    },

    /**
     * Books the option starting at `start` (or moves a booked panel there). The option is solved
     * again first; when it is no longer feasible, or another booking takes a seat meanwhile, the
     * answer is `taken` with the options that remain. A move inside the notice period (the same as
     * cancelling's) changes nothing: the booking is marked escalated and the coordinator is asked.
     */
    async book(token: string, start: string): Promise<BookOutcome | undefined> {
      const opened = await open(token);
      if (!opened) return undefined;
      const { link, request } = opened;
      if (link.status !== "open" && link.status !== "booked") return { ok: false, reason: "closed", options: [] };
      const wanted = Date.parse(start);
      if (link.status === "booked") {
        const changes = createSchedulingChangeStore(deps.db);
        const current = await changes.booked(link.panelKey!);
        if (!current) return { ok: false, reason: "closed", options: [] };
        const b = current.params as unknown as BookingParams;
        const hoursLeft = (Date.parse(b.sessions[0]!.start) - now()) / 3_600_000;
        if (hoursLeft < request.cancelNoticeHours) {
          await changes.setState(link.panelKey!, "escalated");
          const to = Number.isFinite(wanted) ? ` to ${new Date(wanted).toISOString()}` : "";
          const text = `${request.candidate.name} asked to move the ${request.title} (${span(b)})${to} with their self-scheduling link, ${Math.max(0, Math.round(hoursLeft))} hours before it starts — inside the ${request.cancelNoticeHours}-hour notice period, so nothing was changed. Move or keep it in Fulcrum's Scheduling page and tell the candidate.`;
          // One note per booked revision: asking again (a second click) adds none.
          await (await deps.lever(link.connectionId)).addNote(
            b.opportunityId,
            { value: text },
            { key: `fulcrum:self-move:${link.panelKey}:${current.revision}:request` },
          );
          await tellCoordinator(request, `Request to move an interview from ${request.candidate.name}`, text);
          return { ok: false, reason: "notice", options: [] };
        }
      }
      // Solved again for every start of the window's days, so a start shown a moment ago is found if it still fits.
      const all = await solve(request, { perDay: 200, total: 5000 });
      const pick = Number.isFinite(wanted) ? all.find((b) => Date.parse(b.sessions[0]!.start) === wanted) : undefined;
      const remaining = () =>
        all
          .filter((b) => b !== pick)
          .map(publicOption)
          .filter((o) => Date.parse(o.start) >= wanted || !Number.isFinite(wanted))
          .slice(0, PAGE_OPTIONS.perDay);
      if (!pick) return { ok: false, reason: "taken", options: remaining() };
      const lever = await deps.lever(link.connectionId);
      const until = new Date(Date.parse(pick.sessions.at(-1)!.end));
      try {
        if (link.status === "open") {
          // One booking per link at a time: a second click or tab is told the time is taken
          // instead of booking the same panel again (and releasing the first one's seats).
          if (!(await links.claim(link.tokenHash))) return { ok: false, reason: "taken", options: remaining() };
          let booked = false;
          try {
            await bookPanel(pick, bookingDeps(link, lever));
            booked = await links.markBooked(link.tokenHash, pick.panelKey, pick as unknown as Record<string, unknown>, until);
          } finally {
            if (!booked) await links.release(link.tokenHash);
          }
          if (!booked) return { ok: false, reason: "closed", options: [] };
          return { ok: true, booked: publicOption(pick), rescheduled: false };
        }
        const current = await createSchedulingChangeStore(deps.db).booked(link.panelKey!);
        if (!current) return { ok: false, reason: "closed", options: [] };
        const before = current.params as unknown as BookingParams;
        // Another tab moved the panel first (that revision is applied): this move is not made.
        if ((await rebookPanel(pick, current.revision + 1, bookingDeps(link, lever))).alreadyApplied)
          return { ok: false, reason: "taken", options: remaining() };
        if (!(await links.markRescheduled(link.tokenHash, pick as unknown as Record<string, unknown>, until)))
          return { ok: false, reason: "closed", options: [] };
        await tellCoordinator(
          request,
          `Interview moved by ${request.candidate.name}`,
          `${request.candidate.name} moved the ${request.title} from ${span(before)} to ${span(pick)} with their self-scheduling link. Calendars, the invite and the Lever panel are updated.`,
        );
        return { ok: true, booked: publicOption(pick), rescheduled: true };
      } catch (error) {
        if (error instanceof BookingError) return { ok: false, reason: "taken", options: remaining() };
        throw error;
      }
    },

    /**
     * Cancels the booked panel: events removed, the candidate's invite cancelled (same UID, higher
     * SEQUENCE), the Lever panel removed and a note added, seats given back. Within the notice
     * period nothing is changed: the booking is marked escalated and the coordinator is asked.
     */
    async cancel(token: string): Promise<CancelOutcome | undefined> {
      const opened = await open(token);
      if (!opened) return undefined;
      const { link, request } = opened;
      if (link.status === "cancel_requested") return { ok: true, applied: false, reason: "notice" };
      if (link.status !== "booked" || !link.panelKey) return { ok: false, reason: "closed" };
      const changes = createSchedulingChangeStore(deps.db);
      const row = await changes.booked(link.panelKey);
      if (!row) return { ok: false, reason: "closed" };
      const b = row.params as unknown as BookingParams;
      const lever = await deps.lever(link.connectionId);
      const hoursLeft = (Date.parse(b.sessions[0]!.start) - now()) / 3_600_000;
      if (hoursLeft < request.cancelNoticeHours) {
        await changes.setState(link.panelKey, "escalated");
        await links.setStatus(link.tokenHash, "cancel_requested");
        const text = `${request.candidate.name} asked to cancel the ${request.title} (${span(b)}) with their self-scheduling link, ${Math.max(0, Math.round(hoursLeft))} hours before it starts — inside the ${request.cancelNoticeHours}-hour notice period, so nothing was changed. Cancel or keep it in Fulcrum's Scheduling page and tell the candidate.`;
        await lever.addNote(b.opportunityId, { value: text }, { key: `fulcrum:self-cancel:${link.panelKey}:request` });
        await tellCoordinator(request, `Cancellation request from ${request.candidate.name}`, text);
        return { ok: true, applied: false, reason: "notice" };
      }
      await cancelBookedPanel(b, row, lever);
      await links.setStatus(link.tokenHash, "cancelled");
      await tellCoordinator(
        request,
        `Interview cancelled by ${request.candidate.name}`,
        `${request.candidate.name} cancelled the ${request.title} (${span(b)}) with their self-scheduling link. The calendar events, the invite and the Lever panel are removed.`,
      );
      return { ok: true, applied: true };
    },

    /** The booked panel as an iCalendar file for the candidate's own calendar. */
    async ics(token: string): Promise<{ uid: string; booking: BookingParams; joinUrl?: string | undefined; sequence: number } | undefined> {
      const opened = await open(token);
      if (!opened || opened.link.status !== "booked" || !opened.link.panelKey) return undefined;
      const row = await createSchedulingChangeStore(deps.db).booked(opened.link.panelKey);
      if (!row) return undefined;
      const joinUrl = Object.values(row.events)
        .map((e) => e.conferenceUrl as string | undefined)
        .find(Boolean);
      return { uid: inviteUid(opened.link.panelKey), booking: row.params as unknown as BookingParams, joinUrl, sequence: row.revision };
    },
  };

  async function cancelBookedPanel(
    b: BookingParams,
    row: { panelKey: string; revision: number; events: Record<string, Record<string, unknown>>; panelId: string | null },
    lever: SelfScheduleLever,
  ): Promise<void> {
    const changes = createSchedulingChangeStore(deps.db);
    for (const [key, e] of Object.entries(row.events)) {
      const organizer = identityOf(String(e.organizer), b);
      const provider = organizer ? deps.providers().get(organizer.connectionId) : undefined;
      if (organizer && provider) {
        try {
          await provider.deleteEvent(organizer, { id: String(e.id), href: e.href as string | undefined });
        } catch (error) {
          // Already gone (deleted by hand) is what we wanted.
          if (!/not ?found|404|410/i.test((error as Error).message)) throw error;
        }
      }
      await changes.removeEvent(row.panelKey, key);
    }
    if (b.candidate.email && deps.smtp) {
      await sendEmailInvite(deps.smtp, {
        method: "CANCEL",
        uid: inviteUid(row.panelKey),
        sequence: row.revision + 1,
        start: b.sessions[0]!.start,
        end: b.sessions.at(-1)!.end,
        title: `Interview – ${b.candidate.name}`,
        to: [{ email: b.candidate.email, name: b.candidate.name }],
        timezone: b.candidate.timezone,
      });
    }
    if (row.panelId && lever.deletePanel) await lever.deletePanel(b.opportunityId, row.panelId, { key: `fulcrum:self-cancel:${row.panelKey}:panel` });
    await lever.addNote(b.opportunityId, { value: `Panel cancelled by the candidate (was ${span(b)}).` }, { key: `fulcrum:self-cancel:${row.panelKey}:note` });
    await deps.db.transaction((tx) => createSchedulingChangeStore(tx).replaceSeats(row.panelKey, []));
    await changes.setState(row.panelKey, "cancelled");
    await createReminderStore(deps.db).withdrawPending(row.panelKey, "the candidate cancelled the interview");
  }

  function identityOf(email: string, b: BookingParams) {
    const who = b.sessions.flatMap((s) => s.interviewers).find((i) => lower(i.email) === lower(email));
    try {
      const id = resolveIdentity({ id: who?.leverUserId ?? email, email, name: who?.name }, deps.calendars);
      return "emailOnly" in id ? undefined : id;
    } catch (error) {
      if (error instanceof UnknownIdentityError) return undefined;
      throw error;
    }
  }
}

export type SelfScheduling = ReturnType<typeof createSelfScheduling>;

/** When a new link stops working for booking. */
export function linkExpiry(now: number, days: number | undefined): Date {
  const d = days !== undefined && Number.isFinite(days) && days > 0 ? Math.min(days, 60) : DEFAULT_LINK_DAYS;
  return DateTime.fromMillis(now).plus({ days: d }).toJSDate();
}
