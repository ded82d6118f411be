import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { MockLanguageModelV4 } from "ai/test";
import { createAi, DEFAULT_AI_CONFIG, DEFAULT_MAX_UNTRUSTED_CHARS, type AiCallRecorder } from "../../ai/index.ts";
import type { Transcript } from "../transcript.ts";
import { scoreQuestions } from "./accuracy.ts";
import { analyzeInterviewWithProvider, interviewAiOptions, type InterviewAnswersOutput } from "./ai-answers.ts";
import { loadLabelledCorpus, type LabelledInterview } from "./labelled-corpus.ts";

type Reply = (interview: LabelledInterview) => InterviewAnswersOutput | Error;

function mockModel(reply: (prompt: string) => InterviewAnswersOutput | Error) {
  return new MockLanguageModelV4({
    doGenerate: async (options) => {
      const r = reply(JSON.stringify(options.prompt));
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

function aiAnswering(reply: (prompt: string) => InterviewAnswersOutput | Error) {
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

/** The segment numbers a prompt shows the model (`[n] (start–end s) role: text` lines). */
function segmentsShown(prompt: string): Set<number> {
  return new Set([...prompt.matchAll(/\[(\d+)\] \(\d/g)].map((m) => Number(m[1])));
}

/** The untrusted data fences of a prompt, as sent. */
function fencedBodies(prompt: string): string[] {
  const text = JSON.parse(prompt) as unknown;
  const all = JSON.stringify(text).replaceAll("\\n", "\n");
  return [...all.matchAll(/<<<DATA [^\n]*>>>\n([\s\S]*?)\n<<<END DATA/g)].map((m) => m[1]!);
}

const TOPICS = ["the rota", "handover", "the audit", "the new monitors", "discharge planning", "the bed board", "student mentoring", "infection control"];

/**
 * The nurse interview after two hours of earlier conversation on other topics: well over the
 * untrusted-text cap, with every question of the set asked only at the end.
 */
function longNurseInterview(): { interview: LabelledInterview; offset: number; shift: number } {
  const nurse = corpus.find((i) => i.name === "nurse")!;
  const [interviewer, candidate] = ["Priya Raman", "Tom Becker"];
  const filler: Transcript["segments"] = [];
  let t = 0;
  for (let k = 0; filler.length < 900; k++) {
    const topic = TOPICS[k % TOPICS.length]!;
    const lines: [string, string][] = [
      [interviewer, `Let's stay with ${topic} for a moment, part ${k + 1}. What changed on your floor in week ${k + 1}?`],
      [
        candidate,
        `In week ${k + 1} we reorganised ${topic} so that the day team and the night team used the same checklist, and the ward manager reviewed it on Fridays with the two of us who had drafted it.`,
      ],
      [candidate, `It meant fewer phone calls at seven in the morning, and the bay leads knew which beds would open before lunch on day ${k + 1}.`],
    ];
    for (const [speaker, text] of lines) {
      filler.push({ start: t, end: t + 8, text, speaker });
      t += 8.5;
    }
  }
  const shift = t;
  const segments = [...filler, ...nurse.transcript.segments.map((s) => ({ ...s, start: s.start + shift, end: s.end + shift }))];
  const labels = Object.fromEntries(
    Object.entries(nurse.labels).map(([id, l]) => [
      id,
      { asked: l.asked === null ? null : l.asked + shift, answer: l.answer ? ([l.answer[0] + shift, l.answer[1] + shift] as [number, number]) : null },
    ]),
  );
  const transcript: Transcript = {
    ...nurse.transcript,
    durationSeconds: segments.at(-1)!.end,
    text: segments.map((s) => s.text).join(" "),
    segments,
  };
  return { interview: { ...nurse, transcript, labels }, offset: filler.length, shift };
}

/** A model that answers as labelled, but only about the segments its prompt shows. */
function answeringWhatItSees(interview: LabelledInterview): (prompt: string) => InterviewAnswersOutput {
  const labelled = asLabelled(interview) as InterviewAnswersOutput;
  return (prompt) => {
    const shown = segmentsShown(prompt);
    return {
      questions: labelled.questions.map((q) =>
        q.asked && shown.has(q.asked.segment) && (!q.answer || shown.has(q.answer.toSegment)) ? q : { id: q.id, asked: null, answer: null },
      ),
    };
  };
}

describe("answers found by an AI provider in a transcript longer than one call may carry", () => {
  it("finds questions asked in the last window of an hours-long transcript", async () => {
    const { interview } = longNurseInterview();
    const chars = interview.transcript.segments.reduce((n, s) => n + s.text.length, 0);
    assert.ok(chars > 3 * DEFAULT_MAX_UNTRUSTED_CHARS, `${chars} characters`);
    const analysis = await analyzeInterviewWithProvider(aiAnswering(answeringWhatItSees(interview)), interview.transcript, interview.questions);
    assert.equal(analysis.summary.engine, "model");
    const s = scoreQuestions(analysis.questions, interview.labels);
    assert.deepEqual(s.misses, []);
    assert.ok(analysis.questions.find((q) => q.id === "q-patient")!.answer!.quote.startsWith("Sure. I had a gentleman"));
    assert.deepEqual(
      analysis.flags.filter((f) => f.kind === "unverified-quote"),
      [],
    );
  });

  it("sends every segment, each call's transcript under the cap and fenced as data, windows overlapping", async () => {
    const { interview } = longNurseInterview();
    const prompts: string[] = [];
    const reply = answeringWhatItSees(interview);
    await analyzeInterviewWithProvider(
      aiAnswering((p) => {
        prompts.push(p);
        return reply(p);
      }),
      interview.transcript,
      interview.questions,
    );
    assert.ok(prompts.length >= 4, `${prompts.length} calls`);
    const seen = new Set<number>();
    let previous: Set<number> | undefined;
    for (const p of prompts) {
      const bodies = fencedBodies(p);
      assert.equal(bodies.length, 1);
      assert.ok(bodies[0]!.length <= DEFAULT_MAX_UNTRUSTED_CHARS, `${bodies[0]!.length} characters in one call`);
      assert.ok(!p.includes("truncated"));
      const shown = segmentsShown(bodies[0]!);
      if (previous)
        assert.ok(
          [...shown].some((i) => previous!.has(i)),
          "consecutive windows share segments",
        );
      for (const i of shown) seen.add(i);
      previous = shown;
    }
    assert.equal(seen.size, interview.transcript.segments.length);
  });

  it("keeps the earliest verified asking when several windows find the same question", async () => {
    const { interview, offset } = longNurseInterview();
    const segs = interview.transcript.segments;
    // The model takes the first interviewer line it is shown for q-why, with an exact quote.
    const reply = answeringWhatItSees(interview);
    const firstAsking = (prompt: string) => Math.min(...[...segmentsShown(prompt)].filter((i) => i < offset && segs[i]!.speaker === "Priya Raman"));
    const analysis = await analyzeInterviewWithProvider(
      aiAnswering((p) => {
        const honest = reply(p);
        const at = firstAsking(p);
        if (!Number.isFinite(at)) return honest;
        return {
          questions: honest.questions.map((q) =>
            q.id === "q-why"
              ? { id: q.id, asked: { segment: at, quote: segs[at]!.text }, answer: { fromSegment: at + 1, toSegment: at + 1, quote: segs[at + 1]!.text } }
              : q,
          ),
        };
      }),
      interview.transcript,
      interview.questions,
    );
    const why = analysis.questions.find((q) => q.id === "q-why")!;
    assert.equal(why.asked!.start, segs[0]!.start);
    assert.equal(why.answer!.quote, segs[1]!.text);
  });

  it("answers locally over the whole transcript when a window's quote is invented, and flags it", async () => {
    const { interview } = longNurseInterview();
    const reply = answeringWhatItSees(interview);
    const analysis = await analyzeInterviewWithProvider(
      aiAnswering((p) => {
        const honest = reply(p);
        return {
          questions: honest.questions.map((q) =>
            q.id === "q-patient" && q.answer ? { ...q, answer: { ...q.answer, quote: "I have never lost my temper with a patient in ten years." } } : q,
          ),
        };
      }),
      interview.transcript,
      interview.questions,
    );
    assert.equal(analysis.summary.engine, "model");
    const patient = analysis.questions.find((q) => q.id === "q-patient")!;
    assert.ok(!patient.answer!.quote.includes("never lost my temper"));
    assert.ok(analysis.flags.some((f) => f.kind === "unverified-quote" && f.id === "q-patient"));
  });

  it("falls back to the local engine over the whole transcript when the provider fails", async () => {
    const { interview } = longNurseInterview();
    const analysis = await analyzeInterviewWithProvider(
      aiAnswering(() => new Error("503 upstream unavailable")),
      interview.transcript,
      interview.questions,
    );
    assert.equal(analysis.summary.engine, "local");
    assert.ok(analysis.summary.fallbackReason);
  });
});
