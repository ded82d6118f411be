/**
 * The interviewer check: questions that should not be asked in a hiring interview (age, family
 * plans, pregnancy, religion, origin and citizenship beyond the right to work, health and
 * disability, marital status, sexual orientation, arrests, …), and questions of the set asked to
 * some candidates of a posting but not to others. Both are for the recruiter, about the interview —
 * never part of the candidate's record.
 */
import { roundTime } from "../transcript.ts";
import type { QuestionResult } from "./match-questions.ts";
import type { LabelledSegment } from "./speakers.ts";
import { sentences } from "./text.ts";

export const improperCategories = [
  "age",
  "family-plans",
  "pregnancy",
  "marital-status",
  "religion",
  "origin",
  "health",
  "sexual-orientation",
  "gender",
  "arrests",
  "race",
] as const;
export type ImproperCategory = (typeof improperCategories)[number];

/** A question the interviewer should not have asked, with its quote and times. */
export interface ImproperQuestionFlag {
  kind: "improper-question";
  category: ImproperCategory;
  why: string;
  start: number;
  end: number;
  quote: string;
}

const RULES: { category: ImproperCategory; re: RegExp; why: string }[] = [
  {
    category: "age",
    re: /\bhow old\b|\byour age\b|\bwhat year were you born\b|\bwhen were you born\b|\bdate of birth\b|\bwhen did you (?:finish|graduate from) (?:high )?school\b|\bclose to retirement\b|\bplanning to retire\b/i,
    why: "asks the candidate's age or a proxy for it",
  },
  {
    category: "family-plans",
    re: /\b(?:do|will) you (?:have|want|plan(?: to have)?) (?:any )?(?:kids|children|a family)\b|\bstart(?:ing)? a family\b|\bfamily plans\b|\bchildcare\b|\bwho (?:looks after|takes care of) your (?:kids|children)\b/i,
    why: "asks about children or family plans",
  },
  { category: "pregnancy", re: /\bpregnan|\bmaternity leave\b|\bexpecting\b.*\bbaby\b/i, why: "asks about pregnancy" },
  {
    category: "marital-status",
    re: /\bare you (?:married|single|divorced|engaged|seeing anyone)\b|\b(?:your|a) (?:husband|wife|spouse|boyfriend|girlfriend)\b|\bmarital status\b|\bmaiden name\b/i,
    why: "asks about marital status",
  },
  {
    category: "religion",
    re: /\breligio|\bchurch\b|\bmosque\b|\bsynagogue\b|\btemple\b|\bdo you pray\b|\bholy days?\b|\bsabbath\b|\bramadan\b/i,
    why: "asks about religion",
  },
  {
    category: "origin",
    re: /\bwhere (?:are you|is your family|were you born)\b.*\b(?:from|originally)\b|\bwhere are you from\b|\bnationality\b|\bcitizen(?:ship)?\b|\bnative (?:language|tongue|country)\b|\bwhat country\b|\byour accent\b|\bborn (?:here|in this country|abroad)\b|\bfirst language\b|\bethnic/i,
    why: "asks about national origin or citizenship; ask only whether the candidate has the right to work, in the proper process",
  },
  {
    category: "health",
    re: /\bdisabilit|\bhealth (?:problems|issues|conditions)\b|\bmedical (?:conditions?|history|problems)\b|\bmedication\b|\bhow many sick days\b|\bmental health\b|\bany (?:illness|conditions)\b|\bworkers'? comp/i,
    why: "asks about health or disability; ask only whether the candidate can do the job's essential tasks",
  },
  {
    category: "sexual-orientation",
    re: /\bsexual orientation\b|\bare you (?:gay|straight|lesbian|bisexual)\b|\bsame-sex\b/i,
    why: "asks about sexual orientation",
  },
  { category: "gender", re: /\bgender identity\b|\bare you (?:a man|a woman|male|female|transgender)\b/i, why: "asks about gender" },
  {
    category: "arrests",
    re: /\bever been arrested\b|\barrest(?:ed|s)? record\b|\bany arrests\b/i,
    why: "asks about arrests (not convictions, and only where the law allows)",
  },
  { category: "race", re: /\bwhat race\b|\byour race\b|\bskin colou?r\b/i, why: "asks about race" },
];

/** Questions about the right to work are allowed: they must not be flagged as origin questions. */
const RIGHT_TO_WORK =
  /\b(?:(?:legally )?(?:authori[sz]ed|entitled|eligible|allowed|able) to work|right to work|work (?:permit|authori[sz]ation|visa)|require (?:visa )?sponsorship|need sponsorship)\b/i;

/**
 * The improper questions in what the interviewer said, each with the sentence quoted verbatim and
 * the segment's times.
 *
 * @example
 * improperQuestions(labels.segments).map((f) => f.category) // ["marital-status"]
 */
export function improperQuestions(segments: readonly LabelledSegment[], options: { askingOnly?: boolean } = {}): ImproperQuestionFlag[] {
  const flags: ImproperQuestionFlag[] = [];
  for (const s of segments) {
    if (s.role !== "interviewer") continue;
    // Where roles were inferred rather than named, a statement may be the candidate's own ("you know,
    // my wife is pregnant"): only what asks is checked, so a candidate's disclosure is never
    // flagged as the interviewer's question.
    if (options.askingOnly && !s.isQuestion) continue;
    for (const sentence of sentences(s.text)) {
      for (const rule of RULES) {
        if (!rule.re.test(sentence)) continue;
        if (rule.category === "origin" && RIGHT_TO_WORK.test(sentence) && !/\b(?:nationality|where are you from|native|accent|born)\b/i.test(sentence))
          continue;
        flags.push({ kind: "improper-question", category: rule.category, why: rule.why, start: roundTime(s.start), end: roundTime(s.end), quote: sentence });
        break;
      }
    }
  }
  return flags;
}

/** A question of the set asked to some candidates of a posting and not to others. */
export interface InconsistentQuestionFlag {
  kind: "inconsistent-question";
  id: string;
  text: string;
  askedTo: string[];
  notAskedTo: string[];
}

/**
 * Across several analyses of one posting (each under a reference the recruiter recognises, such as
 * the application id), the questions of the set asked to some candidates but not to others.
 *
 * @example
 * inconsistentQuestions([{ ref: "app-1", questions: a.questions }, { ref: "app-2", questions: b.questions }])
 */
export function inconsistentQuestions(analyses: readonly { ref: string; questions: readonly QuestionResult[] }[]): InconsistentQuestionFlag[] {
  const texts = new Map<string, string>();
  const askedTo = new Map<string, string[]>();
  const notAskedTo = new Map<string, string[]>();
  for (const a of analyses) {
    for (const q of a.questions) {
      texts.set(q.id, texts.get(q.id) ?? q.text);
      const bucket = q.asked ? askedTo : notAskedTo;
      bucket.set(q.id, [...(bucket.get(q.id) ?? []), a.ref]);
    }
  }
  const flags: InconsistentQuestionFlag[] = [];
  for (const [id, text] of texts) {
    const yes = askedTo.get(id) ?? [];
    const no = notAskedTo.get(id) ?? [];
    if (yes.length > 0 && no.length > 0) flags.push({ kind: "inconsistent-question", id, text, askedTo: yes, notAskedTo: no });
  }
  return flags;
}

/** What stands for another candidate in a flag kept with one interview: they are counted, not named. */
export const OTHER_CANDIDATE = "another candidate";

/**
 * The flag as kept with the interview under `ref`: the other candidates' references become
 * OTHER_CANDIDATE, so forgetting one of them leaves no trace of them in this interview's record,
 * and `inconsistencyNote` still counts them.
 */
export function inconsistencyForInterview(flag: InconsistentQuestionFlag, ref: string): InconsistentQuestionFlag {
  const keep = (refs: string[]) => refs.map((r) => (r === ref ? r : OTHER_CANDIDATE));
  return { ...flag, askedTo: keep(flag.askedTo), notAskedTo: keep(flag.notAskedTo) };
}

/**
 * What an inconsistency flag says about the interview under `ref`: whether it asked the question,
 * and how many of the posting's other candidates were treated the other way.
 *
 * @example
 * inconsistencyNote({ kind: "inconsistent-question", id: "q-1", text: "…", askedTo: ["a"], notAskedTo: ["b"] }, "b")
 * // { askedHere: false, others: 1, text: "asked to 1 other candidate of this posting, not in this interview" }
 */
export function inconsistencyNote(flag: InconsistentQuestionFlag, ref: string): { askedHere: boolean; others: number; text: string } {
  const askedHere = !flag.notAskedTo.includes(ref);
  const others = (askedHere ? flag.notAskedTo : flag.askedTo).filter((r) => r !== ref).length;
  const who = `${others} other candidate${others === 1 ? "" : "s"} of this posting`;
  return { askedHere, others, text: askedHere ? `not asked to ${who}, asked in this interview` : `asked to ${who}, not in this interview` };
}
