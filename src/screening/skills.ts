/**
 * Skill recognition over the taxonomy in `taxonomy/skills.json`: finds every known skill in a piece
 * of text by its name, synonyms and abbreviations ("k8s" → Kubernetes), longest name first, and
 * maps any spelling to its canonical name.
 *
 * Two modes: in a skills list every alias counts; in running prose (`strict`) names that are also
 * ordinary words ("Recruiting", "Lean", "R") count only when the wording leaves no doubt, so a
 * sentence like "a lean team" does not give the candidate a skill. In prose, too, a name that is also
 * an everyday word even when capitalised ("Go", "Swift") needs a technical context ("services in
 * Go"), not "Go Sooners!"; and a short form the taxonomy marks as a place or phrase ("Palo Alto" for
 * Palo Alto Networks) counts only in a skills list.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

interface TaxonomyFile {
  version: number;
  skills: { name: string; category: string; aliases: string[]; caseSensitive?: string[]; listOnly?: string[] }[];
}

interface IndexEntry {
  name: string;
  category: string;
  /** The alias as written in the taxonomy. */
  alias: string;
  caseSensitive: boolean;
  /** A single ordinary-looking word: not trusted in prose. */
  generic: boolean;
  /** A case-sensitive name that is still an everyday word ("Go"): in prose only near technical words. */
  ambiguous: boolean;
  /** Counted in a skills list only, never in prose (a short form that is also a place: "Palo Alto"). */
  listOnly: boolean;
  tokens: number;
}

export interface SkillMatch {
  /** Canonical skill name. */
  name: string;
  category: string;
  /** The text as it appeared. */
  matched: string;
}

// Single words that read as ordinary English in a sentence ("recruiting", "leadership", "audit").
const GENERIC_SUFFIX = /(ing|tion|ment|ship|ics|ity|ness|ance|ence|ogy|ism|ure|ry|cy|al|ity|ies|ts)$/;
const GENERIC_WORDS = new Set([
  "audit",
  "lean",
  "agile",
  "pricing",
  "spark",
  "research",
  "design",
  "sales",
  "tax",
  "events",
  "search",
  "culture",
  "benefits",
  "privacy",
  "wholesale",
  "growth",
  "strategy",
  "compliance",
  "dispatch",
  "billing",
  "collections",
  "validation",
  "coaching",
  "writing",
  "editing",
  "layout",
  "excel",
  "word",
  "sketch",
  "principle",
  "abstract",
  "linear",
  "segment",
  "heap",
  "hex",
  "mode",
  "ray",
  "beam",
  "flux",
  "vault",
  "glue",
  "lambda",
  "chef",
  "puppet",
  "salt",
  "gem",
  "drift",
  "maze",
  "later",
  "buffer",
  "echo",
  "fiber",
  "rocket",
  "relay",
  "metal",
  "combine",
  "realm",
  "presto",
  "consul",
  "shell",
  "make",
  "ant",
  "hack",
  "next",
  "express",
  "node",
  "ember",
  "backbone",
  "remix",
  "astro",
  "bun",
  "emotion",
  "solid",
  "amplify",
  "bedrock",
  "aurora",
  "athena",
  "neptune",
  "spanner",
  "hive",
  "impala",
  "iceberg",
  "druid",
  "pinot",
  "dash",
  "shiny",
  "stitch",
  "torch",
  "keras",
  "rhino",
  "maya",
  "premiere",
  "framer",
  "miro",
  "mural",
  "canva",
  "lever",
  "indeed",
  "gusto",
  "deel",
  "ramp",
  "brex",
  "carta",
  "sage",
  "infor",
  "zoom",
  "slack",
  "outlook",
  "teams",
  "chorus",
  "gong",
  "outreach",
  "clari",
  "qualified",
  "terminus",
  "moz",
  "ruby",
  "swift",
  "rust",
  "go",
  "scala",
  "julia",
  "crystal",
  "elm",
  "racket",
  "scheme",
  "prolog",
  "ada",
  "pascal",
  "dart",
  "lua",
  "less",
  "assembly",
  "oracle",
  "elastic",
  "sentry",
  "grafana",
  "prometheus",
  "communication",
  "negotiation",
  "prospecting",
  "sourcing",
  "interviewing",
]);

/** Splits text into tokens keeping the characters that belong to skill names (C++, C#, Node.js, M&A). */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.replace(/[–—]/g, "-").split(/[\s,;:()[\]{}|"'!?•·*/\\]+|(?<=\w)-(?=\w)|\s-\s/)) {
    const t = raw.replace(/^[-'".]+(?=[^.])|[-.'"]+$/g, (m, offset: number) => (offset === 0 && raw.startsWith(".") && /^\.[a-z]/i.test(raw) ? m : ""));
    if (t) out.push(t);
  }
  return out;
}

let index: Map<string, IndexEntry[]> | undefined;
/** Longest alias (in tokens) starting with each lower-case first token: other tokens start nothing. */
let longestFrom: Map<string, number> | undefined;
let canonical: Map<string, { name: string; category: string }> | undefined;
let maxTokens = 1;
let skillCount = 0;

function load(): Map<string, IndexEntry[]> {
  if (index) return index;
  const file = JSON.parse(readFileSync(join(import.meta.dirname, "taxonomy", "skills.json"), "utf8")) as TaxonomyFile;
  index = new Map();
  longestFrom = new Map();
  canonical = new Map();
  skillCount = file.skills.length;
  for (const skill of file.skills) {
    canonical.set(skill.name.toLowerCase(), { name: skill.name, category: skill.category });
    for (const alias of [skill.name, ...skill.aliases]) {
      const tokens = tokenize(alias);
      if (tokens.length === 0) continue;
      const key = tokens.join(" ").toLowerCase();
      const single = tokens.length === 1 && /^[A-Za-z]+$/.test(alias);
      const entry: IndexEntry = {
        name: skill.name,
        category: skill.category,
        alias,
        caseSensitive: skill.caseSensitive?.includes(alias) ?? false,
        ambiguous: (skill.caseSensitive?.includes(alias) ?? false) && GENERIC_WORDS.has(alias.toLowerCase()),
        listOnly: skill.listOnly?.includes(alias) ?? false,
        generic: single && !/[A-Z]/.test(alias.slice(1)) && (GENERIC_SUFFIX.test(alias.toLowerCase()) || GENERIC_WORDS.has(alias.toLowerCase())),
        tokens: tokens.length,
      };
      canonical.set(key, { name: skill.name, category: skill.category });
      const list = index.get(key) ?? [];
      list.push(entry);
      index.set(key, list);
      maxTokens = Math.max(maxTokens, tokens.length);
      const first = tokens[0]!.toLowerCase();
      longestFrom.set(first, Math.max(longestFrom.get(first) ?? 0, tokens.length));
    }
  }
  return index;
}

/** Number of skills in the taxonomy. */
export function taxonomySize(): number {
  load();
  return skillCount;
}

/** The canonical name for any spelling of a skill ("k8s" → "Kubernetes"), or undefined. */
export function canonicalSkill(name: string): string | undefined {
  load();
  const key = tokenize(name).join(" ").toLowerCase();
  return canonical!.get(key)?.name ?? canonical!.get(name.toLowerCase())?.name;
}

/** The category of a canonical skill name. */
export function skillCategory(name: string): string | undefined {
  load();
  return canonical!.get(name.toLowerCase())?.category;
}

function accepts(entry: IndexEntry, surface: string[], strict: boolean, lineStart: boolean): boolean {
  const written = surface.join(" ");
  if (strict && entry.listOnly) return false;
  if (entry.caseSensitive) return written === tokenize(entry.alias).join(" ");
  if (!strict) return true;
  // An ordinary word counts in prose only when capitalised as a name mid-sentence ("built in Sketch").
  if (entry.generic) return !lineStart && written.toLowerCase() === entry.alias.toLowerCase() && /^[A-Z]/.test(written);
  if (entry.tokens === 1) {
    const alias = entry.alias;
    if (alias.length <= 1) return false;
    // Single words in prose must be written as the taxonomy writes them ("Docker", "SQL", "k8s").
    if (/^[A-Za-z]+$/.test(alias)) return written === alias || written === alias.toUpperCase();
    return written.toLowerCase() === tokenize(alias).join(" ").toLowerCase();
  }
  return true;
}

// Words around an ambiguous name ("Go", "Swift") that make it a technology: "services in Go", "Go
// microservices", "3 years of Go", "Swift iOS apps".
const TECH_CONTEXT = new Set([
  "service",
  "services",
  "microservice",
  "microservices",
  "code",
  "codebase",
  "coding",
  "programming",
  "language",
  "languages",
  "backend",
  "back-end",
  "api",
  "apis",
  "sdk",
  "sdks",
  "library",
  "libraries",
  "compiler",
  "concurrency",
  "goroutines",
  "developer",
  "developers",
  "engineer",
  "engineers",
  "engineering",
  "app",
  "apps",
  "ios",
  "macos",
  "xcode",
  "based",
  "written",
  "wrote",
  "rewrote",
  "server",
  "servers",
  "cli",
  "tooling",
  "modules",
  "packages",
  "experience",
  "stack",
]);
const TECH_BEFORE = new Set(["in", "with", "using", "of"]);
const CONTEXT_WINDOW = 5;

/** Every known skill named in `text`, each once, in order of first appearance. */
export function findSkills(text: string, options: { strict?: boolean } = {}): SkillMatch[] {
  const idx = load();
  const strict = options.strict ?? false;
  const tokens = tokenize(text);
  const lower = tokens.map((t) => t.toLowerCase());
  // The longest alias starting at each token wins over its parts ("Search Engine Optimization", not "Search").
  const hits: { entry: IndexEntry; at: number; n: number; matched: string }[] = [];
  let i = 0;
  while (i < tokens.length) {
    let matched = 0;
    const longest = longestFrom!.get(lower[i]!) ?? 0;
    for (let n = Math.min(longest, tokens.length - i); n >= 1; n--) {
      const key = lower.slice(i, i + n).join(" ");
      const entries = idx.get(key);
      if (!entries) continue;
      const surface = tokens.slice(i, i + n);
      const entry = entries.find((e) => accepts(e, surface, strict, i === 0));
      if (!entry) continue;
      hits.push({ entry, at: i, n, matched: surface.join(" ") });
      matched = n;
      break;
    }
    i += matched || 1;
  }
  const technical = (at: number, n: number): boolean => {
    if (tokens.length === n) return true;
    if (at > 0 && TECH_BEFORE.has(lower[at - 1]!)) return true;
    for (let k = Math.max(0, at - CONTEXT_WINDOW); k < Math.min(tokens.length, at + n + CONTEXT_WINDOW); k++)
      if ((k < at || k >= at + n) && TECH_CONTEXT.has(lower[k]!)) return true;
    return hits.some((h) => !h.entry.ambiguous && h.entry.category.startsWith("engineering/") && Math.abs(h.at - at) <= CONTEXT_WINDOW);
  };
  const found = new Map<string, SkillMatch>();
  for (const h of hits) {
    if (strict && h.entry.ambiguous && !technical(h.at, h.n)) continue;
    if (!found.has(h.entry.name)) found.set(h.entry.name, { name: h.entry.name, category: h.entry.category, matched: h.matched });
  }
  return [...found.values()];
}
