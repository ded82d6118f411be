/**
 * From a recording to what recognisers want: ffprobe says what is in the file (duration, audio and
 * video streams), ffmpeg writes the audio as 16 kHz mono 16-bit WAV. Every failure gets a status:
 * `tool-missing`, `corrupt` (unreadable or truncated), `video-only`, `unsupported-codec`, `timeout`.
 */
import { stat } from "node:fs/promises";
import { z } from "zod";
import { InterviewMediaError } from "../errors.ts";
import { lastLine, runTool } from "../run-tool.ts";

/** Paths of the media tools (default: `ffmpeg` and `ffprobe` on PATH) and time limits. */
export interface MediaToolOptions {
  ffmpegPath?: string | undefined;
  ffprobePath?: string | undefined;
  /** Limit for one ffprobe or ffmpeg run (default 10 minutes; a two-hour file extracts in seconds). */
  timeoutMs?: number | undefined;
}

const probeSchema = z.object({
  streams: z
    .array(
      z.object({
        codec_type: z.string().optional(),
        codec_name: z.string().optional(),
        duration: z.string().optional(),
        tags: z.record(z.string(), z.unknown()).optional(),
        disposition: z.object({ attached_pic: z.number().optional() }).partial().optional(),
      }),
    )
    .default([]),
  format: z.object({ format_name: z.string().optional(), duration: z.string().optional() }).partial().optional(),
});

/** What a media file holds. */
export interface MediaProbe {
  durationSeconds: number;
  /** Length of the first audio stream as its header gives it; 0 when the header does not say. */
  audioDurationSeconds: number;
  format: string;
  audioCodecs: string[];
  videoCodecs: string[];
}

const DEFAULT_TIMEOUT_MS = 10 * 60_000;

/**
 * A WAV with the canonical 44-byte header and no metadata chunks. pocketsphinx_continuous (0.8) skips
 * a fixed 44-byte header, so ffmpeg's default LIST/INFO chunk would be read as samples and change
 * what it recognises.
 */
const CANONICAL_WAV = ["-map_metadata", "-1", "-fflags", "+bitexact", "-flags:a", "+bitexact", "-f", "wav"];

/** Reads a media file's container, streams and duration with ffprobe. */
export async function probeMedia(path: string, options: MediaToolOptions = {}): Promise<MediaProbe> {
  const run = await runTool(["-v", "error", "-show_format", "-show_streams", "-of", "json", path], {
    tool: "ffprobe",
    command: options.ffprobePath,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  });
  if (run.code !== 0) {
    throw new InterviewMediaError(
      "corrupt",
      `the media file cannot be read (corrupt, truncated or not media): ${lastLine(run.stderr) || `ffprobe exited with ${run.code}`}`,
    );
  }
  let parsed: z.infer<typeof probeSchema>;
  try {
    parsed = probeSchema.parse(JSON.parse(run.stdout));
  } catch (error) {
    throw new InterviewMediaError("corrupt", `ffprobe gave an unreadable description of the media file: ${(error as Error).message}`);
  }
  // Cover art in audio files is a "video" stream; it is not video.
  const video = parsed.streams.filter((s) => s.codec_type === "video" && !s.disposition?.attached_pic);
  const audio = parsed.streams.filter((s) => s.codec_type === "audio");
  const durations = [parsed.format?.duration, ...audio.map((s) => s.duration)].map((d) => Number(d)).filter((d) => Number.isFinite(d) && d > 0);
  const first = audio[0];
  return {
    durationSeconds: durations.length ? Math.max(...durations) : 0,
    audioDurationSeconds: first ? streamSeconds(first) : 0,
    format: parsed.format?.format_name ?? "unknown",
    audioCodecs: audio.map((s) => s.codec_name ?? "unknown"),
    videoCodecs: video.map((s) => s.codec_name ?? "unknown"),
  };
}

/**
 * Writes the first audio stream of `input` to `output` as 16 kHz mono s16 WAV and returns the probe
 * of the input. Video-only files, unreadable files and unsupported codecs are refused with a status.
 * With `maxDurationSeconds`, a recording whose probed length is over it is refused (`too-large`)
 * before ffmpeg runs, and ffmpeg writes at most one second more than it (check the WAV's length).
 *
 * @example
 * const probe = await extractAudio("interview.mp4", "/tmp/x/audio.wav");
 */
export async function extractAudio(
  input: string,
  output: string,
  options: MediaToolOptions & { maxDurationSeconds?: number | undefined } = {},
): Promise<MediaProbe> {
  const probe = await probeMedia(input, options);
  const max = options.maxDurationSeconds;
  if (max !== undefined && probe.durationSeconds > max) {
    throw new InterviewMediaError(
      "too-large",
      `the recording is ${formatMinutes(probe.durationSeconds)} long; recordings over ${formatMinutes(max)} are not transcribed`,
    );
  }
  if (probe.audioCodecs.length === 0) {
    if (probe.videoCodecs.length > 0) {
      throw new InterviewMediaError(
        "video-only",
        `the recording has video (${probe.videoCodecs.join(", ")}) but no audio track, so there is nothing to transcribe`,
      );
    }
    throw new InterviewMediaError("corrupt", `the media file (${probe.format}) has no audio stream`);
  }
  const run = await runTool(
    // A header can understate the length: ffmpeg stops one second past the limit whatever it says.
    [
      "-nostdin",
      "-hide_banner",
      "-v",
      "error",
      "-i",
      input,
      ...(max !== undefined ? ["-t", String(max + 1)] : []),
      "-map",
      "0:a:0",
      "-vn",
      "-ac",
      "1",
      "-ar",
      "16000",
      "-sample_fmt",
      "s16",
      "-c:a",
      "pcm_s16le",
      ...CANONICAL_WAV,
      "-y",
      output,
    ],
    { tool: "ffmpeg", command: options.ffmpegPath, timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS },
  );
  if (run.code !== 0) {
    const why = lastLine(run.stderr);
    if (/decoder .* not found|unsupported codec|no decoder|Decoding requested, but no decoder/i.test(run.stderr)) {
      throw new InterviewMediaError("unsupported-codec", `the audio codec (${probe.audioCodecs[0]}) cannot be decoded here: ${why}`);
    }
    throw new InterviewMediaError("corrupt", `the audio could not be extracted (corrupt or truncated media): ${why || `ffmpeg exited with ${run.code}`}`);
  }
  await refuseTruncated(probe, output, run.stderr);
  return probe;
}

/** A stream's length: its `duration`, or Matroska's `DURATION` tag ("00:01:02.500000000"). */
function streamSeconds(stream: { duration?: string | undefined; tags?: Record<string, unknown> | undefined }): number {
  const plain = Number(stream.duration);
  if (Number.isFinite(plain) && plain > 0) return plain;
  const tag = Object.entries(stream.tags ?? {}).find(([k]) => /^DURATION(-|$)/i.test(k))?.[1];
  const m = typeof tag === "string" ? /^(\d+):(\d{2}):(\d{2}(?:\.\d+)?)$/.exec(tag.trim()) : null;
  return m ? Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) : 0;
}

/** ffmpeg's words for a file that stops before its end; it says them and still exits 0. */
const ENDED_EARLY = /partial file|File ended prematurely|Truncating packet|moov atom not found/i;
/** ffmpeg's words for damage inside the file, quoted when the audio comes out short. */
const DAMAGED = /Invalid data found|Error while decoding/i;

/**
 * Refuses audio that stopped well short of the length the header promised. A file cut after a
 * front-loaded index (`+faststart` mp4) or a webm cut in half still has its header, and ffmpeg
 * exits 0 having decoded only what is there. Missing more than 10 % and more than 2 s is truncation;
 * less is left alone, as encoders pad and headers round. Without a length in the header (a webm
 * streamed by a browser), ffmpeg's own "the file ended early" is taken at its word.
 */
async function refuseTruncated(probe: MediaProbe, wav: string, stderr: string): Promise<void> {
  const decoded = await wavSeconds(wav);
  const lines = stderr.split(/\r\n|\r|\n/).map((l) => l.replace(/^\[[^\]]*@ 0x[0-9a-f]+\]\s*/i, "").trim());
  const endedEarly = lines.find((l) => ENDED_EARLY.test(l));
  const said = endedEarly ?? lines.find((l) => DAMAGED.test(l));
  const because = said ? ` (ffmpeg: ${said})` : "";
  // The audio stream's own length, not the container's: a video may go on after its sound ends.
  const expected = probe.audioDurationSeconds || (probe.videoCodecs.length === 0 ? probe.durationSeconds : 0);
  if (expected > 0) {
    if (expected - decoded > Math.max(2, 0.1 * expected)) {
      throw new InterviewMediaError("corrupt", `truncated: ${decoded.toFixed(1)} s of ${expected.toFixed(1)} s could be decoded${because}`);
    }
    return;
  }
  if (endedEarly) {
    throw new InterviewMediaError("corrupt", `truncated: only ${decoded.toFixed(1)} s could be decoded before the file ended${because}`);
  }
}

/** Seconds as whole minutes, for messages. */
export function formatMinutes(seconds: number): string {
  return `${Math.round(seconds / 60)} min`;
}

/** Seconds of audio in a WAV written by `extractAudio` or `cutWav` (canonical 44-byte header, 16 kHz mono s16). */
export async function wavSeconds(wav: string): Promise<number> {
  const { size } = await stat(wav);
  return Math.max(0, size - 44) / (16000 * 2);
}

/** A stretch of silence found by ffmpeg's `silencedetect`, in seconds. */
export interface Silence {
  start: number;
  end: number;
}

/** Most silences one detection returns; a 4-hour recording at the 0.4 s minimum has at most 36,000. */
export const MAX_SILENCES = 100_000;

/**
 * Finds silences of at least `minSeconds` quieter than `noiseDb` (defaults −35 dB, 0.4 s) in a
 * WAV file, with ffmpeg's `silencedetect` filter. The log is parsed line by line as ffmpeg writes
 * it, so every silence of a long recording is found (not only those in the last part of the log).
 */
export async function detectSilences(
  wav: string,
  options: MediaToolOptions & { noiseDb?: number; minSeconds?: number; durationSeconds?: number; maxSilences?: number } = {},
): Promise<Silence[]> {
  const noise = options.noiseDb ?? -35;
  const min = options.minSeconds ?? 0.4;
  const parser = createSilenceParser({ maxSilences: options.maxSilences });
  const run = await runTool(
    ["-nostdin", "-hide_banner", "-nostats", "-v", "info", "-i", wav, "-af", `silencedetect=noise=${noise}dB:d=${min}`, "-f", "null", "-"],
    {
      tool: "ffmpeg",
      command: options.ffmpegPath,
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      onStderrLine: (line) => parser.line(line),
    },
  );
  if (run.code !== 0) {
    throw new InterviewMediaError("corrupt", `silence detection failed: ${lastLine(run.stderr) || `ffmpeg exited with ${run.code}`}`);
  }
  return parser.finish(options.durationSeconds);
}

/** A `silencedetect` log parser fed one line at a time; it keeps only the silences. */
export interface SilenceParser {
  /** Reads one log line; throws `InterviewMediaError` once more than the cap of silences is found. */
  line(line: string): void;
  /** The silences found; one still open at the end closes at `durationSeconds` when given. */
  finish(durationSeconds?: number): Silence[];
}

/** Makes a line-by-line `silencedetect` parser holding at most `maxSilences` (default `MAX_SILENCES`). */
export function createSilenceParser(options: { maxSilences?: number | undefined } = {}): SilenceParser {
  const cap = options.maxSilences ?? MAX_SILENCES;
  const silences: Silence[] = [];
  let open: number | undefined;
  return {
    line(line) {
      for (const m of line.matchAll(/silence_(start|end): (-?[\d.]+)/g)) {
        const t = Math.max(0, Number(m[2]));
        if (m[1] === "start") open = t;
        else if (open !== undefined) {
          if (silences.length >= cap) {
            throw new InterviewMediaError("too-large", `silence detection found more than ${cap} silences; the audio cannot be cut into chunks safely`, {
              retriable: false,
            });
          }
          silences.push({ start: open, end: t });
          open = undefined;
        }
      }
    },
    finish(durationSeconds) {
      const out = [...silences];
      if (open !== undefined && durationSeconds !== undefined && durationSeconds > open) out.push({ start: open, end: durationSeconds });
      return out;
    },
  };
}

/** Parses a whole `silencedetect` log; a silence still open at the end closes at `durationSeconds`. */
export function parseSilences(log: string, durationSeconds?: number): Silence[] {
  const parser = createSilenceParser();
  for (const line of log.split(/\r\n|\r|\n/)) parser.line(line);
  return parser.finish(durationSeconds);
}

/** Copies `[start, end)` seconds of a WAV file to `output` (16 kHz mono s16). */
export async function cutWav(wav: string, start: number, end: number, output: string, options: MediaToolOptions = {}): Promise<void> {
  const run = await runTool(
    [
      "-nostdin",
      "-hide_banner",
      "-v",
      "error",
      "-ss",
      start.toFixed(3),
      "-t",
      (end - start).toFixed(3),
      "-i",
      wav,
      "-ac",
      "1",
      "-ar",
      "16000",
      "-c:a",
      "pcm_s16le",
      ...CANONICAL_WAV,
      "-y",
      output,
    ],
    { tool: "ffmpeg", command: options.ffmpegPath, timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS },
  );
  if (run.code !== 0) throw new InterviewMediaError("corrupt", `cutting the audio at ${start.toFixed(1)}–${end.toFixed(1)} s failed: ${lastLine(run.stderr)}`);
}
