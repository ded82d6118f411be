import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { runFulcrumMain } from "../../../test/support/fulcrum-cli.ts";

const LIBRIVOX = "/usr/share/pocketsphinx/test/data/librivox";
const WAV = join(LIBRIVOX, "sense_and_sensibility_01_austen_64kb-0930.wav");

/** `fulcrum <args>`, run by the binary's main() in this process (a process per command costs seconds). */
function fulcrum(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return runFulcrumMain(args, { env: { ...process.env, FULCRUM_LOG_LEVEL: "silent", ...env } });
}

const has = (cmd: string, args: string[]) => spawnSync(cmd, args, { stdio: "ignore" }).error === undefined;
const havePocketsphinx = has("pocketsphinx_continuous", ["-h"]) && has("ffmpeg", ["-version"]) && spawnSync("test", ["-f", WAV]).status === 0;
const CONTRACT_KEYS = ["durationSeconds", "engine", "language", "segments", "text"];

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), "fulcrum-interview-cli-"));
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe("fulcrum interview transcribe", () => {
  it("transcribes a testdata WAV with pocketsphinx into exactly the contract's shape", {
    skip: havePocketsphinx ? false : "pocketsphinx, pocketsphinx-en-us, pocketsphinx-testdata or ffmpeg not installed (Debian packages)",
  }, async () => {
    const r = await fulcrum(["interview", "transcribe", WAV]);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as Record<string, unknown> & { segments: Record<string, unknown>[] };
    assert.deepEqual(Object.keys(out).sort(), CONTRACT_KEYS);
    assert.equal(out.engine, "pocketsphinx");
    assert.equal(out.language, "en");
    assert.ok(Math.abs((out.durationSeconds as number) - 3.29) < 0.05);
    assert.match(out.text as string, /might even have been made/);
    for (const s of out.segments) {
      assert.deepEqual(Object.keys(s).sort(), ["end", "start", "text"]);
      assert.ok((s.start as number) >= 0 && (s.end as number) <= 3.3);
    }
  });

  it("prints a WebVTT transcript with speakers, in the same shape", async () => {
    const vtt = join(dir, "call.vtt");
    writeFileSync(
      vtt,
      "WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n<v Maya>Tell me about yourself.</v>\n\n00:00:03.500 --> 00:00:07.000\nSam: I lead a platform team.\n",
    );
    const r = await fulcrum(["interview", "transcribe", vtt]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), {
      engine: "transcript",
      language: "en", // no Language header: guessed from English function words
      durationSeconds: 7,
      text: "Tell me about yourself. I lead a platform team.",
      segments: [
        { start: 1, end: 3, text: "Tell me about yourself.", speaker: "Maya" },
        { start: 3.5, end: 7, text: "I lead a platform team.", speaker: "Sam" },
      ],
    });
  });

  it("prints SRT and JSON-segment transcripts", async () => {
    const srt = join(dir, "call.srt");
    writeFileSync(srt, "1\n00:00:00,500 --> 00:00:02,000\nHello there.\n\n2\n00:00:02,000 --> 00:00:04,250\nThanks for having me.\n");
    const a = await fulcrum(["interview", "transcribe", srt]);
    assert.equal(a.code, 0, a.stderr);
    const sOut = JSON.parse(a.stdout) as { segments: unknown[]; durationSeconds: number };
    assert.deepEqual(sOut.segments, [
      { start: 0.5, end: 2, text: "Hello there." },
      { start: 2, end: 4.25, text: "Thanks for having me." },
    ]);
    const json = join(dir, "segments.json");
    writeFileSync(json, JSON.stringify({ language: "en", segments: [{ start: 0, end: 1.2, text: "Hi", speaker: "Interviewer" }] }));
    const b = await fulcrum(["interview", "transcribe", json]);
    assert.equal(b.code, 0, b.stderr);
    assert.deepEqual(JSON.parse(b.stdout), {
      engine: "transcript",
      language: "en",
      durationSeconds: 1.2,
      text: "Hi",
      segments: [{ start: 0, end: 1.2, text: "Hi", speaker: "Interviewer" }],
    });
  });

  it("reports bad input with a status and exit code, and --help states the contract", async () => {
    const bad = join(dir, "broken.vtt");
    writeFileSync(bad, "WEBVTT\n\n00:00:09.000 --> 00:00:01.000\nbackwards\n");
    const r = await fulcrum(["interview", "transcribe", bad]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /transcript-invalid: WebVTT transcript "broken\.vtt", line 3: the cue ends/);
    const missing = await fulcrum(["interview", "transcribe", join(dir, "nope.mp4")]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /does not exist/);
    const noModel = join(dir, "tone.wav");
    if (has("ffmpeg", ["-version"])) {
      spawnSync("ffmpeg", ["-nostdin", "-y", "-v", "error", "-f", "lavfi", "-i", "sine=duration=1", noModel]);
      const w = await fulcrum(["interview", "transcribe", noModel, "--engine", "whisper-cpp", "--model", join(dir, "ggml-base.en.bin")]);
      assert.equal(w.code, 69);
      assert.match(w.stderr, /model-missing: whisper\.cpp model file not found/);
    }
    const help = await fulcrum(["interview", "transcribe", "--help"]);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /\{ "engine", "language", "durationSeconds", "text", "segments": \[\{ "start", "end", "text", "speaker"\? \}\] \}/);
    assert.match(help.stdout, /about 30 % word error rate/);
  });
});
