/**
 * An engine for any server that speaks OpenAI's `POST /audio/transcriptions`: OpenAI itself, Groq,
 * or a self-hosted faster-whisper or whisper.cpp server. The audio goes up as multipart form data
 * with `response_format=verbose_json`, whose `segments` carry start and end times in seconds.
 */
import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import { z } from "zod";
import { InterviewMediaError } from "../errors.ts";
import { normaliseLanguage } from "../intake/transcript-files.ts";
import type { TranscriptSegment } from "../transcript.ts";
import type { EngineCallOptions, EngineResult, TranscriptionEngine } from "./engine.ts";

export interface OpenAiCompatibleOptions {
  /** API base including the version path, e.g. `https://api.openai.com/v1` or `http://127.0.0.1:8000/v1`. */
  baseUrl: string;
  /** Bearer token; optional for self-hosted servers. Never logged. */
  apiKey?: string | undefined;
  /** Model name, e.g. `whisper-1`, `whisper-large-v3` (Groq), `Systran/faster-whisper-small`. */
  model: string;
  /** Limit for one request (default: 2 × real time + 120 s). */
  timeoutMs?: number | undefined;
  /** Longest audio per request (default 600 s: 16 kHz mono WAV stays under OpenAI's 25 MB upload limit). */
  maxChunkSeconds?: number | undefined;
  /** Replaceable in tests. */
  fetch?: typeof fetch | undefined;
}

/** The parts of a `verbose_json` answer we use (servers add more; extra fields are ignored). */
export const verboseJsonSchema = z.object({
  text: z.string().default(""),
  language: z.string().optional(),
  duration: z.number().optional(),
  segments: z.array(z.object({ start: z.number().nonnegative(), end: z.number().nonnegative(), text: z.string() })).optional(),
});

/**
 * The OpenAI-compatible engine.
 *
 * @example
 * const engine = openAiCompatibleEngine({ baseUrl: "https://api.groq.com/openai/v1", apiKey, model: "whisper-large-v3" });
 */
export function openAiCompatibleEngine(options: OpenAiCompatibleOptions): TranscriptionEngine {
  const endpoint = `${options.baseUrl.replace(/\/+$/, "")}/audio/transcriptions`;
  const host = (() => {
    try {
      return new URL(endpoint).host;
    } catch {
      throw new InterviewMediaError("engine-failed", `the transcription server base URL is not a valid URL`, { retriable: false });
    }
  })();
  const doFetch = options.fetch ?? fetch;
  return {
    name: `openai-compatible:${options.model}`,
    maxChunkSeconds: options.maxChunkSeconds ?? 600,
    async transcribeWav(wavPath: string, call: EngineCallOptions): Promise<EngineResult> {
      const form = new FormData();
      form.append("file", new Blob([await readFile(wavPath)], { type: "audio/wav" }), basename(wavPath));
      form.append("model", options.model);
      form.append("response_format", "verbose_json");
      form.append("timestamp_granularities[]", "segment");
      if (call.language) form.append("language", call.language.split("-")[0]!);
      const timeoutMs = options.timeoutMs ?? Math.round(call.durationSeconds * 2000) + 120_000;
      const signal = call.signal ? AbortSignal.any([call.signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs);
      let response: Response;
      try {
        response = await doFetch(endpoint, {
          method: "POST",
          body: form,
          headers: options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {},
          signal,
          redirect: "error",
        });
      } catch (error) {
        const e = error as Error;
        if (e.name === "TimeoutError") throw new InterviewMediaError("timeout", `the transcription server ${host} did not answer within ${timeoutMs} ms`);
        throw new InterviewMediaError("engine-failed", `the transcription server ${host} could not be reached: ${e.message}`, { cause: error });
      }
      const body = await response.text();
      if (!response.ok) {
        const detail = /"message"\s*:\s*"([^"]{0,200})/.exec(body)?.[1] ?? body.slice(0, 200);
        throw new InterviewMediaError("engine-failed", `the transcription server ${host} answered HTTP ${response.status}: ${detail}`, {
          retriable: response.status === 429 || response.status >= 500,
        });
      }
      let parsed: z.infer<typeof verboseJsonSchema>;
      try {
        parsed = verboseJsonSchema.parse(JSON.parse(body));
      } catch (error) {
        throw new InterviewMediaError(
          "engine-failed",
          `the transcription server ${host} sent an answer that is not verbose_json: ${(error as Error).message.slice(0, 200)}`,
          {
            retriable: false,
          },
        );
      }
      return { language: normaliseLanguage(parsed.language) ?? call.language ?? "und", segments: segmentsOf(parsed, call.durationSeconds) };
    },
  };
}

/** Segments of a verbose_json answer; a server that sends only text gets one segment over the whole file. */
function segmentsOf(answer: z.infer<typeof verboseJsonSchema>, durationSeconds: number): TranscriptSegment[] {
  if (answer.segments && answer.segments.length > 0) {
    return answer.segments.map((s) => ({ start: s.start, end: Math.max(s.start, s.end), text: s.text.trim() })).filter((s) => s.text.length > 0);
  }
  const text = answer.text.trim();
  return text ? [{ start: 0, end: answer.duration ?? durationSeconds, text }] : [];
}
