import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { InterviewMediaError } from "../errors.ts";
import { hasCommand, librivoxUtterances } from "../testing-media.ts";
import { parsePocketsphinxOutput, pocketsphinxArgs, pocketsphinxEngine } from "./pocketsphinx.ts";

// Real output of `pocketsphinx_continuous -infile two.wav -time yes` (two utterances, 2 s apart).
const output = `He was not an illness closed young man
<s> 0.140 0.220 0.999700
he 0.230 0.330 0.993322
was(2) 0.340 0.560 0.993024
[SPEECH] 0.990 1.120 0.527464
illness 1.310 1.670 0.897706
</s> 2.810 3.100 1.000000
he might
<s> 4.880 4.970 1.000300
<sil> 4.980 5.200 0.932853
he 5.210 5.370 0.999400
might 5.380 5.620 1.000300
</s> 8.010 8.270 1.000000
`;

describe("pocketsphinx output", () => {
  it("becomes one segment per utterance with word times, fillers and pronunciation variants removed", () => {
    const segments = parsePocketsphinxOutput(output);
    assert.equal(segments.length, 2);
    assert.deepEqual([segments[0]!.start, segments[0]!.end, segments[0]!.text], [0.23, 1.67, "he was illness"]);
    assert.deepEqual(
      segments[0]!.words!.map((w) => w.word),
      ["he", "was", "illness"],
    );
    assert.deepEqual([segments[1]!.start, segments[1]!.end, segments[1]!.text], [5.21, 5.62, "he might"]);
    assert.equal(segments[1]!.words![1]!.confidence, 1, "posteriors over 1 are clamped");
  });

  it("gives no segments for silence", () => {
    assert.deepEqual(parsePocketsphinxOutput("\n<s> 0.000 0.100 1.0\n</s> 0.100 3.000 1.0\n"), []);
  });

  it("passes model paths only when configured", () => {
    assert.deepEqual(pocketsphinxArgs("a.wav"), ["-infile", "a.wav", "-time", "yes"]);
    assert.deepEqual(pocketsphinxArgs("a.wav", { modelDir: "/m", dict: "/d.dict" }), [
      "-infile",
      "a.wav",
      "-time",
      "yes",
      "-hmm",
      "/m/en-us",
      "-lm",
      "/m/en-us.lm.bin",
      "-dict",
      "/d.dict",
    ]);
  });
});

const utterances = librivoxUtterances();
const skip = !hasCommand("pocketsphinx_continuous", ["-h"])
  ? "pocketsphinx_continuous not installed (Debian packages pocketsphinx, pocketsphinx-en-us)"
  : utterances.length === 0
    ? "Debian package pocketsphinx-testdata not installed"
    : false;

describe("pocketsphinx on real speech", { skip }, () => {
  it("recognises a LibriVox test utterance with word times inside the recording", async () => {
    const u = utterances.find((x) => x.id.endsWith("0930"))!;
    const r = await pocketsphinxEngine().transcribeWav(u.wav, { durationSeconds: 3 });
    assert.equal(r.language, "en");
    const words = r.segments.flatMap((s) => s.words ?? []);
    const text = words.map((w) => w.word).join(" ");
    for (const expected of ["he", "might", "even", "have", "been", "made"]) assert.match(text, new RegExp(`\\b${expected}\\b`));
    for (const w of words) assert.ok(w.start >= 0 && w.end >= w.start && w.end < 4, JSON.stringify(w));
  });

  it("says when the model folder holds no model", async () => {
    const u = utterances[0]!;
    await assert.rejects(pocketsphinxEngine({ modelDir: "/nonexistent-model" }).transcribeWav(u.wav, { durationSeconds: 3 }), (e: unknown) => {
      assert.ok(e instanceof InterviewMediaError);
      assert.equal(e.status, "model-missing");
      assert.match(e.message, /install the Debian package pocketsphinx-en-us/);
      return true;
    });
  });
});

describe("pocketsphinx missing", () => {
  it("names the Debian package", async () => {
    await assert.rejects(
      pocketsphinxEngine({ command: "pocketsphinx-not-installed-here" }).transcribeWav("a.wav", { durationSeconds: 1 }),
      /^InterviewMediaError: pocketsphinx_continuous not found: install the Debian package pocketsphinx/,
    );
  });
});
