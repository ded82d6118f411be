/**
 * What "free" means, as one pure function: a person's provider items, working hours and zone in;
 * the intervals that block them, their working time, and what is left free out. Busy, tentative
 * (unless the policy says otherwise) and out-of-office block; free, transparent and
 * working-elsewhere do not; an all-day item covers its whole date in its owner's zone; working hours
 * are the owner's, in the owner's zone; a buffer dilates every blocking interval; a local time that
 * does not exist is skipped and an ambiguous one takes the earlier offset (see `local-time.ts`).
 */
import { DateTime, type IANAZone } from "luxon";
import { assertZone, boundaryInstant, startOfDate } from "./local-time.ts";
import { DEFAULT_WORKING_HOURS, weekdayKeys, type FreeBusyResult, type RawItem, type TimeRange, type WeeklyHours } from "./types.ts";

/** How items turn into availability; every field has the default the README states. */
export interface AvailabilityPolicy {
  /** Whether a tentative item blocks (`busy`, the default) or not (`free`). */
  tentative?: "busy" | "free" | undefined;
  /** Free minutes kept between an interview and any blocking item (default 0). */
  bufferMinutes?: number | undefined;
  /** Length given to a timed item that has no end (default 30 minutes; a note says which item). */
  openEndedMinutes?: number | undefined;
  /** Most items accepted for one person in one call (default 20,000): beyond, an error instead of unbounded work. */
  maxItems?: number | undefined;
}

/** One busy entry of the scheduling request (`interviewers[].busy[]`). */
export interface SchedulingBusy {
  start: string;
  end: string;
  status: "busy" | "tentative" | "free" | "oof";
  allDay?: boolean;
  title?: string;
}

/** One interviewer of the scheduling request, less the panel-specific `maxSessions`. */
export interface SchedulingInterviewer {
  id: string;
  email: string;
  timezone: string;
  workingHours: WeeklyHours;
  busy: SchedulingBusy[];
}

export interface Interval {
  start: number;
  end: number;
}

export interface Availability {
  /** Ready for the scheduling solver's request. */
  interviewer: SchedulingInterviewer;
  /** Merged blocking intervals (after the buffer), clipped to the window, as ISO instants. */
  blocked: TimeRange[];
  /** Working time in the window. */
  working: TimeRange[];
  /** Working time not blocked. */
  free: TimeRange[];
  /** Items that were read with an assumption (no end, unreadable times), one sentence each. */
  warnings: string[];
}

export interface AvailabilityInput {
  identity: { id: string; email: string };
  /** The owner's IANA zone. */
  timezone: string;
  window: TimeRange;
  items: RawItem[];
  workingHours: WeeklyHours;
  policy?: AvailabilityPolicy | undefined;
}

/** Thrown when a person's calendar holds more items in the window than the policy allows. */
export class TooManyItemsError extends Error {
  override readonly name = "TooManyItemsError";
}

const iso = (ms: number) => new Date(ms).toISOString();

const PLAIN_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

function parseInstant(value: string, where: string): number {
  // The common shape parses natively: ten thousand items stay well under a second.
  if (PLAIN_INSTANT.test(value)) {
    const ms = Date.parse(value);
    if (!Number.isNaN(ms)) return ms;
  }
  const t = DateTime.fromISO(value, { setZone: true });
  if (!t.isValid || !/[T ]\d/.test(value)) throw new RangeError(`${where}: "${value}" is not an ISO 8601 date-time`);
  return t.toMillis();
}

/** Sorts and merges overlapping or touching intervals. */
export function mergeIntervals(list: Interval[]): Interval[] {
  const sorted = list.filter((i) => i.end > i.start).sort((a, b) => a.start - b.start);
  const out: Interval[] = [];
  for (const i of sorted) {
    const last = out.at(-1);
    if (last && i.start <= last.end) last.end = Math.max(last.end, i.end);
    else out.push({ ...i });
  }
  return out;
}

/** `a` minus `b`, both merged and sorted. */
export function subtractIntervals(a: Interval[], b: Interval[]): Interval[] {
  const out: Interval[] = [];
  let j = 0;
  for (const x of a) {
    let cur = x.start;
    while (j < b.length && b[j]!.end <= cur) j++;
    let k = j;
    while (k < b.length && b[k]!.start < x.end) {
      if (b[k]!.start > cur) out.push({ start: cur, end: b[k]!.start });
      cur = Math.max(cur, b[k]!.end);
      k++;
    }
    if (cur < x.end) out.push({ start: cur, end: x.end });
  }
  return out;
}

/** The working intervals of `hours` in `zone` that touch `[from, to)`, day by day in the owner's calendar. */
export function workingIntervals(hours: WeeklyHours, zone: IANAZone, from: number, to: number): Interval[] {
  const out: Interval[] = [];
  let day = DateTime.fromMillis(from, { zone }).startOf("day").minus({ days: 1 });
  const last = DateTime.fromMillis(to, { zone }).startOf("day").plus({ days: 1 });
  while (day <= last) {
    const ranges = hours[weekdayKeys[day.weekday - 1]!] ?? [];
    for (const [a, b] of ranges) {
      const at = (hhmm: string) => {
        const [h, m] = hhmm.split(":").map(Number) as [number, number];
        const d = h === 24 ? day.plus({ days: 1 }) : day;
        return boundaryInstant({ year: d.year, month: d.month, day: d.day, hour: h === 24 ? 0 : h, minute: m }, zone);
      };
      const s = Math.max(at(a), from);
      const e = Math.min(at(b), to);
      if (e > s) out.push({ start: s, end: e });
    }
    day = day.plus({ days: 1 });
  }
  return mergeIntervals(out);
}

/**
 * Applies the policy to one person's items and working hours over a window.
 *
 * @example
 * const a = normaliseAvailability({
 *   identity: { id: "u1", email: "ana@example.com" }, timezone: "Europe/Berlin",
 *   window: { start: "2026-03-30T00:00:00Z", end: "2026-03-31T00:00:00Z" },
 *   items: [{ start: "2026-03-30T08:00:00Z", end: "2026-03-30T09:00:00Z", status: "busy" }],
 *   workingHours: { mon: [["09:00", "17:00"]] },
 * });
 * a.free; // [{ start: "2026-03-30T09:00:00.000Z", end: "2026-03-30T15:00:00.000Z" }]
 */
export function normaliseAvailability(input: AvailabilityInput): Availability {
  const policy = input.policy ?? {};
  const tentativeBlocks = (policy.tentative ?? "busy") === "busy";
  const buffer = (policy.bufferMinutes ?? 0) * 60_000;
  const openEnded = (policy.openEndedMinutes ?? 30) * 60_000;
  const maxItems = policy.maxItems ?? 20_000;
  const who = input.identity.email;
  const zone = assertZone(input.timezone, `time zone of ${who}`);
  const from = parseInstant(input.window.start, "window.start");
  const to = parseInstant(input.window.end, "window.end");
  if (to <= from) throw new RangeError(`window: end ${input.window.end} is not after start ${input.window.start}`);
  if (input.items.length > maxItems) {
    throw new TooManyItemsError(
      `${who} has ${input.items.length} calendar items in ${input.window.start}–${input.window.end}, more than the ${maxItems} allowed; narrow the window or raise maxItems`,
    );
  }

  const warnings: string[] = [];
  const blocking: Interval[] = [];
  const busy: SchedulingBusy[] = [];
  for (const [n, item] of input.items.entries()) {
    const label = `${who}: item ${item.eventId ?? `#${n + 1}`}${item.title ? ` ("${item.title}")` : ""}`;
    let start: number;
    let end: number;
    let startText = item.start;
    let endText = item.end;
    try {
      if (item.allDay) {
        start = startOfDate(item.start.slice(0, 10), zone);
        const endDate = item.end?.slice(0, 10) ?? DateTime.fromISO(item.start.slice(0, 10), { zone: "utc" }).plus({ days: 1 }).toISODate()!;
        if (!item.end) warnings.push(`${label} is all-day without an end date; taken as one day`);
        end = startOfDate(endDate, zone);
        startText = item.start.slice(0, 10);
        endText = endDate;
      } else {
        start = parseInstant(item.start, `${label} start`);
        if (item.end === undefined) {
          end = start + openEnded;
          warnings.push(`${label} has no end; taken as ${openEnded / 60_000} minutes`);
        } else {
          end = parseInstant(item.end, `${label} end`);
        }
        startText = iso(start);
        endText = iso(end);
      }
    } catch (error) {
      warnings.push(`${(error as Error).message}; item ignored`);
      continue;
    }
    if (end <= start) {
      warnings.push(`${label} ends before it starts (${item.start} – ${item.end}); item ignored`);
      continue;
    }
    // Only items that could touch the window, buffer included, matter.
    if (end + buffer <= from || start - buffer >= to) continue;
    const blocks = item.status === "busy" || item.status === "oof" || (item.status === "tentative" && tentativeBlocks);
    if (blocks) blocking.push({ start: start - buffer, end: end + buffer });
    // The solver knows busy/tentative/oof/free; a tentative item the policy frees, and working
    // elsewhere, reach it as free so that it ignores them as we do.
    const status: SchedulingBusy["status"] = blocks ? (item.status as "busy" | "tentative" | "oof") : "free";
    const entry: SchedulingBusy = { start: startText, end: endText!, status };
    if (item.allDay) entry.allDay = true;
    // Titles only help a coordinator read the timeline; a pathological one is cut, not carried whole.
    if (item.title) entry.title = item.title.length > 500 ? `${item.title.slice(0, 499)}…` : item.title;
    busy.push(entry);
  }

  const blocked = mergeIntervals(blocking)
    .map((i) => ({ start: Math.max(i.start, from), end: Math.min(i.end, to) }))
    .filter((i) => i.end > i.start);
  const working = workingIntervals(input.workingHours, zone, from, to);
  const free = subtractIntervals(working, blocked);
  const toRange = (i: Interval): TimeRange => ({ start: iso(i.start), end: iso(i.end) });
  return {
    interviewer: { id: input.identity.id, email: input.identity.email, timezone: input.timezone, workingHours: input.workingHours, busy },
    blocked: blocked.map(toRange),
    working: working.map(toRange),
    free: free.map(toRange),
    warnings,
  };
}

/** Where each piece of a person's availability comes from, in order of precedence. */
export interface AvailabilitySources {
  /** The person's override in `calendars.identities`. */
  configured?: { timezone?: string | undefined; workingHours?: WeeklyHours | undefined } | undefined;
  /** What the provider said (Graph's working hours and their zone; Google's calendar zone). */
  provider?: Pick<FreeBusyResult, "timezone" | "workingHours"> | undefined;
  /** `calendars.defaultTimezone` / `calendars.defaultWorkingHours`. */
  defaults?: { timezone?: string | undefined; workingHours?: WeeklyHours | undefined } | undefined;
}

/**
 * Picks a person's zone and working hours: their configured override, else the provider's, else the
 * configured default, else UTC and Monday–Friday 09:00–17:00. Throws on a zone that is not IANA.
 */
export function resolveWorkingTime(
  who: string,
  sources: AvailabilitySources,
): { timezone: string; workingHours: WeeklyHours; source: "configured" | "provider" | "default" } {
  const c = sources.configured;
  const p = sources.provider;
  const timezone = c?.timezone ?? p?.workingHours?.timezone ?? p?.timezone ?? sources.defaults?.timezone ?? "UTC";
  assertZone(timezone, `time zone of ${who}`);
  if (c?.workingHours) return { timezone, workingHours: c.workingHours, source: "configured" };
  if (p?.workingHours)
    if (p?.workingHours)
      // Provider hours are wall-clock in the provider's zone: keep them together.
      return { timezone: assertZone(p.workingHours.timezone, `working-hours zone of ${who}`).name, workingHours: p.workingHours.hours, source: "provider" };
  return { timezone, workingHours: sources.defaults?.workingHours ?? DEFAULT_WORKING_HOURS, source: "default" };
}
