/**
 * Who speaks: every segment of a transcript labelled `interviewer` or `candidate`. Where the
 * source names speakers (WebVTT voices, "Name:" prefixes, JSON `speaker`), the names are used and
 * each speaker's role is decided from names like "Interviewer" or, failing that, from who asks the
 * questions. Where it names nobody (SRT, engines), each utterance is labelled on its own: questions
 * and prompts are the interviewer's, and so is a short acknowledgement right before one.
 */
import type { TranscriptSegment } from "../transcript.ts";
import { isAcknowledgement, isQuestionUtterance, words } from "./text.ts";

/** The two parts an interview has. */
export type SpeakerRole = "interviewer" | "candidate";

/** One segment with its role, its index in the transcript, and whether it asks something. */
export interface LabelledSegment {
  index: number;
  start: number;
  end: number;
  text: string;
  speaker?: string;
  role: SpeakerRole;
  isQuestion: boolean;
}

/** How the roles were found: from the speaker names/voices, or from the questions alone. */
export type SpeakerSource = "voices" | "questions";

export interface SpeakerLabels {
  segments: LabelledSegment[];
  source: SpeakerSource;
  /** The speaker names taken as interviewers (empty when the source names nobody). */
  interviewers: string[];
  candidate: string | null;
}

const INTERVIEWER_NAME = /\b(?:interviewer|recruiter|hiring manager|host|panel(?:ist)?|moderator|hr)\b/i;
const CANDIDATE_NAME = /\b(?:candidate|applicant|interviewee)\b/i;

export interface LabelOptions {
  /** Speaker names known to be interviewers (e.g. from the calendar event). */
  interviewerNames?: readonly string[] | undefined;
}

/**
 * Labels each segment interviewer or candidate.
 *
 * @example
 * labelSpeakers([{ start: 0, end: 2, text: "Tell me about yourself." }, { start: 2, end: 9, text: "I am a nurse." }]).segments.map((s) => s.role)
 * // ["interviewer", "candidate"]
 */
export function labelSpeakers(segments: readonly TranscriptSegment[], options: LabelOptions = {}): SpeakerLabels {
  const base = segments.map((s, index) => ({
    index,
    start: s.start,
    end: s.end,
    text: s.text,
    ...(s.speaker ? { speaker: s.speaker } : {}),
    isQuestion: isQuestionUtterance(s.text),
  }));
  const named = new Set(base.filter((s) => s.speaker).map((s) => s.speaker!));
  const mostlyNamed = base.filter((s) => s.speaker).length >= base.length * 0.8;
  if (named.size >= 2 && mostlyNamed) {
    const interviewers = interviewerSpeakers(base, [...named], options.interviewerNames ?? []);
    const candidate = [...named].find((n) => !interviewers.includes(n)) ?? null;
    // Unnamed segments in a named transcript fall back to the question rule.
    const labelled = base.map((s) => ({
      ...s,
      role: (s.speaker ? (interviewers.includes(s.speaker) ? "interviewer" : "candidate") : s.isQuestion ? "interviewer" : "candidate") as SpeakerRole,
    }));
    return { segments: labelled, source: "voices", interviewers, candidate };
  }
  const labelled = base.map((s) => ({ ...s, role: (s.isQuestion ? "interviewer" : "candidate") as SpeakerRole }));
  // "Great, thanks." just before a question is the interviewer's, not part of the answer.
  for (let i = 0; i + 1 < labelled.length; i++) {
    const s = labelled[i]!;
    if (s.role === "candidate" && labelled[i + 1]!.role === "interviewer" && words(s.text).length <= 8 && isAcknowledgement(s.text)) s.role = "interviewer";
  }
  return { segments: labelled, source: "questions", interviewers: [], candidate: null };
}

function interviewerSpeakers(
  segments: readonly { speaker?: string; text: string; isQuestion: boolean }[],
  names: string[],
  known: readonly string[],
): string[] {
  const byName = names.filter((n) => known.includes(n) || INTERVIEWER_NAME.test(n));
  const candidateByName = names.filter((n) => CANDIDATE_NAME.test(n));
  if (byName.length > 0) return byName.filter((n) => !candidateByName.includes(n));
  if (candidateByName.length > 0) return names.filter((n) => !candidateByName.includes(n));
  // The candidate is the speaker who asks the smallest share of questions (ties: who says most).
  const stats = names.map((name) => {
    const own = segments.filter((s) => s.speaker === name);
    const questions = own.filter((s) => s.isQuestion).length;
    const wordCount = own.reduce((n, s) => n + words(s.text).length, 0);
    return { name, share: own.length ? questions / own.length : 0, wordCount };
  });
  stats.sort((a, b) => a.share - b.share || b.wordCount - a.wordCount);
  const candidate = stats[0]!.name;
  return names.filter((n) => n !== candidate);
}
