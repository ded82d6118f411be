/**
 * The panel request of `solvePanel` and `fulcrum schedule solve` (issue 13, section 4), its answer,
 * and the checks that turn a request into instants: zod for the shape, then the facts zod cannot see
 * (time zones, dates, an end before its start, an interviewer a pool names but the request lacks).
 */
import { DateTime } from "luxon";
import { z } from "zod";
import { boundaryInstant, DAY_MS, MINUTE_MS, offsetTable, zoneNamed, type ZoneOffsets } from "./local-time.ts";

/** Bad input: `field` is the path of the offending value in the request, e.g. `sessions[1].pool[0]`. */
export class PanelRequestError extends Error {
  override readonly name = "PanelRequestError";
  readonly field: string;
  constructor(field: string, message: string) {
    super(field ? `${field}: ${message}` : message);
    this.field = field;
  }
}

const timeOfDay = z.string().regex(/^(?:(?:[01]\d|2[0-3]):[0-5]\d|24:00)$/, "expected a time of day as HH:MM, from 00:00 to 24:00");
const dayHours = z.array(z.tuple([timeOfDay, timeOfDay])).max(48);

/** Working hours per weekday in the interviewer's own zone; a missing weekday is not a working day. */
export const workingHoursSchema = z
  .object({ mon: dayHours, tue: dayHours, wed: dayHours, thu: dayHours, fri: dayHours, sat: dayHours, sun: dayHours })
  .partial()
  .strict();

/** One calendar entry; an all-day entry's start and end are dates (end exclusive) in its owner's zone. */
export const busySchema = z.object({
  start: z.string().min(1).max(64),
  end: z.string().min(1).max(64),
  status: z.enum(["busy", "tentative", "free", "oof"]),
  allDay: z.boolean().optional(),
  title: z.string().max(2000).optional(),
});

/** One session of the panel, run in the listed order. */
export const sessionSchema = z.object({
  id: z.string().min(1).max(200),
  title: z.string().max(500).optional(),
  minutes: z.number().int().min(1).max(1440),
  need: z.number().int().min(1).max(100),
  pool: z.array(z.string().min(1).max(200)).max(1000),
});

/** One interviewer with their calendar for the window. */
export const interviewerSchema = z.object({
  id: z.string().min(1).max(200),
  email: z.string().max(320).optional(),
  timezone: z.string().min(1).max(100),
  workingHours: workingHoursSchema,
  maxSessions: z.number().int().min(0).max(100).optional(),
  busy: z.array(busySchema).max(20_000).default([]),
});

/** A panel request, as `fulcrum schedule solve` reads it. */
export const panelRequestSchema = z.object({
  id: z.union([z.string().max(200), z.number()]),
  candidate: z.object({ timezone: z.string().min(1).max(100) }),
  window: z.object({ start: z.string().min(1).max(64), end: z.string().min(1).max(64) }),
  granularityMinutes: z.number().int().min(1).max(1440),
  maxGapMinutes: z.number().int().min(0).max(1440),
  bufferMinutes: z.number().int().min(0).max(1440),
  sessions: z.array(sessionSchema).min(1).max(20),
  interviewers: z.array(interviewerSchema).max(1000),
});

/** A panel request as written (before defaults). */
export type PanelRequestInput = z.input<typeof panelRequestSchema>;
/** A validated panel request. */
export type PanelRequest = z.output<typeof panelRequestSchema>;

/** One session as answered: its times in ISO 8601 UTC and the interviewers who sit it. */
export interface ScheduledSession {
  id: string;
  start: string;
  end: string;
  interviewers: string[];
}

/**
 * The answer to one request (issue 13, section 4). Status "error" (with `reason`) when the time
 * limit ran out before the optimum was proven: no schedule is given then.
 */
export interface PanelAnswer {
  id: string | number;
  status: "scheduled" | "infeasible" | "error";
  sessions: ScheduledSession[];
  firstStart: string | null;
  totalGapMinutes: number | null;
  solveMs: number;
  reason?: string;
  /** Only when asked for: the next best schedules, each at another start time (or day). */
  alternatives?: { sessions: ScheduledSession[]; firstStart: string; totalGapMinutes: number }[];
}

/** The most busy events one request may carry over all its interviewers; a bound on the work and memory of one request. */
export const MAX_BUSY_EVENTS = 50_000;

/** The longest window a request may span; a bound on the work and memory one request can cause. */
export const MAX_WINDOW_DAYS = 62;

/** A busy entry in instants (milliseconds), blocking unless its status is free. */
export interface BusyInterval {
  start: number;
  end: number;
  status: "busy" | "tentative" | "free" | "oof";
}

/** A request with every time turned into an instant and every reference checked. */
export interface NormalisedRequest {
  request: PanelRequest;
  windowStart: number;
  windowEnd: number;
  /** Per session: indices into `request.interviewers` of its pool, duplicates removed. */
  pools: number[][];
  /** Per interviewer: busy entries as instants. */
  busy: BusyInterval[][];
  /** Per interviewer: how many sessions they may sit (defaults to all of them). */
  capacity: number[];
}

const HAS_OFFSET = /(?:Z|[+-]\d{2}(?::?\d{2})?)$/i;
// The common shape (what Google, Graph and our own answers write), read without Luxon: thousands of
// events per request make the difference measurable. Anything else goes through Luxon.
const PLAIN_ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,3})?)?(?:(Z)|([+-])(\d{2}):(\d{2}))$/;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The zone's offsets from the process-wide table (Luxon is slow per call). */
function zoneAround(name: string): ZoneOffsets {
  return offsetTable(zoneNamed(name)!);
}

function plainIso(value: string): number | undefined {
  const m = PLAIN_ISO.exec(value);
  if (!m) return undefined;
  const year = +m[1]!;
  const month = +m[2]!;
  const day = +m[3]!;
  const hour = +m[4]!;
  const minute = +m[5]!;
  const second = m[6] ? +m[6] : 0;
  // A date that does not exist (30 February) is left to Luxon, which names the problem.
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  if (month < 1 || month > 12 || day < 1 || day > (month === 2 && !leap ? 28 : MONTH_DAYS[month - 1]!) || hour > 23 || minute > 59 || second > 59)
    return undefined;
  // Date.UTC reads years below 100 as 19xx; odd offsets are Luxon's to judge.
  if (year < 100 || (m[10] && (+m[10] > 23 || +m[11]! > 59))) return undefined;
  const offset = m[8] ? 0 : (m[9] === "-" ? -1 : 1) * (+m[10]! * 60 + +m[11]!);
  const millis = m[7] ? Math.round(Number(m[7]) * 1000) : 0;
  return Date.UTC(year, month - 1, day, hour, minute, second, millis) - offset * MINUTE_MS;
}

/** An ISO 8601 date-time as an instant; without an offset it is read in `zoneName` (DST policy of local-time.ts). */
export function parseInstant(value: string, zoneName: string, field: string): number {
  if (DATE_ONLY.test(value)) throw new PanelRequestError(field, `"${value}" is a date; a date-time with a time (and preferably an offset) is expected here`);
  const fast = plainIso(value);
  if (fast !== undefined) return fast;
  if (HAS_OFFSET.test(value)) {
    const dt = DateTime.fromISO(value, { setZone: true });
    if (!dt.isValid) throw new PanelRequestError(field, `"${value}" is not an ISO 8601 date-time (${dt.invalidExplanation ?? dt.invalidReason})`);
    return dt.toMillis();
  }
  const wall = DateTime.fromISO(value, { zone: "UTC" });
  if (!wall.isValid) throw new PanelRequestError(field, `"${value}" is not an ISO 8601 date-time (${wall.invalidExplanation ?? wall.invalidReason})`);
  return boundaryInstant(zoneAround(zoneName), wall.toMillis());
}

/** An all-day date (YYYY-MM-DD) as the instant its day starts in `zoneName`. */
export function parseDateStart(value: string, zoneName: string, field: string): number {
  if (!DATE_ONLY.test(value)) throw new PanelRequestError(field, `"${value}" is not a date (YYYY-MM-DD), which an all-day event's start and end are`);
  const wall = DateTime.fromISO(value, { zone: "UTC" });
  if (!wall.isValid) throw new PanelRequestError(field, `"${value}" is not a valid date`);
  return boundaryInstant(zoneAround(zoneName), wall.toMillis());
}

function pathOf(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) out += typeof part === "number" ? `[${part}]` : out ? `.${String(part)}` : String(part);
  return out;
}

/** Counts the busy events before zod walks them, so an oversized request is refused cheaply, naming where it crosses the limit. */
function checkBusyTotal(input: unknown): void {
  const interviewers = input && typeof input === "object" ? (input as { interviewers?: unknown }).interviewers : undefined;
  if (!Array.isArray(interviewers)) return;
  let total = 0;
  for (const [i, person] of interviewers.entries()) {
    const busy = person && typeof person === "object" ? (person as { busy?: unknown }).busy : undefined;
    if (!Array.isArray(busy)) continue;
    total += busy.length;
    if (total > MAX_BUSY_EVENTS)
      throw new PanelRequestError(
        `interviewers[${i}].busy`,
        `brings the request's busy events to ${total}, more than the ${MAX_BUSY_EVENTS} one request may carry over all its interviewers`,
      );
  }
}

function checkZone(name: string, field: string): void {
  if (!zoneNamed(name)) throw new PanelRequestError(field, `"${name}" is not an IANA time zone (e.g. "Europe/Berlin")`);
}

/**
 * Validates a request and turns its times into instants. Throws `PanelRequestError` naming the field
 * for bad input; a request that is well formed but cannot be met (a pool smaller than its need) is
 * not an error here: the solver answers it as infeasible with the reason.
 */
export function normaliseRequest(input: unknown): NormalisedRequest {
  checkBusyTotal(input);
  const parsed = panelRequestSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new PanelRequestError(pathOf(issue.path), issue.message);
  }
  const request = parsed.data;
  checkZone(request.candidate.timezone, "candidate.timezone");
  const windowStart = parseInstant(request.window.start, request.candidate.timezone, "window.start");
  const windowEnd = parseInstant(request.window.end, request.candidate.timezone, "window.end");
  if (windowEnd <= windowStart) throw new PanelRequestError("window.end", `${request.window.end} is not after window.start ${request.window.start}`);
  if (windowEnd - windowStart > MAX_WINDOW_DAYS * DAY_MS) throw new PanelRequestError("window.end", `the window spans more than ${MAX_WINDOW_DAYS} days`);

  const byId = new Map<string, number>();
  request.interviewers.forEach((person, i) => {
    if (byId.has(person.id)) throw new PanelRequestError(`interviewers[${i}].id`, `"${person.id}" appears twice`);
    byId.set(person.id, i);
    checkZone(person.timezone, `interviewers[${i}].timezone`);
    for (const [day, ranges] of Object.entries(person.workingHours)) {
      ranges?.forEach(([from, to], r) => {
        if (to <= from) throw new PanelRequestError(`interviewers[${i}].workingHours.${day}[${r}]`, `ends (${to}) at or before it starts (${from})`);
      });
    }
  });
  const sessionIds = new Set<string>();
  const pools = request.sessions.map((session, s) => {
    if (sessionIds.has(session.id)) throw new PanelRequestError(`sessions[${s}].id`, `"${session.id}" appears twice`);
    sessionIds.add(session.id);
    const pool = new Set<number>();
    session.pool.forEach((id, p) => {
      const index = byId.get(id);
      if (index === undefined) throw new PanelRequestError(`sessions[${s}].pool[${p}]`, `"${id}" is not one of the request's interviewers`);
      pool.add(index);
    });
    return [...pool].sort((a, b) => a - b);
  });
  const busy = request.interviewers.map((person, i) =>
    person.busy.map((entry, b) => {
      const field = `interviewers[${i}].busy[${b}]`;
      const start = entry.allDay
        ? parseDateStart(entry.start, person.timezone, `${field}.start`)
        : parseInstant(entry.start, person.timezone, `${field}.start`);
      const end = entry.allDay ? parseDateStart(entry.end, person.timezone, `${field}.end`) : parseInstant(entry.end, person.timezone, `${field}.end`);
      if (end < start) throw new PanelRequestError(`${field}.end`, `${entry.end} is before its start ${entry.start}`);
      return { start, end, status: entry.status };
    }),
  );
  const capacity = request.interviewers.map((person) => person.maxSessions ?? request.sessions.length);
  return { request, windowStart, windowEnd, pools, busy, capacity };
}

/** An instant as ISO 8601 UTC without milliseconds when it has none. */
export function isoUtc(t: number): string {
  const iso = new Date(t).toISOString();
  return iso.endsWith(".000Z") ? `${iso.slice(0, -5)}Z` : iso;
}
