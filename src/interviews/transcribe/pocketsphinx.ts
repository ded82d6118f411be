/**
 * The offline default engine: CMU pocketsphinx as Debian ships it (`pocketsphinx_continuous`,
 * 0.8+5prealpha, with the `pocketsphinx-en-us` model). `-time yes` prints, per utterance, the
 * hypothesis and then one line per word: `word start end posterior`, times in seconds from the start
 * of the file. Accuracy is limited (about 30 % word error rate on clean read speech).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { InterviewMediaError } from "../errors.ts";
import { lastLine, runTool } from "../run-tool.ts";
import type { TranscriptSegment, TranscriptWord } from "../transcript.ts";
import type { EngineCallOptions, EngineResult, TranscriptionEngine } from "./engine.ts";

/** Where Debian's `pocketsphinx-en-us` installs the US English model. */
export const DEBIAN_MODEL_DIR = "/usr/share/pocketsphinx/model/en-us";

export interface PocketsphinxOptions {
  /** The executable (default `pocketsphinx_continuous` on PATH). */
  command?: string | undefined;
  /**
   * A model folder holding `en-us/` (acoustic model), `en-us.lm.bin` and `cmudict-en-us.dict`, as
   * Debian lays it out. Default: the Debian path when present, else the binary's built-in default.
   */
  modelDir?: string | undefined;
  /** Explicit model parts; each overrides the one found in `modelDir`. */
  hmm?: string | undefined;
  lm?: string | undefined;
  dict?: string | undefined;
  /** Limit for one run (default: 2 × real time + 60 s). */
  timeoutMs?: number | undefined;
  /** Longest file given to one run (default 300 s). */
  maxChunkSeconds?: number | undefined;
}

/** The command-line arguments for a WAV file under `options` (model flags only when needed). */
export function pocketsphinxArgs(wavPath: string, options: PocketsphinxOptions = {}): string[] {
  const args = ["-infile", wavPath, "-time", "yes"];
  // Without a configured folder the binary's compiled-in default (Debian's model path) is used.
  const dir = options.modelDir;
  const parts: [string, string | undefined, string][] = [
    ["-hmm", options.hmm, "en-us"],
    ["-lm", options.lm, "en-us.lm.bin"],
    ["-dict", options.dict, "cmudict-en-us.dict"],
  ];
  for (const [flag, explicit, inDir] of parts) {
    const path = explicit ?? (dir ? join(dir, inDir) : undefined);
    if (path) args.push(flag, path);
  }
  return args;
}

/** Fillers and markers pocketsphinx prints among the words. */
function isFiller(word: string): boolean {
  return /^(<s>|<\/s>|<sil>|\[[A-Z]+\]|\+\+.*\+\+|\+[A-Z]+\+)$/.test(word);
}

/**
 * Parses `pocketsphinx_continuous -time yes` output into one segment per utterance with word times.
 * Alternative pronunciations (`was(2)`) lose their suffix; fillers and silences are dropped.
 */
export function parsePocketsphinxOutput(stdout: string): TranscriptSegment[] {
  const segments: TranscriptSegment[] = [];
  let words: TranscriptWord[] = [];
  const flush = () => {
    if (words.length > 0) {
      segments.push({ start: words[0]!.start, end: words.at(-1)!.end, text: words.map((w) => w.word).join(" "), words });
    }
    words = [];
  };
  for (const line of stdout.split(/\r?\n/)) {
    const m = /^(\S+) (\d+(?:\.\d+)?) (\d+(?:\.\d+)?) (-?\d+(?:\.\d+)?)$/.exec(line.trim());
    if (!m) {
      // A hypothesis line starts the next utterance.
      if (line.trim()) flush();
      continue;
    }
    const word = m[1]!.replace(/\(\d+\)$/, "");
    if (isFiller(word)) continue;
    words.push({ word, start: Number(m[2]), end: Number(m[3]), confidence: Math.min(1, Math.max(0, Number(m[4]))) });
  }
  flush();
  return segments;
}

/**
 * The pocketsphinx engine.
 *
 * @example
 * const engine = pocketsphinxEngine();
 * const { segments } = await engine.transcribeWav("answer.wav", { durationSeconds: 42 });
 */
export function pocketsphinxEngine(options: PocketsphinxOptions = {}): TranscriptionEngine {
  return {
    name: "pocketsphinx",
    maxChunkSeconds: options.maxChunkSeconds ?? 300,
    async transcribeWav(wavPath: string, call: EngineCallOptions): Promise<EngineResult> {
      if (call.language && !/^en(-|$)/i.test(call.language)) {
        throw new InterviewMediaError("engine-failed", `pocketsphinx has only a US English model here; "${call.language}" speech needs another engine`, {
          retriable: false,
        });
      }
      const run = await runTool(pocketsphinxArgs(wavPath, options), {
        tool: "pocketsphinx_continuous",
        command: options.command,
        timeoutMs: options.timeoutMs ?? Math.round(call.durationSeconds * 2000) + 60_000,
      });
      if (run.code !== 0 && /acoustic model|mdef|Failed to open|No such file/i.test(run.stderr)) {
        const where = options.modelDir ?? options.hmm ?? (existsSync(DEBIAN_MODEL_DIR) ? DEBIAN_MODEL_DIR : "the default model path");
        throw new InterviewMediaError(
          "model-missing",
          `pocketsphinx could not load its model from ${where}: install the Debian package pocketsphinx-en-us or configure the model folder (${lastLine(run.stderr)})`,
        );
      }
      if (run.code !== 0) {
        throw new InterviewMediaError("engine-failed", `pocketsphinx failed: ${lastLine(run.stderr) || `exit status ${run.code}`}`, { retriable: false });
      }
      return { language: "en", segments: parsePocketsphinxOutput(run.stdout) };
    },
  };
}
