import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { MockLanguageModelV4 } from "ai/test";
import { createAi, DEFAULT_AI_CONFIG, type AiCallRecorder } from "../../ai/index.ts";
import { scoreQuestions } from "./accuracy.ts";
import { analyzeInterviewWithProvider, interviewAiOptions, type InterviewAnswersOutput } from "./ai-answers.ts";
import { loadLabelledCorpus, type LabelledInterview } from "./labelled-corpus.ts";

type Reply = (interview: LabelledInterview) => InterviewAnswersOutput | Error;

function mockModel(reply: () => InterviewAnswersOutput | Error) {
  return new MockLanguageModelV4({
    doGenerate: async () => {
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
}

function aiAnswering(reply: () => InterviewAnswersOutput | Error) {
  return createAi({
    config: { ai: { ...DEFAULT_AI_CONFIG, provider: "openai", openaiApiKey: "sk-test" } },
    models: { openai: () => mockModel(reply) },
    ...interviewAiOptions,
  });
}

/** What a model that reads the transcript as the labeller did would answer: segments and verbatim quotes. */
const asLabelled: Reply = (interview) => {
  const segs = interview.transcript.segments;
  const at = (t: number) => segs.findIndex((s) => Math.abs(s.start - t) < 0.01);
  return {
    questions: interview.questions.map((q) => {
      const label = interview.labels[q.id]!;
      if (label.asked === null) return { id: q.id, asked: null, answer: null };
      const asked = at(label.asked);
      const from = label.answer ? at(label.answer[0]) : -1;
      const to = label.answer ? segs.findIndex((s) => Math.abs(s.end - label.answer![1]) < 0.01) : -1;
      return {
        id: q.id,
        asked: { segment: asked, quote: segs[asked]!.text },
        answer: label.answer ? { fromSegment: from, toSegment: to, quote: segs[from]!.text } : null,
      };
    }),
  };
};

const corpus = loadLabelledCorpus();

describe("answers found by an AI provider", () => {
  it("is measured on the labelled set like the local engine (mock model answering as labelled)", async () => {
    let correct = 0;
    let total = 0;
    for (const interview of corpus) {
      const analysis = await analyzeInterviewWithProvider(
        aiAnswering(() => asLabelled(interview) as InterviewAnswersOutput),
        interview.transcript,
        interview.questions,
      );
      assert.equal(analysis.summary.engine, "model");
      const s = scoreQuestions(analysis.questions, interview.labels);
      correct += s.correct;
      total += s.total;
    }
    assert.ok(correct / total >= 0.9, `${correct}/${total}`);
  });

  it("drops a quote the transcript does not hold and answers that question with the local engine", async () => {
    const interview = corpus.find((i) => i.name === "nurse")!;
    const honest = asLabelled(interview) as InterviewAnswersOutput;
    const invented = {
      questions: honest.questions.map((q) =>
        q.id === "q-patient" && q.answer ? { ...q, answer: { ...q.answer, quote: "I have never lost my temper with a patient in ten years." } } : q,
      ),
    };
    const analysis = await analyzeInterviewWithProvider(
      aiAnswering(() => invented),
      interview.transcript,
      interview.questions,
    );
    const patient = analysis.questions.find((q) => q.id === "q-patient")!;
    assert.ok(!patient.answer!.quote.includes("never lost my temper"));
    assert.ok(patient.answer!.quote.startsWith("Sure. I had a gentleman"));
    assert.ok(analysis.flags.some((f) => f.kind === "unverified-quote" && f.id === "q-patient"));
  });

  it("ignores a model's own claim of what is unverified, and a question it left out is answered locally", async () => {
    const interview = corpus.find((i) => i.name === "sales")!;
    const honest = asLabelled(interview) as InterviewAnswersOutput;
    const partial = { questions: honest.questions.filter((q) => q.id !== "q-quota"), unverified: ["q-pipeline"] };
    const analysis = await analyzeInterviewWithProvider(
      aiAnswering(() => partial),
      interview.transcript,
      interview.questions,
    );
    assert.deepEqual(
      analysis.flags.filter((f) => f.kind === "unverified-quote").map((f) => (f as { id: string }).id),
      ["q-quota"],
    );
    assert.ok(analysis.questions.find((q) => q.id === "q-quota")!.asked);
  });

  it("keeps the transcript and the quotes out of the append-only audit trail: only their hash and length", async () => {
    const interview = corpus.find((i) => i.name === "nurse")!;
    const records: Parameters<AiCallRecorder["append"]>[0][] = [];
    const ai = createAi({
      config: { ai: { ...DEFAULT_AI_CONFIG, provider: "openai", openaiApiKey: "sk-test" } },
      models: { openai: () => mockModel(() => asLabelled(interview) as InterviewAnswersOutput) },
      audit: { append: async (r) => void records.push(r) },
      ...interviewAiOptions,
    });
    const analysis = await analyzeInterviewWithProvider(ai, interview.transcript, interview.questions);
    assert.equal(analysis.summary.engine, "model");
    assert.equal(records.length, 1);
    const trail = JSON.stringify(records);
    for (const s of interview.transcript.segments.filter((seg) => seg.text.length > 20))
      assert.ok(!trail.includes(s.text.trim().slice(0, 20)), `the trail holds "${s.text.slice(0, 40)}"`);
    const data = records[0]!.data as { redactedInput: { sha256: string; chars: number }; output: { sha256: string; chars: number }; inputHash: string };
    assert.match(data.redactedInput.sha256, /^[0-9a-f]{64}$/);
    assert.ok(data.redactedInput.chars > 1000);
    assert.match(data.output.sha256, /^[0-9a-f]{64}$/);
    assert.match(data.inputHash, /^[0-9a-f]{64}$/);
  });

  it("falls back to the local engine when the provider fails", async () => {
    const interview = corpus[0]!;
    const analysis = await analyzeInterviewWithProvider(
      aiAnswering(() => new Error("503 upstream unavailable")),
      interview.transcript,
      interview.questions,
    );
    assert.equal(analysis.summary.engine, "local");
    assert.ok(analysis.summary.fallbackReason);
    assert.equal(scoreQuestions(analysis.questions, interview.labels).misses.length, 0);
  });

  it("uses the local engine when no provider is configured", async () => {
    const interview = corpus[1]!;
    const ai = createAi({ config: { ai: DEFAULT_AI_CONFIG }, ...interviewAiOptions });
    const analysis = await analyzeInterviewWithProvider(ai, interview.transcript, interview.questions);
    assert.equal(analysis.summary.engine, "local");
  });
});
