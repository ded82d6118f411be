import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { improperQuestions, inconsistentQuestions } from "./interviewer-check.ts";
import type { LabelledSegment } from "./speakers.ts";

const i = (start: number, text: string): LabelledSegment => ({ index: start, start, end: start + 3, text, role: "interviewer", isQuestion: true });

describe("questions that should not be asked", () => {
  it("flags age, family plans, religion, origin, health and marital status with the quote and time", () => {
    const flags = improperQuestions([
      i(0, "How old are you, if you don't mind me asking?"),
      i(5, "Do you plan to have kids soon?"),
      i(10, "Which church do you go to?"),
      i(15, "Where are you from originally?"),
      i(20, "Do you have any disabilities we should know about?"),
      i(25, "Thanks. Are you married?"),
      i(30, "Have you ever been arrested?"),
    ]);
    assert.deepEqual(
      flags.map((f) => f.category),
      ["age", "family-plans", "religion", "origin", "health", "marital-status", "arrests"],
    );
    assert.deepEqual([flags[5]!.quote, flags[5]!.start], ["Are you married?", 25]);
  });
  it("lets the right-to-work question through and ignores what the candidate says", () => {
    const candidate: LabelledSegment = { index: 9, start: 9, end: 12, text: "My husband and I moved here from Spain.", role: "candidate", isQuestion: false };
    assert.deepEqual(improperQuestions([i(0, "Are you legally authorised to work in the UK?"), candidate]), []);
  });
});

describe("questions asked to some candidates but not others", () => {
  it("names who was and was not asked", () => {
    const asked = { start: 1, end: 2, quote: "q" };
    const flags = inconsistentQuestions([
      {
        ref: "app-1",
        questions: [
          { id: "q1", text: "Conflict?", asked, answer: null },
          { id: "q2", text: "Testing?", asked, answer: null },
        ],
      },
      {
        ref: "app-2",
        questions: [
          { id: "q1", text: "Conflict?", asked: null, answer: null },
          { id: "q2", text: "Testing?", asked, answer: null },
        ],
      },
    ]);
    assert.deepEqual(flags, [{ kind: "inconsistent-question", id: "q1", text: "Conflict?", askedTo: ["app-1"], notAskedTo: ["app-2"] }]);
  });
});
