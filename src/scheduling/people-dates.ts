/**
 * Dates and times written for people, in the candidate's language, by `Intl`: "Tuesday 12 January"
 * over "14:30–15:15", and the zone named the way the language names it ("Portugal time", "hora de
 * Portugal", "Westeuropäische Zeit", "heure : Portugal", "hora de Portugal"). Shared by the booking
 * page and the candidate's reminders, so both say the same thing.
 */
import type { LinkLanguage } from "./self-schedule/link-request.ts";

const LOCALES: Record<LinkLanguage, string> = { en: "en-GB", pt: "pt-PT", de: "de-DE", fr: "fr-FR", es: "es-ES" };

/** The locale `Intl` writes a language's dates in. */
export function localeOf(language: LinkLanguage): string {
  return LOCALES[language];
}

/**
 * How each language names a place's time. `Intl`'s short generic zone name is a place in the
 * language's own words ("New York Time", "Hora de Nova Iorque", "Japan (Ortszeit)", "heure : Japon",
 * "hora de Japón") where the locale has no abbreviation for the zone ("WET", "MEZ"); `read` takes
 * the place out of that pattern, trying the language's locales in turn, and `say` writes it
 * without nested brackets.
 */
interface PlaceWords {
  locales: string[];
  read: RegExp;
  say: (place: string) => string;
}

const PLACES: Record<LinkLanguage, PlaceWords> = {
  en: { locales: ["en-GB", "en"], read: /^(.+) Time$/, say: (p) => `${p} time` },
  pt: { locales: ["pt-PT", "pt"], read: /^(?:Hora de|Horário) (.+)$/, say: (p) => `hora de ${p}` },
  de: { locales: ["de-DE"], read: /^(.+) \(Ortszeit\)$/, say: (p) => `Ortszeit ${p}` },
  fr: { locales: ["fr-FR"], read: /^heure : (.+)$/, say: (p) => `heure : ${p}` },
  es: { locales: ["es-ES", "es-419"], read: /^hora de (.+)$/, say: (p) => `hora de ${p}` },
};

function zonePart(locale: string, zone: string, style: Intl.DateTimeFormatOptions["timeZoneName"], at: Date): string {
  return new Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName: style }).formatToParts(at).find((p) => p.type === "timeZoneName")?.value ?? "";
}

const OFFSET = /^(GMT|UTC)([+−-]|$)/;

/**
 * The zone named in the language: the place whose time it is when `Intl` names one, else the zone's
 * long name ("Westeuropäische Zeit", "heure d’Europe centrale"), else its offset from UTC.
 * @example
 * zoneName("Europe/Lisbon", "pt") // "hora de Portugal"
 */
export function zoneName(zone: string, language: LinkLanguage, at: Date = new Date()): string {
  if (zone === "UTC" || zone === "Etc/UTC" || zone === "GMT" || zone === "Etc/GMT") return "UTC";
  const words = PLACES[language];
  for (const locale of words.locales) {
    const place = words.read.exec(zonePart(locale, zone, "shortGeneric", at))?.[1];
    if (place && !OFFSET.test(place)) return words.say(place);
  }
  const long = zonePart(LOCALES[language], zone, "longGeneric", at);
  if (long && !OFFSET.test(long)) return language === "pt" ? long.replace(/^Hora\b/, "hora") : long;
  const offset = zonePart("en", zone, "shortOffset", at).replace(/^GMT/, "UTC").replace("-", "−");
  return offset === "UTC" || offset === "" ? "UTC" : offset;
}

/** "Tuesday 12 January" (or "terça-feira, 12 de janeiro", …). */
export function dayHeading(iso: string, zone: string, language: LinkLanguage): string {
  return new Intl.DateTimeFormat(LOCALES[language], { timeZone: zone, weekday: "long", day: "numeric", month: "long" }).format(new Date(iso));
}

/** "14:30" on the 24-hour clock every one of these languages reads. */
export function clockTime(iso: string, zone: string, language: LinkLanguage): string {
  return new Intl.DateTimeFormat(LOCALES[language], { timeZone: zone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(new Date(iso));
}

/** "14:30–15:15". */
export function timeRange(start: string, end: string, zone: string, language: LinkLanguage): string {
  return `${clockTime(start, zone, language)}–${clockTime(end, zone, language)}`;
}

/**
 * "Tuesday 12 January, 14:30–15:15 (Portugal time)"; a span that ends on another day names both days.
 * @example
 * whenText("2027-01-12T14:30:00Z", "2027-01-12T15:15:00Z", "Europe/Lisbon", "pt") // "terça-feira, 12 de janeiro, 14:30–15:15 (hora de Portugal)"
 */
export function whenText(start: string, end: string, zone: string, language: LinkLanguage): string {
  const startDay = dayHeading(start, zone, language);
  const endDay = dayHeading(end, zone, language);
  const span =
    startDay === endDay
      ? `${startDay}, ${timeRange(start, end, zone, language)}`
      : `${startDay}, ${clockTime(start, zone, language)} – ${endDay}, ${clockTime(end, zone, language)}`;
  return `${span} (${zoneName(zone, language, new Date(start))})`;
}
