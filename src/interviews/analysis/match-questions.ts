/**
 * The local engine that finds each question of the set in an interview: the interviewer's
 * questions are compared with the set by topic words (stemmed, synonyms folded, weighted by how
 * rare they are), an optimal one-to-one assignment pairs set questions with asked questions, and
 * pairs below a threshold count as "not asked". Each asked question's answer is the candidate's
 * speech from there until the next interviewer question that is not a follow-up (a new question of
 * the set, small talk or housekeeping), quoted verbatim with its times.
 */
import { verifyQuotes } from "../../ai/index.ts";
import { roundTime } from "../transcript.ts";
import type { InterviewQuestion } from "./questions.ts";
import type { LabelledSegment } from "./speakers.ts";
import { echoesAnswer, isFollowUpQuestion, isSmallTalkTurn, questionIntents, topicTokens } from "./text.ts";

/** A verbatim stretch of the transcript with its times (seconds from the start). */
export interface TimedQuote {
  start: number;
  end: number;
  quote: string;
}

/** One question of the set as printed: exactly these keys. */
export interface QuestionResult {
  id: string;
  text: string;
  asked: TimedQuote | null;
  answer: TimedQuote | null;
}

/** A question with where it was found, for metrics and evidence. */
export interface MatchedQuestion extends QuestionResult {
  /** Index of the asking segment, or null. */
  askedIndex: number | null;
  /** Indices of the candidate's segments that make up the answer. */
  answerIndices: number[];
  /** How alike the set question and the asked one are (0–1). */
  similarity: number;
}

/** Below this similarity a set question counts as not asked. Tuned on bench/corpus/interviews. */
export const ASKED_THRESHOLD = 0.22;
/**
 * A lower bar for the second pass, which pairs the questions still unmatched with the turns still
 * free (a follow-up's likeness at a discount, small talk never): interviewers paraphrase most where
 * they introduce a question, and such a turn is a question of the set more often than not.
 */
export const OPENER_THRESHOLD = 0.12;

/** How much a follow-up's likeness to a question of the set counts in the first pass. */
export const FOLLOW_UP_WEIGHT = 0.5;

/** How much a word of the answer's opening counts against a word of the question itself. */
export const ANSWER_WEIGHT = 0.3;
/** How many words of the answer's opening take part in matching. */
export const ANSWER_OPENING_WORDS = 60;

/**
 * How much the share of a set question's weighted words that an asked turn says counts, against the
 * cosine: a long turn (a story, then "what would you do?") says the question's words among many others.
 */
export const RECALL_WEIGHT = 0.5;

/** Shortest word that may meet a longer one it starts ("case" in "caseload"). */
export const PREFIX_MIN = 4;
/** How much such a partial meeting counts against a whole word. */
export const PREFIX_WEIGHT = 0.5;

/** The joiner between parts of an answer that an interviewer's follow-up separates. */
export const ELISION = " … ";

function tf(tokens: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const t of tokens) m.set(t, (m.get(t) ?? 0) + 1);
  return m;
}

/**
 * Similarity of every set question with every asked text: cosine of topic-token counts weighted by
 * inverse document frequency over all of them, so words every question shares count for little.
 */
export function similarityMatrix(questions: readonly string[], asked: readonly string[], answers?: readonly string[]): number[][] {
  const qTokens = questions.map((q) => tf([...topicTokens(q), ...questionIntents(q)]));
  const vocabulary = [...new Set(qTokens.flatMap((m) => [...m.keys()]))];
  // A word of the set that starts another, or is started by it ("cases", "caseload"), counts at a fraction.
  const partOf = (t: string): string | undefined =>
    t.startsWith("intent:") || t.length < PREFIX_MIN
      ? undefined
      : vocabulary.find((v) => v.length >= PREFIX_MIN && !v.startsWith("intent:") && (v.startsWith(t) || t.startsWith(v)));
  const add = (m: Map<string, number>, t: string, weight: number) => {
    const own = m.has(t) || vocabulary.includes(t) ? undefined : partOf(t);
    const key = own ?? t;
    m.set(key, (m.get(key) ?? 0) + (own ? weight * PREFIX_WEIGHT : weight));
  };
  // The start of the answer says what was understood to be asked: its words count at a fraction.
  const aTokens = asked.map((a, i) => {
    const m = new Map<string, number>();
    for (const t of [...topicTokens(a), ...questionIntents(a)]) add(m, t, 1);
    for (const t of topicTokens(answers?.[i] ?? "")) add(m, t, ANSWER_WEIGHT);
    return m;
  });
  const docs = [...qTokens, ...aTokens];
  const df = new Map<string, number>();
  for (const d of docs) for (const t of d.keys()) df.set(t, (df.get(t) ?? 0) + 1);
  const idf = (t: string) => Math.log(1 + docs.length / (df.get(t) ?? 1));
  // The question's own words alone, too: the answer may add evidence, never dilute it (below).
  const ownTokens = asked.map((a) => {
    const m = new Map<string, number>();
    for (const t of [...topicTokens(a), ...questionIntents(a)]) add(m, t, 1);
    return m;
  });
  const weigh = (d: Map<string, number>) => {
    const v = new Map<string, number>();
    for (const [t, n] of d) v.set(t, (n >= 1 ? 1 + Math.log(n) : n) * idf(t));
    return v;
  };
  const qv = qTokens.map(weigh);
  const av = aTokens.map(weigh);
  const ov = ownTokens.map(weigh);
  const norm = (v: Map<string, number>) => Math.sqrt([...v.values()].reduce((s, x) => s + x * x, 0));
  const cosine = (q: Map<string, number>, a: Map<string, number>) => {
    let dot = 0;
    for (const [t, w] of q) dot += w * (a.get(t) ?? 0);
    const n = norm(q) * norm(a);
    return n > 0 ? dot / n : 0;
  };
  // How much of the set question's weight the turn's own words say: a long scenario dilutes the
  // cosine of the few words it shares with the set, but not this.
  const recall = (q: Map<string, number>, a: Map<string, number>) => {
    let got = 0;
    let all = 0;
    for (const [t, w] of q) {
      all += w;
      if (a.has(t)) got += w * Math.min(1, (a.get(t) ?? 0) / w);
    }
    return all > 0 ? got / all : 0;
  };
  return qv.map((q) => av.map((a, j) => Math.max(cosine(q, a), cosine(q, ov[j]!), RECALL_WEIGHT * recall(q, ov[j]!))));
}

/**
 * The assignment of rows to columns that maximises total weight (Hungarian method, O(n³)); a row
 * may stay unassigned (-1) when the matrix is wider than tall or taller than wide.
 */
export function maxWeightAssignment(weights: readonly (readonly number[])[]): number[] {
  const rows = weights.length;
  const cols = rows ? weights[0]!.length : 0;
  const n = Math.max(rows, cols);
  if (n === 0) return [];
  const cost = (i: number, j: number) => -(i < rows && j < cols ? weights[i]![j]! : 0);
  // Potentials u, v; p[j] = row matched to column j (1-based, 0 = none).
  const u = new Array<number>(n + 1).fill(0);
  const v = new Array<number>(n + 1).fill(0);
  const p = new Array<number>(n + 1).fill(0);
  const way = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    const minv = new Array<number>(n + 1).fill(Infinity);
    const used = new Array<boolean>(n + 1).fill(false);
    do {
      used[j0] = true;
      const i0 = p[j0]!;
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= n; j++) {
        if (used[j]) continue;
        const cur = cost(i0 - 1, j - 1) - u[i0]! - v[j]!;
        if (cur < minv[j]!) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j]! < delta) {
          delta = minv[j]!;
          j1 = j;
        }
      }
      for (let j = 0; j <= n; j++) {
        if (used[j]) {
          u[p[j]!] = u[p[j]!]! + delta;
          v[j] = v[j]! - delta;
        } else minv[j] = minv[j]! - delta;
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0]!;
      p[j0] = p[j1]!;
      j0 = j1;
    } while (j0 !== 0);
  }
  const result = new Array<number>(rows).fill(-1);
  for (let j = 1; j <= n; j++) if (p[j]! >= 1 && p[j]! <= rows && j <= cols) result[p[j]! - 1] = j - 1;
  return result;
}

/** Consecutive interviewer segments that end in a question, merged: one asked turn each. */
export interface AskedTurn {
  /** Indices of the interviewer's segments in this turn. */
  indices: number[];
  start: number;
  end: number;
  text: string;
  /** What the interviewer said in the same turn before the question ("Okay.", a scenario), not quoted. */
  preamble: string;
}

/** The interviewer's questions, one per turn (a turn that only acknowledges is not one). */
export function askedTurns(segments: readonly LabelledSegment[]): AskedTurn[] {
  const turns: AskedTurn[] = [];
  let current: LabelledSegment[] = [];
  const flush = () => {
    if (current.some((s) => s.isQuestion)) {
      // The turn starts at its first question, so preamble such as "Thanks, that's helpful." is not quoted as the question.
      const from = current.findIndex((s) => s.isQuestion);
      const part = current.slice(from);
      turns.push({
        indices: part.map((s) => s.index),
        start: part[0]!.start,
        end: part.at(-1)!.end,
        text: part.map((s) => s.text.trim()).join(" "),
        preamble: current
          .slice(0, from)
          .map((s) => s.text.trim())
          .join(" "),
      });
    }
    current = [];
  };
  for (const s of segments) {
    if (s.role === "interviewer") current.push(s);
    else flush();
  }
  flush();
  return turns;
}

/** Options of the local engine. */
export interface MatchOptions {
  threshold?: number | undefined;
}

/**
 * Matches the question set to what was asked and cuts out each answer.
 *
 * @example
 * const labels = labelSpeakers(transcript.segments);
 * matchQuestions([{ id: "q1", text: "Tell me about a conflict with a colleague." }], labels.segments)[0].answer?.quote
 */
export function matchQuestions(questions: readonly InterviewQuestion[], segments: readonly LabelledSegment[], options: MatchOptions = {}): MatchedQuestion[] {
  const threshold = options.threshold ?? ASKED_THRESHOLD;
  const turns = askedTurns(segments);
  const openings = turns.map((t) => answerOpening(segments, t));
  // What the interviewer said just before the question, in the same turn, is part of what was asked.
  const askedTexts = turns.map((t) => `${t.preamble} ${t.text}`.trim());
  const sim = similarityMatrix(
    questions.map((q) => q.text),
    askedTexts,
    openings,
  );
  // Small talk and housekeeping ("any questions for us?") are never a question of the set.
  turns.forEach((t, j) => {
    if (isSmallTalkTurn(t.text)) for (const row of sim) row[j] = 0;
  });
  // A follow-up follows up on an answer: the first question, or one right after small talk, opens a topic.
  const opensAfterAnswer = turns.map((_, j) => j > 0 && !isSmallTalkTurn(turns[j - 1]!.text));
  const said = turns.map((t) => `${t.preamble} ${t.text}`.trim());
  const echoes = turns.map((t, j) => opensAfterAnswer[j]! && echoesAnswer(said[j]!, spokenBetween(segments, turns[j - 1]!, t)));
  const followUp = turns.map((_, j) => opensAfterAnswer[j]! && (isFollowUpQuestion(said[j]!) || echoes[j]!));
  const clearFollowUp = turns.map((_, j) => opensAfterAnswer[j]! && (isFollowUpQuestion(said[j]!, { clearly: true }) || echoes[j]!));
  // A clear follow-up is a question of the set only when it is very like one: its likeness counts at a discount.
  const weight = sim.map((row) => row.map((s, j) => (clearFollowUp[j] ? s * FOLLOW_UP_WEIGHT : s)));
  const assignment = maxWeightAssignment(weight.map((row) => row.map((s) => (s >= threshold ? s : 0)))).map((t, q) =>
    t >= 0 && weight[q]![t]! >= threshold ? t : -1,
  );
  // Second pass: still-unmatched questions against still-free turns, a follow-up at a discount.
  const freeRows = questions.map((_, q) => q).filter((q) => assignment[q] === -1);
  const taken = new Set(assignment.filter((t) => t >= 0));
  const freeTurns = turns.map((_, j) => j).filter((j) => !taken.has(j));
  const opener = sim.map((row) => row.map((s, j) => (followUp[j] ? s * FOLLOW_UP_WEIGHT : s)));
  const second = maxWeightAssignment(freeRows.map((q) => freeTurns.map((j) => (opener[q]![j]! >= OPENER_THRESHOLD ? opener[q]![j]! : 0))));
  second.forEach((k, r) => {
    if (k >= 0 && opener[freeRows[r]!]![freeTurns[k]!]! >= OPENER_THRESHOLD) assignment[freeRows[r]!] = freeTurns[k]!;
  });
  const turnOf = new Set(assignment.filter((t) => t >= 0));
  // An answer runs on through follow-ups and ends at the next turn that opens a new topic: a
  // question of the set, small talk, or any question that is not a follow-up.
  const endsAnswer = turns.map((t, i) => turnOf.has(i) || isSmallTalkTurn(t.text) || !followUp[i]);
  return questions.map((q, row) => {
    const t = assignment[row]!;
    if (t < 0) return { id: q.id, text: q.text, asked: null, answer: null, askedIndex: null, answerIndices: [], similarity: 0 };
    const turn = turns[t]!;
    const nextTurn = turns.findIndex((_other, i) => i > t && endsAnswer[i]);
    const until = nextTurn >= 0 ? turns[nextTurn]!.indices[0]! : Infinity;
    const answerSegments = segments.filter((s) => s.index > turn.indices.at(-1)! && s.index < until && s.role === "candidate");
    return {
      id: q.id,
      text: q.text,
      asked: { start: roundTime(turn.start), end: roundTime(turn.end), quote: turn.text },
      answer: answerSegments.length ? answerQuote(answerSegments) : null,
      askedIndex: turn.indices[0]!,
      answerIndices: answerSegments.map((s) => s.index),
      similarity: sim[row]![t]!,
    };
  });
}

/** What the candidate said between two of the interviewer's turns. */
function spokenBetween(segments: readonly LabelledSegment[], before: AskedTurn, after: AskedTurn): string {
  return segments
    .filter((s) => s.role === "candidate" && s.index > before.indices.at(-1)! && s.index < after.indices[0]!)
    .map((s) => s.text)
    .join(" ");
}

/** The first words the candidate says after a turn, up to the interviewer's next word. */
function answerOpening(segments: readonly LabelledSegment[], turn: AskedTurn): string {
  const out: string[] = [];
  for (const s of segments) {
    if (s.index <= turn.indices.at(-1)!) continue;
    if (s.role !== "candidate") break;
    out.push(...s.text.split(/\s+/));
    if (out.length >= ANSWER_OPENING_WORDS) break;
  }
  return out.slice(0, ANSWER_OPENING_WORDS).join(" ");
}

/** The candidate's segments as one verbatim quote; "…" where the interviewer spoke in between. */
export function answerQuote(answer: readonly LabelledSegment[]): TimedQuote {
  let quote = "";
  for (const [i, s] of answer.entries()) {
    const gap = i > 0 && s.index !== answer[i - 1]!.index + 1;
    quote += i === 0 ? s.text.trim() : `${gap ? ELISION : " "}${s.text.trim()}`;
  }
  return { start: roundTime(answer[0]!.start), end: roundTime(answer.at(-1)!.end), quote };
}

/** True when every part of a quote is in the transcript's text, in order (as screening checks). */
export function quoteInTranscript(quote: string, segments: readonly { text: string }[]): boolean {
  return verifyQuotes([quote], segments.map((s) => s.text.trim()).join(" ")).kept.length === 1;
}
