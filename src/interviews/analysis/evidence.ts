/**
 * Evidence against the rubric: each competency gets the candidate's sentences that speak to it,
 * quoted verbatim with times — from the answers to the questions that probe it, or wherever the
 * candidate uses its keywords. A score, when asked for, is computed by code from that evidence in
 * the way screening scores a resume (met counts fully, partly half, missing nothing, weighted), and
 * is advisory only: it never moves a stage on its own.
 */
import { tierOf } from "../../ai/index.ts";
import { roundTime } from "../transcript.ts";
import type { MatchedQuestion, TimedQuote } from "./match-questions.ts";
import type { LabelledSegment } from "./speakers.ts";
import { sentences, topicTokens } from "./text.ts";

// The rubric's shape lives with the configuration's `interviews:` block, which uses it too.
import { competencySchema, interviewRubricSchema, type Competency, type InterviewRubric } from "../../config/index.ts";
export { competencySchema, interviewRubricSchema, type Competency, type InterviewRubric };

export interface CompetencyEvidence {
  id: string;
  label: string;
  status: "met" | "partly" | "missing";
  quotes: TimedQuote[];
}

export interface InterviewEvidence {
  competencies: CompetencyEvidence[];
  /** Present when the rubric asks for one: 0–100 from the evidence, advisory only. */
  score?: { value: number; tier: "strong" | "possible" | "weak"; advisory: true; note: string };
}

const VALUE = { met: 1, partly: 0.5, missing: 0 } as const;
/** At most this many quotes per competency, strongest first. */
export const MAX_QUOTES_PER_COMPETENCY = 3;

/**
 * The evidence for each competency of the rubric.
 *
 * @example
 * rubricEvidence({ competencies: [{ id: "safety", label: "Works safely", keywords: ["isolate", "near miss"], questions: ["q-safety"], weight: 2 }], score: true }, labels.segments, matched)
 */
export function rubricEvidence(rubric: InterviewRubric, segments: readonly LabelledSegment[], questions: readonly MatchedQuestion[]): InterviewEvidence {
  const candidate = segments.filter((s) => s.role === "candidate");
  const competencies = rubric.competencies.map((c): CompetencyEvidence => {
    const keywordTokens = new Set(c.keywords.flatMap((k) => topicTokens(k)));
    const probing = new Set(questions.filter((q) => c.questions.includes(q.id)).flatMap((q) => q.answerIndices));
    const found: { quote: TimedQuote; hits: number; probed: boolean }[] = [];
    for (const s of candidate) {
      for (const sentence of sentences(s.text)) {
        const hits = new Set(topicTokens(sentence).filter((t) => keywordTokens.has(t))).size;
        const probed = probing.has(s.index);
        // In an answer to a probing question any substantial sentence is evidence; elsewhere a keyword is needed.
        if (hits > 0 || (probed && sentence.split(/\s+/).length >= 6))
          found.push({ quote: { start: roundTime(s.start), end: roundTime(s.end), quote: sentence }, hits, probed });
      }
    }
    found.sort((a, b) => Number(b.probed) + b.hits - (Number(a.probed) + a.hits));
    const quotes = found.slice(0, MAX_QUOTES_PER_COMPETENCY).map((f) => f.quote);
    const strong = found.filter((f) => f.hits > 0 || f.probed).length;
    const status = strong >= 2 && found.some((f) => f.hits > 0 || c.keywords.length === 0) ? "met" : found.length > 0 ? "partly" : "missing";
    return { id: c.id, label: c.label, status, quotes };
  });
  if (!rubric.score) return { competencies };
  let total = 0;
  let got = 0;
  rubric.competencies.forEach((c, i) => {
    total += c.weight;
    got += c.weight * VALUE[competencies[i]!.status];
  });
  const value = total > 0 ? Math.round((got / total) * 100) : 0;
  return {
    competencies,
    score: { value, tier: tierOf(value), advisory: true, note: "Computed by code from the quoted evidence; advisory only, it never moves a stage on its own." },
  };
}
