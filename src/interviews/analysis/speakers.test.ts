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
  it("labels a transcript as a recogniser prints it (no speakers, no punctuation) and takes the interviewer's turn before an answer as a question", () => {
    const labels = labelSpeakers([
      seg(0, "gotcha so the spray side of things you handling any of the herbicides and fertilizer over there"),
      seg(2, "so at the course it was mostly the superintendent who did the spraying but i helped out with the mixing and the flags"),
      seg(4, "you ever get caught out in some nasty weather out there"),
      seg(6, "oh yeah the worst one was a tournament after three inches of rain and we came in at four to push the sand back"),
    ]);
    assert.equal(labels.source, "questions");
    assert.deepEqual(
      labels.segments.map((s) => [s.role, s.isQuestion]),
      [
        ["interviewer", true],
        ["candidate", false],
        ["interviewer", true],
        ["candidate", false],
      ],
    );
  });
  it("takes a punctuated statement at its word: an interviewer's remark before the candidate speaks asks nothing", () => {
    const labels = labelSpeakers([
      seg(0, "Can you swim? We have to ask everyone."),
      seg(2, "Yes, I did lessons up to my twenty-five metres badge."),
      seg(4, "Perfect. You'd be surprised how many people can't."),
      seg(6, "I can imagine, to be honest."),
    ]);
    assert.equal(labels.segments[2]!.role, "interviewer");
    assert.equal(labels.segments[2]!.isQuestion, false);
  });
});
