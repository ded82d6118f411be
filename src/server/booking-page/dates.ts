/**
 * Dates and times for people on the booking page, written by `Intl` in the page's language:
 * "Tuesday 12 January" over a list of "14:30–15:15", and "(Portugal time)" naming the zone in the
 * language's own words (scheduling's people-dates.ts, which the reminders use too).
 */
import { dayHeading, timeRange, whenText, zoneName } from "../../scheduling/index.ts";

export { dayHeading, timeRange, whenText, zoneName };

/** The calendar date of an instant in a zone, as YYYY-MM-DD (for grouping by day). */
export function dayKey(iso: string, zone: string): string {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" }).formatToParts(new Date(iso));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")}`;
}

/** Every IANA zone this runtime knows, for the zone picker. */
export function knownZones(): string[] {
  try {
    return Intl.supportedValuesOf("timeZone");
  } catch {
    return ["UTC"];
  }
}

/** True when `zone` is an IANA zone name this runtime accepts. */
export function isZone(zone: string): boolean {
  if (!/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/.test(zone) || zone.length > 64) return false;
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
