/**
 * Redaction before any prompt: contact details and (optionally) names are replaced by numbered
 * placeholders such as `[EMAIL_1]`, so they never reach a model provider; `restore()` puts them
 * back into the model's output where the output quotes them.
 */

export type RedactionKind = "EMAIL" | "PHONE" | "URL" | "ADDRESS" | "NAME";

export interface RedactOptions {
  /** People's names to hide (e.g. the candidate's and interviewers' names from Lever). */
  names?: readonly string[] | undefined;
  /** Turn name redaction off even when names are given. Default true. */
  redactNames?: boolean | undefined;
}

export interface Redaction {
  /** The text with placeholders. */
  text: string;
  /** Placeholder → original value. */
  readonly replacements: ReadonlyMap<string, string>;
  /** Puts the original values back into a string (e.g. the model's output). */
  restore(s: string): string;
}

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
const URL_RE = /\b(?:https?:\/\/|www\.)[^\s<>"'()\]]+[^\s<>"'()\].,;:!?]/gi;
// Bare domains of well-known profile sites, which people write without a scheme.
const PROFILE = /\b(?:linkedin\.com|github\.com|gitlab\.com|twitter\.com|x\.com|behance\.net|dribbble\.com)\/[^\s<>"'()]+[^\s<>"'().,;:!?]/gi;
const PHONE = /(?<![\w/])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,4}\)[\s.-]?)?\d{2,4}(?:[\s.-]\d{2,5}){1,4}(?![\w/])/g;
const STREET_SUFFIX =
  "Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Place|Pl|Square|Sq|Terrace|Way|Parkway|Pkwy|Highway|Hwy|Close|Crescent|Strasse|Straße|Rua|Calle|Via";
const ADDRESS = new RegExp(
  String.raw`\b\d{1,5}[A-Za-z]?\s+(?:[A-Z][\p{L}'.-]*\s+){1,4}(?:${STREET_SUFFIX})\b\.?(?:,?\s*(?:Apt|Suite|Unit|Flat|#)\s*[\w-]+)?`,
  "gu",
);
// "Rua Augusta 42", "Hauptstraße 5": street word first, number after.
const ADDRESS_NUMBER_LAST = new RegExp(
  String.raw`\b(?:Rua|Calle|Via|Avenida)\s+(?:[\p{Lu}][\p{L}'.-]*\s+){1,4}\d{1,5}\b|\b[\p{Lu}][\p{L}]*(?:straße|strasse|weg|gasse|platz)\s+\d{1,5}[a-z]?\b`,
  "gu",
);

function looksLikePhone(match: string): boolean {
  const digits = match.replace(/\D/g, "");
  if (digits.length < 7 || digits.length > 15) return false;
  // Year ranges ("2015-2019", "2015 - 2019") and ISO dates are not phone numbers.
  if (/^(?:19|20)\d{2}\s*[-–.]\s*(?:19|20)?\d{2}$/.test(match.trim())) return false;
  if (/^(?:19|20)\d{2}-\d{2}-\d{2}$/.test(match.trim())) return false;
  // Day-month-year dates ("03.01.2026", "3-1-2026").
  if (/^\d{1,2}[./-]\d{1,2}[./-](?:19|20)?\d{2}$/.test(match.trim())) return false;
  return true;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Replaces e-mails, links, phone numbers, street addresses and the given names with placeholders.
 * The same value always gets the same placeholder within one redaction.
 *
 * @example
 * const r = redact("Mail mira@example.net", { names: ["Mira Kovacs"] });
 * r.text; // "Mail [EMAIL_1]"
 * r.restore("Contact [EMAIL_1]"); // "Contact mira@example.net"
 */
export function redact(text: string, options: RedactOptions = {}): Redaction {
  const redactor = createRedactor(options);
  return { text: redactor.redact(text), replacements: redactor.replacements, restore: redactor.restore };
}

export interface Redactor {
  /** Redacts one text; placeholders are shared by every text this redactor sees. */
  redact(text: string): string;
  readonly replacements: ReadonlyMap<string, string>;
  restore(s: string): string;
}

/** A redactor for several texts of one prompt, so one value has one placeholder throughout. */
export function createRedactor(options: RedactOptions = {}): Redactor {
  const replacements = new Map<string, string>();
  const byValue = new Map<string, string>();
  const counters: Record<RedactionKind, number> = { EMAIL: 0, PHONE: 0, URL: 0, ADDRESS: 0, NAME: 0 };
  const placeholder = (kind: RedactionKind, value: string): string => {
    const key = `${kind}:${kind === "NAME" ? value.toLowerCase() : value}`;
    const existing = byValue.get(key);
    if (existing) return existing;
    const p = `[${kind}_${++counters[kind]}]`;
    byValue.set(key, p);
    replacements.set(p, value);
    return p;
  };
  // Full names first, then each part of at least two letters, longest first, so "Mira Kovacs"
  // becomes one placeholder and a later "Mira" alone still gets hidden.
  const nameParts = new Set<string>();
  if (options.redactNames !== false) {
    for (const name of options.names ?? []) {
      const full = name.trim().replace(/\s+/g, " ");
      if (full.length >= 2) nameParts.add(full);
      for (const p of full.split(" ")) if (p.replace(/\W/g, "").length >= 2) nameParts.add(p);
    }
  }
  const nameMatchers = [...nameParts]
    .sort((a, b) => b.length - a.length)
    .map((part) => new RegExp(`(?<![\\p{L}\\[_])${escapeRegExp(part).replace(/ /g, "\\s+")}(?![\\p{L}\\]])`, "giu"));

  const restoreRe = /\[(?:EMAIL|PHONE|URL|ADDRESS|NAME)_\d+\]/g;
  return {
    replacements,
    redact(text) {
      let out = text;
      out = out.replace(EMAIL, (m) => placeholder("EMAIL", m));
      out = out.replace(URL_RE, (m) => placeholder("URL", m));
      out = out.replace(PROFILE, (m) => placeholder("URL", m));
      out = out.replace(ADDRESS, (m) => placeholder("ADDRESS", m));
      out = out.replace(ADDRESS_NUMBER_LAST, (m) => placeholder("ADDRESS", m));
      out = out.replace(PHONE, (m) => (looksLikePhone(m) ? placeholder("PHONE", m) : m));
      for (const re of nameMatchers) out = out.replace(re, (m) => placeholder("NAME", m));
      return out;
    },
    restore: (s: string) => s.replace(restoreRe, (p) => replacements.get(p) ?? p),
  };
}

/**
 * Applies `fn` to every string value inside a JSON-like value (keys untouched): with `restore`
 * it puts originals back into a model's output; with `redact` it hides them in an input.
 */
export function restoreDeep<T>(value: T, restore: (s: string) => string): T {
  if (typeof value === "string") return restore(value) as T;
  if (Array.isArray(value)) return value.map((v) => restoreDeep(v, restore)) as T;
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, restoreDeep(v, restore)])) as T;
  }
  return value;
}
