/**
 * The solver's view of time: the start grid in the candidate's zone (multiples of the granularity
 * from local midnight, day by day), and for each interviewer the stretches in which they are inside
 * their own working hours and clear of every blocking event by the buffer. Times are whole minutes
 * from an origin so the search works on small integers.
 */
import { boundaryInstant, DAY_MS, gridInstant, localDateOf, MINUTE_MS, offsetTable, weekdayOf, zoneNamed, type ZoneOffsets } from "./local-time.ts";
import { PanelRequestError, type BusyInterval, type NormalisedRequest } from "./request.ts";

/** A half-open interval of minutes from the origin. */
export type Span = [number, number];

/** One calendar day of the candidate's zone that the window touches. */
export interface GridDay {
  /** Local date, "wall as if UTC" midnight milliseconds. */
  date: number;
  /** First and one-past-last grid index of the day. */
  first: number;
  last: number;
  /** Latest minute any session of the day may end: the next local midnight or the window's end. */
  limit: number;
}

/** The grid and availability the search runs on. */
export interface SolverTime {
  originMs: number;
  /** Grid start times (minutes from origin), increasing. */
  grid: Int32Array;
  /** Day index of each grid point. */
  dayOf: Int32Array;
  days: GridDay[];
  /** Per interviewer: working hours merged (minutes), clipped to the window's neighbourhood. */
  working: Span[][];
  /** Per interviewer: working hours minus blocking events dilated by the buffer. */
  free: Span[][];
  /** Per interviewer (undefined for people in no pool): at each grid point, the end of the free stretch holding it, or NONE. */
  freeEnd: (Int32Array | undefined)[];
}

/** Marks a grid point that lies in no free stretch. */
const NONE = -0x7fffffff;

/** Above this many grid points × pool members the request is refused as too large. */
const MAX_GRID_CELLS = 20_000_000;

const floorMin = (ms: number, origin: number): number => Math.floor((ms - origin) / MINUTE_MS);
const ceilMin = (ms: number, origin: number): number => Math.ceil((ms - origin) / MINUTE_MS);

/** Sorts and merges overlapping or touching spans, dropping empty ones. */
export function mergeSpans(spans: Span[]): Span[] {
  const sorted = spans.filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  const out: Span[] = [];
  for (const [a, b] of sorted) {
    const lastSpan = out[out.length - 1];
    if (lastSpan && a <= lastSpan[1]) lastSpan[1] = Math.max(lastSpan[1], b);
    else out.push([a, b]);
  }
  return out;
}

/** `from` minus `holes` (both merged and sorted). */
export function subtractSpans(from: Span[], holes: Span[]): Span[] {
  const out: Span[] = [];
  let h = 0;
  for (const [a0, b] of from) {
    let a = a0;
    while (h < holes.length && holes[h]![1] <= a) h++;
    let k = h;
    while (k < holes.length && holes[k]![0] < b) {
      const [c, d] = holes[k]!;
      if (c > a) out.push([a, c]);
      a = Math.max(a, d);
      if (a >= b) break;
      k++;
    }
    if (a < b) out.push([a, b]);
  }
  return out;
}

/** Working hours of one interviewer as instants over the local dates around the window. */
function workingSpansMs(zone: ZoneOffsets, hours: Partial<Record<string, [string, string][]>>, windowStart: number, windowEnd: number): [number, number][] {
  const out: [number, number][] = [];
  const toMinutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
  for (let date = localDateOf(zone, windowStart) - DAY_MS; date <= localDateOf(zone, windowEnd) + DAY_MS; date += DAY_MS) {
    for (const [from, to] of hours[weekdayOf(date)] ?? []) {
      const a = boundaryInstant(zone, date + toMinutes(from) * MINUTE_MS);
      const b = boundaryInstant(zone, date + toMinutes(to) * MINUTE_MS);
      if (b > a) out.push([a, b]);
    }
  }
  return out;
}

/** Blocking events of one interviewer (not free), widened by the buffer on both sides, as instants. */
function blockingSpansMs(busy: BusyInterval[], bufferMinutes: number): [number, number][] {
  const pad = bufferMinutes * MINUTE_MS;
  return busy
    .filter((b) => b.status !== "free")
    .map((b) => [b.start - pad, b.end + pad] as [number, number])
    .filter(([a, b]) => b > a);
}

/** Builds the grid and every pool member's availability for a normalised request. */
export function buildSolverTime(n: NormalisedRequest): SolverTime {
  const { request, windowStart, windowEnd } = n;
  const zoneOf = (name: string): ZoneOffsets => offsetTable(zoneNamed(name)!);
  const candidateZone = zoneOf(request.candidate.timezone);
  const originMs = Math.floor(windowStart / MINUTE_MS) * MINUTE_MS - DAY_MS;
  const g = request.granularityMinutes;
  const grid: number[] = [];
  const dayOf: number[] = [];
  const days: GridDay[] = [];
  const windowEndMin = floorMin(windowEnd, originMs);
  for (let date = localDateOf(candidateZone, windowStart); date <= localDateOf(candidateZone, windowEnd - 1); date += DAY_MS) {
    const next = boundaryInstant(candidateZone, date + DAY_MS);
    const day: GridDay = { date, first: grid.length, last: grid.length, limit: Math.min(floorMin(next, originMs), windowEndMin) };
    for (let minute = 0; minute < 1440; minute += g) {
      const t = gridInstant(candidateZone, date + minute * MINUTE_MS);
      if (t === undefined || t < windowStart || t >= windowEnd) continue;
      grid.push(ceilMin(t, originMs));
      dayOf.push(days.length);
    }
    day.last = grid.length;
    if (day.last > day.first) days.push(day);
  }
  const inPool = new Uint8Array(request.interviewers.length);
  for (const pool of n.pools) for (const p of pool) inPool[p] = 1;
  let members = 0;
  inPool.forEach((v) => (members += v));
  if (grid.length * members > MAX_GRID_CELLS) {
    throw new PanelRequestError(
      "granularityMinutes",
      `the window holds ${grid.length} start times for ${members} interviewers, more than ${MAX_GRID_CELLS} combinations; use a coarser granularity or a shorter window`,
    );
  }

  const working: Span[][] = [];
  const free: Span[][] = [];
  const freeEnd: (Int32Array | undefined)[] = [];
  request.interviewers.forEach((person, p) => {
    const zone = zoneOf(person.timezone);
    const work = mergeSpans(workingSpansMs(zone, person.workingHours, windowStart, windowEnd).map(([a, b]) => [ceilMin(a, originMs), floorMin(b, originMs)]));
    // Blocks round outwards: a block that covers part of a minute covers that minute.
    const blocks = mergeSpans(blockingSpansMs(n.busy[p]!, request.bufferMinutes).map(([a, b]) => [floorMin(a, originMs), ceilMin(b, originMs)]));
    const open = subtractSpans(work, blocks);
    working.push(work);
    free.push(open);
    if (!inPool[p]) {
      freeEnd.push(undefined);
      return;
    }
    const ends = new Int32Array(grid.length).fill(NONE);
    let k = 0;
    for (let i = 0; i < grid.length; i++) {
      const t = grid[i]!;
      while (k < open.length && open[k]![1] <= t) k++;
      if (k < open.length && open[k]![0] <= t) ends[i] = open[k]![1];
    }
    freeEnd.push(ends);
  });
  return { originMs, grid: Int32Array.from(grid), dayOf: Int32Array.from(dayOf), days, working, free, freeEnd };
}
