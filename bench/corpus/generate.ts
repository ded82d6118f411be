/**
 * The screening evaluation corpus: 200 fictional resumes, each rendered as PDF and DOCX in one of
 * eight templates (one column, sidebar two-column, table-like grid, executive; with different
 * section names, date formats, headers and footers), each with its ground truth; 10 postings in
 * Lever's shape; and the expected tier of a subset of resumes for each posting.
 *
 * Deterministic: the same seed gives the same resumes, truths, postings and tiers (PDFs are
 * byte-identical; DOCX files differ only in the creation time the docx library stamps in their
 * metadata). Run `node bench/corpus/generate.ts` (the benchmark runs it itself when the files are
 * missing).
 *
 * Ground-truth skills are the skills the resume states: its skills list plus every skill of the
 * person's discipline named in its summary or achievements. Expected tiers are computed from the
 * ground truth (not from any parse) with the rule a recruiter would apply: must-have skills held,
 * years of experience against the minimum, nice-to-haves as a bonus.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  formatDateRange,
  generatePeople,
  renderResumeDocx,
  renderResumePdf,
  resumeLayouts,
  type ResumeLayout,
  type ResumeProfile,
} from "../../src/sandbox/resumes/index.ts";
import { generalSkills, skillsByDiscipline } from "../../src/sandbox/resumes/people-data.ts";

export const CORPUS_DIR = join(import.meta.dirname, "files");
export const CORPUS_SEED = 2026;
export const CORPUS_SIZE = 200;
/** "Now" of the corpus (the people generator's reference month). */
export const CORPUS_AS_OF = { year: 2026, month: 10 };

/** The sandbox's four resume presets plus four variants with other section names, date styles and running lines. */
export const corpusLayouts: ResumeLayout[] = [
  ...resumeLayouts,
  {
    ...resumeLayouts[0]!,
    name: "classic-iso",
    dateStyle: "iso-month",
    sections: {
      summary: "Professional Summary",
      experience: "Employment History",
      education: "Education",
      skills: "Key Skills",
      languages: "Languages",
      certifications: "Certificates",
      links: "Online Profiles",
    },
    header: "{name}",
    footer: "{name} - page {page}",
  },
  {
    ...resumeLayouts[1]!,
    name: "sidebar-full-month",
    dateStyle: "full-month",
    sections: {
      summary: "About",
      experience: "Experience",
      education: "Academic Qualifications",
      skills: "Competencies",
      languages: "Spoken Languages",
      certifications: "Certifications",
      links: "Links",
    },
    header: null,
    footer: null,
  },
  {
    ...resumeLayouts[2]!,
    name: "grid-month-name",
    dateStyle: "month-name",
    sections: {
      summary: "Overview",
      experience: "Relevant Experience",
      education: "Education",
      skills: "Tools & Technologies",
      languages: "Languages",
      certifications: "Licenses",
      links: "Web",
    },
    header: "CURRICULUM VITAE",
    footer: "Page {page}",
  },
  {
    ...resumeLayouts[3]!,
    name: "executive-numeric",
    dateStyle: "numeric",
    sections: {
      summary: "Career Summary",
      experience: "Professional Background",
      education: "Education History",
      skills: "Core Competencies",
      languages: "Language Proficiency",
      certifications: "Accreditations",
      links: "Contact Links",
    },
  },
];

export interface TruthPosition {
  org: string;
  title: string;
  start: { year: number; month: number };
  end: { year: number; month: number } | null;
  dates: string;
}

export interface ResumeTruth {
  id: string;
  layout: string;
  discipline: string;
  seniority: string;
  skills: string[];
  positions: TruthPosition[];
  education: { school: string; degree: string; field: string }[];
  languages: string[];
  certifications: string[];
  yearsOfExperience: number;
}

function statedSkills(p: ResumeProfile): string[] {
  const prose = [p.summary, ...p.positions.flatMap((x) => x.highlights)].join(" \n ");
  const pool = [...skillsByDiscipline[p.discipline], ...generalSkills];
  const named = pool.filter((s) => new RegExp(`(^|[^A-Za-z0-9])${s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}([^A-Za-z0-9]|$)`).test(prose));
  return [...new Set([...p.skills, ...named])];
}

export function truthOf(p: ResumeProfile, layout: ResumeLayout): ResumeTruth {
  return {
    id: p.id,
    layout: layout.name,
    discipline: p.discipline,
    seniority: p.seniority,
    skills: statedSkills(p),
    positions: p.positions.map((x) => ({ org: x.org, title: x.title, start: x.start, end: x.end, dates: formatDateRange(x.start, x.end, layout.dateStyle) })),
    education: p.education.map((e) => ({ school: e.school, degree: e.degree, field: e.field })),
    languages: p.languages.map((l) => l.language),
    certifications: p.certifications.map((c) => c.name),
    yearsOfExperience: p.yearsOfExperience,
  };
}

/** A posting's requirements as the generator knows them, to compute expected tiers. */
interface PostingSpec {
  id: string;
  title: string;
  discipline: string;
  team: string;
  location: string;
  workplaceType: "onsite" | "remote" | "hybrid";
  minYears: number;
  yearsText: string;
  must: { text: string; skills: string[]; match: "any" | "all" }[];
  nice: { text: string; skills: string[] }[];
}

const POSTINGS: PostingSpec[] = [
  {
    id: "post-backend",
    title: "Senior Backend Engineer",
    discipline: "engineering",
    team: "Platform",
    location: "Berlin",
    workplaceType: "hybrid",
    minYears: 5,
    yearsText: "5+ years of experience as a software engineer",
    must: [
      { text: "Strong experience with Go, Python or Java", skills: ["Go", "Python", "Java"], match: "any" },
      { text: "Production experience with Kubernetes", skills: ["Kubernetes"], match: "all" },
    ],
    nice: [
      { text: "Kafka or another event streaming platform", skills: ["Kafka"] },
      { text: "Terraform", skills: ["Terraform"] },
    ],
  },
  {
    id: "post-frontend",
    title: "Frontend Engineer",
    discipline: "engineering",
    team: "Web",
    location: "Remote",
    workplaceType: "remote",
    minYears: 2,
    yearsText: "2+ years of experience as a software engineer",
    must: [{ text: "TypeScript and React", skills: ["TypeScript", "React"], match: "all" }],
    nice: [
      { text: "GraphQL", skills: ["GraphQL"] },
      { text: "Node.js on the server", skills: ["Node.js"] },
    ],
  },
  {
    id: "post-data",
    title: "Senior Data Scientist",
    discipline: "data",
    team: "Data",
    location: "London",
    workplaceType: "hybrid",
    minYears: 4,
    yearsText: "4+ years of experience in data roles",
    must: [
      { text: "Python and SQL", skills: ["Python", "SQL"], match: "all" },
      { text: "Machine Learning in production", skills: ["Machine Learning"], match: "all" },
    ],
    nice: [
      { text: "PyTorch or TensorFlow", skills: ["PyTorch", "TensorFlow"] },
      { text: "Airflow", skills: ["Airflow"] },
    ],
  },
  {
    id: "post-design",
    title: "Product Designer",
    discipline: "design",
    team: "Design",
    location: "Amsterdam",
    workplaceType: "onsite",
    minYears: 3,
    yearsText: "3+ years of experience as a designer",
    must: [
      { text: "Expert in Figma", skills: ["Figma"], match: "all" },
      { text: "Prototyping and Usability Testing", skills: ["Prototyping", "Usability Testing"], match: "all" },
    ],
    nice: [
      { text: "Design Systems", skills: ["Design Systems"] },
      { text: "Accessibility", skills: ["Accessibility"] },
    ],
  },
  {
    id: "post-product",
    title: "Product Manager",
    discipline: "product",
    team: "Product",
    location: "Toronto",
    workplaceType: "hybrid",
    minYears: 3,
    yearsText: "3+ years of experience in product management",
    must: [{ text: "Product Strategy and Roadmapping", skills: ["Product Strategy", "Roadmapping"], match: "all" }],
    nice: [
      { text: "Amplitude or Mixpanel", skills: ["Amplitude", "Mixpanel"] },
      { text: "SQL for your own analysis", skills: ["SQL"] },
    ],
  },
  {
    id: "post-sales",
    title: "Enterprise Account Executive",
    discipline: "sales",
    team: "Sales",
    location: "New York",
    workplaceType: "onsite",
    minYears: 4,
    yearsText: "4+ years of experience in sales",
    must: [
      { text: "Salesforce", skills: ["Salesforce"], match: "all" },
      { text: "MEDDIC or Solution Selling", skills: ["MEDDIC", "Solution Selling"], match: "any" },
    ],
    nice: [
      { text: "Gong", skills: ["Gong"] },
      { text: "LinkedIn Sales Navigator", skills: ["LinkedIn Sales Navigator"] },
    ],
  },
  {
    id: "post-marketing",
    title: "Growth Marketing Manager",
    discipline: "marketing",
    team: "Marketing",
    location: "Dublin",
    workplaceType: "remote",
    minYears: 3,
    yearsText: "3+ years of experience in marketing",
    must: [{ text: "SEO and Google Analytics", skills: ["SEO", "Google Analytics"], match: "all" }],
    nice: [
      { text: "HubSpot or Marketo", skills: ["HubSpot", "Marketo"] },
      { text: "Email Marketing", skills: ["Email Marketing"] },
    ],
  },
  {
    id: "post-finance",
    title: "Senior Financial Analyst",
    discipline: "finance",
    team: "Finance",
    location: "Chicago",
    workplaceType: "hybrid",
    minYears: 4,
    yearsText: "4+ years of experience in finance",
    must: [
      { text: "Financial Modeling in Excel", skills: ["Financial Modeling", "Excel"], match: "all" },
      { text: "FP&A", skills: ["FP&A"], match: "all" },
    ],
    nice: [
      { text: "NetSuite", skills: ["NetSuite"] },
      { text: "Variance Analysis", skills: ["Variance Analysis"] },
    ],
  },
  {
    id: "post-operations",
    title: "Operations Manager",
    discipline: "operations",
    team: "Operations",
    location: "Lisbon",
    workplaceType: "onsite",
    minYears: 5,
    yearsText: "5+ years of experience in operations",
    must: [
      { text: "Process Improvement", skills: ["Process Improvement"], match: "all" },
      { text: "Supply Chain Management or Logistics", skills: ["Supply Chain Management", "Logistics"], match: "any" },
    ],
    nice: [
      { text: "Lean Six Sigma", skills: ["Lean Six Sigma"] },
      { text: "ERP systems", skills: ["ERP"] },
    ],
  },
  {
    id: "post-recruiter",
    title: "Technical Recruiter",
    discipline: "people",
    team: "People",
    location: "Remote",
    workplaceType: "remote",
    minYears: 2,
    yearsText: "2+ years of experience in recruiting",
    must: [{ text: "Full-cycle Recruiting and Sourcing", skills: ["Recruiting", "Sourcing"], match: "all" }],
    nice: [
      { text: "Greenhouse or Lever", skills: ["Greenhouse", "Lever"] },
      { text: "Employment Law basics", skills: ["Employment Law"] },
    ],
  },
];

function li(items: string[]): string {
  return `<ul>${items.map((i) => `<li>${i.replace(/&/g, "&amp;")}</li>`).join("")}</ul>`;
}

/** A posting in Lever's shape. */
export function leverPosting(spec: PostingSpec): Record<string, unknown> {
  const description = `We are hiring a ${spec.title} to join our ${spec.team} team.`;
  return {
    id: spec.id,
    text: spec.title,
    state: "published",
    distributionChannels: ["public"],
    confidentiality: "non-confidential",
    categories: { team: spec.team, department: spec.team, location: spec.location, allLocations: [spec.location], commitment: "Full-time" },
    tags: [],
    workplaceType: spec.workplaceType,
    content: {
      description,
      descriptionHtml: `<div>${description}</div>`,
      lists: [
        { text: "What you'll do", content: li([`Own ${spec.team.toLowerCase()} outcomes end to end`, "Work closely with cross-functional partners"]) },
        { text: "Requirements", content: li([spec.yearsText, ...spec.must.map((m) => m.text)]) },
        { text: "Nice to have", content: li(spec.nice.map((n) => n.text)) },
      ],
      closing: "We welcome applicants of every background.",
      closingHtml: "<div>We welcome applicants of every background.</div>",
    },
  };
}

/** The tier the ground truth deserves for a posting (the recruiter's rule, on true facts). */
export function expectedTier(truth: ResumeTruth, spec: PostingSpec): "strong" | "possible" | "weak" {
  const has = new Set(truth.skills.map((s) => s.toLowerCase()));
  let total = 0;
  let got = 0;
  let missingMust = false;
  const years = truth.discipline === spec.discipline ? truth.yearsOfExperience : 0;
  total += 3;
  got += years >= spec.minYears ? 3 : years >= spec.minYears * 0.6 && years > 0 ? 1.5 : 0;
  if (years < spec.minYears * 0.6 || years === 0) missingMust = true;
  for (const m of spec.must) {
    const n = m.skills.filter((s) => has.has(s.toLowerCase())).length;
    const status = n >= (m.match === "any" ? 1 : m.skills.length) ? 1 : n > 0 ? 0.5 : 0;
    total += 3;
    got += 3 * status;
    if (status === 0) missingMust = true;
  }
  for (const n of spec.nice) {
    total += 1;
    got += n.skills.some((s) => has.has(s.toLowerCase())) ? 1 : 0;
  }
  let score = Math.round((got / total) * 100);
  if (missingMust) score = Math.min(score, 59);
  return score >= 75 ? "strong" : score >= 50 ? "possible" : "weak";
}

export interface CorpusIndex {
  seed: number;
  asOf: { year: number; month: number };
  resumes: { id: string; pdf: string; docx: string; truth: string; layout: string; discipline: string }[];
  postings: { id: string; file: string }[];
  expected: { postingId: string; resumeId: string; tier: "strong" | "possible" | "weak" }[];
}

export async function generateCorpus(dir = CORPUS_DIR): Promise<CorpusIndex> {
  mkdirSync(join(dir, "resumes"), { recursive: true });
  mkdirSync(join(dir, "postings"), { recursive: true });
  const people = generatePeople(CORPUS_SEED, CORPUS_SIZE);
  const index: CorpusIndex = { seed: CORPUS_SEED, asOf: CORPUS_AS_OF, resumes: [], postings: [], expected: [] };
  const truths: ResumeTruth[] = [];
  for (const [i, person] of people.entries()) {
    const layout = corpusLayouts[Math.floor(i / 9) % corpusLayouts.length]!;
    const name = `r${String(i + 1).padStart(3, "0")}`;
    writeFileSync(join(dir, "resumes", `${name}.pdf`), await renderResumePdf(person, layout));
    writeFileSync(join(dir, "resumes", `${name}.docx`), await renderResumeDocx(person, layout));
    const truth = truthOf(person, layout);
    truths.push(truth);
    writeFileSync(join(dir, "resumes", `${name}.json`), `${JSON.stringify(truth, null, 1)}\n`);
    index.resumes.push({
      id: name,
      pdf: `resumes/${name}.pdf`,
      docx: `resumes/${name}.docx`,
      truth: `resumes/${name}.json`,
      layout: layout.name,
      discipline: person.discipline,
    });
  }
  for (const spec of POSTINGS) {
    writeFileSync(join(dir, "postings", `${spec.id}.json`), `${JSON.stringify(leverPosting(spec), null, 1)}\n`);
    index.postings.push({ id: spec.id, file: `postings/${spec.id}.json` });
    // The subset: every resume of the posting's discipline, plus six from other disciplines.
    const same = index.resumes.filter((r) => r.discipline === spec.discipline);
    const other = index.resumes
      .filter((r) => r.discipline !== spec.discipline)
      .filter((_, k) => k % 29 === 0)
      .slice(0, 6);
    for (const r of [...same, ...other]) {
      const truth = truths[index.resumes.indexOf(r)]!;
      index.expected.push({ postingId: spec.id, resumeId: r.id, tier: expectedTier(truth, spec) });
    }
  }
  writeFileSync(join(dir, "index.json"), `${JSON.stringify(index, null, 1)}\n`);
  return index;
}

if (import.meta.filename === process.argv[1]) {
  const index = await generateCorpus();
  const tiers = index.expected.reduce<Record<string, number>>((a, e) => ((a[e.tier] = (a[e.tier] ?? 0) + 1), a), {});
  process.stdout.write(
    `wrote ${index.resumes.length} resumes (PDF + DOCX), ${index.postings.length} postings, ${index.expected.length} expected tiers ${JSON.stringify(tiers)}\n`,
  );
}
