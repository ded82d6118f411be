/**
 * Labels of the external corpus, derived from the sources (never from a parse): skills as the
 * taxonomy's canonical names, positions in order with employer, title and dates. The shape is the
 * generated corpus's `ResumeTruth` plus where the document came from.
 */
import { canonicalSkill } from "../../../src/screening/index.ts";
import { CORPUS_AS_OF, type ResumeTruth, type TruthPosition } from "../generate.ts";
import { formatDates, type Style } from "./render.ts";
import type { SourceResume } from "./sources.ts";

/** A label file of the external corpus. */
export interface ExternalTruth extends ResumeTruth {
  producer: string;
  /** The source record or package sample it was rendered from. */
  source: string;
  /** The document, relative to the corpus's files folder. */
  file: string;
  /** "year" when the document shows years only: dates are then compared on years. */
  datePrecision: "month" | "year";
}

/** The corpus index: one entry per document. */
export interface ExternalIndex {
  asOf: { year: number; month: number };
  documents: { producer: string; file: string; truth: string }[];
}

export const EXTERNAL_AS_OF = CORPUS_AS_OF;

/** The canonical name of a skill the taxonomy knows; throws for one it does not (a marked skill must be known). */
export function knownSkill(name: string, where: string): string {
  const c = canonicalSkill(name);
  if (!c) throw new Error(`${where}: the skill "${name}" is marked but the taxonomy does not know it`);
  return c;
}

const ym = (s: string) => {
  const [year, month] = s.split("-").map(Number) as [number, number];
  return { year, month: month || 1 };
};

function years(positions: TruthPosition[]): number {
  const months = new Set<number>();
  const now = EXTERNAL_AS_OF.year * 12 + EXTERNAL_AS_OF.month;
  for (const p of positions) {
    const end = p.end ? p.end.year * 12 + p.end.month : now;
    for (let m = p.start.year * 12 + p.start.month; m <= end; m++) months.add(m);
  }
  return Math.round((months.size / 12) * 10) / 10;
}

/** Every skill a source record states: marked names in its prose and (when it is printed) the known items of its skills list. */
export function sourceSkills(r: SourceResume, withList = true): string[] {
  const prose = [r.summary, ...r.positions.flatMap((p) => p.bullets)].join("\n");
  const marked = [...prose.matchAll(/\{([^}]+)\}/g)].map((m) => knownSkill(m[1]!, r.id));
  const listed = withList ? r.skills.map((s) => canonicalSkill(s)).filter((s): s is string => Boolean(s)) : [];
  return [...new Set([...listed, ...marked])];
}

/** The label of one rendering of a source record. */
export function truthOfSource(r: SourceResume, style: Style, producer: string, file: string): ExternalTruth {
  const positions = r.positions.map((p) => ({
    org: p.org,
    title: p.title,
    start: ym(p.start),
    end: p.end ? ym(p.end) : null,
    dates: formatDates(p, style.dates),
  }));
  return {
    id: `${producer}/${r.id}`,
    layout: `${style.headings}/${style.order}/${style.dates}/names${style.names}${style.skillsList === false ? "/no-skills-list" : ""}`,
    discipline: r.discipline,
    seniority: "",
    skills: sourceSkills(r, style.skillsList !== false),
    positions,
    education: r.education.map((e) => ({ school: e.school, degree: e.degree, field: e.field })),
    languages: r.languages,
    certifications: r.certifications,
    yearsOfExperience: years(positions),
    producer,
    source: r.id,
    file,
    datePrecision: style.dates === "year" ? "year" : "month",
  };
}

interface JsonResumeLike {
  basics?: { label?: string; email?: string };
  work?: { name?: string; position?: string; startDate?: string; endDate?: string }[];
  education?: { institution?: string; studyType?: string; area?: string }[];
  skills?: { name?: string; keywords?: string[] }[];
  projects?: { keywords?: string[] }[];
  languages?: { language?: string }[];
  certificates?: { name?: string }[];
}

/**
 * The label of a JSON Resume document rendered by a theme: positions from `work`, skills from the
 * known names and keywords of `skills` and `projects`, plus `statedInText` — skills its prose
 * names, listed by hand by whoever read the sample.
 */
export function truthOfJsonResume(
  json: JsonResumeLike,
  producer: string,
  source: string,
  file: string,
  discipline: string,
  statedInText: string[] = [],
): ExternalTruth {
  const positions = (json.work ?? []).map((w) => ({
    org: w.name ?? "",
    title: w.position ?? "",
    start: ym(w.startDate ?? ""),
    end: w.endDate ? ym(w.endDate) : null,
    dates: `${w.startDate ?? ""} – ${w.endDate ?? "present"}`,
  }));
  const named = [...(json.skills ?? []).flatMap((s) => [s.name ?? "", ...(s.keywords ?? [])]), ...(json.projects ?? []).flatMap((p) => p.keywords ?? [])];
  const skills = [...named.map((s) => canonicalSkill(s)).filter((s): s is string => Boolean(s)), ...statedInText.map((s) => knownSkill(s, source))];
  return {
    id: `${producer}/${source}`,
    layout: "jsonresume-theme-even",
    discipline,
    seniority: "",
    skills: [...new Set(skills)],
    positions,
    education: (json.education ?? []).map((e) => ({ school: e.institution ?? "", degree: e.studyType ?? "", field: e.area ?? "" })),
    languages: (json.languages ?? []).map((l) => l.language ?? ""),
    certifications: (json.certificates ?? []).map((c) => c.name ?? ""),
    yearsOfExperience: years(positions),
    producer,
    source,
    file,
    datePrecision: "month",
  };
}
