/**
 * Why an analysis cannot be made, as a stable word the CLI, the engine and the console act on.
 * None of these is worth retrying: the input itself must change.
 */
export type InterviewAnalysisStatus =
  | "questions-empty" // the question set has no questions
  | "questions-invalid" // the question file is not a list of { id, text }
  | "empty-transcript" // no speech in the transcript
  | "wrong-language"; // the transcript is not in English, which the local engine reads

/** An analysis refused with a status word and a message that says what and where. */
export class InterviewAnalysisError extends Error {
  override readonly name = "InterviewAnalysisError";
  readonly status: InterviewAnalysisStatus;
  readonly retriable = false;
  constructor(status: InterviewAnalysisStatus, message: string) {
    super(message);
    this.status = status;
  }
}
