/**
 * Wall-clock times in an IANA zone turned into instants with one explicit policy, because Luxon's
 * own choice (the later instant for an ambiguous time, a shifted one for a missing time) is not
 * ours: a local time that does not exist (spring forward) is skipped, and an ambiguous one (fall
 * back) takes the earlier offset. Offsets come from Luxon's zone data, never from arithmetic of our own.
 */
import { DateTime, IANAZone } from "luxon";

/** Throws a clear error when `zone` is not an IANA time-zone name Luxon knows. */
export function assertZone(zone: string, where: string): IANAZone {
  if (!IANAZone.isValidZone(zone)) {
    throw new RangeError(`${where}: "${zone}" is not an IANA time zone (e.g. Europe/Berlin, America/New_York)`);
  }
  return IANAZone.create(zone);
}

export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

/** The instant(s) a wall-clock time denotes in `zone`: none (a gap), one, or two (a fold), earliest first. */
export function instantsOf(wall: WallTime, zone: IANAZone): number[] {
  const naive = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
  // Any offset valid near this wall time is the zone's offset a day either side or at the naive instant.
  const offsets = new Set([zone.offset(naive - 86_400_000), zone.offset(naive), zone.offset(naive + 86_400_000)]);
  const found = new Set<number>();
  for (const o of offsets) {
    const t = naive - o * 60_000;
    if (zone.offset(t) === o) found.add(t);
  }
  return [...found].sort((a, b) => a - b);
}

/**
 * The instant of a wall-clock time in `zone`, or `null` when that local time does not exist
 * (spring forward). An ambiguous time (fall back) gives the earlier instant.
 */
export function localInstant(wall: WallTime, zone: IANAZone): number | null {
  return instantsOf(wall, zone)[0] ?? null;
}

/**
 * For a range boundary: like {@link localInstant}, but a missing local time gives the instant of the
 * switch itself, so a range keeps exactly its local times that exist (02:30–05:00 on a spring-forward
 * day at 02:00 becomes 03:00–05:00 local).
 */
export function boundaryInstant(wall: WallTime, zone: IANAZone): number {
  const found = localInstant(wall, zone);
  if (found !== null) return found;
  const naive = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
  // In a gap: the switch lies between reading the time with the later offset and with the earlier one.
  let lo = naive - zone.offset(naive + 86_400_000) * 60_000;
  let hi = naive - zone.offset(naive - 86_400_000) * 60_000;
  const before = zone.offset(lo);
  while (hi - lo > 1000) {
    const mid = Math.floor((lo + hi) / 2);
    if (zone.offset(mid) === before) lo = mid;
    else hi = mid;
  }
  return Math.ceil(hi / 60_000) * 60_000;
}

/** The instant a calendar date starts in `zone` (midnight, or the switch when midnight does not exist). */
export function startOfDate(date: string, zone: IANAZone): number {
  const d = DateTime.fromISO(date, { zone: "utc" });
  if (!d.isValid || !/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new RangeError(`"${date}" is not a date YYYY-MM-DD`);
  return boundaryInstant({ year: d.year, month: d.month, day: d.day, hour: 0, minute: 0 }, zone);
}
