/**
 * Fictional candidates with ground truth. A profile is the single source of truth for what a
 * rendered resume says: renderers print exactly these values (dates through `formatMonthYear`), so
 * an evaluation corpus can compare parsed output with the profile field by field.
 */
import { createPrng, hashSeed, type Prng } from "./prng.ts";
import {
  bachelorDegrees,
  certificationsByDiscipline,
  disciplines,
  employersByIndustry,
  fieldsByDiscipline,
  firstNames,
  generalSkills,
  highlightsByDiscipline,
  industries,
  lastNames,
  masterDegrees,
  places,
  proficiencies,
  schools,
  seniorities,
  skillsByDiscipline,
  spokenLanguages,
  titlesByDiscipline,
  type Discipline,
  type Seniority,
} from "./people-data.ts";

export type { Discipline, Seniority } from "./people-data.ts";

/** A calendar month; `month` is 1–12. */
export interface YearMonth {
  year: number;
  month: number;
}

export interface Position {
  org: string;
  title: string;
  location: string;
  start: YearMonth;
  /** `null` means the person still works there ("Present"). */
  end: YearMonth | null;
  summary: string;
  highlights: string[];
}

export interface Education {
  school: string;
  degree: string;
  field: string;
  startYear: number;
  endYear: number;
}

export interface SpokenLanguage {
  language: string;
  proficiency: string;
}

export interface Certification {
  name: string;
  issuer: string;
  year: number;
}

export interface ProfileLink {
  kind: "linkedin" | "github" | "portfolio" | "website";
  url: string;
}

/** A fictional person and everything their resume states. */
export interface ResumeProfile {
  /** Stable id derived from the seed and index. */
  id: string;
  firstName: string;
  lastName: string;
  name: string;
  email: string;
  phone: string;
  location: { city: string; region: string | null; country: string; countryCode: string; text: string };
  headline: string;
  summary: string;
  discipline: Discipline;
  seniority: Seniority;
  industry: string;
  /** Whole years from the first position's start to the reference month. */
  yearsOfExperience: number;
  /** Most recent first. */
  positions: Position[];
  /** Most recent first. */
  education: Education[];
  skills: string[];
  languages: SpokenLanguage[];
  certifications: Certification[];
  links: ProfileLink[];
}

/** "Now" for generated careers, fixed so the corpus never changes with the clock. */
export const referenceMonth: YearMonth = { year: 2026, month: 10 };

const experienceYears: Record<Seniority, [number, number]> = {
  junior: [1, 2],
  mid: [3, 6],
  senior: [6, 10],
  lead: [9, 14],
  executive: [14, 22],
};

function monthsBetween(a: YearMonth, b: YearMonth): number {
  return (b.year - a.year) * 12 + (b.month - a.month);
}

function addMonths(a: YearMonth, months: number): YearMonth {
  const index = a.year * 12 + (a.month - 1) + months;
  return { year: Math.floor(index / 12), month: (index % 12) + 1 };
}

function ascii(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^A-Za-z]/g, "")
    .toLowerCase();
}

function seniorityAt(final: Seniority, stepsBack: number): Seniority {
  const index = Math.max(0, seniorities.indexOf(final) - stepsBack);
  return seniorities[index] as Seniority;
}

function buildPositions(rng: Prng, discipline: Discipline, seniority: Seniority, industry: string, place: string): Position[] {
  const years = rng.int(...experienceYears[seniority]);
  const careerStart = addMonths(referenceMonth, -(years * 12 + rng.int(0, 10)));
  const count = Math.min(5, Math.max(1, Math.round(years / 3) + rng.int(0, 1)));
  const homeEmployers = employersByIndustry[industry] ?? [];
  const otherEmployers = Object.values(employersByIndustry).flat();
  const employers = rng.sample([...new Set([...rng.sample(homeEmployers, 3), ...rng.sample(otherEmployers, 4)])], count);
  const totalMonths = monthsBetween(careerStart, referenceMonth);
  // Split the career into `count` consecutive stints, oldest first, with short gaps between some.
  const cuts = Array.from({ length: count - 1 }, () => rng.int(6, Math.max(7, totalMonths - 6))).sort((a, b) => a - b);
  const bounds = [0, ...cuts, totalMonths];
  const stillEmployed = rng.chance(0.8);
  const positions: Position[] = [];
  for (let i = 0; i < count; i++) {
    const startOffset = (bounds[i] as number) + (i > 0 && rng.chance(0.3) ? 1 : 0);
    const endOffset = Math.max(startOffset + 3, (bounds[i + 1] as number) - (i < count - 1 && rng.chance(0.3) ? 1 : 0));
    const isLast = i === count - 1;
    const level = seniorityAt(seniority, count - 1 - i > 2 ? 2 : count - 1 - i);
    const skills = skillsByDiscipline[discipline];
    const highlights = rng.sample(highlightsByDiscipline[discipline], rng.int(2, 3)).map((h) => h.replace("{skill}", rng.pick(skills)));
    const org = employers[i] ?? rng.pick(otherEmployers);
    const title = rng.pick(titlesByDiscipline[discipline][level]);
    positions.push({
      org,
      title,
      location: rng.chance(0.7) ? place : rng.pick(places).city,
      start: addMonths(careerStart, startOffset),
      end: isLast && stillEmployed ? null : addMonths(careerStart, Math.min(endOffset, totalMonths - (isLast ? 1 : 0))),
      summary: `${title} at ${org}, working across ${rng.pick(["product", "platform", "customer", "growth", "internal"])} teams.`,
      highlights,
    });
  }
  // Distinct stints at one employer would confuse ground-truth comparison; keep employers unique.
  return positions.reverse();
}

function buildEducation(rng: Prng, discipline: Discipline, careerStartYear: number): Education[] {
  const bachelorEnd = careerStartYear - rng.int(0, 1);
  const list: Education[] = [];
  if (rng.chance(0.35)) {
    list.push({
      school: rng.pick(schools),
      degree: rng.pick(masterDegrees),
      field: rng.pick(fieldsByDiscipline[discipline]),
      startYear: bachelorEnd,
      endYear: bachelorEnd + rng.int(1, 2),
    });
  }
  list.push({
    school: rng.pick(schools),
    degree: rng.pick(bachelorDegrees),
    field: rng.pick(fieldsByDiscipline[discipline]),
    startYear: bachelorEnd - rng.int(3, 4),
    endYear: bachelorEnd,
  });
  return list;
}

/**
 * Generates `n` fictional people, deterministically from `seed` (same seed, same people).
 * @example
 * const [first] = generatePeople(7, 1);
 * first.positions[0].org; // e.g. "Northwind Labs"
 */
export function generatePeople(seed: number, n: number): ResumeProfile[] {
  const root = createPrng(hashSeed(`people:${seed}`));
  const people: ResumeProfile[] = [];
  const usedEmails = new Set<string>();
  for (let index = 0; index < n; index++) {
    const rng = root.fork(`person-${index}`);
    const discipline = disciplines[index % disciplines.length] as Discipline;
    const seniority = rng.pick(seniorities);
    const industry = rng.pick(industries);
    const firstName = rng.pick(firstNames);
    const lastName = rng.pick(lastNames);
    const name = `${firstName} ${lastName}`;
    const place = rng.pick(places);
    const locationText = place.region ? `${place.city}, ${place.region}` : `${place.city}, ${place.country}`;
    const positions = buildPositions(rng, discipline, seniority, industry, place.city);
    const careerStart = (positions[positions.length - 1] as Position).start;
    const education = buildEducation(rng, discipline, careerStart.year);
    const skills = [...rng.sample(skillsByDiscipline[discipline], rng.int(6, 10)), ...rng.sample(generalSkills, rng.int(0, 2))];
    const languages: SpokenLanguage[] = [
      { language: "English", proficiency: place.countryCode === "US" || place.countryCode === "GB" ? "Native" : rng.pick(proficiencies.slice(1, 3)) },
      ...rng
        .sample(
          spokenLanguages.filter((l) => l !== "English"),
          rng.int(0, 2),
        )
        .map((language) => ({ language, proficiency: rng.pick(proficiencies) })),
    ];
    const certifications = rng
      .sample(certificationsByDiscipline[discipline], rng.chance(0.5) ? rng.int(1, 2) : 0)
      .map((c) => ({ ...c, year: rng.int(Math.max(careerStart.year, referenceMonth.year - 8), referenceMonth.year) }));
    let handle = `${ascii(firstName)}.${ascii(lastName)}`;
    if (usedEmails.has(handle)) handle = `${handle}${index}`;
    usedEmails.add(handle);
    const email = `${handle}@${rng.pick(["example.com", "example.net", "example.org"])}`;
    const phone = `${place.phonePrefix}${rng.int(10, 99)} ${rng.int(100, 999)} ${rng.int(100, 999)}`;
    const links: ProfileLink[] = [{ kind: "linkedin", url: `https://www.linkedin.com/in/${handle.replace(".", "-")}` }];
    if (discipline === "engineering" || discipline === "data") links.push({ kind: "github", url: `https://github.com/${handle.replace(".", "")}` });
    if (discipline === "design") links.push({ kind: "portfolio", url: `https://${handle.replace(".", "")}.design` });
    const current = positions[0] as Position;
    const years = Math.floor(monthsBetween(careerStart, referenceMonth) / 12);
    people.push({
      id: `person-${seed}-${index}`,
      firstName,
      lastName,
      name,
      email,
      phone,
      location: { city: place.city, region: place.region, country: place.country, countryCode: place.countryCode, text: locationText },
      headline: `${current.title}${current.end === null ? ` at ${current.org}` : ""}`,
      summary: `${current.title} with ${years} years of experience in ${discipline} across ${industry} companies. Strong in ${skills.slice(0, 3).join(", ")}.`,
      discipline,
      seniority,
      industry,
      yearsOfExperience: years,
      positions,
      education,
      skills,
      languages,
      certifications,
      links,
    });
  }
  return people;
}
