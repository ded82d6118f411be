import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import { InterviewMediaError } from "../errors.ts";
import { ffmpegSync, hasCommand } from "../testing-media.ts";
import { createSilenceParser, detectSilences, extractAudio, parseSilences, probeMedia, wavSeconds } from "./extract-audio.ts";

const haveFfmpeg = hasCommand("ffmpeg") && hasCommand("ffprobe");
const skip = haveFfmpeg ? false : "ffmpeg/ffprobe not installed (Debian package ffmpeg)";
let dir: string;

before(() => {
  dir = mkdtempSync(join(tmpdir(), "extract-audio-"));
  if (!haveFfmpeg) return;
  // A 3 s video with a 440 Hz tone, a video without audio, and a tone with a silent middle.
  ffmpegSync([
    "-f",
    "lavfi",
    "-i",
    "testsrc=size=160x120:rate=10:duration=3",
    "-f",
    "lavfi",
    "-i",
    "sine=frequency=440:sample_rate=44100:duration=3",
    "-c:v",
    "mpeg4",
    "-c:a",
    "aac",
    "-ac",
    "2",
    join(dir, "talk.mp4"),
  ]);
  ffmpegSync(["-f", "lavfi", "-i", "testsrc=size=160x120:rate=10:duration=2", "-an", "-c:v", "mpeg4", join(dir, "silent-film.mp4")]);
  ffmpegSync([
    "-f",
    "lavfi",
    "-i",
    "sine=frequency=300:duration=1",
    "-f",
    "lavfi",
    "-i",
    "anullsrc=r=16000:cl=mono:d=1.5",
    "-f",
    "lavfi",
    "-i",
    "sine=frequency=300:duration=1",
    "-filter_complex",
    "[0:a]aresample=16000[a];[2:a]aresample=16000[c];[a][1:a][c]concat=n=3:v=0:a=1",
    "-ac",
    "1",
    join(dir, "gap.wav"),
  ]);
  // 20 s recordings to cut in half: an mp4 with its index at the front (faststart), a webm with its
  // duration in the header, and a streamed webm (as browsers record) whose header has no duration.
  const picture = ["-f", "lavfi", "-i", "testsrc=size=160x120:rate=10:duration=20"];
  const tone = (seconds: number) => ["-f", "lavfi", "-i", `sine=frequency=440:sample_rate=48000:duration=${seconds}`];
  ffmpegSync([...picture, ...tone(20), "-c:v", "mpeg4", "-c:a", "aac", "-movflags", "+faststart", join(dir, "faststart.mp4")]);
  ffmpegSync([...picture, ...tone(20), "-c:v", "libvpx", "-c:a", "libopus", join(dir, "whole.webm")]);
  const streamed = spawnSync("ffmpeg", ["-nostdin", "-v", "error", ...picture, ...tone(20), "-c:v", "libvpx", "-c:a", "libopus", "-f", "webm", "pipe:1"], {
    maxBuffer: 64 * 1024 * 1024,
  });
  if (streamed.status !== 0) throw new Error(`ffmpeg failed: ${streamed.stderr}`);
  writeFileSync(join(dir, "streamed.webm"), streamed.stdout);
  // Whole files whose audio track ends 12 s before the picture.
  ffmpegSync([...picture, ...tone(8), "-c:v", "mpeg4", "-c:a", "aac", join(dir, "short-audio.mp4")]);
  ffmpegSync([...picture, ...tone(8), "-c:v", "libvpx", "-c:a", "libopus", join(dir, "short-audio.webm")]);
  // 350 s of 0.1 s tone bursts every 0.5 s: 700 silences, far more log than a 64 KiB tail holds.
  ffmpegSync([
    "-f",
    "lavfi",
    "-i",
    "aevalsrc=if(lt(mod(t\\,0.5)\\,0.1)\\,0.5*sin(2*PI*440*t)\\,0):s=16000:d=350.05",
    "-ac",
    "1",
    "-c:a",
    "pcm_s16le",
    join(dir, "bursts.wav"),
  ]);
});

describe("extracting audio with ffmpeg", { skip }, () => {
  it("writes 16 kHz mono s16 WAV from a video and reports its duration and streams", async () => {
    const out = join(dir, "talk.wav");
    const probe = await extractAudio(join(dir, "talk.mp4"), out);
    assert.ok(Math.abs(probe.durationSeconds - 3) < 0.2, `duration ${probe.durationSeconds}`);
    assert.deepEqual(probe.audioCodecs, ["aac"]);
    assert.deepEqual(probe.videoCodecs, ["mpeg4"]);
    const wav = readFileSync(out);
    assert.equal(wav.toString("latin1", 0, 4), "RIFF");
    assert.equal(wav.readUInt16LE(22), 1, "mono");
    assert.equal(wav.readUInt32LE(24), 16000, "16 kHz");
    assert.equal(wav.readUInt16LE(34), 16, "16-bit");
    // A canonical 44-byte header: pocketsphinx_continuous 0.8 skips exactly 44 bytes, so any extra
    // chunk (ffmpeg's LIST/INFO "encoder" tag) would be decoded as audio and change what it hears.
    assert.equal(wav.toString("latin1", 36, 40), "data");
    const again = await probeMedia(out);
    assert.deepEqual(again.audioCodecs, ["pcm_s16le"]);
  });

  it("says a video without an audio track is video-only", async () => {
    await assert.rejects(extractAudio(join(dir, "silent-film.mp4"), join(dir, "x.wav")), (e: unknown) => {
      assert.ok(e instanceof InterviewMediaError);
      assert.equal(e.status, "video-only");
      assert.match(e.message, /no audio track/);
      return true;
    });
  });

  it("says a truncated recording and random bytes are corrupt", async () => {
    const whole = readFileSync(join(dir, "talk.mp4"));
    writeFileSync(join(dir, "cut.mp4"), whole.subarray(0, Math.floor(whole.length / 2)));
    writeFileSync(join(dir, "noise.mp4"), Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251)));
    for (const name of ["cut.mp4", "noise.mp4"]) {
      await assert.rejects(extractAudio(join(dir, name), join(dir, "y.wav")), (e: unknown) => {
        assert.ok(e instanceof InterviewMediaError, String(e));
        assert.equal(e.status, "corrupt", `${name}: ${e.message}`);
        return true;
      });
    }
  });

  it("says a recording cut in half is truncated even when its header survived and ffmpeg exits 0", async () => {
    for (const name of ["faststart.mp4", "whole.webm"]) {
      const whole = readFileSync(join(dir, name));
      writeFileSync(join(dir, `half-${name}`), whole.subarray(0, Math.floor(whole.length / 2)));
      await assert.rejects(extractAudio(join(dir, `half-${name}`), join(dir, "half.wav")), (e: unknown) => {
        assert.ok(e instanceof InterviewMediaError, String(e));
        assert.equal(e.status, "corrupt", `${name}: ${e.message}`);
        assert.match(e.message, /^truncated: \d+(\.\d)? s of 20(\.0)? s could be decoded/, name);
        return true;
      });
    }
  });

  it("says a streamed webm with no duration in its header is truncated when it ends early", async () => {
    const whole = readFileSync(join(dir, "streamed.webm"));
    writeFileSync(join(dir, "half-streamed.webm"), whole.subarray(0, Math.floor(whole.length / 2)));
    await assert.rejects(extractAudio(join(dir, "half-streamed.webm"), join(dir, "half.wav")), (e: unknown) => {
      assert.ok(e instanceof InterviewMediaError, String(e));
      assert.equal(e.status, "corrupt", e.message);
      assert.match(e.message, /^truncated: only \d+(\.\d)? s could be decoded before the file ended/);
      return true;
    });
    // The whole stream is read without complaint.
    await extractAudio(join(dir, "streamed.webm"), join(dir, "streamed.wav"));
    assert.ok(Math.abs((await wavSeconds(join(dir, "streamed.wav"))) - 20) < 0.2);
  });

  it("accepts a whole recording whose audio track ends before its picture", async () => {
    for (const name of ["short-audio.mp4", "short-audio.webm"]) {
      const probe = await extractAudio(join(dir, name), join(dir, "short.wav"));
      assert.ok(Math.abs(probe.durationSeconds - 20) < 0.1, `${name}: ${probe.durationSeconds}`);
      assert.ok(Math.abs((await wavSeconds(join(dir, "short.wav"))) - 8) < 0.2, name);
    }
  });

  it("says when the audio codec cannot be decoded here", async () => {
    // A WAV whose format tag (0x1234) names no codec ffmpeg knows.
    const data = Buffer.alloc(8000, 0x55);
    const fmt = Buffer.alloc(16);
    fmt.writeUInt16LE(0x1234, 0);
    fmt.writeUInt16LE(1, 2);
    fmt.writeUInt32LE(16000, 4);
    fmt.writeUInt32LE(32000, 8);
    fmt.writeUInt16LE(2, 12);
    fmt.writeUInt16LE(16, 14);
    const size = Buffer.alloc(4);
    size.writeUInt32LE(4 + 8 + 16 + 8 + data.length);
    const len = (n: number) => {
      const b = Buffer.alloc(4);
      b.writeUInt32LE(n);
      return b;
    };
    writeFileSync(
      join(dir, "odd.wav"),
      Buffer.concat([Buffer.from("RIFF"), size, Buffer.from("WAVEfmt "), len(16), fmt, Buffer.from("data"), len(data.length), data]),
    );
    await assert.rejects(extractAudio(join(dir, "odd.wav"), join(dir, "odd-out.wav")), (e: unknown) => {
      assert.ok(e instanceof InterviewMediaError);
      assert.equal(e.status, "unsupported-codec", e.message);
      assert.match(e.message, /cannot be decoded here/);
      return true;
    });
  });

  it("says plainly when ffmpeg itself is missing", async () => {
    await assert.rejects(extractAudio(join(dir, "talk.mp4"), join(dir, "z.wav"), { ffmpegPath: "ffmpeg-not-installed-here" }), (e: unknown) => {
      assert.ok(e instanceof InterviewMediaError);
      assert.equal(e.status, "tool-missing");
      assert.match(e.message, /^ffmpeg not found: install the Debian package ffmpeg/);
      return true;
    });
  });

  it("finds the silence between two tones", async () => {
    const silences = await detectSilences(join(dir, "gap.wav"), { durationSeconds: 3.5 });
    assert.equal(silences.length, 1);
    assert.ok(Math.abs(silences[0]!.start - 1) < 0.1 && Math.abs(silences[0]!.end - 2.5) < 0.1, JSON.stringify(silences));
    assert.ok(statSync(join(dir, "gap.wav")).size > 0);
  });

  it("finds every one of 700 silences in a long recording, the earliest included", async () => {
    const silences = await detectSilences(join(dir, "bursts.wav"), { minSeconds: 0.2, durationSeconds: 350.05 });
    assert.equal(silences.length, 700);
    assert.ok(Math.abs(silences[0]!.start - 0.1) < 0.02 && Math.abs(silences[0]!.end - 0.5) < 0.02, JSON.stringify(silences[0]));
    assert.ok(Math.abs(silences[699]!.start - 349.6) < 0.02, JSON.stringify(silences[699]));
    // Past the cap, ffmpeg is stopped and the error says why.
    await assert.rejects(
      detectSilences(join(dir, "bursts.wav"), { minSeconds: 0.2, maxSilences: 600 }),
      (e: unknown) => e instanceof InterviewMediaError && e.status === "too-large" && /more than 600 silences/.test(e.message),
    );
  });
});

describe("tools that are missing or misbehave", () => {
  it("names the Debian package when ffmpeg is not installed", async () => {
    await assert.rejects(
      extractAudio("whatever.mp4", "out.wav", { ffprobePath: join(dir, "no-such-ffprobe"), ffmpegPath: join(dir, "no-such-ffmpeg") }),
      (e: unknown) => {
        assert.ok(e instanceof InterviewMediaError);
        assert.equal(e.status, "tool-missing");
        assert.match(e.message, /^ffprobe not found: install the Debian package ffmpeg/);
        return true;
      },
    );
  });

  it("parses silencedetect output, closing a trailing silence at the end", () => {
    const log =
      "[silencedetect @ 0x1] silence_start: 1.002\n[silencedetect @ 0x1] silence_end: 2.5 | silence_duration: 1.498\n[silencedetect @ 0x1] silence_start: 9.1\n";
    assert.deepEqual(parseSilences(log, 10), [
      { start: 1.002, end: 2.5 },
      { start: 9.1, end: 10 },
    ]);
  });

  it("parses more than 600 silences line by line, and refuses more than the cap", () => {
    const lines: string[] = [];
    for (let i = 0; i < 650; i += 1) {
      lines.push(`[silencedetect @ 0x55d0c8] silence_start: ${i * 2 + 1}`, `[silencedetect @ 0x55d0c8] silence_end: ${i * 2 + 1.5} | silence_duration: 0.5`);
    }
    const parser = createSilenceParser();
    for (const line of lines) parser.line(line);
    const silences = parser.finish();
    assert.equal(silences.length, 650);
    assert.deepEqual(silences[0], { start: 1, end: 1.5 });
    assert.deepEqual(silences[649], { start: 1299, end: 1299.5 });
    assert.deepEqual(parseSilences(lines.join("\n")), silences);
    const capped = createSilenceParser({ maxSilences: 600 });
    assert.throws(
      () => {
        for (const line of lines) capped.line(line);
      },
      (e: unknown) => e instanceof InterviewMediaError && /more than 600 silences/.test(e.message),
    );
  });
});
