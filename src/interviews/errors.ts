/**
 * One error type for everything that can go wrong between a media URL and a transcript. `status`
 * says what happened in a word the engine, the CLI and the console can act on; `retriable` says
 * whether trying again later could help (a timeout may; a corrupt file never will).
 */

/** What went wrong, as a stable word. */
export type InterviewMediaStatus =
  | "blocked" // URL refused by the fetch rules (scheme, host, address, redirect)
  | "fetch-failed" // the server answered with an error or the connection failed
  | "too-large"
  | "timeout"
  | "not-media" // the bytes are not a supported audio or video container
  | "corrupt" // a media container ffmpeg cannot read (corrupt, truncated)
  | "video-only" // no audio stream
  | "unsupported-codec"
  | "no-speech" // readable audio with nothing recognised
  | "tool-missing" // ffmpeg, ffprobe or pocketsphinx not installed
  | "model-missing" // an engine's model file is absent
  | "engine-failed" // the recogniser ran and failed
  | "transcript-invalid"; // a platform transcript file that cannot be parsed

const retriableStatuses: ReadonlySet<InterviewMediaStatus> = new Set(["fetch-failed", "timeout", "engine-failed"]);

/** An intake or transcription failure with a status word and a message that says what and where. */
export class InterviewMediaError extends Error {
  override readonly name = "InterviewMediaError";
  readonly status: InterviewMediaStatus;
  readonly retriable: boolean;
  constructor(status: InterviewMediaStatus, message: string, options?: { cause?: unknown; retriable?: boolean }) {
    super(message, options?.cause !== undefined ? { cause: options.cause } : undefined);
    this.status = status;
    this.retriable = options?.retriable ?? retriableStatuses.has(status);
  }
}
