/**
 * Recorded interviews: media in (a safe fetch, audio extraction, platform transcripts) and
 * transcripts with times out (pocketsphinx offline by default, OpenAI-compatible servers, a local
 * whisper.cpp model), all in one transcript shape with times in seconds from the start.
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
  checkMediaUrl,
  describeMediaUrl,
  DEFAULT_MAX_MEDIA_BYTES,
  type MediaFetchPolicy,
  type FetchedMedia,
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
