/**
 * Requirements from a Lever posting: its description and `content.lists` (HTML `<li>` items under
 * headings such as "Requirements" or "Nice to have") become criteria — skills, minimum years,
 * education, and free-text requirements — split into must-haves and nice-to-haves.
 */
import type { LeverPosting } from "../lever/index.ts";
import { decodeEntities } from "./read/html.ts";
import type { Criterion, Rubric } from "./rubric.ts";
import { findSkills } from "./skills.ts";

/** The parts of a Lever posting this module reads (Lever's type; unknown fields are ignored). */
export type PostingInput = Pick<LeverPosting, "id"> & Partial<Pick<LeverPosting, "text" | "categories" | "content" | "workplaceType">>;

const MUST_HEADING =
  /requirement|qualification|must|what you('ll| will)? (need|bring)|you (have|bring)|about you|who you are|what we('re| are) looking for|skills|experience|you should have/i;
const NICE_HEADING = /nice|bonus|preferred|plus|desir|ideally|extra|would be great|good to have/i;
const RESPONSIBILITY_HEADING = /responsib|what you('ll| will) do|the role|day[- ]to[- ]day|your (impact|mission)|in this role/i;
const NICE_ITEM = /\b(nice to have|is a plus|a plus|bonus|preferred|ideally|desirable)\b/i;
const STOP = new Set(
  "a an and or the of to in for with on at by from as is are be have has your you our we will who what that this it its into across within using use strong solid proven excellent good great deep working knowledge experience experienced years year plus ability able skills skill understanding familiarity familiar including such etc e.g related relevant similar least minimum".split(
    " ",
  ),
);

/** Text of `<li>` items in a Lever list's HTML content. */
export function listItems(html: string): string[] {
  const items = [...html.matchAll(/<li[^>]*>([\s\S]*?)<\/li>/gi)].map((m) => m[1]!);
  const raw = items.length ? items : html.split(/<br\s*\/?>|\n/);
  return raw
    .map((t) =>
      decodeEntities(t.replace(/<[^>]+>/g, " "))
        .replace(/\s+/g, " ")
        .trim(),
    )
    .filter(Boolean);
}

function keywordsOf(text: string): string[] {
  return [
    ...new Set(
      text
        .toLowerCase()
        .replace(/[^a-z0-9+#. -]/g, " ")
        .split(/\s+/)
        .filter((w) => w.length > 2 && !STOP.has(w) && !/^\d/.test(w)),
    ),
  ].slice(0, 8);
}

function educationLevel(text: string): Criterion["level"] | undefined {
  if (/\b(ph\.?d|doctorate|doctoral)\b/i.test(text)) return "doctorate";
  if (/\b(master'?s|m\.?sc|mba|ms degree|graduate degree)\b/i.test(text)) return "master";
  if (/\b(bachelor'?s|b\.?sc|b\.?s\.?|b\.?a\.?|undergraduate degree|university degree|degree in|college degree)\b/i.test(text)) return "bachelor";
  if (/\bassociate'?s degree\b/i.test(text)) return "associate";
  return undefined;
}

function slug(text: string, used: Set<string>): string {
  let base =
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "")
      .slice(0, 40) || "criterion";
  let id = base;
  for (let n = 2; used.has(id); n++) id = `${base}-${n}`;
  used.add(id);
  return id;
}

/** Turns one requirement line into a criterion. */
export function criterionFromItem(item: string, must: boolean, used: Set<string>): Criterion | undefined {
  const years = /(\d{1,2})\s*\+?\s*(?:-\s*\d{1,2}\s*)?(?:years?|yrs?)\b/i.exec(item);
  // Requirement lines are prose: ordinary words ("solid", "make") must not become skills.
  const skills = findSkills(item, { strict: true })
    .filter((s) => s.category !== "certifications")
    .map((s) => s.name);
  if (years) {
    return {
      id: slug(`years ${item}`, used),
      kind: "years",
      label: item,
      must,
      weight: must ? 3 : 1,
      minYears: Number(years[1]),
      keywords: [...skills, ...keywordsOf(item.replace(years[0], ""))].slice(0, 10),
    };
  }
  const level = educationLevel(item);
  if (level && /degree|bachelor|master|phd|doctorate|b\.?s|m\.?s|university|college/i.test(item)) {
    const equivalent = /equivalent|or (relevant )?experience/i.test(item);
    return {
      id: slug(`education ${level}`, used),
      kind: "education",
      label: item,
      must: must && !equivalent,
      weight: must ? 2 : 1,
      level,
      fields: keywordsOf(item.replace(/degree|bachelor'?s|master'?s|ph\.?d|equivalent|experience|field/gi, "")).slice(0, 6),
    };
  }
  if (skills.length > 0) {
    // "Go or Java", "such as …", or a list of three or more examples: one of them is enough.
    const any = skills.length > 1 && (/\bor\b|one of|such as|e\.g\.|for example|similar|any of|like|including|\//i.test(item) || skills.length >= 3);
    return { id: slug(skills.slice(0, 3).join(" "), used), kind: "skill", label: item, must, weight: must ? 3 : 1, skills, match: any ? "any" : "all" };
  }
  const keywords = keywordsOf(item);
  if (keywords.length === 0) return undefined;
  return { id: slug(item, used), kind: "text", label: item, must: false, weight: must ? 1 : 0.5, keywords };
}

/**
 * Extracts the rubric a posting implies. Lists headed like requirements give must-haves, lists
 * headed like "nice to have" (or items that say so) give nice-to-haves; responsibilities only feed
 * the keywords of relevant experience. When a posting has no lists, its description's sentences
 * that name skills are used.
 */
export function extractRequirements(posting: PostingInput): Rubric {
  const used = new Set<string>();
  const criteria: Criterion[] = [];
  const lists = posting.content?.lists ?? [];
  let anyRequirementList = false;
  for (const list of lists) {
    const heading = list.text ?? "";
    if (RESPONSIBILITY_HEADING.test(heading) && !MUST_HEADING.test(heading)) continue;
    const nice = NICE_HEADING.test(heading);
    if (!nice && !MUST_HEADING.test(heading)) continue;
    anyRequirementList = true;
    for (const item of listItems(list.content ?? "")) {
      const c = criterionFromItem(item, !nice && !NICE_ITEM.test(item), used);
      if (c) criteria.push(c);
    }
  }
  if (!anyRequirementList) {
    const description = posting.content?.description ?? decodeEntities((posting.content?.descriptionHtml ?? "").replace(/<[^>]+>/g, " "));
    for (const sentence of description.split(/(?<=[.!?])\s+|\n+/)) {
      if (findSkills(sentence).length === 0 && !/\d+\+?\s*years/i.test(sentence)) continue;
      const c = criterionFromItem(sentence.trim(), !NICE_ITEM.test(sentence), used);
      if (c && c.kind !== "text") criteria.push(c);
    }
  }
  if (criteria.length === 0) {
    // Nothing to score against: fall back to the title's words as one free-text criterion.
    criteria.push({ id: "role", kind: "text", label: posting.text ?? "the role", must: false, weight: 1, keywords: keywordsOf(posting.text ?? "role") });
  }
  const minYears = Math.max(0, ...criteria.filter((c) => c.kind === "years" && c.must).map((c) => c.minYears ?? 0));
  return {
    postingId: posting.id,
    title: posting.text ?? "",
    source: "posting",
    criteria,
    ...(posting.categories?.location ? { location: posting.categories.location } : {}),
    ...(posting.workplaceType ? { workplaceType: posting.workplaceType } : {}),
    ...(minYears > 0 ? { minYears } : {}),
  };
}
