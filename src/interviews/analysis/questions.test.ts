import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { InterviewAnalysisError } from "./errors.ts";
import { parseQuestionFile, questionSetFor, questionSetsSchema } from "./questions.ts";

describe("question files", () => {
  it("reads YAML and JSON lists, and { questions }", () => {
    assert.deepEqual(parseQuestionFile("- id: q1\n  text: Tell me about a conflict.\n"), [{ id: "q1", text: "Tell me about a conflict." }]);
    assert.deepEqual(parseQuestionFile('{"questions":[{"id":"q1","text":"Why us?"}]}'), [{ id: "q1", text: "Why us?" }]);
  });
  it("refuses an empty set with its own status", () => {
    for (const text of ["", "[]", "questions: []"]) {
      assert.throws(
        () => parseQuestionFile(text, "q.yaml"),
        (e: unknown) => e instanceof InterviewAnalysisError && e.status === "questions-empty" && e.message.startsWith("q.yaml"),
      );
    }
  });
  it("names the field of a bad entry", () => {
    assert.throws(
      () => parseQuestionFile('[{"id":"q1","text":"Why us?"},{"id":"q1","text":"Again?"}]', "q.json"),
      /q\.json at 1\.id: duplicate question id "q1"/,
    );
    assert.throws(
      () => parseQuestionFile('[{"text":"Why us?"}]', "q.json"),
      (e: unknown) => e instanceof InterviewAnalysisError && e.status === "questions-invalid",
    );
  });
});

describe("question sets per posting and stage", () => {
  it("prefers the stage's own set, then the posting's", () => {
    const sets = questionSetsSchema.parse({
      questionSets: [
        { postingId: "p1", questions: [{ id: "a", text: "General question?" }] },
        { postingId: "p1", stageId: "s2", questions: [{ id: "b", text: "Stage two question?" }] },
      ],
    });
    assert.equal(questionSetFor(sets, "p1", "s2")![0]!.id, "b");
    assert.equal(questionSetFor(sets, "p1", "s1")![0]!.id, "a");
    assert.equal(questionSetFor(sets, "p2"), null);
  });
});
