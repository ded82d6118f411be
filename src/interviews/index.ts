/**
 * Recorded interviews: media in (a safe fetch, audio extraction, platform transcripts) and
 * transcripts with times out (pocketsphinx offline by default, OpenAI-compatible servers, a local
 * whisper.cpp model), all in one transcript shape with times in seconds from the start; and the
 * analysis of a transcript against a question set (`analysis/`).
 */
export { InterviewMediaError, type InterviewMediaStatus } from "./errors.ts";
export {
  transcriptSchema,
  transcriptSegmentSchema,
  transcriptWordSchema,
  toTranscriptOutput,
  joinSegmentText,
  guessLanguage,
  type Transcript,
  type TranscriptSegment,
  type TranscriptWord,
  type TranscriptOutput,
} from "./transcript.ts";
export { sniffMedia, SNIFF_BYTES, type MediaKind } from "./intake/sniff-media.ts";
export {
  fetchMedia,
  fetchTranscript,
  checkMediaUrl,
  describeMediaUrl,
  DEFAULT_MAX_MEDIA_BYTES,
  type MediaFetchPolicy,
  type FetchedMedia,
  type FetchedTranscript,
} from "./intake/fetch-media.ts";
export {
  parseTranscriptFile,
  parseWebVtt,
  parseSrt,
  parseJsonTranscript,
  detectTranscriptFormat,
  MAX_TRANSCRIPT_BYTES,
  type TranscriptFormat,
} from "./intake/transcript-files.ts";
export { extractAudio, probeMedia, detectSilences, type MediaProbe, type MediaToolOptions, type Silence } from "./intake/extract-audio.ts";
export type { TranscriptionEngine, EngineResult, EngineCallOptions } from "./transcribe/engine.ts";
export { pocketsphinxEngine, parsePocketsphinxOutput, DEBIAN_MODEL_DIR, type PocketsphinxOptions } from "./transcribe/pocketsphinx.ts";
export { openAiCompatibleEngine, type OpenAiCompatibleOptions } from "./transcribe/openai-compatible.ts";
export { whisperCppEngine, checkWhisperModel, type WhisperCppOptions } from "./transcribe/whisper-cpp.ts";
export { planChunks, type Chunk } from "./transcribe/plan-chunks.ts";
export { transcribeMedia, transcribeWavInChunks, type TranscribeMediaOptions } from "./transcribe/transcribe-media.ts";
export { transcriptForRecording, type RecordingInput, type RecordingOptions, type RecordingTranscript } from "./intake/transcript-for-recording.ts";
export * from "./analysis/index.ts";
export {
  deleteTranscriptsExpiredBy,
  forgetCandidateTranscripts,
  sweepExpiredTranscripts,
  removeLeftoverMedia,
  FORGOTTEN_NOTE_BODY,
  type ForgottenTranscript,
} from "./retention.ts";
export {
  runRetentionSweep,
  byOpportunity,
  INTERVIEW_AUDIT_KINDS,
  LEFTOVER_MEDIA_AGE_MS,
  type RetentionSweepOptions,
} from "./retention-sweep.ts";
export { postingInconsistencies, COMPARED_INTERVIEWS, type ComparedInterview } from "./posting-comparison.ts";
