import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { scoreQuestions, spanOverlap } from "./accuracy.ts";
import { analyzeInterview } from "./analyze.ts";
import { asRecogniserWouldPrint, loadLabelledCorpus } from "./labelled-corpus.ts";

describe("accuracy on the labelled interviews", () => {
  // A ratchet, not the target: each batch's figure as recorded in bench/RESULTS.md when the matcher
  // last changed. A change may raise one, never lower one. The newest batch, written blind, is not
  // here: `npm run bench:interview-analysis` measures it before anything is learnt from it.
  // Round five went from 16 to 15 when the role model came in for transcripts without speakers (a
  // candidate's "you fall back on procedures" now reads as the interviewer's); rounds eight to ten,
  // written blind (and looked at since), went from 99 to 105; all batches as a recogniser prints
  // them went from 218 to 283 (below, per batch).
  const RECORDED: Record<string, number> = { tuning: 58, r1: 16, r2: 40, r3: 22, r4: 22, r5: 15, r6: 17, r7: 17, r8: 34, r9: 37, r10: 34 };
  /** Each batch but the newest, with every transcript as the offline recogniser prints it (no speakers, no punctuation). */
  const RECORDED_RECOGNISER_STYLE: Record<string, number> = {
    tuning: 58,
    r1: 14,
    r2: 37,
    r3: 18,
    r4: 19,
    r5: 13,
    r6: 17,
    r7: 16,
    r8: 30,
    r9: 31,
    r10: 30,
  };
  it("the local engine keeps every studied batch at least at its recorded figure (asked or not, and the answer span)", () => {
    const corpus = loadLabelledCorpus();
    assert.ok(corpus.length >= 10, "the corpus has at least 10 interviews");
    const correct = new Map<string, number>();
    const misses: string[] = [];
    for (const interview of corpus) {
      const batch = interview.heldOut ? `r${interview.round}` : "tuning";
      const s = scoreQuestions(analyzeInterview(interview.transcript, interview.questions).questions, interview.labels);
      correct.set(batch, (correct.get(batch) ?? 0) + s.correct);
      misses.push(...s.misses.map((m) => `${interview.name}/${m.id}: ${m.reason}`));
    }
    for (const [batch, floor] of Object.entries(RECORDED))
      assert.ok((correct.get(batch) ?? 0) >= floor, `${batch}: ${correct.get(batch)} right, recorded ${floor}; misses: ${misses.join("; ")}`);
  });
  it("keeps each batch but the newest at its recorded figure when the transcripts come as a recogniser prints them (no speakers, no punctuation)", () => {
    const correct = new Map<string, number>();
    for (const interview of loadLabelledCorpus()) {
      const batch = interview.heldOut ? `r${interview.round}` : "tuning";
      if (!(batch in RECORDED_RECOGNISER_STYLE)) continue;
      const s = scoreQuestions(analyzeInterview(asRecogniserWouldPrint(interview.transcript), interview.questions).questions, interview.labels);
      correct.set(batch, (correct.get(batch) ?? 0) + s.correct);
    }
    for (const [batch, floor] of Object.entries(RECORDED_RECOGNISER_STYLE))
      assert.ok((correct.get(batch) ?? 0) >= floor, `${batch}: ${correct.get(batch)} right as a recogniser prints it, recorded ${floor}`);
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
