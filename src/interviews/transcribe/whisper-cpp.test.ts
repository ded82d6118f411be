import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { InterviewMediaError } from "../errors.ts";
import { segmentsOrWhole, wavToFloat32, whisperCppEngine } from "./whisper-cpp.ts";

const dir = mkdtempSync(join(tmpdir(), "whisper-"));

function wavOf(samples: number[]): Buffer {
  const data = Buffer.alloc(samples.length * 2);
  samples.forEach((s, i) => data.writeInt16LE(s, i * 2));
  const header = Buffer.alloc(44);
  header.write("RIFF", 0, "latin1");
  header.writeUInt32LE(36 + data.length, 4);
  header.write("WAVEfmt ", 8, "latin1");
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(16000, 24);
  header.writeUInt32LE(32000, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write("data", 36, "latin1");
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

describe("the whisper.cpp engine", () => {
  it("fails with a clear message when the model file is absent, and downloads nothing", async () => {
    const wav = join(dir, "a.wav");
    writeFileSync(wav, wavOf([0, 0, 0]));
    await assert.rejects(whisperCppEngine({ modelPath: join(dir, "ggml-base.en.bin") }).transcribeWav(wav, { durationSeconds: 1 }), (e: unknown) => {
      assert.ok(e instanceof InterviewMediaError);
      assert.equal(e.status, "model-missing");
      assert.match(e.message, /whisper\.cpp model file not found at ".*ggml-base\.en\.bin": download a ggml model .* Fulcrum never downloads models/);
      return true;
    });
  });

  it("says a file that is not a ggml model is not one (the binding loads and refuses it)", async () => {
    const wav = join(dir, "b.wav");
    writeFileSync(wav, wavOf([0, 0, 0]));
    const fake = join(dir, "not-a-model.bin");
    writeFileSync(fake, Buffer.from("this is not a ggml model ".repeat(100)));
    await assert.rejects(whisperCppEngine({ modelPath: fake }).transcribeWav(wav, { durationSeconds: 1 }), (e: unknown) => {
      assert.ok(e instanceof InterviewMediaError, String(e));
      assert.equal(e.status, "model-missing");
      assert.match(e.message, /is not a whisper\.cpp ggml model/);
      return true;
    });
  });

  it("reads 16-bit PCM WAV samples as floats", () => {
    const f = wavToFloat32(wavOf([0, 16384, -32768, 32767]));
    assert.deepEqual([...f], [0, 0.5, -1, 32767 / 32768]);
    assert.throws(() => wavToFloat32(Buffer.from("not a wav at all")), /not a WAV file/);
  });

  it("keeps segment times, or spans the file with the text when no segment arrived", () => {
    assert.deepEqual(
      segmentsOrWhole(
        [
          { start: 2, end: 3, text: "b" },
          { start: 0, end: 2, text: "a" },
        ],
        "a b",
        3,
      ).map((x) => x.text),
      ["a", "b"],
    );
    assert.deepEqual(segmentsOrWhole([], " hello ", 4.5), [{ start: 0, end: 4.5, text: "hello" }]);
    assert.deepEqual(segmentsOrWhole([], "  ", 4.5), []);
  });
});
