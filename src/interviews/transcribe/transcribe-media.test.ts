import assert from "node:assert/strict";
import { chmodSync, mkdtempSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import { InterviewMediaError } from "../errors.ts";
import { extractAudio } from "../intake/extract-audio.ts";
import { ffmpegSync, hasCommand, librivoxUtterances } from "../testing-media.ts";
import type { TranscriptionEngine } from "./engine.ts";
import { pocketsphinxEngine } from "./pocketsphinx.ts";
import { transcribeMedia } from "./transcribe-media.ts";

const haveFfmpeg = hasCommand("ffmpeg") && hasCommand("ffprobe");
const havePocketsphinx = hasCommand("pocketsphinx_continuous", ["-h"]);
const utterances = librivoxUtterances();
const byId = (suffix: string) => utterances.find((u) => u.id.endsWith(suffix))!;
let dir: string;

/** An engine that reports each file it is given as one segment spanning it, to check the stitching. */
function measuringEngine(calls: number[]): TranscriptionEngine {
  return {
    name: "measuring",
    maxChunkSeconds: 1000,
    async transcribeWav(_wav, o) {
      calls.push(o.durationSeconds);
      return { language: "en", segments: [{ start: 0, end: o.durationSeconds, text: `piece ${calls.length}` }] };
    },
  };
}

/** An engine that hears the given words, spread over the whole file, as one segment. */
function engineHearing(words: string[]): TranscriptionEngine {
  return {
    name: "heard",
    maxChunkSeconds: 600,
    transcribeWav: async (_wav, o) => ({ language: "en", segments: [{ start: 0, end: o.durationSeconds, text: words.join(" ") }] }),
  };
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), "transcribe-media-"));
  if (!haveFfmpeg) return;
  // A silent video-less recording, for the no-speech case.
  ffmpegSync(["-f", "lavfi", "-i", "anullsrc=r=16000:cl=mono:d=4", "-c:a", "pcm_s16le", join(dir, "silence.wav")]);
  // A minute of audio, for judging how many words an engine heard in it.
  ffmpegSync(["-f", "lavfi", "-i", "anoisesrc=r=16000:d=60:a=0.05", "-ac", "1", "-c:a", "pcm_s16le", join(dir, "minute.wav")]);
  if (utterances.length === 0) return;
  // 0880 (2.99 s) + 2 s silence + 0890 (5.30 s) + 2 s silence + 0930 (3.29 s) = 15.58 s, as 44.1 kHz stereo MP3 in MKV.
  ffmpegSync([
    "-i",
    byId("0880").wav,
    "-f",
    "lavfi",
    "-i",
    "anullsrc=r=16000:cl=mono:d=2",
    "-i",
    byId("0890").wav,
    "-f",
    "lavfi",
    "-i",
    "anullsrc=r=16000:cl=mono:d=2",
    "-i",
    byId("0930").wav,
    "-filter_complex",
    "[0:a][1:a][2:a][3:a][4:a]concat=n=5:v=0:a=1,aresample=44100",
    "-ac",
    "2",
    "-c:a",
    "libmp3lame",
    join(dir, "long.mkv"),
  ]);
});

const needSpeech = !haveFfmpeg
  ? "ffmpeg not installed (Debian package ffmpeg)"
  : utterances.length === 0
    ? "Debian package pocketsphinx-testdata not installed"
    : false;

describe("long recordings cut on silences", { skip: needSpeech }, () => {
  it("cuts at silences within the chunk limit and stitches times back to the recording's clock", async () => {
    const calls: number[] = [];
    const t = await transcribeMedia(join(dir, "long.mkv"), { engine: measuringEngine(calls), maxChunkSeconds: 7, workDir: dir });
    assert.ok(calls.length >= 3, `${calls.length} chunks`);
    assert.ok(
      calls.every((d) => d <= 7.01),
      JSON.stringify(calls),
    );
    // The pieces tile the recording: each starts where the previous ended, the last ends at the end.
    assert.equal(t.segments[0]!.start, 0);
    for (let i = 1; i < t.segments.length; i += 1) assert.ok(Math.abs(t.segments[i]!.start - t.segments[i - 1]!.end) < 0.01);
    assert.ok(Math.abs(t.segments.at(-1)!.end - t.durationSeconds) < 0.1);
    // The first cut falls in the first 2 s silence (2.99–4.99 s), not inside a word.
    assert.ok(t.segments[0]!.end > 2.9 && t.segments[0]!.end < 5.1, `first cut at ${t.segments[0]!.end}`);
    assert.ok(Math.abs(t.durationSeconds - 15.58) < 0.15, `duration ${t.durationSeconds}`);
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.startsWith("fulcrum-transcribe-")),
      [],
      "temporary audio removed",
    );
  });

  it("with pocketsphinx, words of the last sentence land at its place in the recording", {
    skip: havePocketsphinx ? false : "pocketsphinx not installed (Debian packages pocketsphinx, pocketsphinx-en-us)",
  }, async () => {
    const t = await transcribeMedia(join(dir, "long.mkv"), { engine: pocketsphinxEngine(), maxChunkSeconds: 7 });
    assert.equal(t.engine, "pocketsphinx");
    const words = t.segments.flatMap((s) => s.words ?? []);
    const find = (w: string) => words.filter((x) => x.word === w);
    // "might" and "even" are said only in 0930, which starts at 12.29 s.
    for (const w of ["might", "even"]) {
      assert.ok(find(w).length > 0, `"${w}" recognised in: ${t.text}`);
      for (const x of find(w)) assert.ok(x.start > 12.29 && x.end < 15.7, `${w} at ${x.start}`);
    }
    // "selfish" is said only in 0890 (6.99–12.29 s).
    for (const x of find("selfish")) assert.ok(x.start > 6.9 && x.end < 12.4, `selfish at ${x.start}`);
    for (let i = 1; i < words.length; i += 1) assert.ok(words[i]!.start >= words[i - 1]!.start, "word times increase");
  });
});

describe("recordings that cannot be transcribed", { skip: haveFfmpeg ? false : "ffmpeg not installed (Debian package ffmpeg)" }, () => {
  it("says no speech was recognised in silence", async () => {
    const engine: TranscriptionEngine = { name: "quiet", maxChunkSeconds: 60, transcribeWav: async () => ({ language: "en", segments: [] }) };
    await assert.rejects(transcribeMedia(join(dir, "silence.wav"), { engine }), (e: unknown) => {
      assert.ok(e instanceof InterviewMediaError);
      assert.equal(e.status, "no-speech");
      assert.match(e.message, /no speech was recognised in 4\.0 s of audio/);
      return true;
    });
  });

  it("refuses as no speech a minute of audio in which the engine heard only three words", async () => {
    // Noise or reversed speech gives pocketsphinx a few made-up words; analysing them would report every question unasked.
    const engine = engineHearing(["so", "then", "the"]);
    await assert.rejects(transcribeMedia(join(dir, "minute.wav"), { engine }), (e: unknown) => {
      assert.ok(e instanceof InterviewMediaError);
      assert.equal(e.status, "no-speech");
      assert.match(e.message, /only 3 words were recognised in 60\.0 s of audio \(3 per minute; speech has at least 20\)/);
      assert.match(e.message, /noise, or speech the heard engine cannot make out/);
      return true;
    });
  });

  it("transcribes a minute of audio in which the engine heard the words of a conversation", async () => {
    const words = Array.from({ length: 120 }, (_, i) => `word${i}`);
    const t = await transcribeMedia(join(dir, "minute.wav"), { engine: engineHearing(words) });
    assert.equal(t.text.split(" ").length, 120);
    assert.ok(Math.abs(t.durationSeconds - 60) < 0.1, `duration ${t.durationSeconds}`);
  });

  it("counts the characters of a language written without spaces, so a minute of Chinese or Thai is not taken for silence", async () => {
    // Whisper writes Chinese, Japanese and Thai without spaces between words: a sentence is one run of letters.
    const chinese = ["我在医院做了五年护士。", "我们每天都要和病人家属沟通。", "最难的是夜班的时候。", "我学会了保持冷静。"];
    const zh = await transcribeMedia(join(dir, "minute.wav"), { engine: engineHearing(chinese) });
    assert.equal(zh.segments.length > 0, true);
    const thai = ["ฉันทำงานเป็นพยาบาลมาห้าปี", "ทุกวันต้องคุยกับญาติผู้ป่วย", "ที่ยากที่สุดคือกะกลางคืน"];
    const th = await transcribeMedia(join(dir, "minute.wav"), { engine: engineHearing(thai) });
    assert.equal(th.segments.length > 0, true);
  });

  it("judges a short answer by its words, not by a rate over a few seconds", async () => {
    // One word in 4 s is 15 per minute, but a recording this short may truly say no more than "yes".
    const t = await transcribeMedia(join(dir, "silence.wav"), { engine: engineHearing(["yes"]) });
    assert.equal(t.text, "yes");
  });

  it("says no speech was recognised when pocketsphinx hears only silence", {
    skip: havePocketsphinx ? false : "pocketsphinx not installed (Debian packages pocketsphinx, pocketsphinx-en-us)",
  }, async () => {
    await assert.rejects(
      transcribeMedia(join(dir, "silence.wav"), { engine: pocketsphinxEngine() }),
      (e: unknown) => e instanceof InterviewMediaError && e.status === "no-speech",
    );
  });

  it("refuses recordings longer than the limit before running the engine", async () => {
    const calls: number[] = [];
    await assert.rejects(
      transcribeMedia(join(dir, "silence.wav"), { engine: measuringEngine(calls), maxDurationSeconds: 2 }),
      (e: unknown) => e instanceof InterviewMediaError && e.status === "too-large",
    );
    assert.deepEqual(calls, []);
  });

  it("refuses a recording whose probe is over the limit before ffmpeg runs", async () => {
    const calls: number[] = [];
    // No ffmpeg at this path: reaching it would be "tool-missing", not "too-large".
    const tools = { ffmpegPath: join(dir, "ffmpeg-must-not-run") };
    await assert.rejects(transcribeMedia(join(dir, "silence.wav"), { engine: measuringEngine(calls), maxDurationSeconds: 2, tools }), (e: unknown) => {
      assert.ok(e instanceof InterviewMediaError);
      assert.equal(e.status, "too-large", e.message);
      return true;
    });
    assert.deepEqual(calls, []);
  });

  it("stops extraction one second past the limit when the header understates the length", {
    skip: process.platform === "win32" ? "needs a POSIX shell script as fake ffprobe" : false,
  }, async () => {
    // An ffprobe that says every file lasts 1 s, as an understated header would.
    const fakeProbe = join(dir, "lying-ffprobe");
    writeFileSync(
      fakeProbe,
      `#!/bin/sh\necho '{"streams":[{"codec_type":"audio","codec_name":"pcm_s16le","duration":"1.0"}],"format":{"format_name":"wav","duration":"1.0"}}'\n`,
    );
    chmodSync(fakeProbe, 0o755);
    const out = join(dir, "capped.wav");
    const probe = await extractAudio(join(dir, "silence.wav"), out, { ffprobePath: fakeProbe, maxDurationSeconds: 2 });
    assert.equal(probe.durationSeconds, 1);
    const seconds = (statSync(out).size - 44) / 32000;
    assert.ok(Math.abs(seconds - 3) < 0.05, `extracted ${seconds} s of a 4 s file with a 2 s limit`);
    const calls: number[] = [];
    await assert.rejects(
      transcribeMedia(join(dir, "silence.wav"), { engine: measuringEngine(calls), maxDurationSeconds: 2, tools: { ffprobePath: fakeProbe } }),
      (e: unknown) => {
        assert.ok(e instanceof InterviewMediaError);
        assert.equal(e.status, "too-large", e.message);
        return true;
      },
    );
    assert.deepEqual(calls, []);
  });
});
