/**
 * Plain text analysis for the local engines: sentences, terms, synonym-aware term search and an
 * extractive summary. Deterministic and dependency-free so local output is reproducible.
 */
import { detectInjection } from "../untrusted-text.ts";

const STOPWORDS = new Set(
  "a an and are as at be been but by for from has have he her his i in into is it its me my of on or our she so that the their them they this to was we were will with you your not no yes than then there these those also over under about after before while during per via within without can could should would may might must do did does done".split(
    " ",
  ),
);

/** Small synonym groups for evidence search; each term finds the others. */
const SYNONYM_GROUPS: string[][] = [
  ["javascript", "js", "ecmascript"],
  ["typescript", "ts"],
  ["kubernetes", "k8s"],
  ["postgresql", "postgres", "psql"],
  ["machine learning", "ml"],
  ["artificial intelligence", "ai"],
  ["amazon web services", "aws"],
  ["google cloud", "gcp"],
  ["continuous integration", "ci/cd", "ci"],
  ["node.js", "nodejs", "node"],
  ["react", "react.js", "reactjs"],
  ["golang", "go"],
  ["c#", "csharp", ".net"],
  ["leadership", "led", "lead", "leading", "managed", "mentored", "mentoring", "manager"],
  ["communication", "presented", "presenting", "stakeholders", "wrote", "writing"],
  ["collaboration", "cross-functional", "partnered", "teamwork", "collaborated"],
  ["customer", "client", "clients", "customers"],
  ["sales", "quota", "pipeline", "revenue"],
  ["recruiting", "recruitment", "hiring", "talent acquisition", "sourcing"],
  ["data analysis", "analytics", "sql", "dashboards"],
  ["project management", "roadmap", "delivery", "program management"],
  ["testing", "tests", "qa", "quality assurance"],
  ["design", "figma", "ux", "ui"],
  ["bachelor", "bsc", "b.sc", "ba", "b.a", "degree"],
  ["master", "msc", "m.sc", "mba", "ma"],
];

const SYNONYMS = new Map<string, string[]>();
for (const group of SYNONYM_GROUPS) for (const term of group) SYNONYMS.set(term, group);

/** A term and its synonyms, lower-cased. */
export function expandTerm(term: string): string[] {
  const t = term.toLowerCase().trim();
  return [...new Set([t, ...(SYNONYMS.get(t) ?? [])])];
}

export interface Sentence {
  text: string;
  start: number;
  end: number;
}

/** Splits text into sentences and bullet lines, with their offsets in the original. */
export function sentences(text: string): Sentence[] {
  const out: Sentence[] = [];
  const re = /[^\n.!?•]+(?:[.!?]+(?=\s|$)|(?=\n|•|$))/g;
  for (const m of text.matchAll(re)) {
    const raw = m[0];
    const lead = raw.length - raw.trimStart().length;
    const trimmed = raw.trim();
    if (trimmed.replace(/[^\p{L}\p{N}]/gu, "").length < 3) continue;
    const start = (m.index ?? 0) + lead;
    out.push({ text: trimmed, start, end: start + trimmed.length });
  }
  return out;
}

/** Lower-case word tokens without stopwords. */
export function terms(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}][\p{L}\p{N}+#.\/-]*[\p{L}\p{N}+#]|[\p{L}\p{N}]/gu) ?? []).filter((t) => !STOPWORDS.has(t) && t.length > 1);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A case-insensitive regular expression matching any of the terms as whole words. */
export function termMatcher(termsToFind: readonly string[]): RegExp | undefined {
  const list = [...new Set(termsToFind.map((t) => t.toLowerCase().trim()).filter(Boolean))].sort((a, b) => b.length - a.length);
  if (list.length === 0) return undefined;
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${list.map((t) => escapeRegExp(t).replace(/\s+/g, "\\s+")).join("|")})(?![\\p{L}\\p{N}])`, "iu");
}

/**
 * Sentences that read as instructions to an AI ("ignore previous instructions…") are never used
 * as evidence or summary: they are flagged elsewhere, and must not steer what the engines say.
 */
function usable(s: Sentence): boolean {
  return detectInjection(s.text).length === 0;
}

/** One term's matcher, kept: a screening asks for the same few dozen terms over and over. */
const singleTermMatchers = new Map<string, RegExp | undefined>();
function matcherOf(term: string): RegExp | undefined {
  if (singleTermMatchers.has(term)) return singleTermMatchers.get(term);
  if (singleTermMatchers.size >= 5000) singleTermMatchers.clear();
  const matcher = termMatcher([term]);
  singleTermMatchers.set(term, matcher);
  return matcher;
}

/** The usable sentences of the last text asked about (each criterion of a rubric asks again). */
let lastUsable: { text: string; sentences: Sentence[] } | undefined;
function usableSentences(text: string): Sentence[] {
  if (lastUsable?.text !== text) lastUsable = { text, sentences: sentences(text).filter(usable) };
  return lastUsable.sentences;
}

/** Sentences of `text` mentioning any of the terms (or their synonyms), best first. */
export function findMentions(text: string, searchTerms: readonly string[], limit = 3): { sentence: Sentence; matched: string[] }[] {
  const expanded = searchTerms.flatMap(expandTerm);
  const matcher = termMatcher(expanded);
  if (!matcher) return [];
  const hits: { sentence: Sentence; matched: string[] }[] = [];
  for (const s of usableSentences(text)) {
    if (!matcher.test(s.text)) continue;
    const matched = expanded.filter((t) => matcherOf(t)?.test(s.text) ?? false);
    if (matched.length > 0) hits.push({ sentence: s, matched });
  }
  return hits.sort((a, b) => b.matched.length - a.matched.length || a.sentence.start - b.sentence.start).slice(0, limit);
}

/**
 * Extractive summary: scores each sentence by how many of the text's frequent terms it holds
 * (plus focus terms), prefers earlier sentences a little, and returns the best in text order.
 */
export function extractiveSummary(text: string, options: { maxSentences?: number; focus?: readonly string[]; maxChars?: number } = {}): string {
  const all = sentences(text).filter((s) => s.text.length >= 20 && s.text.length <= 400 && usable(s));
  if (all.length === 0) return "";
  const freq = new Map<string, number>();
  for (const t of terms(text)) freq.set(t, (freq.get(t) ?? 0) + 1);
  const focus = new Set((options.focus ?? []).flatMap(expandTerm));
  const scored = all.map((s, i) => {
    const ts = terms(s.text);
    const unique = new Set(ts);
    let score = 0;
    for (const t of unique) score += Math.log1p(freq.get(t) ?? 0) + (focus.has(t) ? 2 : 0);
    score = score / Math.sqrt(ts.length + 1) + (1 - i / all.length) * 0.5;
    if (/\d/.test(s.text)) score += 0.3; // numbers usually mean concrete outcomes
    return { s, score };
  });
  const picked = scored
    .sort((a, b) => b.score - a.score || a.s.start - b.s.start)
    .slice(0, options.maxSentences ?? 3)
    .sort((a, b) => a.s.start - b.s.start)
    .map((x) => x.s.text.replace(/\s+/g, " "));
  const summary = picked.join(" ");
  const max = options.maxChars ?? 800;
  return summary.length > max ? `${summary.slice(0, max - 1)}…` : summary;
}
