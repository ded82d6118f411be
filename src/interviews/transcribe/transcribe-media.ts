/**
 * The transcription pipeline for one recording: extract 16 kHz mono audio, cut long audio on
 * silences, run the engine on each piece, and stitch the pieces back with times from the start of
 * the recording.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InterviewMediaError } from "../errors.ts";
import { cutWav, detectSilences, extractAudio, formatMinutes, wavSeconds, type MediaToolOptions } from "../intake/extract-audio.ts";
import { joinSegmentText, type Transcript, type TranscriptSegment } from "../transcript.ts";
import type { TranscriptionEngine } from "./engine.ts";
import { planChunks, type Chunk } from "./plan-chunks.ts";

export interface TranscribeMediaOptions {
  engine: TranscriptionEngine;
  /** Expected language, when known. */
  language?: string | undefined;
  tools?: MediaToolOptions | undefined;
  /** Longest recording accepted, in seconds (default 4 hours). */
  maxDurationSeconds?: number | undefined;
  /** Overrides the engine's chunk length (tests, tuning). */
  maxChunkSeconds?: number | undefined;
  /** Folder for temporary audio (default: the OS temp folder); everything is removed afterwards. */
  workDir?: string | undefined;
  signal?: AbortSignal | undefined;
}

/**
 * Transcribes a recording (any container ffmpeg reads) into the transcript shape. Throws
 * `InterviewMediaError`: `tool-missing`, `corrupt`, `video-only`, `unsupported-codec`, `too-large`
 * (longer than allowed), `no-speech` (nothing recognised, or fewer than 20 words a minute over at
 * least 30 s), or whatever the engine reports.
 *
 * @example
 * const t = await transcribeMedia("interview.mp4", { engine: pocketsphinxEngine() });
 */
export async function transcribeMedia(mediaPath: string, options: TranscribeMediaOptions): Promise<Transcript> {
  const work = await mkdtemp(join(options.workDir ?? tmpdir(), "fulcrum-transcribe-"));
  try {
    const wav = join(work, "audio.wav");
    const maxDuration = options.maxDurationSeconds ?? 4 * 3600;
    // Refused before ffmpeg runs when the probe says too long; ffmpeg stops past the limit anyway,
    // and the audio actually written is measured, so an understated header does not get through.
    const probe = await extractAudio(mediaPath, wav, { ...options.tools, maxDurationSeconds: maxDuration });
    const duration = Math.max(probe.durationSeconds, await wavSeconds(wav));
    if (duration > maxDuration) {
      throw new InterviewMediaError(
        "too-large",
        `the recording is ${formatMinutes(duration)} long; recordings over ${formatMinutes(maxDuration)} are not transcribed`,
      );
    }
    if (duration <= 0) throw new InterviewMediaError("corrupt", "the recording has no measurable duration (empty or truncated audio)");
    const result = await transcribeWavInChunks(wav, duration, work, options);
    if (result.segments.length === 0) {
      throw new InterviewMediaError(
        "no-speech",
        `no speech was recognised in ${duration.toFixed(1)} s of audio (silence, noise, or speech the ${options.engine.name} engine cannot hear)`,
      );
    }
    refuseImplausiblySparse(result.segments, duration, options.engine.name);
    return {
      engine: options.engine.name,
      language: result.language,
      durationSeconds: duration,
      text: joinSegmentText(result.segments),
      segments: result.segments,
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Recordings at least this long are judged by their rate of words. */
const MIN_SECONDS_FOR_RATE = 30;
/** Fewer recognised words per minute than this is not an interview: people speak 100 to 180. */
const MIN_WORDS_PER_MINUTE = 20;

/** Scripts written without spaces between words: each of their letters counts as one unit of speech. */
const UNSPACED_SCRIPT = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/gu;

/**
 * The words of a text, for the rate check: runs of letters and digits, except that a letter of
 * Chinese, Japanese, Thai and the like counts alone (a character is about a syllable, and a whole
 * sentence in those scripts is one run), so a minute of such speech is not taken for noise: it
 * goes on to the language check, which says what it is.
 */
function spokenUnits(text: string): number {
  const unspaced = text.match(UNSPACED_SCRIPT)?.length ?? 0;
  const spaced = text.replace(UNSPACED_SCRIPT, " ").match(/[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu)?.length ?? 0;
  return unspaced + spaced;
}

/**
 * Refuses as `no-speech` a recording in which the engine heard implausibly few words for its length.
 * Noise and unintelligible speech give pocketsphinx a few made-up words; analysing those would report
 * every question as not asked, which is a claim about the interview rather than about the audio.
 */
function refuseImplausiblySparse(segments: TranscriptSegment[], duration: number, engine: string): void {
  if (duration < MIN_SECONDS_FOR_RATE) return;
  const words = segments.reduce((n, s) => n + spokenUnits(s.text), 0);
  const perMinute = (words * 60) / duration;
  if (perMinute >= MIN_WORDS_PER_MINUTE) return;
  throw new InterviewMediaError(
    "no-speech",
    `only ${words} word${words === 1 ? " was" : "s were"} recognised in ${duration.toFixed(1)} s of audio (${Math.round(perMinute)} per minute; speech has at least ${MIN_WORDS_PER_MINUTE}): silence, noise, or speech the ${engine} engine cannot make out`,
  );
}

/**
 * Runs the engine over a 16 kHz mono WAV of `durationSeconds`, cutting it on silences when it is
 * longer than the engine's chunk length, with every time shifted back to the start of the file.
 */
export async function transcribeWavInChunks(
  wav: string,
  durationSeconds: number,
  work: string,
  options: Pick<TranscribeMediaOptions, "engine" | "language" | "tools" | "maxChunkSeconds" | "signal">,
): Promise<{ language: string; segments: TranscriptSegment[]; chunks: Chunk[] }> {
  const engine = options.engine;
  const maxChunk = options.maxChunkSeconds ?? engine.maxChunkSeconds;
  if (durationSeconds <= maxChunk) {
    const r = await engine.transcribeWav(wav, { language: options.language, durationSeconds, signal: options.signal });
    return { ...r, chunks: [{ start: 0, end: durationSeconds }] };
  }
  const silences = await detectSilences(wav, { ...options.tools, durationSeconds });
  const chunks = planChunks(durationSeconds, silences, { maxSeconds: maxChunk });
  const segments: TranscriptSegment[] = [];
  const languages = new Map<string, number>();
  for (const [i, chunk] of chunks.entries()) {
    options.signal?.throwIfAborted();
    const piece = join(work, `chunk-${i}.wav`);
    await cutWav(wav, chunk.start, chunk.end, piece, options.tools);
    const r = await engine.transcribeWav(piece, { language: options.language, durationSeconds: chunk.end - chunk.start, signal: options.signal });
    languages.set(r.language, (languages.get(r.language) ?? 0) + (chunk.end - chunk.start));
    for (const s of r.segments) segments.push(shift(s, chunk));
    await rm(piece, { force: true });
  }
  const language = [...languages.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? options.language ?? "und";
  return { language, segments, chunks };
}

/** A chunk's segment moved to recording time (and kept inside its chunk). */
function shift(s: TranscriptSegment, chunk: Chunk): TranscriptSegment {
  const at = (t: number) => Math.min(chunk.end, chunk.start + t);
  return {
    ...s,
    start: at(s.start),
    end: at(Math.max(s.start, s.end)),
    ...(s.words ? { words: s.words.map((w) => ({ ...w, start: at(w.start), end: at(Math.max(w.start, w.end)) })) } : {}),
  };
}
