/**
 * `npm run bench:transcription` (issue 14, section 2): the offline engine through Fulcrum against the
 * same engine run raw, on the same audio, in the same run.
 *
 * Audio: the LibriVox utterances of Debian's `pocketsphinx-testdata` with their reference
 * transcripts. "Raw" is `pocketsphinx_continuous -infile x.wav -time yes` spawned directly; "Fulcrum"
 * is `transcribeMedia()` with the pocketsphinx engine (ffprobe, ffmpeg extraction to 16 kHz mono,
 * the same recogniser, output parsing). Rounds alternate which goes first, so machine load falls on
 * both alike. Prints word error rate (WER) and wall time for each, and whether Fulcrum stays within
 * 2 WER points and 1.2× the raw wall time; the exit status is 1 when it does not.
 *
 * `BENCH_ROUNDS` (default 2) sets how many times each utterance is run each way.
 */
import { spawn } from "node:child_process";
import { performance } from "node:perf_hooks";
import { pocketsphinxEngine, transcribeMedia } from "../src/interviews/index.ts";
import { hasCommand, librivoxUtterances } from "../src/interviews/testing-media.ts";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);

/** Lower case words without punctuation; "mr" is read as "mister", as the reference spells it. */
function words(text: string): string[] {
  return (text.toLowerCase().match(/[a-z']+/g) ?? []).map((w) => (w === "mr" ? "mister" : w));
}

/** Word-level edit distance (substitutions, insertions, deletions). */
function editDistance(ref: readonly string[], hyp: readonly string[]): number {
  let prev = Array.from({ length: hyp.length + 1 }, (_, j) => j);
  for (let i = 1; i <= ref.length; i += 1) {
    const cur = [i];
    for (let j = 1; j <= hyp.length; j += 1) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (ref[i - 1] === hyp[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[hyp.length]!;
}

/** The raw engine: its own hypothesis lines (the lines that are not word-time lines). */
function runRaw(wav: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn("pocketsphinx_continuous", ["-infile", wav, "-time", "yes"], { stdio: ["ignore", "pipe", "ignore"] });
    let out = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`pocketsphinx_continuous exited with ${code}`));
      resolve(
        out
          .split("\n")
          .filter((l) => l.trim() && !/^\S+ [\d.]+ [\d.]+ -?[\d.]+$/.test(l.trim()))
          .join(" "),
      );
    });
  });
}

async function main(): Promise<void> {
  if (!hasCommand("pocketsphinx_continuous", ["-h"]) || !hasCommand("ffmpeg")) {
    console.log("bench:transcription skipped: install the Debian packages ffmpeg, pocketsphinx, pocketsphinx-en-us and pocketsphinx-testdata");
    return;
  }
  const utterances = librivoxUtterances();
  if (utterances.length === 0) {
    console.log("bench:transcription skipped: the Debian package pocketsphinx-testdata is not installed");
    return;
  }
  const engine = pocketsphinxEngine();
  const totals = { raw: { ms: 0, errors: 0 }, fulcrum: { ms: 0, errors: 0 }, refWords: 0, audioSeconds: 0 };
  const rows: string[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const [i, u] of utterances.entries()) {
      const ref = words(u.reference);
      const runFulcrum = async () => {
        const t0 = performance.now();
        const t = await transcribeMedia(u.wav, { engine }).catch((e: unknown) => {
          if ((e as { status?: string }).status === "no-speech") return { text: "", durationSeconds: 0 };
          throw e;
        });
        return { ms: performance.now() - t0, text: t.text, duration: t.durationSeconds };
      };
      const runRawTimed = async () => {
        const t0 = performance.now();
        const text = await runRaw(u.wav);
        return { ms: performance.now() - t0, text };
      };
      // Alternate which goes first so load drift falls on both alike.
      const fulcrumFirst = (round + i) % 2 === 0;
      const first = fulcrumFirst ? await runFulcrum() : await runRawTimed();
      const second = fulcrumFirst ? await runRawTimed() : await runFulcrum();
      const f = (fulcrumFirst ? first : second) as Awaited<ReturnType<typeof runFulcrum>>;
      const r = fulcrumFirst ? second : first;
      const fe = editDistance(ref, words(f.text));
      const re = editDistance(ref, words(r.text));
      totals.fulcrum.ms += f.ms;
      totals.fulcrum.errors += fe;
      totals.raw.ms += r.ms;
      totals.raw.errors += re;
      totals.refWords += ref.length;
      totals.audioSeconds += f.duration;
      rows.push(`| ${round + 1} | ${u.id.slice(-4)} | ${ref.length} | ${re} | ${(r.ms / 1000).toFixed(2)} s | ${fe} | ${(f.ms / 1000).toFixed(2)} s |`);
    }
  }
  const werRaw = (100 * totals.raw.errors) / totals.refWords;
  const werFulcrum = (100 * totals.fulcrum.errors) / totals.refWords;
  const ratio = totals.fulcrum.ms / totals.raw.ms;
  console.log(
    `bench:transcription — ${utterances.length} LibriVox utterances × ${ROUNDS} rounds, ${totals.audioSeconds.toFixed(1)} s of audio, ${totals.refWords} reference words`,
  );
  console.log("| round | utterance | words | raw errors | raw wall | Fulcrum errors | Fulcrum wall |");
  console.log("| --- | --- | --- | --- | --- | --- | --- |");
  for (const row of rows) console.log(row);
  console.log(
    `WER: raw pocketsphinx ${werRaw.toFixed(1)} %, through Fulcrum ${werFulcrum.toFixed(1)} % (difference ${(werFulcrum - werRaw).toFixed(1)} points; limit +2.0)`,
  );
  console.log(
    `wall time: raw ${(totals.raw.ms / 1000).toFixed(2)} s (RTF ${(totals.raw.ms / 1000 / totals.audioSeconds).toFixed(2)}), through Fulcrum ${(totals.fulcrum.ms / 1000).toFixed(2)} s (RTF ${(totals.fulcrum.ms / 1000 / totals.audioSeconds).toFixed(2)}); ratio ${ratio.toFixed(2)}× (limit 1.20×)`,
  );
  const ok = werFulcrum - werRaw <= 2 && ratio <= 1.2;
  console.log(ok ? "PASS: within both limits" : "FAIL: over a limit");
  if (!ok) process.exitCode = 1;
}

await main();
