/**
 * What a one-way video platform hands us — a media URL, a transcript (inline or by URL), or both —
 * turned into one transcript. A platform transcript is used as it is (an inline one first, then one
 * fetched by URL under the tool's fetch rules); media is fetched under the same rules, transcribed,
 * and deleted from disk as soon as the transcript exists.
 */
import { InterviewMediaError } from "../errors.ts";
import type { TranscriptionEngine } from "../transcribe/engine.ts";
import { transcribeMedia } from "../transcribe/transcribe-media.ts";
import type { Transcript } from "../transcript.ts";
import type { MediaToolOptions } from "./extract-audio.ts";
import { fetchMedia, fetchTranscript, type MediaFetchPolicy } from "./fetch-media.ts";
import { parseTranscriptFile } from "./transcript-files.ts";

/** A recording as an event carries it. At least one of the two must be present. */
export interface RecordingInput {
  /** Where the platform serves the recording (signed URLs are secrets: never logged). */
  mediaUrl?: string | undefined;
  /** The platform's own transcript: WebVTT, SRT or JSON segments, as text. */
  transcript?: string | undefined;
  /** The transcript's file name, when known (helps tell SRT from plain text). */
  transcriptFilename?: string | undefined;
  /** Where the platform serves its transcript (WebVTT, SRT or JSON); fetched like media, never logged. */
  transcriptUrl?: string | undefined;
}

export interface RecordingOptions {
  fetchPolicy: MediaFetchPolicy;
  engine: TranscriptionEngine;
  language?: string | undefined;
  tools?: MediaToolOptions | undefined;
  maxDurationSeconds?: number | undefined;
  /** Folder for the downloaded media and its audio (default: the OS temp folder). */
  workDir?: string | undefined;
  /** Stops the transcription (between chunks and in the engine) when aborted: a deadline passed, or another attempt took over. */
  signal?: AbortSignal | undefined;
}

/** Where a transcript came from, and why media was used when a transcript was also given. */
export interface RecordingTranscript {
  transcript: Transcript;
  source: "platform-transcript" | "media";
  /** Scheme and host a platform transcript was fetched from (absent when it came in the event). */
  transcriptFrom?: string;
  /** Set when the platform's transcript could not be read and the media was transcribed instead. */
  transcriptProblem?: string;
}

/**
 * The transcript for a recording: the platform's own when it parses, otherwise the media's.
 *
 * @example
 * const { transcript, source } = await transcriptForRecording({ mediaUrl }, { fetchPolicy, engine: pocketsphinxEngine() });
 */
export async function transcriptForRecording(input: RecordingInput, options: RecordingOptions): Promise<RecordingTranscript> {
  let transcriptProblem: string | undefined;
  if (input.transcript !== undefined && input.transcript.trim() !== "") {
    try {
      return { transcript: parseTranscriptFile(input.transcript, input.transcriptFilename), source: "platform-transcript" };
    } catch (error) {
      if (!(error instanceof InterviewMediaError) || !(input.mediaUrl || input.transcriptUrl)) throw error;
      transcriptProblem = error.message;
    }
  }
  if (input.transcriptUrl) {
    try {
      const fetched = await fetchTranscript(input.transcriptUrl, options.fetchPolicy, options.workDir ? { dir: options.workDir } : {});
      return { transcript: parseTranscriptFile(fetched.text, input.transcriptFilename), source: "platform-transcript", transcriptFrom: fetched.source };
    } catch (error) {
      // With a recording to fall back on, a transcript that cannot be had is a note, not the end.
      if (!(error instanceof InterviewMediaError) || !input.mediaUrl) throw error;
      transcriptProblem = transcriptProblem ? `${transcriptProblem}; ${error.message}` : error.message;
    }
  }
  if (!input.mediaUrl) {
    throw new InterviewMediaError("transcript-invalid", "the event carries neither a media URL nor a transcript (inline or by URL)", { retriable: false });
  }
  const media = await fetchMedia(input.mediaUrl, options.fetchPolicy, options.workDir ? { dir: options.workDir } : {});
  try {
    const transcript = await transcribeMedia(media.path, {
      engine: options.engine,
      language: options.language,
      tools: options.tools,
      maxDurationSeconds: options.maxDurationSeconds,
      workDir: options.workDir,
      signal: options.signal,
    });
    return { transcript, source: "media", ...(transcriptProblem ? { transcriptProblem } : {}) };
  } finally {
    await media.cleanup();
  }
}
