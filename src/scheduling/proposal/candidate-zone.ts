/**
 * The candidate's time zone for a proposal, in a stated order: a zone given explicitly (a question's
 * answer), the zone on the Lever application (present in real traffic), the candidate's own location
 * in Lever, the posting's location, the posting's country when it has one zone, and last the
 * configured default. A location is recognised by a city or country name, never guessed further.
 */
import { IANAZone } from "luxon";

/** Cities people write that are not the last part of an IANA zone name. */
const CITY_ALIASES: Record<string, string> = {
  "san francisco": "America/Los_Angeles",
  "bay area": "America/Los_Angeles",
  "palo alto": "America/Los_Angeles",
  "mountain view": "America/Los_Angeles",
  seattle: "America/Los_Angeles",
  portland: "America/Los_Angeles",
  "san diego": "America/Los_Angeles",
  austin: "America/Chicago",
  dallas: "America/Chicago",
  houston: "America/Chicago",
  atlanta: "America/New_York",
  boston: "America/New_York",
  washington: "America/New_York",
  "washington dc": "America/New_York",
  miami: "America/New_York",
  philadelphia: "America/New_York",
  nyc: "America/New_York",
  montreal: "America/Toronto",
  ottawa: "America/Toronto",
  munich: "Europe/Berlin",
  hamburg: "Europe/Berlin",
  frankfurt: "Europe/Berlin",
  cologne: "Europe/Berlin",
  barcelona: "Europe/Madrid",
  porto: "Europe/Lisbon",
  milan: "Europe/Rome",
  geneva: "Europe/Zurich",
  manchester: "Europe/London",
  edinburgh: "Europe/London",
  lyon: "Europe/Paris",
  krakow: "Europe/Warsaw",
  "tel aviv": "Asia/Jerusalem",
  bangalore: "Asia/Kolkata",
  bengaluru: "Asia/Kolkata",
  mumbai: "Asia/Kolkata",
  delhi: "Asia/Kolkata",
  "new delhi": "Asia/Kolkata",
  beijing: "Asia/Shanghai",
  melbourne: "Australia/Melbourne",
  "sao paulo": "America/Sao_Paulo",
};

/** Countries (name or ISO 3166-1 alpha-2) that keep one zone on the mainland. */
const COUNTRY_ZONES: Record<string, string> = {
  de: "Europe/Berlin",
  germany: "Europe/Berlin",
  gb: "Europe/London",
  uk: "Europe/London",
  "united kingdom": "Europe/London",
  england: "Europe/London",
  ie: "Europe/Dublin",
  ireland: "Europe/Dublin",
  fr: "Europe/Paris",
  france: "Europe/Paris",
  nl: "Europe/Amsterdam",
  netherlands: "Europe/Amsterdam",
  be: "Europe/Brussels",
  belgium: "Europe/Brussels",
  it: "Europe/Rome",
  italy: "Europe/Rome",
  pl: "Europe/Warsaw",
  poland: "Europe/Warsaw",
  ch: "Europe/Zurich",
  switzerland: "Europe/Zurich",
  at: "Europe/Vienna",
  austria: "Europe/Vienna",
  se: "Europe/Stockholm",
  sweden: "Europe/Stockholm",
  dk: "Europe/Copenhagen",
  denmark: "Europe/Copenhagen",
  no: "Europe/Oslo",
  norway: "Europe/Oslo",
  fi: "Europe/Helsinki",
  finland: "Europe/Helsinki",
  ke: "Africa/Nairobi",
  kenya: "Africa/Nairobi",
  in: "Asia/Kolkata",
  india: "Asia/Kolkata",
  jp: "Asia/Tokyo",
  japan: "Asia/Tokyo",
  sg: "Asia/Singapore",
  singapore: "Asia/Singapore",
  il: "Asia/Jerusalem",
  israel: "Asia/Jerusalem",
};

let byCity: Map<string, string> | undefined;

/** The last part of every IANA zone name, as people write a city ("new york" → America/New_York). */
function cityIndex(): Map<string, string> {
  if (byCity) return byCity;
  byCity = new Map();
  for (const zone of Intl.supportedValuesOf("timeZone")) {
    if (!zone.includes("/") || zone.startsWith("Etc/")) continue;
    const city = zone
      .slice(zone.lastIndexOf("/") + 1)
      .replaceAll("_", " ")
      .toLowerCase();
    if (!byCity.has(city)) byCity.set(city, zone);
  }
  for (const [city, zone] of Object.entries(CITY_ALIASES)) byCity.set(city, zone);
  return byCity;
}

const normalise = (s: string) =>
  s
    .normalize("NFD")
    .replace(/\p{Diacritic}/gu, "")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .trim();

/**
 * The zone of a free-text location ("New York, NY", "Berlin", "Remote - Lisbon"), or undefined when
 * no part of it names a known city or a one-zone country.
 *
 * @example
 * zoneForLocation("Toronto, ON") // "America/Toronto"
 */
export function zoneForLocation(location: string | null | undefined): string | undefined {
  if (!location) return undefined;
  const text = normalise(location);
  if (IANAZone.isValidZone(location.trim()) && location.includes("/")) return location.trim();
  const parts = text
    .split(/[,;/()|]| - | – /)
    .map((p) => p.trim())
    .filter(Boolean);
  const cities = cityIndex();
  for (const part of [text, ...parts]) {
    const zone = cities.get(part) ?? CITY_ALIASES[part];
    if (zone) return zone;
  }
  for (const part of parts) {
    const zone = COUNTRY_ZONES[part];
    if (zone) return zone;
  }
  return undefined;
}

export type TimezoneSource = "given" | "application" | "candidate location" | "posting location" | "posting country" | "default";

export interface CandidateZoneInput {
  given?: string | undefined;
  applicationTimezone?: string | undefined;
  candidateLocation?: string | undefined;
  postingLocation?: string | undefined;
  postingCountry?: string | undefined;
  defaultTimezone: string;
}

/** Picks the candidate's zone and says where it came from (see the module comment for the order). */
export function candidateTimezone(input: CandidateZoneInput): { timezone: string; source: TimezoneSource; detail: string } {
  const result = pickZone(input);
  // A zone that was given but is not one (a typo in the workflow, free text in Lever) is named, so
  // whoever reads the proposal knows why another zone was used.
  const refused = [
    input.given?.trim() && !IANAZone.isValidZone(input.given.trim())
      ? `the given time zone "${input.given.trim().slice(0, 60)}" is not an IANA zone`
      : undefined,
    input.applicationTimezone?.trim() && !IANAZone.isValidZone(input.applicationTimezone.trim())
      ? `the application's time zone in Lever "${input.applicationTimezone.trim().slice(0, 60)}" is not an IANA zone`
      : undefined,
  ].filter((x): x is string => x !== undefined);
  return refused.length ? { ...result, detail: `${result.detail} (${refused.join("; ")}, so it was not used)` } : result;
}

function pickZone(input: CandidateZoneInput): { timezone: string; source: TimezoneSource; detail: string } {
  const valid = (z: string | undefined) => (z && IANAZone.isValidZone(z) ? z : undefined);
  const given = valid(input.given?.trim());
  if (given) return { timezone: given, source: "given", detail: `given as ${given}` };
  const app = valid(input.applicationTimezone?.trim());
  if (app) return { timezone: app, source: "application", detail: `the application's time zone in Lever (${app})` };
  const own = zoneForLocation(input.candidateLocation);
  if (own) return { timezone: own, source: "candidate location", detail: `the candidate's location in Lever ("${input.candidateLocation}")` };
  const posting = zoneForLocation(input.postingLocation);
  if (posting) return { timezone: posting, source: "posting location", detail: `the posting's location ("${input.postingLocation}")` };
  const country = input.postingCountry ? COUNTRY_ZONES[input.postingCountry.toLowerCase()] : undefined;
  if (country) return { timezone: country, source: "posting country", detail: `the posting's country (${input.postingCountry})` };
  return {
    timezone: input.defaultTimezone,
    source: "default",
    detail: `no zone in Lever's data: the default ${input.defaultTimezone} (calendars.defaultTimezone)`,
  };
}
