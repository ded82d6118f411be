/**
 * A local whisper.cpp engine through the `@napi-rs/whisper` binding, with a ggml model file the
 * operator supplies by path. No model is ever downloaded: when the file is absent the engine fails
 * with a message saying so. The binding is loaded only when this engine is used.
 */
import { existsSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { InterviewMediaError } from "../errors.ts";
import type { TranscriptSegment } from "../transcript.ts";
import type { EngineCallOptions, EngineResult, TranscriptionEngine } from "./engine.ts";

export interface WhisperCppOptions {
  /** Path to a ggml model file (e.g. `ggml-base.en.bin`), downloaded by the operator. */
  modelPath: string;
  /** CPU threads (default 2). */
  threads?: number | undefined;
  /** Longest audio per call (default 600 s; whisper works on 30 s windows internally). */
  maxChunkSeconds?: number | undefined;
}

/** Samples of a 16-bit PCM mono WAV file as floats in [-1, 1] (the format the pipeline writes). */
export function wavToFloat32(wav: Uint8Array): Float32Array {
  const view = new DataView(wav.buffer, wav.byteOffset, wav.byteLength);
  const tag = (at: number) => String.fromCharCode(wav[at]!, wav[at + 1]!, wav[at + 2]!, wav[at + 3]!);
  if (wav.length < 12 || tag(0) !== "RIFF" || tag(8) !== "WAVE") throw new InterviewMediaError("corrupt", "the extracted audio is not a WAV file");
  let at = 12;
  while (at + 8 <= wav.length) {
    const size = view.getUint32(at + 4, true);
    if (tag(at) === "data") {
      const end = Math.min(wav.length, at + 8 + size);
      const count = Math.floor((end - at - 8) / 2);
      const out = new Float32Array(count);
      for (let i = 0; i < count; i += 1) out[i] = view.getInt16(at + 8 + i * 2, true) / 32768;
      return out;
    }
    at += 8 + size + (size % 2);
  }
  throw new InterviewMediaError("corrupt", "the extracted WAV file has no data chunk");
}

/** Throws `model-missing` unless `modelPath` is a readable, non-empty file. */
export function checkWhisperModel(modelPath: string): void {
  if (!modelPath || !existsSync(modelPath) || !statSync(modelPath).isFile() || statSync(modelPath).size === 0) {
    throw new InterviewMediaError(
      "model-missing",
      `whisper.cpp model file not found at "${modelPath}": download a ggml model (for example ggml-base.en.bin) yourself and give its path; Fulcrum never downloads models`,
    );
  }
}

/**
 * The whisper.cpp engine.
 *
 * @example
 * const engine = whisperCppEngine({ modelPath: "/srv/models/ggml-base.en.bin" });
 */
export function whisperCppEngine(options: WhisperCppOptions): TranscriptionEngine {
  let loaded: Promise<import("@napi-rs/whisper").Whisper> | undefined;
  const load = async () => {
    checkWhisperModel(options.modelPath);
    let binding: typeof import("@napi-rs/whisper");
    try {
      binding = await import("@napi-rs/whisper");
    } catch (error) {
      throw new InterviewMediaError("tool-missing", `the whisper.cpp binding @napi-rs/whisper does not load on this machine: ${(error as Error).message}`, {
        cause: error,
      });
    }
    try {
      return new binding.Whisper(await readFile(options.modelPath));
    } catch (error) {
      throw new InterviewMediaError("model-missing", `the file at "${options.modelPath}" is not a whisper.cpp ggml model: ${(error as Error).message}`, {
        cause: error,
      });
    }
  };
  return {
    name: "whisper-cpp",
    maxChunkSeconds: options.maxChunkSeconds ?? 600,
    async transcribeWav(wavPath: string, call: EngineCallOptions): Promise<EngineResult> {
      checkWhisperModel(options.modelPath);
      loaded ??= load();
      let whisper: import("@napi-rs/whisper").Whisper;
      try {
        whisper = await loaded;
      } catch (error) {
        loaded = undefined;
        throw error;
      }
      const binding = await import("@napi-rs/whisper");
      const params = new binding.WhisperFullParams(binding.WhisperSamplingStrategy.Greedy);
      params.nThreads = options.threads ?? 2;
      params.language = call.language?.split("-")[0] ?? "auto";
      params.printProgress = false;
      params.printRealtime = false;
      const segments: TranscriptSegment[] = [];
      // whisper.cpp reports segment times in centiseconds (t0/t1); seconds are what we keep.
      params.onNewSegment = (s) => {
        const text = s.text.trim();
        if (text) segments.push({ start: s.start / 100, end: s.end / 100, text });
      };
      const text = whisper.full(params, wavToFloat32(await readFile(wavPath)));
      // The binding delivers segments through a thread-safe function in non-blocking mode: the calls
      // queue up while `full()` runs and reach JavaScript on later turns of the event loop.
      await settle(() => segments.length);
      const lang = whisper.fullLangId >= 0 ? binding.Whisper.lang(whisper.fullLangId) : null;
      return { language: lang ?? call.language ?? "und", segments: segmentsOrWhole(segments, text, call.durationSeconds) };
    },
  };
}

/** Waits until `count()` has stopped changing for a few turns of the event loop (at most ~1 s). */
async function settle(count: () => number): Promise<void> {
  let last = -1;
  let still = 0;
  for (let i = 0; i < 100 && still < 3; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, i < 10 ? 0 : 10));
    const now = count();
    still = now === last ? still + 1 : 0;
    last = now;
  }
}

/** The segments, or — when none arrived but the model produced text — one segment over the whole file. */
export function segmentsOrWhole(segments: TranscriptSegment[], text: string, durationSeconds: number): TranscriptSegment[] {
  if (segments.length > 0) return [...segments].sort((a, b) => a.start - b.start);
  const whole = text.trim();
  return whole ? [{ start: 0, end: durationSeconds, text: whole }] : [];
}
