import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { InterviewMediaError } from "../errors.ts";
import { openAiCompatibleEngine } from "./openai-compatible.ts";

interface Seen {
  path: string;
  auth: string | undefined;
  contentType: string;
  fields: Record<string, string>;
  file?: { name: string; type: string; bytes: Uint8Array };
}

let server: Server;
let base: string;
let seen: Seen[] = [];
let answer: { status: number; body: string } = { status: 200, body: "{}" };

async function readForm(req: IncomingMessage): Promise<Seen> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const contentType = req.headers["content-type"] ?? "";
  // Parse the multipart body with the platform's own parser, as a server framework would.
  const form = await new Request("http://x/", { method: "POST", headers: { "content-type": contentType }, body: Buffer.concat(chunks) }).formData();
  const fields: Record<string, string> = {};
  let file: Seen["file"];
  for (const [k, v] of form.entries()) {
    if (typeof v === "string") fields[k] = v;
    else file = { name: v.name, type: v.type, bytes: new Uint8Array(await v.arrayBuffer()) };
  }
  return { path: req.url ?? "", auth: req.headers.authorization, contentType, fields, ...(file ? { file } : {}) };
}

before(async () => {
  server = createServer(async (req, res) => {
    seen.push(await readForm(req));
    res.writeHead(answer.status, { "content-type": "application/json" });
    res.end(answer.body);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
after(() => server.close());

const wav = (() => {
  const dir = mkdtempSync(join(tmpdir(), "oai-"));
  const path = join(dir, "answer.wav");
  writeFileSync(path, Buffer.concat([Buffer.from("RIFF"), Buffer.alloc(4), Buffer.from("WAVE"), Buffer.alloc(100, 7)]));
  return path;
})();

describe("OpenAI-compatible /audio/transcriptions", () => {
  it("uploads the audio as multipart with verbose_json and reads segment times", async () => {
    seen = [];
    answer = {
      status: 200,
      body: JSON.stringify({
        task: "transcribe",
        language: "english",
        duration: 8.5,
        text: "Tell me about yourself. I build payment systems.",
        segments: [
          {
            id: 0,
            seek: 0,
            start: 0.0,
            end: 2.4,
            text: " Tell me about yourself.",
            tokens: [1],
            temperature: 0,
            avg_logprob: -0.2,
            compression_ratio: 1.1,
            no_speech_prob: 0.01,
          },
          {
            id: 1,
            seek: 0,
            start: 2.9,
            end: 8.5,
            text: " I build payment systems.",
            tokens: [2],
            temperature: 0,
            avg_logprob: -0.3,
            compression_ratio: 1.2,
            no_speech_prob: 0.02,
          },
        ],
      }),
    };
    const engine = openAiCompatibleEngine({ baseUrl: `${base}/`, apiKey: "sk-test", model: "whisper-1" });
    const r = await engine.transcribeWav(wav, { durationSeconds: 8.5, language: "en-US" });
    assert.equal(engine.name, "openai-compatible:whisper-1");
    assert.equal(r.language, "en");
    assert.deepEqual(r.segments, [
      { start: 0, end: 2.4, text: "Tell me about yourself." },
      { start: 2.9, end: 8.5, text: "I build payment systems." },
    ]);
    const request = seen[0]!;
    assert.equal(request.path, "/v1/audio/transcriptions");
    assert.equal(request.auth, "Bearer sk-test");
    assert.match(request.contentType, /^multipart\/form-data; boundary=/);
    assert.deepEqual(request.fields, { model: "whisper-1", response_format: "verbose_json", "timestamp_granularities[]": "segment", language: "en" });
    assert.equal(request.file?.name, "answer.wav");
    assert.equal(request.file?.type, "audio/wav");
    assert.equal(request.file?.bytes.length, 112);
  });

  it("makes one segment of a server that sends text only, and sends no key when none is set", async () => {
    seen = [];
    answer = { status: 200, body: JSON.stringify({ text: " hello there " }) };
    const r = await openAiCompatibleEngine({ baseUrl: base, model: "small" }).transcribeWav(wav, { durationSeconds: 3 });
    assert.deepEqual(r.segments, [{ start: 0, end: 3, text: "hello there" }]);
    assert.equal(r.language, "und");
    assert.equal(seen[0]!.auth, undefined);
    assert.equal(seen[0]!.fields.language, undefined);
  });

  it("reports server errors with the status and whether to retry, without the key", async () => {
    answer = { status: 401, body: JSON.stringify({ error: { message: "Incorrect API key provided", type: "invalid_request_error" } }) };
    await assert.rejects(
      openAiCompatibleEngine({ baseUrl: base, apiKey: "sk-secret-123", model: "whisper-1" }).transcribeWav(wav, { durationSeconds: 1 }),
      (e: unknown) => {
        assert.ok(e instanceof InterviewMediaError);
        assert.equal(e.status, "engine-failed");
        assert.equal(e.retriable, false);
        assert.match(e.message, /answered HTTP 401: Incorrect API key provided/);
        assert.doesNotMatch(e.message, /sk-secret/);
        return true;
      },
    );
    answer = { status: 503, body: "overloaded" };
    await assert.rejects(
      openAiCompatibleEngine({ baseUrl: base, model: "m" }).transcribeWav(wav, { durationSeconds: 1 }),
      (e: unknown) => e instanceof InterviewMediaError && e.retriable,
    );
    answer = { status: 200, body: JSON.stringify({ segments: [{ start: "zero" }] }) };
    await assert.rejects(openAiCompatibleEngine({ baseUrl: base, model: "m" }).transcribeWav(wav, { durationSeconds: 1 }), /not verbose_json/);
  });
});
