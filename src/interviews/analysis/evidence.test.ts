import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseTranscriptFile } from "../intake/transcript-files.ts";
import { rubricEvidence, interviewRubricSchema } from "./evidence.ts";
import { LABELLED_CORPUS_DIR } from "./labelled-corpus.ts";
import { matchQuestions } from "./match-questions.ts";
import { parseQuestionFile } from "./questions.ts";
import { labelSpeakers } from "./speakers.ts";

const read = (n: string) => readFileSync(join(LABELLED_CORPUS_DIR, n), "utf8");
const labels = labelSpeakers(parseTranscriptFile(read("electrician.json"), "electrician.json").segments);
const matched = matchQuestions(parseQuestionFile(read("electrician.questions.yaml")), labels.segments);

describe("evidence against the rubric", () => {
  const rubric = interviewRubricSchema.parse({
    score: true,
    competencies: [
      { id: "safety", label: "Works safely", keywords: ["isolation", "lock", "tester"], questions: ["q-safety"], weight: 2 },
      { id: "diagnosis", label: "Diagnoses faults", keywords: ["fault", "insulation resistance", "logger"], questions: ["q-fault"] },
      { id: "budgeting", label: "Manages project budgets", keywords: ["budget", "invoice"] },
    ],
  });
  const evidence = rubricEvidence(rubric, labels.segments, matched);

  it("gives each competency verbatim candidate quotes with times", () => {
    const safety = evidence.competencies[0]!;
    assert.equal(safety.status, "met");
    assert.ok(safety.quotes.some((q) => q.quote.startsWith("Safe isolation, every time")));
    const text = labels.segments
      .filter((s) => s.role === "candidate")
      .map((s) => s.text)
      .join(" ");
    for (const c of evidence.competencies) for (const q of c.quotes) assert.ok(text.includes(q.quote), q.quote);
  });
  it("says missing where nothing speaks to a competency", () => {
    assert.deepEqual([evidence.competencies[2]!.status, evidence.competencies[2]!.quotes], ["missing", []]);
  });
  it("computes an advisory score by code from the evidence", () => {
    // safety met (2) + diagnosis met (1) + budgeting missing (1) = 3 of 4.
    assert.equal(evidence.competencies[1]!.status, "met");
    assert.deepEqual(evidence.score, { value: 75, tier: "strong", advisory: true, note: evidence.score!.note });
    assert.equal(rubricEvidence({ ...rubric, score: false }, labels.segments, matched).score, undefined);
  });
});
