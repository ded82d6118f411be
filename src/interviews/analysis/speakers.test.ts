import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { labelSpeakers } from "./speakers.ts";

const seg = (start: number, text: string, speaker?: string) => ({ start, end: start + 2, text, ...(speaker ? { speaker } : {}) });

describe("who speaks", () => {
  it("takes the named speaker who asks the questions as the interviewer", () => {
    const labels = labelSpeakers([
      seg(0, "Tell me about your last role.", "Dana"),
      seg(2, "I ran the night shift.", "Sam"),
      seg(4, "Why did you leave?", "Dana"),
      seg(6, "I wanted days. Why not?", "Sam"),
    ]);
    assert.equal(labels.source, "voices");
    assert.deepEqual(labels.interviewers, ["Dana"]);
    assert.deepEqual(
      labels.segments.map((s) => s.role),
      ["interviewer", "candidate", "interviewer", "candidate"],
    );
  });
  it("trusts names such as Interviewer and Candidate over the questions", () => {
    const labels = labelSpeakers([
      seg(0, "Hello.", "Candidate"),
      seg(2, "Thanks for coming.", "Interviewer"),
      seg(4, "Can I ask about the team?", "Candidate"),
    ]);
    assert.deepEqual(
      labels.segments.map((s) => s.role),
      ["candidate", "interviewer", "candidate"],
    );
  });
  it("labels an unnamed transcript from its questions, with an acknowledgement before a question going to the interviewer", () => {
    const labels = labelSpeakers([
      seg(0, "Walk me through your CV."),
      seg(2, "I started in retail."),
      seg(4, "Great, thanks."),
      seg(6, "How do you handle pressure?"),
      seg(8, "I plan ahead."),
    ]);
    assert.equal(labels.source, "questions");
    assert.deepEqual(
      labels.segments.map((s) => s.role),
      ["interviewer", "candidate", "interviewer", "interviewer", "candidate"],
    );
  });
});
