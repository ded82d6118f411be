/**
 * Language check: flags potentially biased or irrelevant wording in notes and feedback (age,
 * gender, family, origin, appearance) for a person to review. It never edits anyone's words.
 */
import { z } from "zod";
import { verifyQuotes } from "../verify-quotes.ts";
import { defineStep } from "./step-definition.ts";
import { sentences } from "./text-analysis.ts";

export const languageCategories = ["age", "gender", "family", "origin", "appearance"] as const;
export type LanguageCategory = (typeof languageCategories)[number];

/** Terms by category, as regular-expression sources matched on word boundaries. A hit is a
 * prompt to re-read, not a verdict: many have innocent uses, which is why we only flag. */
const LEXICON: Record<LanguageCategory, { pattern: string; why: string }[]> = {
  age: [
    { pattern: "too (?:old|young)", why: "refers to the person's age" },
    { pattern: "(?:young|youthful) and (?:dynamic|energetic|hungry)", why: "ties energy to youth" },
    { pattern: "digital native", why: "a proxy for age" },
    { pattern: "over ?qualified", why: "often a proxy for age" },
    { pattern: "(?:near|close to|approaching) retirement", why: "refers to the person's age" },
    { pattern: "set in (?:his|her|their) ways", why: "an age stereotype" },
    { pattern: "(?:old|older|elderly|young|younger) (?:guy|man|woman|lady|candidate|person|girl|boy)", why: "describes the person by age" },
    { pattern: "fresh blood", why: "a proxy for age" },
    { pattern: "(?:in (?:his|her|their) )?(?:twenties|thirties|forties|fifties|sixties)", why: "refers to the person's age" },
    { pattern: "\\d{2} years? old", why: "refers to the person's age" },
  ],
  gender: [
    { pattern: "(?:too )?(?:emotional|hysterical|shrill|bossy|abrasive|feisty|ditzy)", why: "words applied far more to women than men" },
    { pattern: "(?:girl|girls|gal|lady|ladies)(?! scouts)", why: "refers to gender; not relevant to the role" },
    { pattern: "(?:manpower|man-hours|chairman|salesman|guys)", why: "gendered wording" },
    { pattern: "(?:for a (?:woman|man|girl|guy))", why: "judges the person against a gender" },
    { pattern: "(?:maternal|motherly|fatherly)", why: "gendered stereotype" },
  ],
  family: [
    { pattern: "(?:pregnan(?:t|cy)|maternity|paternity|expecting a baby)", why: "pregnancy and parental leave must not affect hiring" },
    { pattern: "(?:has|with|her|his|their|young|small) (?:kids|children|baby|babies|toddlers?)", why: "refers to family situation" },
    { pattern: "(?:childcare|child care|school run|stay-at-home)", why: "refers to family situation" },
    { pattern: "(?:married|divorced|single (?:mother|mom|father|dad|parent)|husband|wife|spouse)", why: "refers to marital or family status" },
    { pattern: "(?:family plans|plans to have (?:kids|children)|start a family)", why: "refers to family plans" },
  ],
  origin: [
    { pattern: "(?:heavy |strong |thick |foreign )?accent", why: "refers to accent or origin" },
    { pattern: "(?:not a )?native (?:english )?speaker", why: "refers to origin; assess the language skill the role needs instead" },
    {
      pattern: "(?:foreigner|immigrant|expat|visa status|green card)",
      why: "refers to national origin or status; check only legal work authorisation through the proper process",
    },
    { pattern: "(?:where (?:is|are) (?:she|he|they) (?:really )?from|nationality|ethnicity|ethnic)", why: "refers to national or ethnic origin" },
    { pattern: "(?:religio(?:n|us)|church|mosque|synagogue|temple|hijab|turban)", why: "refers to religion" },
    { pattern: "(?:culture fit|cultural fit)", why: "often stands in for similarity of background; name the behaviour instead" },
  ],
  appearance: [
    { pattern: "(?:attractive|pretty|handsome|good-looking|beautiful|cute|sexy)", why: "comments on looks" },
    { pattern: "(?:overweight|fat|skinny|obese|chubby)", why: "comments on body" },
    { pattern: "(?:well-groomed|unkempt|scruffy|dress(?:ed)? (?:well|badly|poorly))", why: "comments on grooming or dress" },
    { pattern: "(?:tattoo(?:s|ed)?|piercings?|hairstyle|dreadlocks|braids)", why: "comments on appearance" },
    { pattern: "(?:looks|looked) (?:young|old|tired|professional|unprofessional)", why: "comments on looks" },
  ],
};

const COMPILED = Object.entries(LEXICON).flatMap(([category, entries]) =>
  entries.map((e) => ({ category: category as LanguageCategory, why: e.why, re: new RegExp(`(?<![\\p{L}\\p{N}])(?:${e.pattern})(?![\\p{L}\\p{N}])`, "giu") })),
);

export const languageCheckInput = z.object({
  text: z.string().max(200_000),
  /** Where the text comes from, for the reviewer. */
  source: z.enum(["note", "feedback", "other"]).default("other"),
  /** Names of the people written about, redacted before any prompt. */
  names: z.array(z.string()).default([]),
});
export type LanguageCheckInput = z.infer<typeof languageCheckInput>;

const flagSchema = z.object({
  category: z.enum(languageCategories),
  /** The flagged words exactly as written. */
  term: z.string().min(1).max(200),
  /** The sentence it appears in, exactly as written. */
  excerpt: z.string().max(600),
  explanation: z.string().max(400),
  /** Offsets of `term` in the text (added by Fulcrum). */
  start: z.number().int().optional(),
  end: z.number().int().optional(),
});

export const languageCheckOutput = z.object({ flags: z.array(flagSchema).max(100) });
export type LanguageCheckOutput = z.infer<typeof languageCheckOutput>;

/** The lexicon check alone, as a pure function. */
export function checkLanguage(text: string): LanguageCheckOutput {
  const flags: LanguageCheckOutput["flags"] = [];
  const sents = sentences(text);
  for (const { category, why, re } of COMPILED) {
    for (const m of text.matchAll(re)) {
      const start = m.index ?? 0;
      const sentence = sents.find((s) => s.start <= start && start < s.end);
      flags.push({ category, term: m[0], excerpt: sentence?.text ?? m[0], explanation: `"${m[0]}" ${why}.`, start, end: start + m[0].length });
    }
  }
  // One flag per place in the text: where two patterns overlap, the first (longest) wins.
  flags.sort((a, b) => a.start! - b.start! || b.end! - a.end!);
  return { flags: flags.filter((f, i) => i === 0 || f.start! >= flags[i - 1]!.end!).slice(0, 100) };
}

export const languageCheckStep = defineStep<LanguageCheckInput, LanguageCheckOutput>({
  type: "language-check",
  description: "Flags potentially biased wording (age, gender, family, origin, appearance) for review; never edits.",
  input: languageCheckInput,
  output: languageCheckOutput,
  untrusted: (input) => [{ label: input.source, text: input.text }],
  trusted: (input) => ({ source: input.source, categories: languageCategories }),
  names: (input) => input.names,
  local: (input) => checkLanguage(input.text),
  finish(output, input) {
    // A flag must point at words really in the text; the model cannot invent accusations.
    const kept = output.flags.flatMap((f) => {
      if (verifyQuotes([f.excerpt], input.text).kept.length === 0) return [];
      const start = input.text.toLowerCase().indexOf(f.term.toLowerCase());
      if (start < 0) return [];
      return [{ ...f, start, end: start + f.term.length }];
    });
    return { flags: kept };
  },
});
