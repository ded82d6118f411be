/**
 * `fulcrum interview transcribe <media-or-transcript>`: one recording or platform transcript in,
 * the transcript as JSON out — `{ engine, language, durationSeconds, text, segments: [{ start, end,
 * text, speaker? }] }`, times in seconds from the start. This contract is kept.
 *
 * `fulcrum interview analyze <media-or-transcript> --questions <file>`: the same input analysed
 * against a question set — `{ questions: [{ id, text, asked: { start, end, quote } | null, answer:
 * { start, end, quote } | null }], summary, metrics, flags }`. This contract is kept too.
 */
import { existsSync, openSync, readSync, closeSync, readFileSync, statSync } from "node:fs";
import { basename } from "node:path";
import type { Command } from "commander";
import { parse as parseYaml } from "yaml";
import { createAi, DEFAULT_AI_CONFIG } from "../../ai/index.ts";
import { loadConfig } from "../../config/index.ts";
import { silentLogger } from "../../observability/index.ts";
import { registerInterviewRights } from "./interview-rights.ts";
import {
  analyzeInterview,
  analyzeInterviewWithProvider,
  nothingMatched,
  windowCharsFor,
  interviewAiOptions,
  InterviewAnalysisError,
  interviewRubricSchema,
  parseQuestionFile,
  type InterviewRubric,
  type Transcript,
  detectTranscriptFormat,
  fetchMedia,
  InterviewMediaError,
  openAiCompatibleEngine,
  parseTranscriptFile,
  pocketsphinxEngine,
  sniffMedia,
  SNIFF_BYTES,
  toTranscriptOutput,
  transcribeMedia,
  whisperCppEngine,
  MAX_TRANSCRIPT_BYTES,
  type TranscriptionEngine,
} from "../../interviews/index.ts";

interface TranscribeOptions {
  engine: string;
  language?: string;
  model?: string;
  baseUrl?: string;
  modelDir?: string;
  maxChunkSeconds?: string;
  maxMinutes?: string;
  allowHost?: string[];
}

/** Exit status per failure: 69 (EX_UNAVAILABLE) for a missing tool or model, 1 for media that cannot be used. */
function exitCodeFor(error: InterviewMediaError): number {
  return error.status === "tool-missing" || error.status === "model-missing" ? 69 : 1;
}

function engineFrom(cmd: Command, o: TranscribeOptions): TranscriptionEngine {
  const maxChunkSeconds = o.maxChunkSeconds ? Number(o.maxChunkSeconds) : undefined;
  if (maxChunkSeconds !== undefined && !(maxChunkSeconds >= 5))
    cmd.error(`--max-chunk-seconds must be a number of at least 5 (got "${o.maxChunkSeconds}")`, { exitCode: 2 });
  switch (o.engine) {
    case "pocketsphinx":
      return pocketsphinxEngine({ modelDir: o.modelDir, maxChunkSeconds });
    case "openai": {
      const baseUrl = o.baseUrl ?? process.env.FULCRUM_TRANSCRIBE_BASE_URL ?? "https://api.openai.com/v1";
      const apiKey = process.env.FULCRUM_TRANSCRIBE_API_KEY ?? process.env.OPENAI_API_KEY;
      return openAiCompatibleEngine({ baseUrl, apiKey, model: o.model ?? "whisper-1", maxChunkSeconds });
    }
    case "whisper-cpp":
      if (!o.model) cmd.error("--engine whisper-cpp needs --model <path to a ggml model file>", { exitCode: 2 });
      return whisperCppEngine({ modelPath: o.model, maxChunkSeconds });
    default:
      return cmd.error(`--engine must be pocketsphinx, openai or whisper-cpp (got "${o.engine}")`, { exitCode: 2 });
  }
}

function head(path: string): Buffer {
  const fd = openSync(path, "r");
  try {
    const buf = Buffer.alloc(SNIFF_BYTES);
    const n = readSync(fd, buf, 0, SNIFF_BYTES, 0);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/** A platform transcript when the file is one (by content, or a .vtt/.srt/.json name), else null. */
function asTranscript(path: string): ReturnType<typeof parseTranscriptFile> | null {
  const first = head(path);
  if (sniffMedia(first)) return null;
  const named = /\.(vtt|srt|json)$/i.test(path);
  if (!named && detectTranscriptFormat(first.toString("utf8")) === null) return null;
  if (statSync(path).size > MAX_TRANSCRIPT_BYTES) {
    throw new InterviewMediaError("transcript-invalid", `transcript "${basename(path)}" is larger than ${MAX_TRANSCRIPT_BYTES} bytes`);
  }
  return parseTranscriptFile(readFileSync(path, "utf8"), basename(path));
}

export function register(program: Command): void {
  const interview = program
    .command("interview")
    .description("Recorded interviews: transcripts with times from media or platform transcript files, and their analysis against a question set.");
  registerInterviewRights(interview);

  interview
    .command("transcribe <media-or-transcript>")
    .description(
      "Transcribe a recording (mp4, mov, webm, mkv, wav, mp3, ogg, m4a, flac, ...) or read a platform transcript (WebVTT, SRT, JSON segments) and print it as JSON.",
    )
    .option("--engine <name>", "pocketsphinx (offline, default), openai (any OpenAI-compatible /audio/transcriptions server) or whisper-cpp", "pocketsphinx")
    .option("--language <code>", "the language spoken, e.g. en (default: the engine decides; pocketsphinx is English only)")
    .option("--model <name-or-path>", "openai: the model name (default whisper-1); whisper-cpp: the path of a ggml model file you downloaded")
    .option("--base-url <url>", "openai: the API base, e.g. https://api.groq.com/openai/v1 (default $FULCRUM_TRANSCRIBE_BASE_URL or OpenAI)")
    .option("--model-dir <dir>", "pocketsphinx: a model folder laid out like Debian's /usr/share/pocketsphinx/model/en-us")
    .option("--max-chunk-seconds <n>", "cut audio longer than this on silences (default: 300 for pocketsphinx, 600 otherwise)")
    .option("--max-minutes <n>", "refuse recordings longer than this (default 240)")
    .option("--allow-host <host...>", "for an https URL instead of a file: the hosts media may come from (redirects are checked too)")
    .addHelpText(
      "after",
      `
Output (stdout), times in seconds from the start of the recording:
  { "engine", "language", "durationSeconds", "text", "segments": [{ "start", "end", "text", "speaker"? }] }
"engine" is "transcript" for platform transcript files; "speaker" comes from WebVTT <v Name> voices
or "Name:" prefixes (SRT carries none; engines do not diarise).

Failures go to stderr as "fulcrum: <status>: <message>" with exit status 1 (media), 2 (usage) or
69 (ffmpeg, pocketsphinx or a model missing). Statuses: blocked, fetch-failed, too-large, timeout,
not-media, corrupt, video-only, unsupported-codec, no-speech, tool-missing, model-missing,
engine-failed, transcript-invalid.

Engines: pocketsphinx needs the Debian packages ffmpeg, pocketsphinx and pocketsphinx-en-us and is
far less accurate (about 30 % word error rate on clean read speech) than whisper models. openai reads
its key from FULCRUM_TRANSCRIBE_API_KEY (or OPENAI_API_KEY). whisper-cpp never downloads a model.

Examples:
  fulcrum interview transcribe answer.mp4
  fulcrum interview transcribe call.vtt | jq '.segments[] | select(.speaker == "Maya")'
  FULCRUM_TRANSCRIBE_API_KEY=... fulcrum interview transcribe answer.webm --engine openai --base-url https://api.groq.com/openai/v1 --model whisper-large-v3
  fulcrum interview transcribe answer.mp4 --engine whisper-cpp --model ./ggml-base.en.bin
`,
    )
    .action(async (input: string, options: TranscribeOptions, cmd: Command) => {
      const out = cmd.configureOutput().writeOut ?? ((t: string) => void process.stdout.write(t));
      try {
        out(`${JSON.stringify(toTranscriptOutput(await transcriptOf(input, options, cmd)), null, 2)}\n`);
      } catch (error) {
        if (error instanceof InterviewMediaError) cmd.error(`fulcrum: ${error.status}: ${error.message}`, { exitCode: exitCodeFor(error) });
        throw error;
      }
    });

  interview
    .command("analyze <media-or-transcript>")
    .description(
      "Analyse a recording or platform transcript against a question set: where each question was asked and the candidate's answer, quoted verbatim with times; descriptive metrics; the interviewer check.",
    )
    .requiredOption("--questions <file>", "the question set: a YAML or JSON list of { id, text }")
    .option("--rubric <file>", "competencies to gather evidence for: YAML or JSON { competencies: [{ id, label, keywords?, questions?, weight? }], score? }")
    .option(
      "--ai",
      "find the answers with the configured AI provider (FULCRUM_AI_PROVIDER, ...), quotes verified; the local engine answers when none is configured or it fails",
    )
    .option("--stated-feelings", "add what the candidate said they felt, quoted in their words (text only, never scored)")
    .option("--interviewer <name...>", "speaker names that are interviewers, when the transcript names speakers")
    .option("--engine <name>", "for media: pocketsphinx (offline, default), openai or whisper-cpp", "pocketsphinx")
    .option("--language <code>", "for media: the language spoken")
    .option("--model <name-or-path>", "for media: openai model name or whisper-cpp model file")
    .option("--base-url <url>", "for media with --engine openai: the API base")
    .option("--model-dir <dir>", "for media with pocketsphinx: a model folder")
    .option("--max-chunk-seconds <n>", "for media: cut audio longer than this on silences")
    .option("--max-minutes <n>", "for media: refuse recordings longer than this (default 240)")
    .option("--allow-host <host...>", "for an https URL: the hosts media may come from")
    .addHelpText(
      "after",
      `
Output (stdout), times in seconds from the start of the recording:
  { "questions": [{ "id", "text", "asked": { "start", "end", "quote" } | null,
                    "answer": { "start", "end", "quote" } | null }],
    "summary": { "engine", "language", "durationSeconds", "speakers", "asked", "notAsked", "unanswered", "text" },
    "metrics": { "kind": "descriptive", "speakers": { "interviewer", "candidate" }, "answers": [...] },
    "flags": [...], "evidence"?: {...}, "statedFeelings"?: [...] }
"asked" null means the question was not asked. Quotes are verbatim from the transcript; an answer
the interviewer interrupted with follow-ups has its parts joined by " … ". "metrics" describe the
conversation (talk time, words per minute, answer lengths) and never score the candidate; there is
no emotion, face or voice analysis. "flags" are for the recruiter: questions that should not be
asked (age, family, religion, origin, health, ...) with quote and time.

Failures go to stderr as "fulcrum: <status>: <message>" with exit status 1. Besides transcribe's
statuses: questions-empty, questions-invalid, empty-transcript, wrong-language (English only), and
nothing-matched (none of the set's questions was found: noise, foreign speech or another
posting's set; the JSON is still printed, for inspection).

Examples:
  fulcrum interview analyze call.vtt --questions questions.yaml
  fulcrum interview analyze answer.mp4 --questions questions.json --rubric rubric.yaml --ai
`,
    )
    .action(async (input: string, options: AnalyzeOptions, cmd: Command) => {
      const out = cmd.configureOutput().writeOut ?? ((t: string) => void process.stdout.write(t));
      try {
        if (!existsSync(options.questions) || !statSync(options.questions).isFile())
          cmd.error(`question file "${options.questions}" does not exist`, { exitCode: 2 });
        const questions = parseQuestionFile(readFileSync(options.questions, "utf8"), basename(options.questions));
        const rubric = options.rubric ? readRubric(options.rubric, cmd) : undefined;
        const transcript: Transcript = await transcriptOf(input, options, cmd);
        const analyzeOptions = { rubric, statedFeelings: options.statedFeelings === true, interviewerNames: options.interviewer };
        const aiConfig = options.ai ? (loadConfig().ai ?? DEFAULT_AI_CONFIG) : undefined;
        const analysis = aiConfig
          ? await analyzeInterviewWithProvider(createAi({ config: { ai: aiConfig }, logger: silentLogger, ...interviewAiOptions }), transcript, questions, {
              ...analyzeOptions,
              windowChars: windowCharsFor(aiConfig.maxUntrustedChars),
            })
          : analyzeInterview(transcript, questions, analyzeOptions);
        out(`${JSON.stringify(analysis, null, 2)}\n`);
        // The JSON is printed for inspection, but "every question unasked" is not a result to act on.
        const why = nothingMatched(analysis);
        if (why) cmd.error(`fulcrum: nothing-matched: ${why}`, { exitCode: 1 });
      } catch (error) {
        if (error instanceof InterviewMediaError) cmd.error(`fulcrum: ${error.status}: ${error.message}`, { exitCode: exitCodeFor(error) });
        if (error instanceof InterviewAnalysisError) cmd.error(`fulcrum: ${error.status}: ${error.message}`, { exitCode: 1 });
        throw error;
      }
    });
}

interface AnalyzeOptions extends TranscribeOptions {
  questions: string;
  rubric?: string;
  ai?: boolean;
  statedFeelings?: boolean;
  interviewer?: string[];
}

function readRubric(path: string, cmd: Command): InterviewRubric {
  if (!existsSync(path)) cmd.error(`rubric file "${path}" does not exist`, { exitCode: 2 });
  let data: unknown;
  try {
    data = parseYaml(readFileSync(path, "utf8"));
  } catch (error) {
    return cmd.error(`rubric file "${basename(path)}": not YAML or JSON (${(error as Error).message.split("\n")[0]})`, { exitCode: 2 });
  }
  const parsed = interviewRubricSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return cmd.error(`rubric file "${basename(path)}" at ${issue.path.join(".") || "top"}: ${issue.message}`, { exitCode: 2 });
  }
  return parsed.data;
}

/** The transcript of a file or URL: a platform transcript as it is, or media transcribed. */
async function transcriptOf(input: string, options: TranscribeOptions, cmd: Command): Promise<Transcript> {
  let cleanup: (() => Promise<void>) | undefined;
  try {
    let path = input;
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(input)) {
      if (!options.allowHost?.length) cmd.error("a URL needs --allow-host <host...>: the hosts its media may come from", { exitCode: 2 });
      const media = await fetchMedia(input, { allowedHosts: options.allowHost });
      cleanup = media.cleanup;
      path = media.path;
    } else if (!existsSync(input) || !statSync(input).isFile()) {
      cmd.error(`file "${input}" does not exist`, { exitCode: 2 });
    }
    const transcript = cleanup ? null : asTranscript(path);
    const maxMinutes = options.maxMinutes ? Number(options.maxMinutes) : 240;
    if (!(maxMinutes > 0)) cmd.error(`--max-minutes must be a positive number (got "${options.maxMinutes}")`, { exitCode: 2 });
    return transcript ?? (await transcribeMedia(path, { engine: engineFrom(cmd, options), language: options.language, maxDurationSeconds: maxMinutes * 60 }));
  } finally {
    await cleanup?.();
  }
}
