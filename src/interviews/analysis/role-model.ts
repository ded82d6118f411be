/**
 * Who says each utterance of a transcript that names no speakers: a two-state hidden Markov model.
 * Each utterance's wording gives the odds that the interviewer said it (a logistic model over a few
 * features that hold in any interview: a question or prompt, "you" against "I", length, a bare
 * acknowledgement), and the Viterbi path picks the likeliest sequence of roles given how often a
 * speaker keeps the floor from one utterance to the next.
 *
 * The weights were fitted by logistic regression on the studied interviews of
 * `bench/corpus/interviews` (the tuning set and held-out rounds one to seven, each with and
 * without punctuation) and rounded; `npm run bench:speaker-roles -- --fit` refits them and prints
 * them (its figures, on the studied rounds and those written blind by other hands, are always for
 * the weights in the code).
 */
import { isAcknowledgement, isQuestionUtterance, recogniserStyle } from "./text.ts";

export type Role = "interviewer" | "candidate";

/**
 * Utterances are read as a recogniser prints them (`recogniserStyle`), crude on purpose, and the
 * weights were fitted so: "were" also counts as "we're" and "ill"/"id" as "I'll"/"I'd", as they do
 * in a recogniser's unpunctuated text.
 */
const normalise = recogniserStyle;

const LEAD_IN = /^(?:(?:so|okay|ok|alright|all right|right|and|um+|uh+|well|now|great|good|cool|perfect|then|yeah|lovely|brilliant|thanks|thank you|nice)\s+)*/;
const INTERROGATIVE_OPENING =
  /^(?:what|whats|how|hows|why|when|where|which|who|do|did|does|have|has|are|is|was|were|can|could|would|will|tell|walk|describe|give|talk|take|any|anything)\b/;
const ASKING_PHRASE =
  /\b(?:tell me|walk me|talk me|take me|run me|describe|give me an example|can you|could you|would you|do you|have you|are you|did you|were you|you ever|what would you|how would you|how do you|what do you|whats your|what is your|how did you|what did you|why did you|why do you|questions for me|anything you)\b/;
const SECOND_PERSON = /\b(?:you|your|youre|youve|youd|youll|yourself|yours|ya)\b/g;
const FIRST_PERSON = /\b(?:i|im|ive|id|ill|my|me|myself|mine)\b/g;
const FIRST_PERSON_PLURAL = /\b(?:we|our|us|were|weve|ours)\b/g;

/** The names of the features, in the order of `utteranceFeatures` and `ROLE_WEIGHTS`. */
export const ROLE_FEATURES = [
  "bias",
  "asks (question or prompt)",
  "ends in ?",
  "log(1 + words)",
  "share of you/your (×5)",
  "share of I/my/me (×5)",
  "share of we/our/us (×5)",
  "says you at all",
  "says I at all",
  "opens with an interrogative",
  "an asking phrase",
  "bare acknowledgement",
  "three words or fewer",
] as const;

/** One utterance's features (see `ROLE_FEATURES`); `asks` when the caller already knows whether it asks. */
export function utteranceFeatures(text: string, asks: boolean = isQuestionUtterance(text)): number[] {
  const t = normalise(text);
  const n = Math.max(1, t.split(" ").filter(Boolean).length);
  const you = (t.match(SECOND_PERSON) ?? []).length;
  const me = (t.match(FIRST_PERSON) ?? []).length;
  const we = (t.match(FIRST_PERSON_PLURAL) ?? []).length;
  return [
    1,
    asks ? 1 : 0,
    text.trim().endsWith("?") ? 1 : 0,
    Math.log(1 + n),
    (you / n) * 5,
    (me / n) * 5,
    (we / n) * 5,
    you > 0 ? 1 : 0,
    me > 0 ? 1 : 0,
    INTERROGATIVE_OPENING.test(t.replace(LEAD_IN, "")) ? 1 : 0,
    ASKING_PHRASE.test(t) ? 1 : 0,
    isAcknowledgement(text) ? 1 : 0,
    n <= 3 ? 1 : 0,
  ];
}

/** Log-odds weights of the interviewer having said an utterance, per feature (fitted; see above). */
export const ROLE_WEIGHTS: readonly number[] = [0.1, 0.91, 0.48, -0.48, 0.23, -0.39, 0.33, 1.78, -0.81, 0.14, 1.01, 0.36, 0.21];
/** The share of utterances the interviewer says in the studied interviews (the fitted model's prior). */
export const INTERVIEWER_SHARE = 0.43;
/**
 * How often a speaker says the next utterance too. The studied transcripts are cut one cue per
 * turn, so there they alternate more (0.11 and 0.37); a recogniser cuts at pauses and a speaker
 * keeps the floor for several, so these are set nearer even, as they score best on the studied set.
 */
export const KEEPS_THE_FLOOR: Readonly<Record<Role, number>> = { interviewer: 0.2, candidate: 0.5 };

/** The probability that the interviewer said an utterance, from its wording alone. */
export function interviewerOdds(features: readonly number[], weights: readonly number[] = ROLE_WEIGHTS): number {
  const z = features.reduce((sum, v, k) => sum + v * (weights[k] ?? 0), 0);
  return 1 / (1 + Math.exp(-z));
}

const ROLES: readonly Role[] = ["interviewer", "candidate"];

/**
 * The likeliest roles of a sequence of utterances (Viterbi); `asks[k]`, when given, says whether
 * utterance k asks (`isQuestionUtterance`), so it is not worked out again.
 *
 * @example
 * mostLikelyRoles(["so tell me about your last job", "i ran the night shift at a warehouse for two years"])
 * // ["interviewer", "candidate"]
 */
export function mostLikelyRoles(texts: readonly string[], asks?: readonly boolean[]): Role[] {
  if (texts.length === 0) return [];
  const prior = [INTERVIEWER_SHARE, 1 - INTERVIEWER_SHARE];
  // The model gives P(role | words); dividing by the prior turns it into a likelihood of the words.
  const emission = texts.map((t, k) => {
    const p = interviewerOdds(utteranceFeatures(t, asks?.[k]));
    return [Math.log(p / prior[0]!), Math.log((1 - p) / prior[1]!)];
  });
  const move = ROLES.map((from) => ROLES.map((to) => Math.log(to === from ? KEEPS_THE_FLOOR[from] : 1 - KEEPS_THE_FLOOR[from])));
  let score = [0, 1].map((r) => Math.log(prior[r]!) + emission[0]![r]!);
  const back: number[][] = [];
  for (let k = 1; k < texts.length; k++) {
    const from = [0, 1].map((to) => (score[0]! + move[0]![to]! >= score[1]! + move[1]![to]! ? 0 : 1));
    score = [0, 1].map((to) => score[from[to]!]! + move[from[to]!]![to]! + emission[k]![to]!);
    back.push(from);
  }
  const path = [score[0]! >= score[1]! ? 0 : 1];
  for (let k = back.length - 1; k >= 0; k--) path.push(back[k]![path.at(-1)!]!);
  return path.reverse().map((r) => ROLES[r]!);
}
