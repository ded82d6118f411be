/**
 * The only thing the scorer sees. Protected features never enter a score because they never reach
 * the scorer: this view is built by copying an allow-list of fields, and its text is the resume's
 * body with the header, contact and links sections left out and names, pronouns, age and its
 * proxies (graduation years, "young", "recent graduate", birth dates), nationality, addresses,
 * photos and explained leave removed. Gaps are never scored at all.
 */
import type { ParsedResume } from "./parse-resume.ts";
import type { YearMonth } from "./profile/dates.ts";
import { withoutTitles } from "./profile/extract-profile.ts";
import { splitSections } from "./profile/sections.ts";
import type { ParseStatus } from "./read/types.ts";
import { findSkills } from "./skills.ts";

export interface ViewPosition {
  title: string;
  org: string;
  start: YearMonth | null;
  end: YearMonth | null;
  details: string[];
  /** The dates line as it appears in `text`. */
  quote: string;
}

export interface ScoringView {
  /** Scrubbed visible text: what every evidence quote must be found in. */
  text: string;
  lines: string[];
  positions: ViewPosition[];
  /** Canonical skills from skills lists and (read strictly) from the scrubbed text. */
  skills: string[];
  certifications: string[];
  languages: string[];
  /** Degrees without years (graduation years are an age proxy). */
  education: { degree: string; field: string; quote: string }[];
  parse: {
    status: ParseStatus;
    ocr: boolean;
    words: number;
    positionsWithoutDates: number;
    hiddenText: boolean;
    injection: boolean;
    unverifiableLines: number;
  };
}

const PRONOUNS = /\b(he|him|his|himself|she|her|hers|herself|they|them|their|theirs|themselves|xe|xem|xyr|ze|zir|hir)\b|\b(mr|mrs|ms|mx)\.(?=\s)/gi;
const AGE =
  /\b(young|youthful|energetic young|recent(ly)? graduated?|new grad(uate)?|fresh graduate|fresher|digital native|born (in|on)\b[^,.;]*|\d{1,2}\s*(years|yrs)\s*old|aged? \d{1,2}|date of birth|d\.?o\.?b\.?|mature|over \d{2}|under \d{2}|retiree|retired)\b/gi;
const DROP_LINE =
  /\b(nationality|citizenship|citizen of|place of birth|date of birth|marital status|married|religion|gender|sex:|pronouns|photo|headshot|visa status|work permit|maternity|paternity|parental leave|career break|caregiv|sabbatical|family leave|medical leave|disability|veteran status)\b/i;
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
const URL = /\b(?:https?:\/\/|www\.)\S+/gi;
const PHONE = /(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,4}\)[\s.-]?)?\d[\d\s.-]{6,}\d/g;
const YEAR = /\b(19|20)\d{2}\b/g;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Builds the scorer's view of a parsed resume. */
export function toScoringView(parsed: ParsedResume): ScoringView {
  const profile = parsed.profile;
  const nameParts = (profile.name ?? "")
    .split(/\s+/)
    .filter((p) => p.length > 1)
    .map(escapeRegExp);
  const nameRe = nameParts.length ? new RegExp(`\\b(${nameParts.join("|")})\\b`, "gi") : undefined;
  const scrub = (line: string): string => {
    let t = line.replace(EMAIL, " ").replace(URL, " ");
    if (nameRe) t = t.replace(nameRe, " ");
    if (profile.location) t = t.split(profile.location).join(" ");
    return t
      .replace(AGE, " ")
      .replace(PRONOUNS, " ")
      .replace(/[ \t]+/g, " ")
      .trim();
  };
  const lines: string[] = [];
  for (const section of splitSections(parsed.lines)) {
    if (section.kind === "header" || section.kind === "contact" || section.kind === "links") continue;
    if (section.heading) lines.push(section.heading);
    for (const line of section.lines) {
      if (DROP_LINE.test(line.text)) continue;
      let t = scrub(line.text);
      if (section.kind === "education" || section.kind === "certifications")
        t = t
          .replace(YEAR, " ")
          .replace(/\(\s*\)/g, " ")
          .replace(/\s*[-–]\s*$/, "")
          .replace(/\s+/g, " ")
          .trim();
      else t = t.replace(PHONE, (m) => (/\d{4}\s*[-–]\s*\d{4}/.test(m) || /^\s*\d{4}\s*$/.test(m) ? m : " "));
      if (t) lines.push(t);
    }
  }
  const text = lines.join("\n");
  const skills = new Set(profile.skills.filter((s) => s.source === "skills-section").map((s) => s.name));
  const titles = profile.positions.map((p) => p.title).filter((t) => t.length > 3);
  for (const line of lines) for (const f of findSkills(withoutTitles(line, titles), { strict: true })) if (f.category !== "certifications") skills.add(f.name);
  const positions: ViewPosition[] = profile.positions.map((p) => ({
    title: scrub(p.title),
    org: scrub(p.org),
    start: p.start,
    end: p.end,
    details: p.details.map(scrub).filter((d) => d && !DROP_LINE.test(d)),
    quote: scrub(p.dateLine),
  }));
  const words = text.split(/\s+/).filter(Boolean).length;
  return {
    text,
    lines,
    positions,
    skills: [...skills],
    certifications: profile.certifications.map(scrub),
    languages: profile.languages.map((l) => l.language),
    education: profile.education.filter((e) => e.degree).map((e) => ({ degree: e.degree!, field: e.field ?? "", quote: scrub(e.degreeText ?? e.degree!) })),
    parse: {
      status: parsed.status,
      ocr: parsed.flags.includes("ocr"),
      words,
      positionsWithoutDates: profile.positions.filter((p) => !p.start).length,
      hiddenText: parsed.hiddenText.length > 0,
      injection: parsed.injections.length > 0,
      unverifiableLines: 0,
    },
  };
}
