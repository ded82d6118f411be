import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { describeInterview, statedFeelings } from "./metrics.ts";
import type { LabelledSegment } from "./speakers.ts";

const s = (index: number, start: number, end: number, role: LabelledSegment["role"], text: string): LabelledSegment => ({
  index,
  start,
  end,
  text,
  role,
  isQuestion: role === "interviewer",
});

describe("descriptive metrics", () => {
  const segments = [
    s(0, 0, 10, "interviewer", "Tell me about your last project please."),
    s(1, 10, 40, "candidate", "word ".repeat(60).trim()),
    s(2, 40, 50, "interviewer", "Thanks."),
    s(3, 50, 60, "candidate", "I was frustrated that the launch slipped. We fixed it."),
  ];
  it("gives talk time, share, words per minute and turns per role", () => {
    const m = describeInterview(segments, [], 60);
    assert.equal(m.kind, "descriptive");
    assert.deepEqual(m.speakers.candidate, { talkSeconds: 40, talkShare: 0.667, words: 70, wordsPerMinute: 105, turns: 2 });
    assert.equal(m.speakers.interviewer.turns, 2);
  });
  it("measures each answer's length", () => {
    const m = describeInterview(
      segments,
      [
        {
          id: "q",
          text: "",
          asked: { start: 0, end: 10, quote: "" },
          answer: { start: 10, end: 40, quote: "" },
          askedIndex: 0,
          answerIndices: [1],
          similarity: 1,
        },
      ],
      60,
    );
    assert.deepEqual(m.answers, [{ id: "q", words: 60, seconds: 30 }]);
  });
  it("quotes only the candidate's own statements of feeling", () => {
    assert.deepEqual(statedFeelings([...segments, s(4, 61, 63, "interviewer", "I was excited to meet you.")]), [
      { start: 50, end: 60, quote: "I was frustrated that the launch slipped." },
    ]);
  });
});
