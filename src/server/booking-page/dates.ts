/**
 * Dates and times for people on the booking page, written by `Intl` in the page's language:
 * "Tuesday 12 January" over a list of "14:30–15:15", and "(Lisbon time)" naming the zone.
 */
import type { LinkLanguage } from "../../scheduling/index.ts";

const LOCALES: Record<LinkLanguage, string> = { en: "en-GB", pt: "pt-PT", de: "de-DE", fr: "fr-FR", es: "es-ES" };

export function localeOf(language: LinkLanguage): string {
  return LOCALES[language];
}

/** The calendar date of an instant in a zone, as YYYY-MM-DD (for grouping by day). */
export function dayKey(iso: string, zone: string): string {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" }).formatToParts(new Date(iso));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")}`;
}

/** "Tuesday 12 January" (or "terça-feira, 12 de janeiro", …). */
export function dayHeading(iso: string, zone: string, language: LinkLanguage): string {
  return new Intl.DateTimeFormat(localeOf(language), { timeZone: zone, weekday: "long", day: "numeric", month: "long" }).format(new Date(iso));
}

/** "14:30–15:15". */
export function timeRange(start: string, end: string, zone: string, language: LinkLanguage): string {
  const f = new Intl.DateTimeFormat(localeOf(language), {
    timeZone: zone,
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: language === "en" ? "h23" : undefined,
  });
  return `${f.format(new Date(start))}–${f.format(new Date(end))}`;
}

const ZONE_WORDS: Record<LinkLanguage, (city: string) => string> = {
  en: (c) => `${c} time`,
  pt: (c) => `hora de ${c}`,
  de: (c) => `Zeit in ${c}`,
  fr: (c) => `heure de ${c}`,
  es: (c) => `hora de ${c}`,
};

/** "Lisbon time" for Europe/Lisbon; "UTC" for UTC. */
export function zoneName(zone: string, language: LinkLanguage): string {
  if (zone === "UTC" || zone === "Etc/UTC") return "UTC";
  const city = (zone.split("/").at(-1) ?? zone).replaceAll("_", " ");
  return ZONE_WORDS[language](city);
}

/** "Tuesday 12 January, 14:30–15:15 (Lisbon time)". */
export function whenText(start: string, end: string, zone: string, language: LinkLanguage): string {
  return `${dayHeading(start, zone, language)}, ${timeRange(start, end, zone, language)} (${zoneName(zone, language)})`;
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
