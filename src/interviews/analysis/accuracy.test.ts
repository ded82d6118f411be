import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { scoreQuestions, spanOverlap } from "./accuracy.ts";
import { analyzeInterview } from "./analyze.ts";
import { loadLabelledCorpus } from "./labelled-corpus.ts";

describe("accuracy on the labelled interviews", () => {
  // The newest held-out batch is written blind and measured by `npm run bench:interview-analysis`
  // before anything is learnt from it; this guards the interviews already studied against regressions.
  it("the local engine gets at least 90 % of questions right on the interviews studied so far (asked or not, and the answer span)", () => {
    const all = loadLabelledCorpus();
    const newest = Math.max(...all.map((i) => i.round ?? 0));
    const corpus = all.filter((i) => !i.heldOut || (i.round ?? 0) < newest);
    assert.ok(corpus.length >= 10, "at least 10 interviews have been studied");
    let correct = 0;
    let total = 0;
    const misses: string[] = [];
    for (const interview of corpus) {
      const s = scoreQuestions(analyzeInterview(interview.transcript, interview.questions).questions, interview.labels);
      correct += s.correct;
      total += s.total;
      misses.push(...s.misses.map((m) => `${interview.name}/${m.id}: ${m.reason}`));
    }
    assert.ok(correct / total >= 0.9, `accuracy ${correct}/${total}; misses: ${misses.join("; ")}`);
  });
  it("the corpus has never-asked questions, unlabelled speakers and every transcript format", () => {
    const corpus = loadLabelledCorpus();
    assert.ok(corpus.some((i) => Object.values(i.labels).some((l) => l.asked === null)));
    assert.ok(corpus.some((i) => i.transcript.segments.every((s) => s.speaker === undefined)));
    assert.ok(corpus.some((i) => i.transcript.segments.every((s) => s.speaker !== undefined)));
  });
});

describe("judging an answer span", () => {
  it("counts overlap over the longer span, so an answer running to the end is not right", () => {
    assert.equal(spanOverlap([10, 20], [10, 20]), 1);
    assert.equal(spanOverlap([10, 20], [15, 25]), 0.5);
    assert.equal(spanOverlap([10, 100], [10, 20]), 10 / 90);
  });
  it("judges asked and not-asked", () => {
    const r = scoreQuestions(
      [
        { id: "a", text: "", asked: null, answer: null },
        { id: "b", text: "", asked: { start: 1, end: 2, quote: "x" }, answer: { start: 3, end: 9, quote: "y" } },
      ],
      { a: { asked: 4, answer: [5, 9] }, b: { asked: 1, answer: [3, 10] } },
    );
    assert.deepEqual([r.correct, r.misses.map((m) => m.reason)], [1, ["asked-but-missed"]]);
  });
});
