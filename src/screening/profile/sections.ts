/**
 * Splits a resume's lines into sections. A heading is recognised by its words ("Work History",
 * "Areas of Expertise") and by its layout: once the known headings show what a heading looks like
 * in this file (size, weight), an unknown line styled the same way starts a section of its own,
 * so "Volunteering" does not end up inside the experience.
 */
import type { TextLine } from "../read/types.ts";
import { findDateRange } from "./dates.ts";

export type SectionKind =
  | "header"
  | "summary"
  | "experience"
  | "education"
  | "skills"
  | "certifications"
  | "languages"
  | "links"
  | "contact"
  | "projects"
  | "other";

const NAMES: [SectionKind, string[]][] = [
  [
    "experience",
    [
      "experience",
      "work experience",
      "professional experience",
      "work history",
      "employment",
      "employment history",
      "career history",
      "career",
      "relevant experience",
      "professional background",
      "positions held",
      "experience history",
      "berufserfahrung",
      "professional history",
      "employment experience",
      "working experience",
      "industry experience",
      "relevant work experience",
      "experience summary",
      "career experience",
      "employment record",
      "work",
      "experience & employment",
    ],
  ],
  [
    "education",
    [
      "education",
      "academic background",
      "education and training",
      "education & training",
      "academics",
      "academic qualifications",
      "academic history",
      "education history",
      "studies",
      "training and education",
      "educational background",
      "academic profile",
      "education & certifications",
      "education and certifications",
    ],
  ],
  [
    "skills",
    [
      "skills",
      "technical skills",
      "core skills",
      "areas of expertise",
      "expertise",
      "competencies",
      "core competencies",
      "key skills",
      "technologies",
      "tools",
      "skills and tools",
      "skills & tools",
      "tech stack",
      "skills summary",
      "technical proficiencies",
      "skills & expertise",
      "skills and expertise",
      "key competencies",
      "tools and technologies",
      "tools & technologies",
      "skills & abilities",
      "skills and abilities",
      "professional skills",
      "relevant skills",
      "computer skills",
      "technical competencies",
      "technical expertise",
      "programming languages",
      "languages & tools",
      "languages and tools",
      "languages & technologies",
      "software",
      "software skills",
      "skill set",
      "skillset",
      "skills & technologies",
      "skills and technologies",
    ],
  ],
  [
    "summary",
    [
      "summary",
      "profile",
      "about me",
      "executive summary",
      "professional summary",
      "objective",
      "career objective",
      "about",
      "personal statement",
      "overview",
      "professional profile",
      "career summary",
      "summary of qualifications",
      "qualifications summary",
      "highlights",
      "career highlights",
      "professional overview",
      "profile summary",
    ],
  ],
  [
    "certifications",
    [
      "certifications",
      "certificates",
      "licenses & certifications",
      "licenses and certifications",
      "licences & certifications",
      "professional certifications",
      "licenses",
      "licences",
      "accreditations",
      "certifications & licenses",
      "courses & certifications",
      "certifications & training",
      "certifications and training",
      "training & certifications",
      "training",
      "professional development",
      "courses",
    ],
  ],
  ["languages", ["languages", "language skills", "spoken languages", "language proficiency"]],
  ["links", ["links", "online", "profiles", "contact links", "social", "online profiles", "web", "portfolio"]],
  ["contact", ["contact", "contact information", "contact details", "personal details", "personal information", "details"]],
  [
    "projects",
    [
      "projects",
      "selected projects",
      "key projects",
      "personal projects",
      "publications",
      "awards",
      "honors",
      "honours",
      "awards & honors",
      "volunteering",
      "volunteer experience",
      "interests",
      "hobbies",
      "references",
      "activities",
      "leadership",
      "achievements",
      "volunteer work",
      "additional information",
      "key achievements",
      "accomplishments",
      "community involvement",
      "affiliations",
      "memberships",
      "professional affiliations",
      "open source",
    ],
  ],
];

const LOOKUP = new Map<string, SectionKind>();
for (const [kind, names] of NAMES) for (const n of names) LOOKUP.set(n, kind);

/**
 * Heading words that also stand alone inside other sections: "Languages" or "Tools" over a group of
 * a skills list, "Work" or "Training" at the start of a line of prose. In the body's own style they
 * count only in capitals, with a colon, or after a gap.
 */
const AMBIGUOUS = new Set([
  "tools",
  "technologies",
  "software",
  "online",
  "web",
  "social",
  "details",
  "career",
  "about",
  "portfolio",
  "activities",
  "leadership",
  "studies",
  "work",
  "training",
  "courses",
]);

function normalise(text: string): string {
  let t = text.trim();
  // Letter-spaced capitals ("E X P E R I E N C E", "W O R K  H I S T O R Y"): words are the double spaces.
  if (/^(?:\p{L}\s{1,3}){3,}\p{L}$/u.test(t))
    t = t
      .split(/\s{2,}/)
      .map((w) => w.replace(/\s/g, ""))
      .join(" ");
  return t
    .toLowerCase()
    .replace(/[:：|•]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/** The section a heading names, or undefined when the words are not a known heading. */
export function sectionKindOf(text: string): SectionKind | undefined {
  if (text.length > 45) return undefined;
  return LOOKUP.get(normalise(text));
}

function isCapitals(text: string): boolean {
  return text === text.toUpperCase() && /\p{Lu}{3}/u.test(text.replace(/\s/g, ""));
}

/**
 * Whether a known heading written in the body's font, size and weight stands as a heading here:
 * alone on its line, in any case (in lower case only after a gap), and not the wrapped end of a
 * sentence. A gap before or after it (a blank line, paragraph spacing) confirms it.
 */
function standsAsHeading(lines: TextLine[], i: number): boolean {
  const line = lines[i]!;
  const text = line.text.trim();
  const colon = /[:：]$/.test(text);
  const caps = isCapitals(text);
  const next = lines[i + 1];
  const prev = lines[i - 1];
  const gapAfter = !next || next.gapBefore === true || next.page !== line.page;
  const gapBefore = !prev || line.gapBefore === true || prev.page !== line.page;
  // In lower case ("education") only as a block of its own: otherwise it is a sentence's tail.
  if (!/^\p{Lu}/u.test(text) && !gapBefore) return false;
  if (AMBIGUOUS.has(normalise(text)) && !colon && !caps && !gapBefore) return false;
  if (colon || caps || gapBefore || gapAfter) return true;
  // With no gap on either side: not when the line before is a long unfinished line (this is its
  // wrapped tail) or the line after carries on in lower case (this begins a sentence).
  const prevUnfinished =
    !!prev && /(?:[,&/(–—-]|\b(?:and|or|of|the|a|an|in|on|for|with|to|at|by|as|from|our|my|its|their|using|including))\s*$/.test(prev.text);
  const nextContinues = !!next && /^\p{Ll}/u.test(next.text.trim());
  return !prevUnfinished && !nextContinues;
}

/**
 * A heading in the left cell of a row, with the row's content beside it ("EXPERIENCE   Acme — …",
 * a label column): the heading and the rest, or undefined.
 */
function leadingHeading(line: TextLine): { kind: SectionKind; heading: string; rest: string } | undefined {
  const m = /^(\S.{1,44}?)(?:\s{3,}|\t+)(\S.*)$/.exec(line.text);
  if (!m) return undefined;
  const kind = sectionKindOf(m[1]!);
  // A cell of its own, set apart by a column's width: even "Work" or "Tools" is a label there.
  if (!kind || !/^\p{Lu}/u.test(m[1]!)) return undefined;
  return { kind, heading: m[1]!.trim(), rest: m[2]! };
}

export interface Section {
  kind: SectionKind;
  heading: string;
  lines: TextLine[];
}

/**
 * Groups lines under their headings; lines before the first heading form the `header` section.
 * A known heading counts when it is styled as one (larger, bold, capitals, marked by the file),
 * when the format carries no styling (plain text, Word, HTML), or when it stands alone as a
 * heading in the body's own style (see `standsAsHeading`): the common "ATS-friendly" resume.
 */
export function splitSections(lines: TextLine[]): Section[] {
  const known = lines.filter((l) => sectionKindOf(l.text) && (l.heading || l.bold || l.text === l.text.toUpperCase() || l.fontSize === 0));
  const styles = known.filter((l) => l.fontSize > 0).map((l) => `${Math.round(l.fontSize)}:${l.bold}`);
  const headingStyle = new Set(styles);
  const sections: Section[] = [{ kind: "header", heading: "", lines: [] }];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const kind = sectionKindOf(line.text);
    const styledAsHeading = line.heading || line.bold || (line.text === line.text.toUpperCase() && /[A-Z]{3}/.test(line.text));
    if (kind && (styledAsHeading || line.fontSize === 0 || standsAsHeading(lines, i))) {
      sections.push({ kind, heading: line.text, lines: [] });
      continue;
    }
    const leading = kind ? undefined : leadingHeading(line);
    if (leading) {
      sections.push({ kind: leading.kind, heading: leading.heading, lines: [{ ...line, text: leading.rest, heading: false, gapBefore: true }] });
      continue;
    }
    // An unknown heading drawn exactly like the known ones starts an "other" section, unless dates
    // follow within a few lines: then it heads a position ("General Manager" over "Mar 2018 – Jul 2024").
    if (
      line.heading &&
      line.fontSize > 0 &&
      headingStyle.has(`${Math.round(line.fontSize)}:${line.bold}`) &&
      sections.length > 1 &&
      line.text.length <= 40 &&
      !/\d/.test(line.text) &&
      !lines.slice(i + 1, i + 4).some((l) => findDateRange(l.text))
    ) {
      sections.push({ kind: "other", heading: line.text, lines: [] });
      continue;
    }
    sections[sections.length - 1]!.lines.push(line);
  }
  return sections;
}
