/**
 * Who speaks: every segment of a transcript labelled `interviewer` or `candidate`. Where the
 * source names speakers (WebVTT voices, "Name:" prefixes, JSON `speaker`), the names are used and
 * each speaker's role is decided from names like "Interviewer" or, failing that, from who asks the
 * questions. Where it names nobody (SRT, engines), the most likely sequence of roles is found from
 * each utterance's wording (questions, "you" against "I", length) and how turns alternate
 * (`role-model.ts`); then an unpunctuated interviewer turn right before the candidate speaks counts
 * as a question, since recognisers print no question marks.
 */
import type { TranscriptSegment } from "../transcript.ts";
import { mostLikelyRoles } from "./role-model.ts";
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
  const roles = mostLikelyRoles(
    base.map((s) => s.text),
    base.map((s) => s.isQuestion),
  );
  const labelled = base.map((s, i) => ({ ...s, role: roles[i]! }));
  // "Great, thanks." just before a question is the interviewer's, not part of the answer.
  for (let i = 0; i + 1 < labelled.length; i++) {
    const s = labelled[i]!;
    if (s.role === "candidate" && labelled[i + 1]!.role === "interviewer" && words(s.text).length <= 8 && isAcknowledgement(s.text)) s.role = "interviewer";
  }
  // Without punctuation a question may read as a statement: the interviewer's last words before the
  // candidate speaks, when they are more than an acknowledgement, asked something. Punctuated text
  // is taken at its word ("Perfect. You'd be surprised how many can't." asks nothing).
  for (let i = 0; i + 1 < labelled.length; i++) {
    const s = labelled[i]!;
    if (
      s.role === "interviewer" &&
      !s.isQuestion &&
      labelled[i + 1]!.role === "candidate" &&
      !/[.?!,;]/.test(s.text) &&
      words(s.text).length >= PROMPT_MIN_WORDS &&
      !isAcknowledgement(s.text)
    )
      s.isQuestion = true;
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

/** Fewest words an unpunctuated interviewer turn before the candidate's speech needs to count as asking. */
export const PROMPT_MIN_WORDS = 4;
