/**
 * iCalendar in and out with ical.js. In: VEVENTs expanded locally into occurrences within a range
 * (RRULE, RDATE, EXDATE, RECURRENCE-ID overrides) — servers such as Radicale neither expand nor
 * answer free-busy queries. Each occurrence's wall-clock time is placed in its TZID with Luxon's zone
 * data (the robust way across DST), falling back to the file's VTIMEZONE for names Luxon does not
 * know. Out: one VEVENT with ORGANIZER and ATTENDEEs, for CalDAV (no METHOD) or e-mail (REQUEST/CANCEL).
 */
import ICAL from "ical.js";
import { IANAZone } from "luxon";
import { assertZone, boundaryInstant } from "./local-time.ts";
import type { Attendee, AvailabilityStatus, CalendarEvent, RawItem, TimeRange } from "./types.ts";
import { windowsZoneToIana } from "./windows-zones.ts";

export interface ExpandOptions {
  range: TimeRange;
  /** The calendar owner's zone, for floating times. */
  ownerZone: string;
  /** The owner's address: their PARTSTAT decides declined (free) and tentative. */
  ownerEmail?: string | undefined;
  /** Most occurrences produced over all objects (default 20,000); more is an error. */
  maxOccurrences?: number | undefined;
  /** Most recurrence steps walked for one series (default 100,000): beyond, an error, never a silent gap. */
  maxSteps?: number | undefined;
}

export interface CalendarObject {
  data: string;
  href?: string | undefined;
  etag?: string | undefined;
}

export interface Expanded {
  events: CalendarEvent[];
  items: RawItem[];
  notes: string[];
}

/** Thrown when a range holds more occurrences than allowed. */
export class TooManyOccurrencesError extends Error {
  override readonly name = "TooManyOccurrencesError";
}

const TZ_PREFIXES = [/^\/freeassociation\.sourceforge\.net\/(Tzfile\/)?/, /^\/mozilla\.org\/[^/]+\//, /^\/citadel\.org\/[^/]+\//];

/** An IANA zone for a TZID (IANA, a known prefix, or a Windows name), or undefined. */
export function zoneForTzid(tzid: string): IANAZone | undefined {
  let name = tzid.trim().replace(/^"|"$/g, "");
  for (const p of TZ_PREFIXES) name = name.replace(p, "");
  if (IANAZone.isValidZone(name)) return IANAZone.create(name);
  try {
    return IANAZone.create(windowsZoneToIana(name, "TZID"));
  } catch {
    return undefined;
  }
}

type Time = InstanceType<typeof ICAL.Time>;

/** A DTSTART/DTEND value as an instant: UTC as is; a TZID through Luxon (or the VTIMEZONE); floating in the owner's zone. */
function instantOf(time: Time, tzid: string | undefined, owner: IANAZone, notes: Set<string>, where: string): number {
  if (time.zone?.tzid === "UTC" || time.zone === ICAL.Timezone.utcTimezone) return time.toUnixTime() * 1000;
  const wall = { year: time.year, month: time.month, day: time.day, hour: time.hour, minute: time.minute };
  if (tzid) {
    const zone = zoneForTzid(tzid);
    if (zone) return boundaryInstant(wall, zone) + time.second * 1000;
    if (ICAL.TimezoneService.has(tzid)) {
      const t = time.clone();
      t.zone = ICAL.TimezoneService.get(tzid)!;
      return t.toUnixTime() * 1000;
    }
    notes.add(`${where}: time zone "${tzid}" is unknown and has no VTIMEZONE; read in the owner's zone ${owner.name}`);
  }
  return boundaryInstant(wall, owner) + time.second * 1000;
}

function statusOf(event: InstanceType<typeof ICAL.Event>, ownerEmail: string | undefined): { status: AvailabilityStatus; cancelled: boolean } {
  const c = event.component;
  const cancelled = String(c.getFirstPropertyValue("status") ?? "").toUpperCase() === "CANCELLED";
  const busyStatus = String(c.getFirstPropertyValue("x-microsoft-cdo-busystatus") ?? "").toUpperCase();
  if (busyStatus === "OOF") return { status: "oof", cancelled };
  if (busyStatus === "WORKINGELSEWHERE") return { status: "workingElsewhere", cancelled };
  if (String(c.getFirstPropertyValue("transp") ?? "").toUpperCase() === "TRANSPARENT" || busyStatus === "FREE") return { status: "free", cancelled };
  if (ownerEmail) {
    const me = event.attendees.find(
      (a) =>
        String(a.getFirstValue())
          .replace(/^mailto:/i, "")
          .toLowerCase() === ownerEmail.toLowerCase(),
    );
    const partstat = String(me?.getParameter("partstat") ?? "").toUpperCase();
    if (partstat === "DECLINED") return { status: "free", cancelled };
    if (partstat === "TENTATIVE") return { status: "tentative", cancelled };
  }
  if (String(c.getFirstPropertyValue("status") ?? "").toUpperCase() === "TENTATIVE" || busyStatus === "TENTATIVE") return { status: "tentative", cancelled };
  return { status: "busy", cancelled };
}

const RESPONSE: Record<string, CalendarEvent["attendees"][number]["response"]> = { ACCEPTED: "accepted", DECLINED: "declined", TENTATIVE: "tentative" };

/**
 * Expands calendar objects into the occurrences that overlap `range`.
 *
 * @example
 * const { items } = expandCalendarObjects([{ data: icsText }], { range: { start: "2026-03-23T00:00:00Z", end: "2026-04-06T00:00:00Z" }, ownerZone: "Europe/Berlin" });
 */
export function expandCalendarObjects(objects: CalendarObject[], options: ExpandOptions): Expanded {
  const owner = assertZone(options.ownerZone, "owner's time zone");
  const from = Date.parse(options.range.start);
  const to = Date.parse(options.range.end);
  const maxOccurrences = options.maxOccurrences ?? 20_000;
  const maxSteps = options.maxSteps ?? 100_000;
  const notes = new Set<string>();
  const events: CalendarEvent[] = [];
  const items: RawItem[] = [];

  for (const object of objects) {
    const where = object.href ?? "calendar object";
    let root: InstanceType<typeof ICAL.Component>;
    try {
      root = new ICAL.Component(ICAL.parse(object.data));
    } catch (error) {
      notes.add(`${where}: not valid iCalendar (${(error as Error).message}); skipped`);
      continue;
    }
    for (const vtz of root.getAllSubcomponents("vtimezone")) {
      const tz = new ICAL.Timezone(vtz);
      if (tz.tzid && !ICAL.TimezoneService.has(tz.tzid) && !zoneForTzid(tz.tzid)) ICAL.TimezoneService.register(tz, tz.tzid);
    }
    const vevents = root.getAllSubcomponents("vevent");
    const masters = vevents.filter((v) => !v.hasProperty("recurrence-id"));
    const overrides = vevents.filter((v) => v.hasProperty("recurrence-id"));
    // An override whose master is not in this object (some servers split them) stands alone.
    const orphans = overrides.filter((o) => !masters.some((m) => m.getFirstPropertyValue("uid") === o.getFirstPropertyValue("uid")));
    for (const component of [...masters, ...orphans]) {
      const event = new ICAL.Event(component);
      const uid = event.uid ?? where;
      if (!component.hasProperty("recurrence-id")) {
        for (const o of overrides) if (o.getFirstPropertyValue("uid") === event.uid) event.relateException(o);
      }
      const emit = (start: Time, end: Time | undefined, item: InstanceType<typeof ICAL.Event>, recurrenceId: string | undefined) => {
        const label = `${where} (${uid}${recurrenceId ? ` @ ${recurrenceId}` : ""})`;
        const startTz = item.component.getFirstProperty("dtstart")?.getParameter("tzid") as string | undefined;
        const endTz = (item.component.getFirstProperty("dtend")?.getParameter("tzid") as string | undefined) ?? startTz;
        const allDay = start.isDate;
        const { status, cancelled } = statusOf(item, options.ownerEmail);
        let s: number;
        let e: number | undefined;
        if (allDay) {
          // Dates stay dates: the normaliser places them in the owner's zone.
          s = boundaryInstant({ year: start.year, month: start.month, day: start.day, hour: 0, minute: 0 }, owner);
          const endDate = end ?? start.clone();
          if (!end) endDate.adjust(1, 0, 0, 0);
          e = boundaryInstant({ year: endDate.year, month: endDate.month, day: endDate.day, hour: 0, minute: 0 }, owner);
        } else {
          s = instantOf(start, startTz, owner, notes, label);
          e = end ? instantOf(end, endTz, owner, notes, label) : undefined;
          if (e !== undefined && end && e <= s) e = s + end.subtractDate(start).toSeconds() * 1000;
        }
        if ((e ?? s + 1) <= from || s >= to) return;
        if (events.length >= maxOccurrences) {
          throw new TooManyOccurrencesError(
            `more than ${maxOccurrences} events or occurrences in ${options.range.start}–${options.range.end}; narrow the window or raise maxEventsPerPerson`,
          );
        }
        const dateText = (t: Time) => `${String(t.year).padStart(4, "0")}-${String(t.month).padStart(2, "0")}-${String(t.day).padStart(2, "0")}`;
        const startText = allDay ? dateText(start) : new Date(s).toISOString();
        const endText = allDay ? (end ? dateText(end) : undefined) : e !== undefined ? new Date(e).toISOString() : undefined;
        const title = item.summary || undefined;
        events.push({
          id: recurrenceId ? `${uid}/${recurrenceId}` : uid,
          href: object.href,
          etag: object.etag,
          title,
          start: startText,
          end: endText,
          allDay,
          status,
          cancelled,
          attendees: item.attendees.map((a) => ({
            email: String(a.getFirstValue()).replace(/^mailto:/i, ""),
            response: RESPONSE[String(a.getParameter("partstat") ?? "").toUpperCase()] ?? "needsAction",
          })),
          key: uid,
        });
        if (cancelled) return;
        const raw: RawItem = { start: startText, status, eventId: recurrenceId ? `${uid}/${recurrenceId}` : uid };
        if (endText) raw.end = endText;
        else if (allDay)
          raw.end = (() => {
            const d = start.clone();
            d.adjust(1, 0, 0, 0);
            return dateText(d);
          })();
        if (allDay) raw.allDay = true;
        if (title) raw.title = title;
        items.push(raw);
      };

      if (!event.isRecurring()) {
        const end = component.hasProperty("dtend") || component.hasProperty("duration") ? event.endDate : undefined;
        emit(event.startDate, end, event, event.isRecurrenceException() ? String(component.getFirstPropertyValue("recurrence-id")) : undefined);
        continue;
      }
      const hasEnd = component.hasProperty("dtend") || component.hasProperty("duration");
      const iterator = event.iterator();
      for (let steps = 0; ; steps++) {
        if (steps >= maxSteps) {
          // Stopping quietly would leave the person looking free during this series: refuse instead.
          throw new TooManyOccurrencesError(
            `${where} (${uid}): its rule gives more than ${maxSteps} occurrences before ${options.range.end}; it cannot be read safely`,
          );
        }
        const next = iterator.next();
        if (!next) break;
        const details = event.getOccurrenceDetails(next);
        // Occurrences come in start order of the rule: far enough past the window, stop (a day of slack for zones).
        if (next.toUnixTime() * 1000 > to + 2 * 86_400_000 && details.startDate.toUnixTime() * 1000 > to + 2 * 86_400_000) break;
        const itemHasEnd = details.item === event ? hasEnd : details.item.component.hasProperty("dtend") || details.item.component.hasProperty("duration");
        emit(details.startDate, itemHasEnd ? details.endDate : undefined, details.item, next.toString());
      }
    }
  }
  return { events, items, notes: [...notes] };
}

const icsDate = (iso: string) => ICAL.Time.fromJSDate(new Date(iso), true);

export interface IcsEventInput {
  uid: string;
  /** Incremented on every change of an invite that was sent (RFC 5546). */
  sequence: number;
  start: string;
  end: string;
  title: string;
  description?: string | undefined;
  location?: string | undefined;
  organizer: { email: string; name?: string | undefined };
  attendees: Attendee[];
  /** `REQUEST` or `CANCEL` for e-mail; absent for an object stored over CalDAV. */
  method?: "REQUEST" | "CANCEL" | undefined;
  /** Stamp time (defaults to now). */
  now?: Date | undefined;
  /** A URL for joining (video link). */
  url?: string | undefined;
  /** `TENTATIVE` for a hold; CONFIRMED otherwise (CANCELLED with METHOD:CANCEL). */
  status?: "TENTATIVE" | undefined;
}

/** One VEVENT in a VCALENDAR, times in UTC, with ORGANIZER and ATTENDEEs (RSVP requested). */
export function buildEventIcs(input: IcsEventInput): string {
  const cal = new ICAL.Component(["vcalendar", [], []]);
  cal.addPropertyWithValue("prodid", "-//Fulcrum//Interview scheduling//EN");
  cal.addPropertyWithValue("version", "2.0");
  if (input.method) cal.addPropertyWithValue("method", input.method);
  const ev = new ICAL.Component("vevent");
  ev.addPropertyWithValue("uid", input.uid);
  ev.addPropertyWithValue("dtstamp", ICAL.Time.fromJSDate(input.now ?? new Date(), true));
  ev.addPropertyWithValue("sequence", input.sequence);
  ev.addPropertyWithValue("dtstart", icsDate(input.start));
  ev.addPropertyWithValue("dtend", icsDate(input.end));
  ev.addPropertyWithValue("summary", input.title);
  if (input.description) ev.addPropertyWithValue("description", input.description);
  if (input.location) ev.addPropertyWithValue("location", input.location);
  if (input.url) ev.addPropertyWithValue("url", input.url);
  ev.addPropertyWithValue("status", input.method === "CANCEL" ? "CANCELLED" : (input.status ?? "CONFIRMED"));
  const organizer = ev.addPropertyWithValue("organizer", `mailto:${input.organizer.email}`);
  if (input.organizer.name) organizer.setParameter("cn", input.organizer.name);
  for (const a of input.attendees) {
    const p = ev.addPropertyWithValue("attendee", `mailto:${a.email}`);
    if (a.name) p.setParameter("cn", a.name);
    p.setParameter("role", a.optional ? "OPT-PARTICIPANT" : "REQ-PARTICIPANT");
    p.setParameter("partstat", "NEEDS-ACTION");
    p.setParameter("rsvp", "TRUE");
  }
  cal.addSubcomponent(ev);
  return cal.toString().replace(/\r?\n/g, "\r\n") + "\r\n";
}
