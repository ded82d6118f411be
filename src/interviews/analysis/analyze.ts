/**
 * One interview analysed against its question set: who speaks, each question found (or "not
 * asked") with the candidate's answer quoted verbatim with times, descriptive metrics, the
 * interviewer check, and — when a rubric is given — evidence per competency. Pure: a transcript and
 * a question set in, the analysis out.
 */
import { guessLanguage, joinSegmentText, roundTime, type Transcript } from "../transcript.ts";
import { InterviewAnalysisError } from "./errors.ts";
import { rubricEvidence, type InterviewEvidence, type InterviewRubric } from "./evidence.ts";
import { improperQuestions, type ImproperQuestionFlag, type InconsistentQuestionFlag } from "./interviewer-check.ts";
import { matchQuestions, quoteInTranscript, type MatchedQuestion, type QuestionResult, type TimedQuote } from "./match-questions.ts";
import { describeInterview, statedFeelings, type InterviewMetrics } from "./metrics.ts";
import type { InterviewQuestion } from "./questions.ts";
import { labelSpeakers, type SpeakerLabels } from "./speakers.ts";
import { words } from "./text.ts";

/** A flag for the recruiter about the interview (never the candidate's record). */
/** Flags for the recruiter; the interview task adds inconsistency flags by comparing with the posting's other interviews. */
export type AnalysisFlag = ImproperQuestionFlag | InconsistentQuestionFlag | { kind: "unverified-quote"; id: string; part: "asked" | "answer" };

export interface AnalysisSummary {
  engine: "local" | "model";
  /** Why the local engine answered although a provider was asked for. */
  fallbackReason?: string;
  language: string;
  durationSeconds: number;
  /** How speakers were told apart: the transcript's names/voices, or the questions alone. */
  speakers: "voices" | "questions";
  asked: number;
  notAsked: string[];
  unanswered: string[];
  text: string;
}

/** What `fulcrum interview analyze` prints. */
export interface InterviewAnalysis {
  questions: QuestionResult[];
  summary: AnalysisSummary;
  metrics: InterviewMetrics;
  flags: AnalysisFlag[];
  evidence?: InterviewEvidence;
  /** Opt-in: what the candidate said they felt, quoted; never scored. */
  statedFeelings?: TimedQuote[];
}

export interface AnalyzeOptions {
  rubric?: InterviewRubric | undefined;
  /** Include the candidate's own statements of feeling (text only, never scored). Off by default. */
  statedFeelings?: boolean | undefined;
  interviewerNames?: readonly string[] | undefined;
  threshold?: number | undefined;
}

/** Words needed before the language guess is trusted. */
const MIN_WORDS_FOR_LANGUAGE = 20;

/**
 * Refuses what cannot be analysed: an empty question set, an empty transcript, a transcript in a
 * language other than English (the local engine reads English only).
 */
export function checkAnalysisInput(transcript: Transcript, questions: readonly InterviewQuestion[]): void {
  if (questions.length === 0) throw new InterviewAnalysisError("questions-empty", "the question set is empty: give at least one { id, text }");
  const text = joinSegmentText(transcript.segments);
  const count = words(text).length;
  if (transcript.segments.length === 0 || count === 0) throw new InterviewAnalysisError("empty-transcript", "the transcript has no speech: nothing to analyse");
  const declared = transcript.language.toLowerCase();
  if (declared !== "und" && declared !== "" && !declared.startsWith("en")) {
    throw new InterviewAnalysisError("wrong-language", `the transcript is in "${transcript.language}"; interview analysis reads English only`);
  }
  if (count >= MIN_WORDS_FOR_LANGUAGE && guessLanguage(text) !== "en") {
    throw new InterviewAnalysisError(
      "wrong-language",
      "the transcript does not look like English (few common English words); interview analysis reads English only",
    );
  }
}

/**
 * Why an analysis that found none of the set's questions cannot be taken at its word, or undefined
 * when it found one. Made-up words from speech the recogniser could not make out (reversed or
 * foreign speech, noise), or another posting's set, give exactly that, and "every question went
 * unasked" would be false: the workflow and the CLI fail with this `nothing-matched` message.
 */
export function nothingMatched(analysis: Pick<InterviewAnalysis, "questions">): string | undefined {
  const n = analysis.questions.length;
  if (n === 0 || analysis.questions.some((q) => q.asked)) return undefined;
  const which = n === 1 ? "the one question of the set was not found" : `none of the ${n} questions of the set was found`;
  return `${which} in the transcript: check the recording and the question set`;
}

/**
 * Analyses a transcript against a question set with the local engine.
 *
 * @example
 * const analysis = analyzeInterview(parseTranscriptFile(vtt, "call.vtt"), parseQuestionFile(yaml, "q.yaml"));
 * analysis.questions[0] // { id, text, asked: { start, end, quote } | null, answer: { start, end, quote } | null }
 */
export function analyzeInterview(transcript: Transcript, questions: readonly InterviewQuestion[], options: AnalyzeOptions = {}): InterviewAnalysis {
  checkAnalysisInput(transcript, questions);
  const labels = labelSpeakers(transcript.segments, { interviewerNames: options.interviewerNames });
  const matched = matchQuestions(questions, labels.segments, { threshold: options.threshold });
  return assembleAnalysis(transcript, labels, matched, { ...options, engine: "local" });
}

/** Builds the analysis from matched questions (of either engine), verifying every quote. */
export function assembleAnalysis(
  transcript: Transcript,
  labels: SpeakerLabels,
  matched: MatchedQuestion[],
  options: AnalyzeOptions & { engine: "local" | "model"; fallbackReason?: string | undefined },
): InterviewAnalysis {
  const flags: AnalysisFlag[] = [];
  // "Like screening": a quote that is not in the transcript is dropped, never printed.
  for (const q of matched) {
    if (q.asked && !quoteInTranscript(q.asked.quote, transcript.segments)) {
      flags.push({ kind: "unverified-quote", id: q.id, part: "asked" });
      q.asked = null;
      q.answer = null;
      q.answerIndices = [];
    }
    if (q.answer && !quoteInTranscript(q.answer.quote, transcript.segments)) {
      flags.push({ kind: "unverified-quote", id: q.id, part: "answer" });
      q.answer = null;
      q.answerIndices = [];
    }
  }
  flags.unshift(...improperQuestions(labels.segments, { askingOnly: labels.source === "questions" }));
  const duration = transcript.durationSeconds || Math.max(0, ...transcript.segments.map((s) => s.end));
  const notAsked = matched.filter((q) => !q.asked).map((q) => q.id);
  const unanswered = matched.filter((q) => q.asked && !q.answer).map((q) => q.id);
  const asked = matched.length - notAsked.length;
  const improper = flags.filter((f) => f.kind === "improper-question").length;
  const text = [
    `${asked} of ${matched.length} questions asked${unanswered.length ? `, ${unanswered.length} without an answer` : ""}.`,
    notAsked.length ? `Not asked: ${notAsked.join(", ")}.` : "",
    improper ? `${improper} question${improper === 1 ? "" : "s"} the interviewer should not have asked (see flags; for the recruiter only).` : "",
  ]
    .filter(Boolean)
    .join(" ");
  return {
    questions: matched.map((q) => ({ id: q.id, text: q.text, asked: q.asked, answer: q.answer })),
    summary: {
      engine: options.engine,
      ...(options.fallbackReason ? { fallbackReason: options.fallbackReason } : {}),
      language: transcript.language === "und" ? guessLanguage(joinSegmentText(transcript.segments)) : transcript.language,
      durationSeconds: roundTime(duration),
      speakers: labels.source,
      asked,
      notAsked,
      unanswered,
      text,
    },
    metrics: describeInterview(labels.segments, matched, duration),
    flags,
    ...(options.rubric ? { evidence: rubricEvidence(options.rubric, labels.segments, matched) } : {}),
    ...(options.statedFeelings ? { statedFeelings: statedFeelings(labels.segments) } : {}),
  };
}
