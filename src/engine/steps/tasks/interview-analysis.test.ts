import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { MockLanguageModelV4 } from "ai/test";
import { createAi, DEFAULT_AI_CONFIG } from "../../../ai/index.ts";
import { interviewPostingSchema, interviewsConfigSchema } from "../../../config/index.ts";
import {
  interviewAiOptions,
  loadLabelledCorpus,
  type InterviewAnswersOutput,
  type LabelledInterview,
  type TranscriptionEngine,
} from "../../../interviews/index.ts";
import { ffmpegSync, hasCommand } from "../../../interviews/testing-media.ts";
import { openTestDatabase, testEngines, type TestDatabase } from "../../../store/testing.ts";
import type { AiStepRunner, TaskInput } from "../../ports.ts";
import { aiStepRunner } from "../../runs/runtime.ts";
import {
  clockTime,
  interviewAnalyzeTask,
  interviewSetFor,
  interviewTranscribeTask,
  momentLink,
  TranscriptionInProgress,
  triageTag,
} from "./interview-analysis.ts";

// Read before any test is declared: tests declared after an await at the top level are not run.
const engines = await testEngines();

const set = (posting: string, stage?: string) =>
  interviewPostingSchema.parse({ posting, ...(stage ? { stage } : {}), questions: [{ id: `${posting}-${stage ?? "any"}`, text: "Tell me about yourself." }] });

describe("interview analysis helpers", () => {
  it("picks the stage's own question set, else the posting's stage-less one, by id or name in any case", () => {
    const postings = [set("Account Executive"), set("Account Executive", "Video Interview"), set("p-2")];
    const ae = { id: "p-1", text: "Account Executive" };
    assert.equal(interviewSetFor(postings, ae, { id: "s-9", text: "video interview" })?.questions[0]?.id, "Account Executive-Video Interview");
    assert.equal(interviewSetFor(postings, ae, { id: "s-1", text: "Phone Screen" })?.questions[0]?.id, "Account Executive-any");
    assert.equal(interviewSetFor(postings, ae, null)?.questions[0]?.id, "Account Executive-any");
    assert.equal(interviewSetFor(postings, { id: "p-2" }, null)?.questions[0]?.id, "p-2-any");
    assert.equal(interviewSetFor(postings, { id: "p-3", text: "Nurse" }, null), null);
  });

  it("bands an advisory score into a triage tag only when the posting set thresholds", () => {
    const triage = { strongAt: 75, weakBelow: 40, tagPrefix: "interview" };
    assert.equal(triageTag(75, triage), "interview-strong");
    assert.equal(triageTag(74, triage), "interview-review");
    assert.equal(triageTag(39, triage), "interview-weak");
    assert.equal(triageTag(90, null), "");
    assert.equal(triageTag(undefined, triage), "");
  });

  it("writes times as a clock and links to the moment on the player, keeping its query", () => {
    assert.equal(clockTime(7.9), "0:07");
    assert.equal(clockTime(723), "12:03");
    assert.equal(clockTime(3729), "1:02:09");
    assert.equal(momentLink("https://player.example/v/1?lang=en", 14.6), "https://player.example/v/1?lang=en&t=14");
    assert.equal(momentLink("https://player.example/v/1?t=3", 20), "https://player.example/v/1?t=20");
    assert.equal(momentLink("", 20), "");
  });
});

/** What a model that read the transcript as the labeller did would answer, with one answer's quote made up. */
function labelledReply(interview: LabelledInterview, invent?: { id: string; quote: string }): InterviewAnswersOutput {
  const segs = interview.transcript.segments;
  const at = (t: number) => segs.findIndex((s) => Math.abs(s.start - t) < 0.01);
  return {
    questions: interview.questions.map((q) => {
      const label = interview.labels[q.id]!;
      if (label.asked === null) return { id: q.id, asked: null, answer: null };
      const asked = at(label.asked);
      const from = label.answer ? at(label.answer[0]) : -1;
      const to = label.answer ? segs.findIndex((s) => Math.abs(s.end - label.answer![1]) < 0.01) : -1;
      const quote = invent?.id === q.id ? invent.quote : (segs[from]?.text ?? "");
      return { id: q.id, asked: { segment: asked, quote: segs[asked]!.text }, answer: label.answer ? { fromSegment: from, toSegment: to, quote } : null };
    }),
  };
}

/** The engine's AI runner over the real AI layer, its OpenAI model replaced by the AI SDK's mock. */
function engineAi(reply: () => InterviewAnswersOutput | Error, maxUntrustedChars?: number): { runner: AiStepRunner; calls: () => number; prompts: string[] } {
  let calls = 0;
  const prompts: string[] = [];
  const model = new MockLanguageModelV4({
    doGenerate: async (call) => {
      calls += 1;
      prompts.push(JSON.stringify(call.prompt));
      const r = reply();
      if (r instanceof Error) throw r;
      return {
        content: [{ type: "text", text: JSON.stringify(r) }],
        finishReason: { unified: "stop", raw: undefined },
        usage: {
          inputTokens: { total: 900, noCache: 900, cacheRead: undefined, cacheWrite: undefined },
          outputTokens: { total: 300, text: 300, reasoning: undefined },
        },
        warnings: [],
      };
    },
  });
  const ai = createAi({
    config: { ai: { ...DEFAULT_AI_CONFIG, provider: "openai", openaiApiKey: "sk-test", ...(maxUntrustedChars ? { maxUntrustedChars } : {}) } },
    models: { openai: () => model },
    ...interviewAiOptions,
  });
  return { runner: aiStepRunner(ai), calls: () => calls, prompts };
}

describe("the analyze task", () => {
  const nurse = loadLabelledCorpus().find((i) => i.name === "nurse")!;
  const analyze = (questions: { id: string; text: string }[]) =>
    interviewAnalyzeTask({ interviews: interviewsConfigSchema.parse({}) })({
      with: { tool: "willo", questions, transcript: nurse.transcript },
      traceId: "trace-nothing",
      dryRun: true,
      connectionId: "default",
    } as unknown as TaskInput);
  const elsewhere = { id: "q-design", text: "How would you design a URL shortening service?" };

  it("refuses as nothing-matched an interview that asks none of the set's questions, rather than writing a note of questions not asked", async () => {
    await assert.rejects(analyze([elsewhere]), {
      name: "StepFailure",
      message: "nothing-matched: the one question of the set was not found in the transcript: check the recording and the question set",
    });
  });

  it("analyses an interview that asks one question of the set, however many it does not ask", async () => {
    const asked = nurse.questions.find((q) => nurse.labels[q.id]?.asked !== null)!;
    const out = await analyze([elsewhere, asked]);
    assert.equal(out.asked, 1);
    assert.deepEqual(out.notAsked, [elsewhere.id]);
    assert.match(String(out.note), /How would you design a URL shortening service\?\n {3}Not asked\./);
  });
});

describe("the analyze task with an AI provider", () => {
  const nurse = loadLabelledCorpus().find((i) => i.name === "nurse")!;
  const invented = "I have never lost my temper with a patient in ten years.";
  const interviews = (analysisEngine: "ai" | "local") => interviewsConfigSchema.parse({ analysisEngine });
  const run = (options: { analysisEngine: "ai" | "local"; ai: AiStepRunner | undefined }) =>
    interviewAnalyzeTask({ interviews: interviews(options.analysisEngine) })({
      with: { tool: "willo", questions: nurse.questions, transcript: nurse.transcript },
      ai: options.ai,
      traceId: "trace-ai",
      dryRun: true,
      connectionId: "default",
    } as unknown as TaskInput);

  it("uses the provider through the engine's AI runner, drops an invented quote for the local engine's, and flags the note for a person", async () => {
    const { runner, calls } = engineAi(() => labelledReply(nurse, { id: "q-patient", quote: invented }));
    const out = await run({ analysisEngine: "ai", ai: runner });
    assert.equal(calls(), 1);
    assert.equal((out.meta as { engine: string }).engine, "model");
    assert.match(String(out.note), /^Interview analysis from willo \(advisory; an AI model;/);
    assert.ok(!String(out.note).includes("never lost my temper"), "the invented quote is not in the note");
    const patient = (out.evidence as { question: string; quote: string }[]).find((e) => e.question === "q-patient")!;
    assert.ok(patient.quote.startsWith("Sure. I had a gentleman"), patient.quote);
    assert.deepEqual(out.flags, ["unverified-quotes"]);
    assert.ok((out.reasons as string[]).some((r) => /1 answer from the AI model quoted words the transcript does not hold/.test(r)));
  });

  it("falls back to the local engine with the provider's failure as the recorded reason", async () => {
    const { runner } = engineAi(() => new Error("503 upstream unavailable"));
    const out = await run({ analysisEngine: "ai", ai: runner });
    assert.equal((out.meta as { engine: string }).engine, "local");
    assert.match(String((out.meta as { fallbackReason?: string }).fallbackReason), /503 upstream unavailable|provider answered|model call failed/);
    assert.ok(
      (out.reasons as string[]).some((r) => /^answers found by Fulcrum's local engine because /.test(r)),
      JSON.stringify(out.reasons),
    );
    assert.match(String(out.note), /Fulcrum's local engine/);
  });

  it("falls back to the local engine, saying why, when the runner itself throws", async () => {
    const out = await run({
      analysisEngine: "ai",
      ai: async () => {
        throw new Error('unknown AI step type "interview-answers"');
      },
    });
    assert.equal((out.meta as { engine: string }).engine, "local");
    assert.match(String((out.meta as { fallbackReason?: string }).fallbackReason), /^the AI provider failed: unknown AI step type/);
  });

  it("keeps each call's transcript under a lower configured cap on untrusted text: more windows, none cut short", async () => {
    const cap = 2_000;
    assert.ok(nurse.transcript.segments.map((s) => s.text).join("\n").length > cap, "the transcript is longer than the cap");
    const { runner, calls, prompts } = engineAi(() => labelledReply(nurse), cap);
    const out = await interviewAnalyzeTask({ interviews: interviews("ai"), maxUntrustedChars: cap })({
      with: { tool: "willo", questions: nurse.questions, transcript: nurse.transcript },
      ai: runner,
      traceId: "trace-cap",
      dryRun: true,
      connectionId: "default",
    } as unknown as TaskInput);
    assert.ok(calls() > 1, `the transcript went in ${calls()} call(s)`);
    assert.ok(
      prompts.every((p) => !p.includes("truncated:")),
      "no window was cut at the cap",
    );
    assert.equal((out.meta as { engine: string }).engine, "model");
  });

  it("never asks the provider when the configuration keeps the analysis local (the default)", async () => {
    const { runner, calls } = engineAi(() => labelledReply(nurse));
    const out = await run({ analysisEngine: "local", ai: runner });
    assert.equal(calls(), 0);
    assert.deepEqual(out.meta, { engine: "local" });
    assert.equal(interviewsConfigSchema.parse({}).analysisEngine, "local");
  });
});

const haveFfmpeg = hasCommand("ffmpeg") && hasCommand("ffprobe");

for (const e of engines) {
  describe(`the transcribe task, one attempt at a time, on ${e.kind}`, {
    skip: e.skip || (haveFfmpeg ? false : "ffmpeg not installed (Debian package ffmpeg)"),
  }, () => {
    let t: TestDatabase;
    let dir: string;
    let server: Server;
    let url: string;
    before(async () => {
      t = await openTestDatabase(e.kind);
      dir = mkdtempSync(join(tmpdir(), "transcribe-lease-"));
      ffmpegSync(["-f", "lavfi", "-i", "sine=frequency=440:duration=2", "-ar", "16000", "-ac", "1", "-c:a", "pcm_s16le", join(dir, "answer.wav")]);
      server = createServer((_req, res) => {
        res.writeHead(200, { "content-type": "application/octet-stream" });
        res.end(readFileSync(join(dir, "answer.wav")));
      });
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/answer.wav`;
    });
    after(async () => {
      server?.close();
      await t?.drop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it("transcribes once when two attempts of the step run at the same time: the second waits for the first's transcript", async () => {
      let calls = 0;
      const slow: TranscriptionEngine = {
        name: "slow",
        maxChunkSeconds: 1000,
        async transcribeWav(_wav, o) {
          calls++;
          await new Promise((r) => setTimeout(r, 500));
          return { language: "en", segments: [{ start: 0, end: o.durationSeconds, text: "I led the migration." }] };
        },
      };
      const task = interviewTranscribeTask({
        tools: { willo: { mediaHosts: ["127.0.0.1"] } } as never,
        insecureHosts: ["127.0.0.1"],
        engine: slow,
        interviews: interviewsConfigSchema.parse({ workDir: dir }),
      });
      const input = {
        with: { tool: "willo", opportunityId: "opp-1" },
        event: { interview: { mediaUrl: url } },
        db: t.db,
        connectionId: "default",
        traceId: "trace-lease",
        dryRun: false,
      } as unknown as TaskInput;
      const [first, second] = await Promise.allSettled([task(input), task(input)]);
      const done = [first, second].filter((r) => r.status === "fulfilled");
      const waiting = [first, second].filter((r) => r.status === "rejected").map((r) => (r as PromiseRejectedResult).reason);
      assert.equal(calls, 1, "the recording is transcribed once");
      assert.equal(done.length, 1);
      assert.equal(waiting.length, 1);
      assert.ok(waiting[0] instanceof TranscriptionInProgress);
      assert.ok(waiting[0].retryAt instanceof Date && waiting[0].retryAt.getTime() > Date.now(), "the engine parks the step until then");
      // Woken again, the waiting attempt finds the transcript the first one stored.
      const again = await task(input);
      assert.equal(calls, 1);
      assert.equal(again.recordId, (done[0] as PromiseFulfilledResult<Record<string, unknown>>).value.recordId);
      assert.deepEqual((await t.db.query("select * from interview_transcriptions")).rows, [], "the lease is given back");
    });
  });
}
