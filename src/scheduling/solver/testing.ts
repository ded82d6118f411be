/**
 * For tests and the benchmark only: a seeded generator of panel requests, an independent checker of
 * every rule of issue 13 section 4 (written against Luxon's DateTime API, not the solver's own time
 * code), and a brute force that enumerates every start on the grid and every assignment.
 */
import { DateTime } from "luxon";
import type { PanelAnswer, PanelRequestInput } from "./request.ts";

/** A small seeded PRNG (mulberry32): the same seed gives the same instances on every machine. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Sizes and shapes of generated requests. */
export interface GeneratorSize {
  days: number;
  interviewers: number;
  sessions: number;
  granularityMinutes: number[];
  sessionMinutes: number[];
  maxNeed: number;
  /** Extra pool members beyond the need, at most. */
  poolSlack: number;
  /** Busy entries per interviewer per day, at most. */
  busyPerDay: number;
}

const ZONES = ["Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Sydney", "UTC", "America/Los_Angeles", "Europe/London"];
// Around the 2026 switches: US spring forward 8 Mar, EU 29 Mar, EU fall back 25 Oct, US 1 Nov; and a plain week.
const BASE_DATES = ["2026-03-06", "2026-03-27", "2026-10-23", "2026-10-30", "2026-05-11"];

/** One seeded random request of the given size. */
export function generateRequest(seed: number, size: GeneratorSize): PanelRequestInput {
  const rnd = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)]!;
  const int = (lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1));
  const hhmm = (minutes: number): string => `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
  const candidateZone = pick(ZONES);
  const base = DateTime.fromISO(pick(BASE_DATES), { zone: candidateZone });
  const windowStart = rnd() < 0.7 ? base : base.plus({ hours: int(6, 12) });
  const windowEnd = base.plus({ days: size.days });
  const ids = Array.from({ length: size.interviewers }, (_, i) => `p${i + 1}`);
  const S = size.sessions;
  const interviewers = ids.map((id) => {
    const zone = rnd() < 0.5 ? candidateZone : pick(ZONES);
    const startMin = int(12, 22) * 30;
    const endMin = Math.min(startMin + int(10, 20) * 30, 1440);
    const lunch = rnd() < 0.3;
    const day: [string, string][] = lunch
      ? [
          [hhmm(startMin), "12:00"],
          ["13:00", hhmm(Math.max(endMin, 13 * 60 + 30))],
        ]
      : [[hhmm(startMin), endMin === 1440 ? "24:00" : hhmm(endMin)]];
    if (lunch && startMin >= 12 * 60) day.shift();
    const workingHours: Record<string, [string, string][]> = {};
    for (const d of ["mon", "tue", "wed", "thu", "fri"]) if (rnd() < 0.9) workingHours[d] = day;
    if (rnd() < 0.15) workingHours.sat = [["10:00", "14:00"]];
    if (rnd() < 0.1) workingHours.sun = [["00:00", "24:00"]];
    const busy: { start: string; end: string; status: "busy" | "tentative" | "free" | "oof"; allDay?: boolean }[] = [];
    const local = base.setZone(zone);
    for (let d = -1; d <= size.days; d++) {
      const date = local.plus({ days: d }).startOf("day");
      if (rnd() < 0.05) {
        busy.push({ start: date.toISODate()!, end: date.plus({ days: 1 }).toISODate()!, status: pick(["oof", "busy", "free"] as const), allDay: true });
        continue;
      }
      const n = int(0, size.busyPerDay);
      for (let k = 0; k < n; k++) {
        const start = date.plus({ minutes: int(6 * 12, 20 * 12) * 5 });
        const end = start.plus({ minutes: pick([15, 30, 30, 45, 60, 90, 120]) });
        const status = pick(["busy", "busy", "busy", "tentative", "free", "oof"] as const);
        busy.push({ start: start.toISO({ suppressMilliseconds: true })!, end: end.toISO({ suppressMilliseconds: true })!, status });
      }
    }
    return { id, email: `${id}@example.com`, timezone: zone, workingHours, maxSessions: int(1, Math.max(1, Math.min(S, 3))), busy };
  });
  const sessions = Array.from({ length: S }, (_, s) => {
    const need = int(1, size.maxNeed);
    const poolSize = Math.min(ids.length, need + int(0, size.poolSlack));
    const pool = [...ids].sort(() => rnd() - 0.5).slice(0, poolSize);
    return { id: `s${s + 1}`, title: `Session ${s + 1}`, minutes: pick(size.sessionMinutes), need, pool };
  });
  return {
    id: `gen-${seed}`,
    candidate: { timezone: candidateZone },
    window: { start: windowStart.toISO({ suppressMilliseconds: true })!, end: windowEnd.toISO({ suppressMilliseconds: true })! },
    granularityMinutes: pick(size.granularityMinutes),
    maxGapMinutes: pick([0, 15, 30, 60]),
    bufferMinutes: pick([0, 5, 10, 15]),
    sessions,
    interviewers,
  };
}

// ---- the independent checker ----------------------------------------------------------------

const MIN = 60_000;

function instant(value: string, zone: string): number {
  return DateTime.fromISO(value, { zone }).toMillis();
}

const instantMemo = new Map<string, number>();
function localInstant(value: string, zone: string): number {
  const key = `${zone}|${value}`;
  let t = instantMemo.get(key);
  if (t === undefined) {
    if (instantMemo.size > 100_000) instantMemo.clear();
    t = instant(value, zone);
    instantMemo.set(key, t);
  }
  return t;
}

/** True when `t` is the earlier (or only) instant showing its wall time in `zone`. */
function isEarlierReading(t: number, zone: string): boolean {
  const here = DateTime.fromMillis(t, { zone });
  for (const delta of [30, 60, 120]) {
    const before = DateTime.fromMillis(t - delta * MIN, { zone });
    if (before.hour === here.hour && before.minute === here.minute && before.day === here.day) return false;
  }
  return true;
}

/** A wall time as an instant with the policy of the issue: earlier offset when ambiguous; a non-existent one at the instant the clock jumps. */
function wallInstant(zone: string, date: DateTime, hhmm: string): number {
  const [h, m] = hhmm.split(":").map(Number) as [number, number];
  const day = h === 24 ? date.plus({ days: 1 }) : date;
  const dt = DateTime.fromObject({ year: day.year, month: day.month, day: day.day, hour: h === 24 ? 0 : h, minute: m }, { zone });
  let t = dt.toMillis();
  if (dt.hour !== (h === 24 ? 0 : h) || dt.minute !== m) {
    // Luxon moved a time inside a spring-forward gap past it; step back to the jump.
    const wanted = DateTime.fromObject({ year: day.year, month: day.month, day: day.day, hour: h === 24 ? 0 : h, minute: m }, { zone: "UTC" }).toMillis();
    const wallAt = (x: number): number => DateTime.fromMillis(x, { zone }).setZone("UTC", { keepLocalTime: true }).toMillis();
    while (wallAt(t - MIN) > wanted) t -= MIN;
    return t;
  }
  for (const delta of [30, 60, 120]) {
    const earlier = DateTime.fromMillis(t - delta * MIN, { zone });
    if (earlier.hour === dt.hour && earlier.minute === dt.minute && earlier.day === dt.day) t -= delta * MIN;
  }
  return t;
}

type Interviewer = PanelRequestInput["interviewers"][number];

/** True when the interviewer is within working hours for all of [start, end). */
function insideWorkingHours(person: Interviewer, start: number, end: number): boolean {
  const ranges: [number, number][] = [];
  const first = DateTime.fromMillis(start, { zone: person.timezone }).startOf("day").minus({ days: 1 });
  for (let d = 0; d < 4; d++) {
    const date = first.plus({ days: d });
    const key = (["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const)[date.weekday - 1]!;
    for (const [from, to] of person.workingHours[key] ?? []) ranges.push([wallInstant(person.timezone, date, from), wallInstant(person.timezone, date, to)]);
  }
  let covered = start;
  for (let progress = true; progress && covered < end; ) {
    progress = false;
    for (const [a, b] of ranges) {
      if (a <= covered && covered < b) {
        covered = b;
        progress = true;
      }
    }
  }
  return covered >= end;
}

/** True when [start, end) keeps `buffer` minutes clear of every busy, tentative and out-of-office entry. */
function clearOfEvents(person: Interviewer, start: number, end: number, buffer: number): boolean {
  for (const b of person.busy ?? []) {
    if (b.status === "free") continue;
    const bs = b.allDay ? DateTime.fromISO(b.start, { zone: person.timezone }).toMillis() : instant(b.start, person.timezone);
    const be = b.allDay ? DateTime.fromISO(b.end, { zone: person.timezone }).toMillis() : instant(b.end, person.timezone);
    if (Math.max(start, bs - buffer * MIN) < Math.min(end, be + buffer * MIN)) return false;
  }
  return true;
}

// Memos of pure Luxon readings, so the brute force's millions of checks stay affordable.
const gridMemo = new Map<string, boolean>();
const dateMemo = new Map<string, string | null>();

function localDate(t: number, zone: string): string | null {
  const key = `${zone}|${t}`;
  let date = dateMemo.get(key);
  if (date === undefined) {
    if (dateMemo.size > 1_000_000) dateMemo.clear();
    date = DateTime.fromMillis(t, { zone }).toISODate();
    dateMemo.set(key, date);
  }
  return date;
}

/** True when `t` is a start the grid allows: a multiple of the granularity from local midnight, earlier reading when ambiguous. */
export function onGrid(request: PanelRequestInput, t: number): boolean {
  const key = `${request.candidate.timezone}|${request.granularityMinutes}|${t}`;
  let ok = gridMemo.get(key);
  if (ok === undefined) {
    if (gridMemo.size > 1_000_000) gridMemo.clear();
    ok = onGridUncached(request, t);
    gridMemo.set(key, ok);
  }
  return ok;
}

function onGridUncached(request: PanelRequestInput, t: number): boolean {
  const local = DateTime.fromMillis(t, { zone: request.candidate.timezone });
  return (
    local.second === 0 &&
    local.millisecond === 0 &&
    (local.hour * 60 + local.minute) % request.granularityMinutes === 0 &&
    isEarlierReading(t, request.candidate.timezone)
  );
}

/** Every rule of the time vector alone (order, gap, one day, grid, window). */
function timesBreak(request: PanelRequestInput, starts: number[]): string | undefined {
  const tz = request.candidate.timezone;
  const ends = starts.map((t, s) => t + request.sessions[s]!.minutes * MIN);
  const windowStart = localInstant(request.window.start, tz);
  const windowEnd = localInstant(request.window.end, tz);
  if (starts[0]! < windowStart || ends[ends.length - 1]! > windowEnd) return "outside the window";
  const day = localDate(starts[0]!, tz);
  if (localDate(ends[ends.length - 1]! - 1, tz) !== day) return "not on one day in the candidate's zone";
  for (let s = 0; s < starts.length; s++) {
    if (!onGrid(request, starts[s]!)) return `session ${s} is off the grid`;
    if (s > 0 && (starts[s]! < ends[s - 1]! || starts[s]! > ends[s - 1]! + request.maxGapMinutes * MIN)) return `session ${s} breaks order or the largest gap`;
  }
  return undefined;
}

/** Every broken rule of an answer's schedule (empty when it is valid). Objective values are checked too. */
export function checkSchedule(request: PanelRequestInput, sessions: PanelAnswer["sessions"], totalGapMinutes?: number | null): string[] {
  const problems: string[] = [];
  if (sessions.length !== request.sessions.length) return [`${sessions.length} sessions answered for ${request.sessions.length}`];
  const starts = sessions.map((s) => Date.parse(s.start));
  sessions.forEach((got, s) => {
    const want = request.sessions[s]!;
    if (got.id !== want.id) problems.push(`session ${s} is "${got.id}", not "${want.id}"`);
    if (Date.parse(got.end) - Date.parse(got.start) !== want.minutes * MIN) problems.push(`session ${got.id} does not last ${want.minutes} minutes`);
  });
  const broken = timesBreak(request, starts);
  if (broken) problems.push(broken);
  const load = new Map<string, number>();
  sessions.forEach((got, s) => {
    const want = request.sessions[s]!;
    if (new Set(got.interviewers).size !== got.interviewers.length || got.interviewers.length !== want.need)
      problems.push(`session ${got.id} does not have ${want.need} distinct interviewers`);
    for (const id of got.interviewers) {
      load.set(id, (load.get(id) ?? 0) + 1);
      const person = request.interviewers.find((p) => p.id === id);
      if (!person || !want.pool.includes(id)) {
        problems.push(`${id} is not in session ${got.id}'s pool`);
        continue;
      }
      const start = Date.parse(got.start);
      const end = Date.parse(got.end);
      if (!insideWorkingHours(person, start, end)) problems.push(`${id} is outside working hours in session ${got.id}`);
      if (!clearOfEvents(person, start, end, request.bufferMinutes)) problems.push(`${id} is busy (or within the buffer) in session ${got.id}`);
    }
  });
  for (const [id, n] of load) {
    const person = request.interviewers.find((p) => p.id === id);
    if (person && n > (person.maxSessions ?? request.sessions.length)) problems.push(`${id} sits ${n} sessions, over maxSessions`);
  }
  if (totalGapMinutes !== undefined && totalGapMinutes !== null) {
    let gap = 0;
    for (let s = 1; s < starts.length; s++) gap += (starts[s]! - starts[s - 1]! - request.sessions[s - 1]!.minutes * MIN) / MIN;
    if (gap !== totalGapMinutes) problems.push(`totalGapMinutes ${totalGapMinutes} but the sessions leave ${gap}`);
  }
  return problems;
}

function combinations(items: string[], k: number): string[][] {
  if (k === 0) return [[]];
  const out: string[][] = [];
  items.forEach((item, i) => {
    for (const rest of combinations(items.slice(i + 1), k - 1)) out.push([item, ...rest]);
  });
  return out;
}

/**
 * The optimum by brute force: every start on the grid for every session (each start checked minute
 * by minute with the checker's grid rule), every assignment of distinct pool members; for small
 * requests only. Returns the earliest first start and least gap, or null when nothing fits.
 */
export function bruteForce(request: PanelRequestInput): { firstStart: number; totalGapMinutes: number } | null {
  const tz = request.candidate.timezone;
  const windowStart = instant(request.window.start, tz);
  const windowEnd = instant(request.window.end, tz);
  const grid: number[] = [];
  for (let t = Math.ceil(windowStart / MIN) * MIN; t < windowEnd; t += MIN) if (onGrid(request, t)) grid.push(t);
  const people = new Map(request.interviewers.map((p) => [p.id, p]));
  const freeCache = new Map<string, boolean>();
  const free = (id: string, start: number, minutes: number): boolean => {
    const key = `${id}|${start}|${minutes}`;
    let ok = freeCache.get(key);
    if (ok === undefined) {
      const person = people.get(id)!;
      const end = start + minutes * MIN;
      ok = insideWorkingHours(person, start, end) && clearOfEvents(person, start, end, request.bufferMinutes);
      freeCache.set(key, ok);
    }
    return ok;
  };
  const choices = request.sessions.map((s) => combinations([...new Set(s.pool)], s.need));
  const assignable = (starts: number[]): boolean => {
    const load = new Map<string, number>();
    const pick = (s: number): boolean => {
      if (s === starts.length) return true;
      for (const chosen of choices[s]!) {
        if (!chosen.every((id) => free(id, starts[s]!, request.sessions[s]!.minutes))) continue;
        if (!chosen.every((id) => (load.get(id) ?? 0) < (people.get(id)!.maxSessions ?? request.sessions.length))) continue;
        for (const id of chosen) load.set(id, (load.get(id) ?? 0) + 1);
        const ok = pick(s + 1);
        for (const id of chosen) load.set(id, load.get(id)! - 1);
        if (ok) return true;
      }
      return false;
    };
    return pick(0);
  };
  let best: { firstStart: number; totalGapMinutes: number } | null = null;
  const starts: number[] = [];
  const each = (s: number): void => {
    if (s === request.sessions.length) {
      if (timesBreak(request, starts) !== undefined) return;
      let gap = 0;
      for (let k = 1; k < starts.length; k++) gap += (starts[k]! - starts[k - 1]! - request.sessions[k - 1]!.minutes * MIN) / MIN;
      if (best && (starts[0]! > best.firstStart || (starts[0] === best.firstStart && gap >= best.totalGapMinutes))) return;
      if (assignable(starts)) best = { firstStart: starts[0]!, totalGapMinutes: gap };
      return;
    }
    for (const t of grid) {
      // The only shortcut: a later session before an earlier one's start can never be in order.
      if (s > 0 && t < starts[s - 1]!) continue;
      starts.push(t);
      each(s + 1);
      starts.pop();
    }
  };
  each(0);
  return best;
}
