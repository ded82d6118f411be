/**
 * Descriptive metrics of an interview: who talked how long, how fast, and how long each answer
 * was. They describe the conversation; they say nothing about the person, and nothing here is a
 * score. There is no emotion, face or voice analysis anywhere in Fulcrum (inferring emotions at
 * work is banned in the EU, AI Act Art. 5(1)(f)); the one concession is an opt-in note quoting
 * what the candidate said they felt, in their words, never scored.
 */
import { roundTime } from "../transcript.ts";
import type { MatchedQuestion, TimedQuote } from "./match-questions.ts";
import type { LabelledSegment, SpeakerRole } from "./speakers.ts";
import { sentences, words } from "./text.ts";

export interface SpeakerMetrics {
  /** Seconds of speech (sum of the role's segments). */
  talkSeconds: number;
  /** Share of all speech, 0–1. */
  talkShare: number;
  words: number;
  /** Words per minute of the role's own speech; null under 10 seconds of it. */
  wordsPerMinute: number | null;
  turns: number;
}

export interface InterviewMetrics {
  /** Always "descriptive": these numbers describe the conversation, they never score the candidate. */
  kind: "descriptive";
  note: string;
  durationSeconds: number;
  speakers: Record<SpeakerRole, SpeakerMetrics>;
  answers: { id: string; words: number; seconds: number }[];
}

/** The metrics of a labelled interview and its matched questions. */
export function describeInterview(segments: readonly LabelledSegment[], questions: readonly MatchedQuestion[], durationSeconds: number): InterviewMetrics {
  const total = segments.reduce((s, x) => s + Math.max(0, x.end - x.start), 0);
  const forRole = (role: SpeakerRole): SpeakerMetrics => {
    const own = segments.filter((s) => s.role === role);
    const seconds = own.reduce((s, x) => s + Math.max(0, x.end - x.start), 0);
    const count = own.reduce((n, s) => n + words(s.text).length, 0);
    let turns = 0;
    segments.forEach((s, i) => {
      if (s.role === role && (i === 0 || segments[i - 1]!.role !== role)) turns++;
    });
    return {
      talkSeconds: roundTime(seconds),
      talkShare: total > 0 ? Math.round((seconds / total) * 1000) / 1000 : 0,
      words: count,
      wordsPerMinute: seconds >= 10 ? Math.round(count / (seconds / 60)) : null,
      turns,
    };
  };
  const byIndex = new Map(segments.map((s) => [s.index, s]));
  return {
    kind: "descriptive",
    note: "Descriptive only: talk time, speaking rate and answer lengths describe the conversation and are never used to score the candidate.",
    durationSeconds: roundTime(durationSeconds),
    speakers: { interviewer: forRole("interviewer"), candidate: forRole("candidate") },
    answers: questions
      .filter((q) => q.answer)
      .map((q) => {
        const parts = q.answerIndices.map((i) => byIndex.get(i)!);
        return {
          id: q.id,
          words: parts.reduce((n, s) => n + words(s.text).length, 0),
          seconds: roundTime(parts.reduce((n, s) => n + Math.max(0, s.end - s.start), 0)),
        };
      }),
  };
}

const FELT =
  /\b(?:i|we)\s+(?:was|were|am|'m|felt|feel|got|get|became|become)\s+(?:really\s+|very\s+|quite\s+|a bit\s+|a little\s+|so\s+|pretty\s+|honestly\s+|genuinely\s+)*(?:frustrated|excited|nervous|anxious|proud|happy|relieved|disappointed|worried|stressed|overwhelmed|angry|upset|thrilled|pleased|embarrassed|confident|scared|afraid|annoyed|grateful|motivated|exhausted|burnt out|burned out)\b|\bi\s+(?:felt|feel)\s+(?:like|that)\b/i;

/**
 * Sentences in which the candidate says how they felt ("I was frustrated that…"), quoted with the
 * segment's times. Text only, in the candidate's own words; opt-in; never scored.
 */
export function statedFeelings(segments: readonly LabelledSegment[]): TimedQuote[] {
  const out: TimedQuote[] = [];
  for (const s of segments) {
    if (s.role !== "candidate") continue;
    for (const sentence of sentences(s.text)) {
      if (FELT.test(sentence) || /\bi was frustrated\b/i.test(sentence.replace(/,\s*honestly,?/i, "")))
        out.push({ start: roundTime(s.start), end: roundTime(s.end), quote: sentence });
    }
  }
  return out;
}
