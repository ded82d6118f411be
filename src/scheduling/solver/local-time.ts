/**
 * Wall-clock times in IANA zones turned into instants, with one explicit policy for the two
 * daylight-saving cases: a local time that does not exist (spring forward) is either skipped (grid
 * points) or taken as the instant the clock jumps (interval boundaries), and a local time that
 * exists twice (fall back) takes the earlier instant. The zone data comes from Luxon; only the choice
 * between the instants it allows is ours.
 */
import { IANAZone } from "luxon";

/** One day in milliseconds; used for calendar-date arithmetic on "wall as if UTC" numbers only. */
export const DAY_MS = 86_400_000;
/** One minute in milliseconds. */
export const MINUTE_MS = 60_000;

/** The weekday keys of `workingHours`, in `Date.getUTCDay()` order (Sunday first). */
export const WEEKDAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;
/** A weekday key of `workingHours`. */
export type Weekday = (typeof WEEKDAYS)[number];

/** What the conversions need of a zone: its offset from UTC in minutes at an instant. */
export interface ZoneOffsets {
  offset(ts: number): number;
}

const zones = new Map<string, IANAZone>();

const SAMPLE_MS = 6 * 3_600_000;
const BLOCK_MS = 32 * DAY_MS;

/** One block of a zone's offsets: the instants its offset changes at (the block's start first) and the offsets from then on. */
interface OffsetBlock {
  at: number[];
  offsets: number[];
}

function readBlock(zone: IANAZone, start: number): OffsetBlock {
  const at: number[] = [start];
  const offsets: number[] = [zone.offset(start)];
  for (let t = start + SAMPLE_MS; t <= start + BLOCK_MS; t += SAMPLE_MS) {
    const offset = zone.offset(t);
    if (offset === offsets[offsets.length - 1]) continue;
    // Find the first minute in (t - 6h, t] that has the new offset.
    let lo = t - SAMPLE_MS;
    let hi = t;
    while (hi - lo > MINUTE_MS) {
      const mid = lo + Math.floor((hi - lo) / 2 / MINUTE_MS) * MINUTE_MS;
      if (zone.offset(mid) === offset) hi = mid;
      else lo = mid;
    }
    at.push(hi);
    offsets.push(offset);
  }
  return { at, offsets };
}

const tables = new Map<string, ZoneOffsets>();

/**
 * A zone's offsets read from Luxon once per 32-day block into a table of transitions and kept for
 * the process, so the solver's tens of thousands of conversions per request cost a binary search
 * each instead of an Intl call. Offsets are sampled every 6 hours (zones never change twice in 6
 * hours) and each change is located to the minute.
 */
export function offsetTable(zone: IANAZone): ZoneOffsets {
  let table = tables.get(zone.name);
  if (table) return table;
  const blocks = new Map<number, OffsetBlock>();
  table = {
    offset(ts: number): number {
      const key = Math.floor(ts / BLOCK_MS);
      let block = blocks.get(key);
      if (!block) blocks.set(key, (block = readBlock(zone, key * BLOCK_MS)));
      const { at, offsets } = block;
      let lo = 0;
      let hi = at.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (at[mid]! <= ts) lo = mid;
        else hi = mid - 1;
      }
      return offsets[lo]!;
    },
  };
  tables.set(zone.name, table);
  return table;
}

/** The Luxon zone for an IANA name, or undefined when the name is not a valid zone. */
export function zoneNamed(name: string): IANAZone | undefined {
  let zone = zones.get(name);
  if (!zone) {
    if (!IANAZone.isValidZone(name)) return undefined;
    zone = IANAZone.create(name);
    zones.set(name, zone);
  }
  return zone;
}

/**
 * Every instant whose wall-clock reading in `zone` is `wallMs` (a local date and time written as if
 * it were UTC), earliest first: none in a spring-forward gap, two in a fall-back overlap.
 */
export function instantsOfWall(zone: ZoneOffsets, wallMs: number): number[] {
  // A transition moves the offset by at most a few hours, so the offsets a day either side cover
  // every offset that can apply to this wall time (zones change at most once in two days).
  const offsets = new Set([zone.offset(wallMs - DAY_MS), zone.offset(wallMs), zone.offset(wallMs + DAY_MS)]);
  const out: number[] = [];
  for (const offset of offsets) {
    const t = wallMs - offset * MINUTE_MS;
    if (zone.offset(t) === offset) out.push(t);
  }
  return [...new Set(out)].sort((a, b) => a - b);
}

/** The earliest instant reading `wallMs` in `zone` (instantsOfWall's first, without its allocations), or NaN. */
function earliestInstant(zone: ZoneOffsets, wallMs: number): number {
  let best = Number.NaN;
  for (const at of [wallMs - DAY_MS, wallMs, wallMs + DAY_MS]) {
    const offset = zone.offset(at);
    const t = wallMs - offset * MINUTE_MS;
    if (zone.offset(t) === offset && !(t >= best)) best = t;
  }
  return best;
}

/** The instant of a grid point: undefined when the local time does not exist, the earlier when it is ambiguous. */
export function gridInstant(zone: ZoneOffsets, wallMs: number): number | undefined {
  const t = earliestInstant(zone, wallMs);
  return Number.isNaN(t) ? undefined : t;
}

/**
 * The instant of an interval boundary (working hours, all-day dates, times without an offset): the
 * earlier when ambiguous; when the local time does not exist, the instant the clock jumps (the first
 * that exists after it), so a range keeps exactly its local times that exist.
 */
export function boundaryInstant(zone: ZoneOffsets, wallMs: number): number {
  const found = earliestInstant(zone, wallMs);
  if (!Number.isNaN(found)) return found;
  const before = zone.offset(wallMs - DAY_MS);
  const after = zone.offset(wallMs + DAY_MS);
  // Read with the offset after the jump, the wall time is an instant before it; with the offset
  // before, one after it. The jump lies between: find its minute.
  let lo = wallMs - after * MINUTE_MS;
  let hi = wallMs - before * MINUTE_MS;
  if (hi <= lo) return hi;
  while (hi - lo > MINUTE_MS) {
    const mid = lo + Math.floor((hi - lo) / 2 / MINUTE_MS) * MINUTE_MS;
    if (zone.offset(mid) === before) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** The wall-clock reading of an instant in `zone`, as "wall as if UTC" milliseconds. */
export function wallOf(zone: ZoneOffsets, t: number): number {
  return t + zone.offset(t) * MINUTE_MS;
}

/** Midnight (wall) of the local date an instant falls on in `zone`, as "wall as if UTC" milliseconds. */
export function localDateOf(zone: ZoneOffsets, t: number): number {
  const wall = wallOf(zone, t);
  return wall - (((wall % DAY_MS) + DAY_MS) % DAY_MS);
}

/** The weekday key of a local date given as "wall as if UTC" midnight milliseconds. */
export function weekdayOf(dateWallMs: number): Weekday {
  return WEEKDAYS[new Date(dateWallMs).getUTCDay()]!;
}
