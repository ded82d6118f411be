/**
 * The calendars behind the Google Calendar and Microsoft Graph imitations: one neutral store of
 * people and events that both APIs read and write, each in its own shapes. An event lives once, in
 * its organiser's calendar, and shows on every attendee's calendar with that attendee's answer —
 * as invitations inside one Workspace or one tenant do — so a panel booked through either API
 * blocks the interviewers' free/busy at once. Every write bumps a change counter, which is what
 * sync tokens and delta links remember.
 */
import { DateTime } from "luxon";

export type AttendeeResponse = "needsAction" | "accepted" | "tentative" | "declined";
/** How an event shows on its owner's free/busy, in Graph's words. */
export type ShowAs = "free" | "tentative" | "busy" | "oof" | "workingElsewhere";
/** Google's eventType; Graph has no such field and shows these through `showAs`. */
export type EventKind = "default" | "outOfOffice" | "focusTime" | "workingLocation";
export const isoWeekdays = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"] as const;

export interface CalendarPerson {
  email: string;
  name: string;
  /** IANA zone of the person's calendar and working hours. */
  timezone: string;
  /** ISO weekdays (1 = Monday) and one daily range "HH:MM", in `timezone` (Graph's single range). */
  workingHours: { days: number[]; start: string; end: string };
}

export interface Recurrence {
  freq: "DAILY" | "WEEKLY";
  /** ISO weekdays the series falls on. */
  byDay: number[];
  /** Last local date of the series (inclusive), in the event's zone. */
  until: string;
  /** Original starts (ms) of cancelled occurrences (EXDATE). */
  exdates: number[];
  /** Moved occurrences (RECURRENCE-ID), by original start (ms). */
  overrides: { originalStart: number; start: number; end: number }[];
}

export interface StoredAttendee {
  email: string;
  name?: string | undefined;
  response: AttendeeResponse;
  optional?: boolean | undefined;
}

export interface StoredEvent {
  /** Google-style id (base32hex); Graph shows it encoded. */
  id: string;
  organizer: string;
  title: string;
  description?: string | undefined;
  location?: string | undefined;
  /** The zone the event was written in (for all-day events, the owner's zone). */
  timezone: string;
  allDay: boolean;
  /** Timed events: instants (ms). All-day events: the owner's local midnights of startDate/endDate. */
  start: number;
  end: number;
  /** All-day events only: `YYYY-MM-DD`, end exclusive. */
  startDate?: string | undefined;
  endDate?: string | undefined;
  showAs: ShowAs;
  kind: EventKind;
  visibility: "default" | "private";
  recurrence?: Recurrence | undefined;
  attendees: StoredAttendee[];
  conference?: { type: "hangoutsMeet" | "teamsForBusiness"; joinUrl: string; conferenceId: string; requestId?: string | undefined } | undefined;
  privateProperties?: Record<string, string> | undefined;
  /** Graph's client-chosen idempotency id. */
  transactionId?: string | undefined;
  status: "confirmed" | "cancelled";
  sequence: number;
  created: number;
  updated: number;
  /** Value of the store's change counter at the last write. */
  changeSeq: number;
}

/** One occurrence as the APIs list it (a single event is its own only occurrence). */
export interface Instance {
  event: StoredEvent;
  /** `seriesId_20260330T070000Z` for occurrences (Google's instance id form), else the event id. */
  id: string;
  start: number;
  end: number;
  originalStart?: number | undefined;
  /** True when this occurrence was moved from its series' rule. */
  exception: boolean;
}

/** Google's instance-id suffix for an original start. */
export function instanceStamp(ms: number): string {
  return DateTime.fromMillis(ms, { zone: "utc" }).toFormat("yyyyLLdd'T'HHmmss'Z'");
}

export class CalendarStore {
  readonly people = new Map<string, CalendarPerson>();
  readonly events = new Map<string, StoredEvent>();
  /** Incremented by every write; sync tokens and delta links carry the value they saw. */
  seq = 0;
  /** Bumping it makes every sync token and delta link issued so far expire (410). */
  generation = 1;
  readonly now: () => number;
  /** Called after every write (the push channels and subscriptions listen here). */
  readonly listeners: ((e: StoredEvent, created: boolean) => void)[] = [];

  constructor(now: () => number = Date.now) {
    this.now = now;
  }

  person(email: string): CalendarPerson | undefined {
    return this.people.get(email.toLowerCase());
  }

  addPerson(p: CalendarPerson): void {
    this.people.set(p.email.toLowerCase(), { ...p, email: p.email.toLowerCase() });
  }

  /** Makes every sync token and delta link issued so far invalid, as a provider's may become. */
  invalidateSyncTokens(): void {
    this.generation += 1;
  }

  /** Records a write: new change number and `updated` time. */
  touch(e: StoredEvent, created = false): void {
    this.seq += 1;
    e.changeSeq = this.seq;
    e.updated = this.now();
    for (const listen of this.listeners) listen(e, created);
  }

  add(e: StoredEvent): StoredEvent {
    this.events.set(e.id, e);
    this.touch(e, true);
    return e;
  }

  /** Whether `email` has this event in their calendar (organiser or invited). */
  onCalendar(e: StoredEvent, email: string): boolean {
    const who = email.toLowerCase();
    return e.organizer === who || e.attendees.some((a) => a.email === who);
  }

  /** The answer `email` gave (the organiser has accepted); undefined when not on their calendar. */
  responseOf(e: StoredEvent, email: string): AttendeeResponse | undefined {
    const who = email.toLowerCase();
    if (e.organizer === who) return "accepted";
    return e.attendees.find((a) => a.email === who)?.response;
  }

  /** Events on `email`'s calendar, cancelled ones included (sync needs them). */
  calendar(email: string): StoredEvent[] {
    return [...this.events.values()].filter((e) => this.onCalendar(e, email));
  }

  /** Occurrences of an event overlapping [from, to) (all of them when no range; series are finite). */
  instances(e: StoredEvent, from = -Infinity, to = Infinity): Instance[] {
    const overlaps = (s: number, en: number) => s < to && en > from;
    if (!e.recurrence) return overlaps(e.start, e.end) ? [{ event: e, id: e.id, start: e.start, end: e.end, exception: false }] : [];
    const r = e.recurrence;
    const duration = e.end - e.start;
    const first = DateTime.fromMillis(e.start, { zone: e.timezone });
    const until = DateTime.fromISO(r.until, { zone: e.timezone }).endOf("day");
    const out: Instance[] = [];
    // Each occurrence keeps the wall-clock time of the first in the series' own zone, so it follows
    // daylight-saving changes as Google and Exchange expand rules.
    for (let d = first.startOf("day"), n = 0; d <= until && n < 1000; d = d.plus({ days: 1 }), n++) {
      if (!r.byDay.includes(d.weekday)) continue;
      const original = d.set({ hour: first.hour, minute: first.minute, second: 0, millisecond: 0 }).toMillis();
      if (original < e.start || r.exdates.includes(original)) continue;
      const moved = r.overrides.find((o) => o.originalStart === original);
      const start = moved?.start ?? original;
      const end = moved?.end ?? original + duration;
      if (overlaps(start, end))
        out.push({ event: e, id: `${e.id}_${instanceStamp(original)}`, start, end, originalStart: original, exception: Boolean(moved) });
    }
    return out;
  }

  /** An event or one occurrence, by the id an API gave out. */
  find(id: string): { event: StoredEvent; originalStart?: number } | undefined {
    const direct = this.events.get(id);
    if (direct) return { event: direct };
    const m = /^(.+)_(\d{8}T\d{6}Z)$/.exec(id);
    if (!m) return undefined;
    const event = this.events.get(m[1]!);
    if (!event?.recurrence) return undefined;
    const original = DateTime.fromFormat(m[2]!, "yyyyLLdd'T'HHmmss'Z'", { zone: "utc" }).toMillis();
    if (!this.instances(event).some((i) => i.originalStart === original)) return undefined;
    return { event, originalStart: original };
  }

  /** Cancels one occurrence of a series (EXDATE). */
  cancelOccurrence(e: StoredEvent, originalStart: number): void {
    e.recurrence!.exdates.push(originalStart);
    e.recurrence!.overrides = e.recurrence!.overrides.filter((o) => o.originalStart !== originalStart);
    this.touch(e);
  }

  /** Moves one occurrence of a series (RECURRENCE-ID override). */
  moveOccurrence(e: StoredEvent, originalStart: number, start: number, end: number): void {
    const r = e.recurrence!;
    r.overrides = [...r.overrides.filter((o) => o.originalStart !== originalStart), { originalStart, start, end }];
    this.touch(e);
  }

  /** An attendee answers an invitation (what a person does in their own calendar app). */
  respond(eventId: string, email: string, response: AttendeeResponse): StoredEvent {
    const e = this.events.get(eventId);
    if (!e) throw new Error(`no event ${eventId} in the calendar sandbox`);
    const a = e.attendees.find((x) => x.email === email.toLowerCase());
    if (!a) throw new Error(`${email} is not invited to event ${eventId}`);
    a.response = response;
    this.touch(e);
    return e;
  }

  /**
   * What an occurrence means for `viewer`'s availability. Graph and Google differ on invitations
   * nobody answered yet: Exchange shows them tentative, Google's free/busy counts them busy.
   */
  statusFor(e: StoredEvent, viewer: string, unanswered: "tentative" | "busy"): ShowAs {
    const response = this.responseOf(e, viewer);
    if (response === "declined") return "free";
    if (e.showAs === "free" || e.showAs === "oof" || e.showAs === "workingElsewhere") return e.showAs;
    if (response === "tentative") return "tentative";
    if (response === "needsAction") return e.showAs === "busy" ? unanswered : e.showAs;
    return e.showAs;
  }
}

/** The local midnight of a date in a zone, in ms. */
export function localMidnight(date: string, zone: string): number {
  return DateTime.fromISO(date, { zone }).startOf("day").toMillis();
}
