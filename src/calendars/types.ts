/**
 * The shapes every calendar provider is normalised to. Instants are ISO 8601 strings in UTC; an
 * all-day item carries dates (`YYYY-MM-DD`, end exclusive) that mean its owner's time zone.
 */
import { z } from "zod";
import type { WeeklyHours } from "../config/index.ts";

export { weekdayKeys, weeklyHoursSchema, type WeekdayKey, type WeeklyHours } from "../config/index.ts";

/** What an interval means for availability, as Microsoft Graph words it (Google and CalDAV are mapped onto it). */
export const availabilityStatuses = ["busy", "tentative", "oof", "workingElsewhere", "free"] as const;
export type AvailabilityStatus = (typeof availabilityStatuses)[number];

/** Monday to Friday, 09:00–17:00: used when neither the provider nor the configuration says otherwise. */
export const DEFAULT_WORKING_HOURS: WeeklyHours = {
  mon: [["09:00", "17:00"]],
  tue: [["09:00", "17:00"]],
  wed: [["09:00", "17:00"]],
  thu: [["09:00", "17:00"]],
  fri: [["09:00", "17:00"]],
};

/** A person whose calendar Fulcrum reads or writes, resolved from a Lever user. */
export interface CalendarIdentity {
  /** The Lever user id (or another stable id the caller chooses). */
  id: string;
  /** The calendar address: Google user / Graph UPN / CalDAV principal's e-mail. */
  email: string;
  /** The calendar connection that serves this person (`calendars.connections[].id`). */
  connectionId: string;
  /** IANA zone from the configuration, when set there (else the provider's, else the default). */
  timezone?: string | undefined;
  /** Working hours from the configuration, when set there. */
  workingHours?: WeeklyHours | undefined;
  /** CalDAV: the calendar collection URL (absolute, or a path on the connection's server). */
  calendarUrl?: string | undefined;
}

/** A time range `[start, end)` as ISO 8601 instants. */
export interface TimeRange {
  start: string;
  end: string;
}

/** One busy-or-not item as a provider reports it, before policy is applied. */
export const rawItemSchema = z.object({
  /** An instant (ISO 8601 with offset) or, when `allDay`, a date `YYYY-MM-DD` in the owner's zone. */
  start: z.string().min(1),
  /** Exclusive end; absent when the source event had none (a note is added and a default length used). */
  end: z.string().min(1).optional(),
  status: z.enum(availabilityStatuses),
  allDay: z.boolean().optional(),
  title: z.string().optional(),
  eventId: z.string().optional(),
});
export type RawItem = z.infer<typeof rawItemSchema>;

/** Free/busy of one identity over a range, as read from its provider. */
export interface FreeBusyResult {
  identityId: string;
  email: string;
  items: RawItem[];
  /** The owner's zone as the provider knows it (Graph working hours, Google calendar setting). */
  timezone?: string | undefined;
  /** Working hours as the provider knows them (Graph only), already in IANA terms. */
  workingHours?: { timezone: string; hours: WeeklyHours } | undefined;
  /** Set when this calendar could not be read; the others in the same call still are. */
  error?: string | undefined;
  /** What was read with an assumption (e.g. working hours in a zone that could not be mapped). */
  notes?: string[] | undefined;
}

/** An attendee of an event Fulcrum writes. */
export interface Attendee {
  email: string;
  name?: string | undefined;
  optional?: boolean | undefined;
}

/** An event Fulcrum creates in the organiser's calendar. */
export interface NewEvent {
  title: string;
  /** Plain text (the interview packet); HTML-escaped by providers that want HTML. */
  description?: string | undefined;
  start: string;
  end: string;
  /** The zone the event is shown in for the organiser (IANA). */
  timezone: string;
  attendees: Attendee[];
  location?: string | undefined;
  /** Ask the provider for a video link (Meet / Teams); CalDAV has none. */
  conference?: boolean | undefined;
  /**
   * Idempotency key: Google's private extended property and iCalUID, Graph's transactionId, the
   * CalDAV object's UID. The same key never makes a second event.
   */
  key: string;
  /**
   * `tentative`: a hold, not a meeting — CalDAV STATUS:TENTATIVE, Graph showAs tentative, Google an
   * opaque event (Google has no tentative state for the organiser; the title says it is a hold).
   */
  showAs?: "tentative" | undefined;
}

/** Fields of an existing event to change. */
export type EventPatch = Partial<Pick<NewEvent, "title" | "description" | "start" | "end" | "timezone" | "attendees" | "location">>;

/** How to find an event again: its provider id, and for CalDAV its href and etag. */
export interface EventRef {
  id: string;
  href?: string | undefined;
  etag?: string | undefined;
}

/** An event as read back from a calendar. */
export interface CalendarEvent extends EventRef {
  title?: string | undefined;
  start: string;
  end?: string | undefined;
  allDay: boolean;
  status: AvailabilityStatus;
  cancelled: boolean;
  /** Attendees with their answers (declines are how Fulcrum learns someone cannot come). */
  attendees: { email: string; response: "accepted" | "declined" | "tentative" | "needsAction" }[];
  conferenceUrl?: string | undefined;
  key?: string | undefined;
}

/** Changes since a cursor (Google sync token, Graph delta link, CalDAV sync token). */
export interface EventChanges {
  events: CalendarEvent[];
  /** Ids of events removed since the cursor. */
  removed: string[];
  /** Pass back next time. */
  cursor: string;
  /** True when the provider dropped the old cursor (410) and everything was read again. */
  fullResync: boolean;
}

/** One line of `fulcrum doctor` for a calendar connection (the same shape as the Lever rows). */
export interface CalendarCheckRow {
  check: string;
  status: "ok" | "warn" | "fail" | "skip";
  detail: string;
  fix?: string | undefined;
}
