import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { isAcknowledgement, isFollowUpQuestion, isQuestionUtterance, isSmallTalk, topicTokens } from "./text.ts";

describe("question detection", () => {
  it("finds interrogatives, with or without a question mark", () => {
    assert.equal(isQuestionUtterance("How do you handle conflict?"), true);
    assert.equal(isQuestionUtterance("so what drew you to this role"), true);
  });
  it("finds imperative prompts such as tell me about and walk me through", () => {
    for (const t of ["Tell me about a time you failed.", "Okay. Walk me through your last project.", "Describe your approach to testing.", "I'd love to hear about your biggest deal."]) {
      assert.equal(isQuestionUtterance(t), true, t);
    }
  });
  it("does not take a statement or a rhetorical question followed by its answer for a question", () => {
    assert.equal(isQuestionUtterance("I led the payments team for two years."), false);
    assert.equal(isQuestionUtterance("What did I learn? Mostly that you ask for help early."), false);
  });
  it("tells follow-ups from new topics", () => {
    assert.equal(isFollowUpQuestion("How did your manager react?"), true);
    assert.equal(isFollowUpQuestion("What about flaky tests?"), true);
    assert.equal(isFollowUpQuestion("Good. Have you ever had to deal with an accident or a near miss on the floor?"), false);
  });
  it("recognises acknowledgements and small talk", () => {
    assert.equal(isAcknowledgement("Great, thanks."), true);
    assert.equal(isAcknowledgement("Great, I led the team."), false);
    assert.equal(isSmallTalk("Did you find the building okay?"), true);
    assert.equal(isSmallTalk("Tell me about a conflict."), false);
  });
});

describe("topic tokens", () => {
  it("folds synonyms and drops question scaffolding", () => {
    const asked = topicTokens("Tell me about a disagreement with a coworker");
    assert.equal(asked.length, 2);
    assert.deepEqual(topicTokens("a clash with a teammate"), asked);
    assert.deepEqual(topicTokens("conflicts with colleagues"), asked);
  });
});
