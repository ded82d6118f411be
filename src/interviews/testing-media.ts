/**
 * Helpers for this module's tests: whether the Debian tools are installed, where Debian's
 * pocketsphinx test recordings are, and generated media (made with ffmpeg's test sources).
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** True when `command` runs (exit status ignored). */
export function hasCommand(command: string, args: readonly string[] = ["-version"]): boolean {
  const r = spawnSync(command, args, { stdio: "ignore" });
  return r.error === undefined;
}

/** Where Debian's `pocketsphinx-testdata` puts its LibriVox recordings. */
export const LIBRIVOX_DIR = "/usr/share/pocketsphinx/test/data/librivox";

/** The LibriVox test utterances with their reference transcripts (empty when the package is absent). */
export function librivoxUtterances(dir: string = LIBRIVOX_DIR): { id: string; wav: string; reference: string }[] {
  const file = join(dir, "transcription");
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .map((line) => /^<s>\s*(.*?)\s*<\/s>\s*\(([^)]+)\)\s*$/.exec(line.trim()))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ id: m[2]!, wav: join(dir, `${m[2]!}.wav`), reference: m[1]! }))
    .filter((u) => existsSync(u.wav));
}

/** Runs ffmpeg with `args` (after `-y -v error`); throws with its stderr on failure. */
export function ffmpegSync(args: readonly string[]): void {
  const r = spawnSync("ffmpeg", ["-nostdin", "-y", "-v", "error", ...args], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`ffmpeg ${args.join(" ")} failed: ${r.stderr}`);
}
