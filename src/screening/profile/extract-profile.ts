/**
 * From lines to a structured profile: work history, education, skills (normalised through the
 * taxonomy), certifications, spoken languages, links, location and years of experience.
 *
 * Work history is anchored on date ranges: each range is one position, and the short non-bullet
 * lines around it (its "header block") hold the title, organisation and place in whatever order
 * and separators the template used ("Title | Org", "Org, City", "Title at Org", one per line).
 */
import type { TextLine } from "../read/types.ts";
import { findSkills, canonicalSkill, skillCategory } from "../skills.ts";
import { coveredMonths, currentMonth, findDateRange, type YearMonth } from "./dates.ts";
import { sectionKindOf, splitSections, type Section } from "./sections.ts";

export interface ProfilePosition {
  org: string;
  title: string;
  location?: string;
  start: YearMonth | null;
  end: YearMonth | null;
  current: boolean;
  /** Bullets and description lines under the position. */
  details: string[];
  /** The line holding the position's dates, as written (an evidence quote). */
  dateLine: string;
}

export interface ProfileEducation {
  school: string;
  degree?: string;
  field?: string;
  /** The degree as written, without years (an evidence quote). */
  degreeText?: string;
  startYear?: number;
  endYear?: number;
}

export interface ProfileSkill {
  name: string;
  category: string;
  /** Where it was found: a skills list, or the text of the resume (summary, positions). */
  source: "skills-section" | "text";
  /** False for items of a skills list that the taxonomy does not know. */
  known: boolean;
}

export interface ProfileLanguage {
  language: string;
  proficiency?: string;
}

export interface Profile {
  name?: string;
  headline?: string;
  email?: string;
  phone?: string;
  location?: string;
  summary?: string;
  links: string[];
  positions: ProfilePosition[];
  education: ProfileEducation[];
  skills: ProfileSkill[];
  certifications: string[];
  languages: ProfileLanguage[];
  /** Months of work after merging overlapping positions. */
  totalMonths: number;
  totalYears: number;
  /** Months between positions (not explained or judged here). */
  gapMonths: number;
  /** Section kinds found, in order. */
  sections: string[];
}

const TITLE_WORDS =
  /\b(engineer|developer|programmer|architect|manager|director|head|lead|leader|vp|vice president|president|chief|cto|ceo|cfo|coo|cmo|cpo|officer|designer|analyst|scientist|researcher|consultant|specialist|coordinator|administrator|associate|assistant|intern|recruiter|sourcer|partner|representative|executive|accountant|controller|auditor|strategist|writer|editor|planner|buyer|agent|advisor|adviser|technician|supervisor|generalist|owner|founder|co-founder|principal|staff|fellow|marketer|sdr|bdr|ae|producer|product manager|program manager|teacher|nurse|instructor|trainer|clerk|operator|bookkeeper|paralegal|attorney|counsel|economist|statistician|evangelist|advocate|steward|merchandiser|tester|qa)\b/i;
const SCHOOL_WORDS =
  /\b(university|universit[äa]t|universidad|universit[éà]|college|institute|school|academy|polytechnic|politecnico|[ée]cole|hochschule|eth|mit|ucla|kth|epfl|lse|conservatory|seminary)\b/i;
const DEGREE_RE =
  /^(ph\.?\s?d\.?|doctor(?:ate)?(?: of [a-z ]+)?|m\.?b\.?a\.?|m\.?sc?\.?|m\.?eng\.?|m\.?a\.?|m\.?ed\.?|m\.?phil\.?|ll\.?[bm]\.?|j\.?d\.?|b\.?sc?\.?|b\.?eng\.?|b\.?a\.?|b\.?b\.?a\.?|b\.?com\.?|b\.?ed\.?|b\.?tech\.?|m\.?tech\.?|bachelor(?:'s)?(?: of [a-z ]+?)?|master(?:'s)?(?: of [a-z ]+?)?|associate(?:'s)?(?: of [a-z ]+?)?|diploma(?: in)?|certificate(?: in)?|b\.?f\.?a\.?|m\.?f\.?a\.?|b\.?s\.?n\.?|m\.?s\.?n\.?|m\.?p\.?h\.?|m\.?p\.?a\.?|m\.?s\.?w\.?|b\.?arch\.?|m\.?arch\.?|a\.?a\.?s?\.?|high school diploma|ged)(?=[\s,]|$)/i;
const LANGUAGES = [
  "English",
  "Spanish",
  "French",
  "German",
  "Italian",
  "Portuguese",
  "Dutch",
  "Swedish",
  "Norwegian",
  "Danish",
  "Finnish",
  "Icelandic",
  "Polish",
  "Czech",
  "Slovak",
  "Hungarian",
  "Romanian",
  "Bulgarian",
  "Greek",
  "Turkish",
  "Russian",
  "Ukrainian",
  "Serbian",
  "Croatian",
  "Slovenian",
  "Arabic",
  "Hebrew",
  "Persian",
  "Farsi",
  "Urdu",
  "Hindi",
  "Bengali",
  "Punjabi",
  "Tamil",
  "Telugu",
  "Marathi",
  "Gujarati",
  "Kannada",
  "Malayalam",
  "Mandarin",
  "Chinese",
  "Cantonese",
  "Japanese",
  "Korean",
  "Vietnamese",
  "Thai",
  "Indonesian",
  "Malay",
  "Tagalog",
  "Filipino",
  "Swahili",
  "Amharic",
  "Yoruba",
  "Igbo",
  "Hausa",
  "Zulu",
  "Xhosa",
  "Afrikaans",
  "Somali",
  "Catalan",
  "Basque",
  "Galician",
  "Irish",
  "Welsh",
  "Estonian",
  "Latvian",
  "Lithuanian",
  "Albanian",
  "Macedonian",
  "Georgian",
  "Armenian",
  "Azerbaijani",
  "Kazakh",
  "Uzbek",
  "Nepali",
  "Sinhala",
  "Burmese",
  "Khmer",
  "Lao",
  "Mongolian",
  "Latin",
  "Esperanto",
  "Sign Language",
  "American Sign Language",
  "British Sign Language",
];
const LANGUAGE_RE = new RegExp(`^(${LANGUAGES.map((l) => l.replace(/ /g, "\\s")).join("|")})\\b\\s*(?:[:(\\-–—,]\\s*([^)]*)\\)?)?$`, "i");
const URL_RE = /\b(?:https?:\/\/[^\s|,;<>"]+|www\.[^\s|,;<>"]+|(?:linkedin\.com|github\.com|gitlab\.com|behance\.net|dribbble\.com)\/[^\s|,;<>"]+)/gi;
// A profile handle ("mayaokonkwo (GitHub)", "GitHub: mayaokonkwo") or a bare web address
// ("richard.example.com/work"): where someone is online, not a skill they state.
const NETWORKS =
  "GitHub|GitLab|Bitbucket|LinkedIn|Twitter|Mastodon|Bluesky|SoundCloud|Stack\\s?Overflow|Medium|Behance|Dribbble|Kaggle|Instagram|Facebook|YouTube|CodePen|Substack";
const HANDLE_RE = new RegExp(`@?[\\w.-]+\\s*\\((?:${NETWORKS})\\)|\\b(?:${NETWORKS})\\s*:\\s*@?[\\w./-]+`, "gi");
const BARE_HOST_RE = /\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|dev|me|info|page)\b(?:\/\S*)?/gi;
const EMAIL_RE = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/;
const PHONE_RE = /(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,4}\)[\s.-]?)?\d[\d\s.-]{6,}\d/;
const BULLET_RE = /^\s*[•▪◦●○■□➢►▶✓✔\-*–·]\s*/;

function isBullet(line: string): boolean {
  return BULLET_RE.test(line);
}

/** The wrapped tail of the previous line: starts lower-case, or is only a number ("88%"). */
function isContinuation(line: string): boolean {
  return /^[a-z]/.test(line) || /^[\d.,%$€£+-]+$/.test(line.trim());
}

function isSentence(line: string): boolean {
  return line.length > 90 || (/[.!]$/.test(line) && line.split(/\s+/).length > 8);
}

function cleanPart(text: string): string {
  return text
    .replace(/^[\s,|–—-]+|[\s,|–—-]+$/g, "")
    .replace(/\s+/g, " ")
    .trim();
}

interface HeaderPart {
  text: string;
  bold: boolean;
  /** Second part of an "A, B" segment: usually a place. */
  afterComma: boolean;
}

function splitHeader(text: string, bold: boolean): HeaderPart[] {
  const parts: HeaderPart[] = [];
  for (const seg of text.split(/\s{3,}|\s[|•·]\s|\s[–—]\s|\s-\s|\t|\s@\s|\sat\s(?=[A-Z])/)) {
    const s = cleanPart(seg);
    if (!s) continue;
    const comma = s.indexOf(", ");
    if (comma > 0) {
      parts.push({ text: cleanPart(s.slice(0, comma)), bold, afterComma: false });
      const rest = cleanPart(s.slice(comma + 2));
      if (rest) parts.push({ text: rest, bold, afterComma: true });
    } else parts.push({ text: s, bold, afterComma: false });
  }
  return parts;
}

function looksLikeTitle(text: string): boolean {
  return TITLE_WORDS.test(text) && text.split(/\s+/).length <= 8;
}

/** Assigns title, organisation and place from the parts of a position's header block. */
function assignHeader(parts: HeaderPart[]): { title: string; org: string; location?: string } {
  let title = "";
  let org = "";
  let location: string | undefined;
  const titleIdx =
    parts.findIndex((p) => looksLikeTitle(p.text) && !p.afterComma && p.bold) >= 0
      ? parts.findIndex((p) => looksLikeTitle(p.text) && !p.afterComma && p.bold)
      : parts.findIndex((p) => looksLikeTitle(p.text) && !p.afterComma);
  if (titleIdx >= 0) title = parts[titleIdx]!.text;
  for (let i = 0; i < parts.length; i++) {
    if (i === titleIdx) continue;
    const p = parts[i]!;
    if (!org && !p.afterComma) org = p.text;
    else if (!org && p.afterComma && i - 1 === titleIdx)
      org = p.text; // "Title, Org"
    else if (!location) location = p.text;
  }
  if (!title && parts.length > 0) {
    // No title word found: the first part is the title when bold, else the second.
    const [a, b] = parts;
    if (a && b) {
      title = a.bold || !b ? a.text : b.text;
      org = title === a.text ? b.text : a.text;
    } else if (a) org = a.text;
  }
  return { title, org, ...(location ? { location } : {}) };
}

/**
 * The last words of a bullet wrapped onto a line of their own ("MATLAB." under "• Ran thermal
 * models in"): the line ends a sentence and the one before it is a bullet that had not.
 */
function wrappedTail(line: string, previous: string | undefined): boolean {
  if (!previous || !/\.$/.test(line.trim()) || /[.!?:;]$/.test(previous.trim())) return false;
  return isBullet(previous) || previous.trim().split(/\s+/).length >= 6;
}

/** A line of running prose with its bullet drawn as a picture ("Hired, trained, and retained a team of 35 …"). */
function isProse(line: string): boolean {
  const words = line
    .trim()
    .split(/\s+/)
    .filter((w) => /\p{L}/u.test(w));
  return words.length >= 8 && words.filter((w) => /^\p{Ll}/u.test(w)).length >= words.length * 0.6;
}

/** A line ending a sentence ("Managed email programs in HubSpot."): a detail, never a title or an organisation. */
function endsSentence(line: string): boolean {
  const words = line.trim().split(/\s+/);
  const last = words[words.length - 1]!;
  // "… Outdoor Co.", "Acme Inc.", "S.A.": an organisation's abbreviation, not a full stop.
  if (/^(\p{Lu}[\p{Ll}]{0,3}|\p{L}+\.\p{L}+)\.$/u.test(last) || /^(corp|llc|ltd|gmbh|plc|pty|llp)\.$/i.test(last)) return false;
  return /[.!?]$/.test(last) && words.length >= 4;
}

/**
 * Positions anchored on the date ranges of `lines`, and the lines that made up their header
 * blocks (title, organisation, place, dates). A header block never reaches across a gap (a blank
 * line or paragraph spacing): the line above a gap belongs to the block before it.
 */
function parsePositions(lines: TextLine[]): { positions: ProfilePosition[]; headerLines: Set<TextLine>; blocks: TextLine[][] } {
  const anchors: number[] = [];
  lines.forEach((l, i) => {
    if (!isBullet(l.text) && !isSentence(l.text) && findDateRange(l.text)) anchors.push(i);
  });
  const positions: ProfilePosition[] = [];
  const headerLines = new Set<TextLine>();
  const blocks: TextLine[][] = [];
  const used = new Set<number>();
  for (let a = 0; a < anchors.length; a++) {
    const i = anchors[a]!;
    const isHeader = (k: number) => {
      const l = lines[k];
      if (!l || used.has(k) || isBullet(l.text) || isSentence(l.text) || isContinuation(l.text) || endsSentence(l.text) || isProse(l.text)) return false;
      if (wrappedTail(l.text, lines[k - 1]?.text)) return false;
      return k === i || !findDateRange(l.text);
    };
    let from = i;
    // A gap ends the block, except under a bold or heading-sized line (a title set large above its
    // employer) or a line split like a header ("Acme · Payments platform"), as themes space them.
    const joinsAcrossGap = (l: TextLine) => l.bold || l.heading || /\s[|•·–—]\s/.test(l.text);
    while (from - 1 >= 0 && isHeader(from - 1) && i - (from - 1) <= 3 && (lines[from]!.gapBefore !== true || joinsAcrossGap(lines[from - 1]!))) from--;
    let to = i;
    while (
      to + 1 < lines.length &&
      isHeader(to + 1) &&
      to + 1 - i <= 2 &&
      lines[to + 1]!.gapBefore !== true &&
      (anchors[a + 1] === undefined || to + 1 < anchors[a + 1]!)
    ) {
      // Only take a following line into this header when the next position's header does not need it.
      const next = anchors[a + 1];
      if (next !== undefined && next - (to + 1) <= 2 && !lines.slice(to + 1, next).some((l) => isBullet(l.text))) break;
      to++;
    }
    const parts: HeaderPart[] = [];
    const range = findDateRange(lines[i]!.text)!;
    blocks.push(lines.slice(from, to + 1));
    for (let k = from; k <= to; k++) {
      used.add(k);
      headerLines.add(lines[k]!);
      const text = k === i ? lines[k]!.text.replace(range.text, "   ") : lines[k]!.text;
      parts.push(...splitHeader(text, lines[k]!.bold));
    }
    const { title, org, location } = assignHeader(parts);
    const details: string[] = [];
    const end = anchors[a + 1] ?? lines.length;
    for (let k = to + 1; k < end; k++) {
      if (used.has(k)) continue;
      const text = lines[k]!.text;
      if (!isBullet(text) && !isSentence(text) && !isContinuation(text) && k + 3 >= end && a + 1 < anchors.length) break;
      if (isContinuation(text) && details.length) details[details.length - 1] += ` ${text}`;
      else details.push(text.replace(BULLET_RE, ""));
    }
    const current = range.end === null;
    positions.push({ org, title, ...(location ? { location } : {}), start: range.start, end: range.end, current, details, dateLine: lines[i]!.text });
  }
  return { positions, headerLines, blocks };
}

function parseEducation(section: Section): ProfileEducation[] {
  const out: ProfileEducation[] = [];
  let current: ProfileEducation | undefined;
  const startNew = () => {
    current = { school: "" };
    out.push(current);
  };
  for (const line of section.lines) {
    const text = line.text.replace(BULLET_RE, "").trim();
    const range = findDateRange(text);
    const years = range
      ? { startYear: range.start.year, endYear: range.end?.year }
      : /\b((?:19|20)\d{2})\b/.exec(text)
        ? { endYear: Number(/\b((?:19|20)\d{2})\b/.exec(text)![1]) }
        : undefined;
    const rest = cleanPart(range ? text.replace(range.text, "   ") : years ? text.replace(/\(?\b(19|20)\d{2}\b\)?/, "   ") : text);
    // "University of Washington, B.S. Computer Science" and "BA, Software Engineering": commas
    // separate school, degree and field in any order.
    const pieces = rest
      .split(/\s{3,}|\s[|•·]\s|\s[–—]\s|\t|,\s+/)
      .map(cleanPart)
      .filter(Boolean);
    let fieldOpen = false;
    for (const seg of pieces) {
      if (SCHOOL_WORDS.test(seg) && !DEGREE_RE.test(seg)) {
        if (!current || current.school) startNew();
        current!.school = seg;
        fieldOpen = false;
      } else if (DEGREE_RE.test(seg)) {
        if (!current || current.degree) startNew();
        const m = DEGREE_RE.exec(seg)!;
        current!.degree = m[0].trim();
        current!.degreeText = seg;
        const field = cleanPart(
          seg
            .slice(m[0].length)
            .trim()
            .replace(/^(in|of)\b/i, ""),
        );
        if (field) current!.field = field;
        fieldOpen = !field;
      } else if (current && fieldOpen) {
        current.field = seg;
        current.degreeText = `${current.degreeText}, ${seg}`;
        fieldOpen = false;
      } else if (current && !current.school && line.bold) current.school = seg;
      else if (!current && line.bold) {
        startNew();
        current!.school = seg;
      }
    }
    if (years && current) {
      if (years.startYear !== undefined) current.startYear = years.startYear;
      if (years.endYear !== undefined) current.endYear = years.endYear;
    }
  }
  return out.filter((e) => e.school || e.degree);
}

function parseSkillList(lines: TextLine[]): ProfileSkill[] {
  const skills: ProfileSkill[] = [];
  const seen = new Set<string>();
  for (const line of lines) {
    // "Languages: Python, Go" — a label before a colon is a group name, not a skill.
    const text = line.text.replace(BULLET_RE, "").replace(/^[A-Za-z &/]{2,30}:\s+/, "");
    for (const raw of text.split(/\s{2,}|[,;|•·]|\s[–—-]\s|\t/)) {
      const item = raw.trim().replace(/\.$/, "");
      // A skills heading's words ("Skills" over a group of skills) are never a skill.
      if (!item || item.length > 60 || (sectionKindOf(item) === "skills" && !canonicalSkill(item))) continue;
      const canonical = canonicalSkill(item);
      if (canonical) {
        if (!seen.has(canonical)) skills.push({ name: canonical, category: skillCategory(canonical) ?? "unknown", source: "skills-section", known: true });
        seen.add(canonical);
        continue;
      }
      const found = findSkills(item);
      if (found.length) {
        for (const f of found) {
          if (!seen.has(f.name)) skills.push({ name: f.name, category: f.category, source: "skills-section", known: true });
          seen.add(f.name);
        }
      } else if (item.split(/\s+/).length <= 4 && /[A-Za-z]/.test(item) && !/\d{4}/.test(item)) {
        if (!seen.has(item.toLowerCase())) skills.push({ name: item, category: "unknown", source: "skills-section", known: false });
        seen.add(item.toLowerCase());
      }
    }
  }
  return skills;
}

/**
 * The skills of a line that is itself a list of skills ("Python, Go, Kubernetes, Terraform",
 * "Tools: Jira | Figma | Miro"), or undefined for any other line: at least three short items,
 * most of them known to the taxonomy. Unknown items are left out (outside a skills section a short
 * phrase is not evidence of a skill).
 */
function skillListItems(text: string): ProfileSkill[] | undefined {
  const body = text.replace(BULLET_RE, "").replace(/^[A-Za-z &/]{2,30}:\s+/, "");
  const items = body
    .split(/[,;|•·]|\s[–—-]\s|\t/)
    .map((i) => i.trim().replace(/\.$/, ""))
    .filter(Boolean);
  if (items.length < 3 || items.some((i) => i.split(/\s+/).length > 4 || i.length > 40)) return undefined;
  const known = items.filter((i) => canonicalSkill(i) || findSkills(i).length > 0);
  if (known.length < items.length * 0.6) return undefined;
  return parseSkillList([{ text: body, page: 1, fontSize: 0, bold: false, heading: false }]).filter((s) => s.known);
}

function parseLanguages(lines: TextLine[]): ProfileLanguage[] {
  const out: ProfileLanguage[] = [];
  for (const line of lines) {
    for (const piece of line.text.replace(BULLET_RE, "").split(/\s{3,}|[,;|•]\s*(?=[A-Z])/)) {
      const m = LANGUAGE_RE.exec(piece.trim());
      if (m) {
        const proficiency = m[2]?.trim();
        out.push({ language: m[1]!.replace(/\s+/g, " "), ...(proficiency ? { proficiency } : {}) });
      } else if (out.length && /^[a-z]/.test(piece.trim())) {
        const last = out[out.length - 1]!;
        last.proficiency = `${last.proficiency ?? ""} ${piece.trim()}`.trim();
      }
    }
  }
  return out;
}

function parseCertifications(lines: TextLine[]): string[] {
  const out: string[] = [];
  for (const line of lines) {
    let text = line.text
      .replace(BULLET_RE, "")
      .replace(/\s*\(?\b(19|20)\d{2}\b\)?\s*$/, "")
      .trim();
    // "Name - Issuer": keep the name; a name may itself contain " - " ("… Architect - Associate").
    const parts = text.split(/\s[–—-]\s/);
    if (parts.length > 1) text = parts.slice(0, -1).join(" - ");
    if (text) out.push(text);
  }
  return out;
}

/** The text with web addresses and profile handles blanked out: a link names no skill ("github.com/x", "x (GitHub)"). */
export function withoutLinks(text: string): string {
  return text.replace(URL_RE, "   ").replace(HANDLE_RE, "   ").replace(BARE_HOST_RE, "   ");
}

/** The text with every job title blanked out. */
export function withoutTitles(text: string, titles: readonly string[]): string {
  let out = text;
  for (const t of titles) if (out.includes(t)) out = out.split(t).join("   ");
  return out;
}

export interface ExtractOptions {
  /** "Now" for open-ended positions. */
  asOf?: YearMonth;
}

/** Builds a profile from a resume's visible lines. */
export function extractProfile(lines: TextLine[], options: ExtractOptions = {}): Profile {
  const asOf = options.asOf ?? currentMonth();
  const sections = splitSections(lines);
  const profile: Profile = {
    links: [],
    positions: [],
    education: [],
    skills: [],
    certifications: [],
    languages: [],
    totalMonths: 0,
    totalYears: 0,
    gapMonths: 0,
    sections: sections.map((s) => s.kind),
  };
  const allText = lines.map((l) => l.text).join("\n");
  profile.links = [...new Set([...allText.matchAll(URL_RE)].map((m) => m[0].replace(/[.)]+$/, "")))];
  const email = EMAIL_RE.exec(allText);
  if (email) profile.email = email[0];
  const header = sections[0]!.lines;
  const contactLines = [...header, ...sections.filter((s) => s.kind === "contact").flatMap((s) => s.lines)];
  for (const l of contactLines) {
    const phone = PHONE_RE.exec(l.text);
    if (phone && !profile.phone && !findDateRange(l.text)) profile.phone = phone[0].trim();
  }
  const nameLine = header.find(
    (l) => /^[\p{Lu}][\p{L}'’.-]+(?:\s+[\p{L}'’.-]+){1,3}$/u.test(l.text.trim()) && !TITLE_WORDS.test(l.text) && !/curriculum|resume|vitae/i.test(l.text),
  );
  if (nameLine) profile.name = nameLine.text.trim();
  const headline = header.find((l) => l !== nameLine && TITLE_WORDS.test(l.text) && !EMAIL_RE.test(l.text) && l.text.length < 100);
  if (headline) profile.headline = headline.text.trim();
  // Location: a "City, Region" piece of the contact line, or a contact-section line without @ or digits.
  for (const l of contactLines) {
    for (const piece of l.text.split(/\s[|•·]\s|\s{3,}/)) {
      const p = piece.trim();
      if (!profile.location && /^[\p{Lu}][\p{L} .'-]+,\s[\p{Lu}][\p{L} .'-]+$/u.test(p) && !EMAIL_RE.test(p) && !TITLE_WORDS.test(p)) profile.location = p;
    }
  }

  const skills: ProfileSkill[] = [];
  const seen = new Set<string>();
  const addSkill = (s: ProfileSkill) => {
    const key = s.name.toLowerCase();
    if (seen.has(key) || s.category === "certifications") return;
    seen.add(key);
    skills.push(s);
  };
  const headerLines = new Set<TextLine>();
  const takePositions = (from: TextLine[]) => {
    const found = parsePositions(from);
    for (const l of found.headerLines) headerLines.add(l);
    return found.positions;
  };
  for (const section of sections) {
    switch (section.kind) {
      case "experience":
        profile.positions.push(...takePositions(section.lines));
        break;
      case "education":
        profile.education.push(...parseEducation(section));
        break;
      case "skills":
        for (const s of parseSkillList(section.lines)) addSkill(s);
        break;
      case "languages": {
        // "Languages" over Python and Go is a group of a skills list, not the languages spoken.
        const spoken = parseLanguages(section.lines);
        if (spoken.length === 0 && section.lines.some((l) => findSkills(l.text).length > 0)) {
          for (const s of parseSkillList(section.lines)) if (s.known) addSkill(s);
        } else profile.languages.push(...spoken);
        break;
      }
      case "certifications":
        profile.certifications.push(...parseCertifications(section.lines));
        break;
      case "summary":
        profile.summary = [profile.summary, section.lines.map((l) => l.text).join(" ")].filter(Boolean).join(" ");
        break;
      default:
        break;
    }
  }
  // No work history under a heading (the headings were not found, or the layout hid them): take
  // positions from date lines anywhere outside the sections that hold other things, keeping only
  // those whose header names a job title and none that is a school or a degree.
  const elsewhere = sections.filter((s) => !["education", "skills", "certifications", "languages", "links", "contact"].includes(s.kind));
  if (profile.positions.length === 0) {
    // The name and contact block at the top is nobody's employer.
    let body = elsewhere.flatMap((s) => s.lines).filter((l) => l !== nameLine);
    const contactEnd = body
      .slice(0, 6)
      .findLastIndex((l) => EMAIL_RE.test(l.text) || (PHONE_RE.test(l.text) && !findDateRange(l.text)) || /https?:|www\.|linkedin\.com/i.test(l.text));
    if (contactEnd >= 0) body = body.slice(contactEnd + 1);
    const loose = parsePositions(body);
    loose.positions.forEach((p, k) => {
      if (!looksLikeTitle(p.title) || SCHOOL_WORDS.test(`${p.title} ${p.org}`) || DEGREE_RE.test(p.title)) return;
      profile.positions.push(p);
      for (const l of loose.blocks[k]!) headerLines.add(l);
    });
  }
  if (profile.education.length === 0) {
    // A school's line, and a degree line just below one ("B.S. Computer Science, 2015").
    const rest = elsewhere.flatMap((s) => s.lines).filter((l) => !headerLines.has(l) && !isSentence(l.text) && !isBullet(l.text));
    const schoolLines = rest.filter((l, k) => SCHOOL_WORDS.test(l.text) || (k > 0 && SCHOOL_WORDS.test(rest[k - 1]!.text) && DEGREE_RE.test(l.text.trim())));
    profile.education.push(...parseEducation({ kind: "education", heading: "", lines: schoolLines }));
  }
  // Skills named anywhere outside a skills list count too, read strictly: in prose (summary,
  // positions, projects, and the top of a resume whose headings were not found) and in lines that
  // are themselves lists of skills ("Python, Go, Kubernetes, Terraform"). A job title or an
  // employer is not evidence of a skill ("Machine Learning Engineer", "Stripe"), so they are left out;
  // nor is a link or a profile handle ("mayaokonkwo (GitHub)"). A sentence wrapped onto the next line
  // is read as one, so a name cut by the wrap ("strongest in Search / Engine Optimization") is read
  // whole rather than as its parts.
  const titles = profile.positions.map((p) => p.title).filter((t) => t.length > 3);
  const orgs = profile.positions.map((p) => p.org).filter((t) => t.length > 2);
  for (const section of sections) {
    if (!["header", "summary", "experience", "projects", "other"].includes(section.kind)) continue;
    let paragraph: string[] = [];
    let open = false;
    const flush = () => {
      if (paragraph.length)
        for (const f of findSkills(paragraph.join(" "), { strict: true })) addSkill({ name: f.name, category: f.category, source: "text", known: true });
      paragraph = [];
      open = false;
    };
    for (const line of section.lines) {
      if (
        section.kind === "header" &&
        (line === nameLine || EMAIL_RE.test(line.text) || (PHONE_RE.test(line.text) && !findDateRange(line.text)) || /https?:|www\./i.test(line.text))
      ) {
        flush();
        continue;
      }
      const list = skillListItems(line.text);
      if (list) {
        flush();
        for (const s of list) addSkill(s);
        continue;
      }
      const header = headerLines.has(line);
      const text = withoutTitles(withoutLinks(line.text.replace(BULLET_RE, "")), header ? [...titles, ...orgs] : titles);
      if (!open || header || isBullet(line.text)) flush();
      paragraph.push(text);
      // A line of six or more words that has not ended its sentence wraps onto the next one.
      open = !header && !/[.!?:;]\s*$/.test(line.text) && line.text.trim().split(/\s+/).length >= 6;
    }
    flush();
  }
  profile.skills = skills;
  const covered = coveredMonths(
    profile.positions.filter((p) => p.start).map((p) => ({ start: p.start!, end: p.end })),
    asOf,
  );
  profile.totalMonths = covered.months;
  profile.totalYears = Math.round((covered.months / 12) * 10) / 10;
  profile.gapMonths = covered.gapMonths;
  return profile;
}
