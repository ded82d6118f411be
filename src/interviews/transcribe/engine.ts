/**
 * The one interface every recogniser implements. Engines receive 16 kHz mono s16 WAV files no
 * longer than their `maxChunkSeconds` (the pipeline cuts longer audio on silences) and return
 * segments with times relative to the start of that file.
 */
import type { TranscriptSegment } from "../transcript.ts";

/** What an engine gives back for one audio file. */
export interface EngineResult {
  /** Language code of the speech (the engine's detection, the requested language, or "und"). */
  language: string;
  segments: TranscriptSegment[];
}

export interface EngineCallOptions {
  /** The language to expect, when known (e.g. "en"). */
  language?: string | undefined;
  /** Length of the file in seconds, as ffprobe measured it. */
  durationSeconds: number;
  signal?: AbortSignal | undefined;
}

/** A speech recogniser behind Fulcrum's transcription pipeline. */
export interface TranscriptionEngine {
  /** Name printed as the transcript's `engine`, e.g. "pocketsphinx". */
  readonly name: string;
  /** Longest audio handed to one call; longer audio is cut on silences first. */
  readonly maxChunkSeconds: number;
  /** Transcribes a 16 kHz mono s16 WAV file. */
  transcribeWav(wavPath: string, options: EngineCallOptions): Promise<EngineResult>;
}
