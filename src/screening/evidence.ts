/**
 * Evidence per criterion: met, partly met or missing, with quotes from the resume. The local
 * engine finds it deterministically; a model may propose it in the same shape. Either way every
 * quote is checked against the scrubbed visible text before it counts, and for skills, years and
 * education the code re-derives the status from what the quotes and the profile show — a
 * model's word alone never raises a criterion.
 */
import { z } from "zod";
import { normaliseForQuote } from "../ai/index.ts";
import { coveredMonths, currentMonth, type YearMonth } from "./profile/dates.ts";
import type { Criterion, Rubric } from "./rubric.ts";
import type { ScoringView } from "./scoring-view.ts";
import { canonicalSkill, findSkills } from "./skills.ts";
import { parsedFromLines } from "./parse-resume.ts";
import { toScoringView } from "./scoring-view.ts";

/** A scoring view of plain text (one line per line), for callers that only have text. */
function viewOfText(text: string, asOf: YearMonth): ScoringView {
  const lines = text
    .split(/\r?\n/)
    .map((t) => t.trim())
    .filter(Boolean)
    .map((t) => ({ text: t, page: 1, fontSize: 0, bold: false, heading: false }));
  return toScoringView(parsedFromLines({ status: "parsed", format: "text", lines, hiddenText: [], flags: [] }, { asOf }));
}

export type EvidenceStatus = "met" | "partly" | "missing";

export const proposedEvidenceSchema = z.object({
  criterionId: z.string(),
  status: z.enum(["met", "partly", "missing"]),
  quotes: z.array(z.string().max(400)).max(8),
  reason: z.string().max(500).optional(),
});
export type ProposedEvidence = z.infer<typeof proposedEvidenceSchema>;

/** A model (or any other source) that proposes evidence. It never returns a score. */
export type EvidenceProvider = (input: { rubric: Rubric; text: string }) => Promise<ProposedEvidence[]>;

export interface CriterionEvidence {
  criterionId: string;
  status: EvidenceStatus;
  quotes: string[];
  reason: string;
  /** Which engine's evidence decided the status. */
  source: "local" | "model";
}

const LEVELS = ["any", "associate", "bachelor", "master", "doctorate"] as const;

function degreeLevel(degree: string): number {
  const d = degree.toLowerCase();
  if (/ph\.?\s?d|doctor/.test(d)) return 4;
  if (/^m|master|mba/.test(d)) return 3;
  if (/^b|bachelor|licenciatura|diplom/.test(d)) return 2;
  if (/associate|^a\.?a/.test(d)) return 1;
  return 0;
}

/** True when a word of the text starts with the keyword's stem ("engineer" ~ "engineering"). */
function mentions(text: string, keyword: string): boolean {
  const k = keyword.toLowerCase();
  const stem = k.length > 6 ? k.slice(0, Math.max(5, k.length - 3)) : k;
  return new RegExp(`(^|[^a-z0-9])${stem.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`, "i").test(text);
}

function lineWithSkill(view: ScoringView, skill: string): string | undefined {
  for (const line of view.lines) {
    if (findSkills(line).some((f) => f.name === skill)) return line.length > 240 ? line.slice(0, 240) : line;
  }
  return undefined;
}

/** For one-word skills that are also ordinary words ("Mentoring"), a line using the word's stem ("Mentored four engineers"). */
function stemLine(view: ScoringView, skill: string): string | undefined {
  if (!/^[A-Za-z]{7,}$/.test(skill)) return undefined;
  const line = view.lines.find((l) => mentions(l, skill));
  return line ? line.slice(0, 240) : undefined;
}

function skillEvidence(c: Criterion, view: ScoringView, quotesFrom?: string[]): { status: EvidenceStatus; quotes: string[]; reason: string } {
  const wanted = (c.skills ?? []).map((s) => canonicalSkill(s) ?? s);
  const found: string[] = [];
  const quotes: string[] = [];
  for (const skill of wanted) {
    // From proposed quotes: the skill must be named in a verified quote. Locally: in the view's skills and a line naming it.
    const quote = quotesFrom
      ? quotesFrom.find((q) => findSkills(q).some((f) => f.name === skill) || q.toLowerCase().includes(skill.toLowerCase()))
      : view.skills.includes(skill)
        ? lineWithSkill(view, skill)
        : stemLine(view, skill);
    if (quote) {
      found.push(skill);
      if (!quotes.includes(quote)) quotes.push(quote);
    }
  }
  const need = c.match === "any" ? 1 : wanted.length;
  const status: EvidenceStatus = found.length >= need ? "met" : found.length > 0 ? "partly" : "missing";
  const missing = wanted.filter((s) => !found.includes(s));
  const reason = found.length
    ? `Names ${found.join(", ")}${missing.length && status !== "met" ? `; not ${missing.join(", ")}` : ""}.`
    : `No mention of ${wanted.join(c.match === "any" ? " or " : ", ")}.`;
  return { status, quotes, reason };
}

/**
 * Role families: a requirement of "years as a software engineer" is met by years as a developer
 * or an SRE too. A keyword from a family brings in the family's other words.
 */
const ROLE_FAMILIES: string[][] = [
  ["software", "engineer", "engineering", "developer", "development", "programmer", "sre", "devops", "architect", "technology", "technical"],
  ["data", "analyst", "analytics", "scientist", "science", "machine learning", "statistician", "bi"],
  ["design", "designer", "ux", "ui", "researcher", "research", "creative"],
  ["product", "product manager", "product management"],
  ["sales", "account", "revenue", "business development", "selling", "sdr", "bdr"],
  ["marketing", "marketer", "growth", "content", "demand", "brand", "communications"],
  ["finance", "financial", "accountant", "accounting", "controller", "fp&a", "treasury", "audit"],
  ["operations", "operational", "supply chain", "logistics", "program", "procurement", "fulfilment"],
  ["recruiting", "recruiter", "recruitment", "talent", "people", "hr", "human resources", "sourcer"],
];

export function expandRoleKeywords(keywords: string[]): string[] {
  const out = new Set(keywords.map((k) => k.toLowerCase()));
  for (const family of ROLE_FAMILIES) if (family.some((w) => out.has(w))) for (const w of family) out.add(w);
  return [...out];
}

function yearsEvidence(c: Criterion, view: ScoringView, asOf: YearMonth): { status: EvidenceStatus; quotes: string[]; reason: string } {
  const keywords = expandRoleKeywords(c.keywords ?? []);
  const relevant = view.positions.filter((p) => p.start && (keywords.length === 0 || keywords.some((k) => mentions(`${p.title} ${p.details.join(" ")}`, k))));
  const months = coveredMonths(
    relevant.map((p) => ({ start: p.start!, end: p.end })),
    asOf,
  ).months;
  const years = Math.round((months / 12) * 10) / 10;
  const min = c.minYears ?? 0;
  const status: EvidenceStatus = years >= min ? "met" : years >= min * 0.6 && years > 0 ? "partly" : "missing";
  const quotes = relevant
    .map((p) => p.quote)
    .filter(Boolean)
    .slice(0, 5);
  return { status, quotes, reason: `${years} relevant years (overlaps merged) against ${min} asked.` };
}

function educationEvidence(c: Criterion, view: ScoringView): { status: EvidenceStatus; quotes: string[]; reason: string } {
  const need = LEVELS.indexOf(c.level ?? "any");
  const best = view.education.reduce<{ level: number; quote: string } | undefined>((acc, e) => {
    const level = degreeLevel(e.degree);
    return !acc || level > acc.level ? { level, quote: e.quote } : acc;
  }, undefined);
  if (!best) return { status: "missing", quotes: [], reason: "No degree found." };
  if (best.level >= need) return { status: "met", quotes: [best.quote], reason: "Degree at or above the level asked." };
  return { status: best.level > 0 ? "partly" : "missing", quotes: [best.quote], reason: "Degree below the level asked." };
}

function textEvidence(c: Criterion, view: ScoringView, candidates: string[]): { status: EvidenceStatus; quotes: string[]; reason: string } {
  const keywords = c.keywords ?? [];
  let best: { line: string; hits: number } | undefined;
  for (const line of candidates) {
    const hits = keywords.filter((k) => mentions(line, k)).length;
    if (hits > 0 && (!best || hits > best.hits)) best = { line, hits };
  }
  if (!best) return { status: "missing", quotes: [], reason: "No line speaks to this." };
  const share = keywords.length ? best.hits / keywords.length : 0;
  return { status: share >= 0.6 ? "met" : "partly", quotes: [best.line.slice(0, 240)], reason: `${best.hits} of ${keywords.length} key words.` };
}

/**
 * Finds evidence for every criterion from the scoring view (or plain resume text) alone.
 * Deterministic: the same input gives the same evidence.
 */
export function findEvidenceLocally(
  input: ScoringView | string,
  rubric: Rubric,
  options: { asOf?: YearMonth; answers?: KnockoutAnswer[] } = {},
): CriterionEvidence[] {
  const asOf = options.asOf ?? currentMonth();
  const view = typeof input === "string" ? viewOfText(input, asOf) : input;
  return rubric.criteria.map((c) => {
    const e =
      c.kind === "skill"
        ? skillEvidence(c, view)
        : c.kind === "years"
          ? yearsEvidence(c, view, asOf)
          : c.kind === "education"
            ? educationEvidence(c, view)
            : c.kind === "knockout"
              ? knockoutEvidence(c, options.answers)
              : textEvidence(c, view, view.lines);
    return { criterionId: c.id, ...e, source: "local" as const };
  });
}

/** An answer to a Lever application question (from `application.customQuestions[].fields[]`). */
export interface KnockoutAnswer {
  question: string;
  answer: string;
}

/** Flattens Lever `customQuestions` (forms with fields) into question/answer pairs. */
export function answersFromCustomQuestions(customQuestions: unknown): KnockoutAnswer[] {
  const out: KnockoutAnswer[] = [];
  if (!Array.isArray(customQuestions)) return out;
  for (const form of customQuestions) {
    const fields = (form as { fields?: unknown }).fields;
    if (!Array.isArray(fields)) continue;
    for (const f of fields) {
      const field = f as { text?: unknown; value?: unknown };
      if (typeof field.text !== "string") continue;
      const value = Array.isArray(field.value) ? field.value.join(", ") : field.value == null ? "" : String(field.value);
      out.push({ question: field.text, answer: value });
    }
  }
  return out;
}

function knockoutEvidence(c: Criterion, answers: KnockoutAnswer[] | undefined): { status: EvidenceStatus; quotes: string[]; reason: string } {
  const q = (c.question ?? "").toLowerCase();
  const answer = answers?.find((a) => a.question.toLowerCase().includes(q) || q.includes(a.question.toLowerCase()));
  if (!answer) return { status: "missing", quotes: [], reason: "unanswered" };
  const ok = (c.acceptedAnswers ?? []).some((a) => a.toLowerCase() === answer.answer.trim().toLowerCase());
  return { status: ok ? "met" : "missing", quotes: [], reason: `Answered "${answer.answer}" to "${answer.question}".` };
}

/** Whether a quote occurs, word for word and in one piece, in the text (case, spacing, quote and dash styles forgiven). */
export function quoteFound(quote: string, text: string): boolean {
  const q = normaliseForQuote(quote).replace(/^["'\s]+|["'\s]+$/g, "");
  if (q.length < 4 || /\.\.\.|…/.test(q)) return false; // elided quotes can stitch a claim from scattered words
  return normaliseForQuote(text).includes(q);
}

const RANK: Record<EvidenceStatus, number> = { missing: 0, partly: 1, met: 2 };

/**
 * Checks a model's proposed evidence and merges it with the local engine's. Unverified quotes are
 * dropped; a criterion keeps the better of the two verified results, so a model can add evidence
 * the local engine missed but can never replace evidence with a claim.
 */
export function verifyProposedEvidence(
  proposed: ProposedEvidence[],
  local: CriterionEvidence[],
  view: ScoringView,
  rubric: Rubric,
): { evidence: CriterionEvidence[]; droppedQuotes: number; unknownCriteria: number } {
  let droppedQuotes = 0;
  const byId = new Map<string, ProposedEvidence>();
  let unknownCriteria = 0;
  for (const p of proposed) {
    if (rubric.criteria.some((c) => c.id === p.criterionId)) byId.set(p.criterionId, p);
    else unknownCriteria++;
  }
  const evidence = rubric.criteria.map((c, i) => {
    const mine = local[i]!;
    const p = byId.get(c.id);
    if (!p) return mine;
    const verified = p.quotes.filter((q) => quoteFound(q, view.text));
    droppedQuotes += p.quotes.length - verified.length;
    let theirs: { status: EvidenceStatus; quotes: string[]; reason: string };
    if (c.kind === "skill") theirs = skillEvidence(c, view, verified);
    else if (c.kind === "text") {
      theirs =
        verified.length === 0
          ? { status: "missing", quotes: [], reason: "" }
          : { status: p.status === "met" ? "met" : "partly", quotes: verified, reason: p.reason ?? "" };
    } else return mine; // years, education and knock-outs are facts the code computes itself
    return RANK[theirs.status] > RANK[mine.status] ? { criterionId: c.id, ...theirs, source: "model" as const } : mine;
  });
  return { evidence, droppedQuotes, unknownCriteria };
}
