/**
 * Splits a resume's lines into sections. A heading is recognised by its words ("Work History",
 * "Areas of Expertise") and by its layout: once the known headings show what a heading looks like
 * in this file (size, weight), an unknown line styled the same way starts a section of its own,
 * so "Volunteering" does not end up inside the experience.
 */
import type { TextLine } from "../read/types.ts";

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
  ["experience", ["experience", "work experience", "professional experience", "work history", "employment", "employment history", "career history", "career", "relevant experience", "professional background", "positions held", "experience history", "berufserfahrung"]],
  ["education", ["education", "academic background", "education and training", "education & training", "academics", "academic qualifications", "academic history", "education history", "studies", "training and education"]],
  ["skills", ["skills", "technical skills", "core skills", "areas of expertise", "expertise", "competencies", "core competencies", "key skills", "technologies", "tools", "skills and tools", "skills & tools", "tech stack", "skills summary", "technical proficiencies", "skills & expertise", "skills and expertise", "key competencies", "tools and technologies", "tools & technologies"]],
  ["summary", ["summary", "profile", "about me", "executive summary", "professional summary", "objective", "career objective", "about", "personal statement", "overview", "professional profile", "career summary"]],
  ["certifications", ["certifications", "certificates", "licenses & certifications", "licenses and certifications", "licences & certifications", "professional certifications", "licenses", "licences", "accreditations", "certifications & licenses", "courses & certifications"]],
  ["languages", ["languages", "language skills", "spoken languages", "language proficiency"]],
  ["links", ["links", "online", "profiles", "contact links", "social", "online profiles", "web", "portfolio"]],
  ["contact", ["contact", "contact information", "contact details", "personal details", "personal information", "details"]],
  ["projects", ["projects", "selected projects", "key projects", "personal projects", "publications", "awards", "honors", "honours", "awards & honors", "volunteering", "volunteer experience", "interests", "hobbies", "references", "activities", "leadership", "achievements"]],
];

const LOOKUP = new Map<string, SectionKind>();
for (const [kind, names] of NAMES) for (const n of names) LOOKUP.set(n, kind);

function normalise(text: string): string {
  return text.toLowerCase().replace(/[:：|•]+/g, " ").replace(/\s+/g, " ").trim();
}

/** The section a heading names, or undefined when the words are not a known heading. */
export function sectionKindOf(text: string): SectionKind | undefined {
  if (text.length > 45) return undefined;
  return LOOKUP.get(normalise(text));
}

export interface Section {
  kind: SectionKind;
  heading: string;
  lines: TextLine[];
}

/** Groups lines under their headings; lines before the first heading form the `header` section. */
export function splitSections(lines: TextLine[]): Section[] {
  const known = lines.filter((l) => sectionKindOf(l.text) && (l.heading || l.bold || l.text === l.text.toUpperCase() || l.fontSize === 0));
  const styles = known.filter((l) => l.fontSize > 0).map((l) => `${Math.round(l.fontSize)}:${l.bold}`);
  const headingStyle = new Set(styles);
  const sections: Section[] = [{ kind: "header", heading: "", lines: [] }];
  for (const line of lines) {
    const kind = sectionKindOf(line.text);
    const styledAsHeading = line.heading || line.bold || (line.text === line.text.toUpperCase() && /[A-Z]{3}/.test(line.text));
    if (kind && (styledAsHeading || line.fontSize === 0)) {
      sections.push({ kind, heading: line.text, lines: [] });
      continue;
    }
    // An unknown heading drawn exactly like the known ones starts an "other" section.
    if (
      line.heading && line.fontSize > 0 && headingStyle.has(`${Math.round(line.fontSize)}:${line.bold}`) &&
      sections.length > 1 && line.text.length <= 40 && !/\d/.test(line.text)
    ) {
      sections.push({ kind: "other", heading: line.text, lines: [] });
      continue;
    }
    sections[sections.length - 1]!.lines.push(line);
  }
  return sections;
}
