import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseTranscriptFile } from "../intake/transcript-files.ts";
import type { Transcript } from "../transcript.ts";
import { analyzeInterview } from "./analyze.ts";
import { InterviewAnalysisError } from "./errors.ts";
import { LABELLED_CORPUS_DIR } from "./labelled-corpus.ts";
import { parseQuestionFile } from "./questions.ts";

const corpus = (name: string) => readFileSync(join(LABELLED_CORPUS_DIR, name), "utf8");
const accountant = parseTranscriptFile(corpus("accountant.vtt"), "accountant.vtt");
const accountantQuestions = parseQuestionFile(corpus("accountant.questions.yaml"), "accountant.questions.yaml");
const transcript = (segments: Transcript["segments"], language = "und"): Transcript => ({
  engine: "transcript",
  language,
  durationSeconds: 60,
  text: segments.map((s) => s.text).join(" "),
  segments,
});

describe("analysing an interview", () => {
  const analysis = analyzeInterview(accountant, accountantQuestions, { statedFeelings: true });

  it("prints each question with exactly id, text, asked and answer", () => {
    for (const q of analysis.questions) assert.deepEqual(Object.keys(q), ["id", "text", "asked", "answer"]);
    const audit = analysis.questions.find((q) => q.id === "q-audit")!;
    assert.deepEqual([audit.asked, audit.answer], [null, null]);
    const close = analysis.questions.find((q) => q.id === "q-close")!;
    assert.ok(close.answer!.quote.startsWith("I keep a close checklist"));
    assert.ok(close.answer!.start > close.asked!.end);
  });
  it("summarises, and labels the metrics descriptive", () => {
    assert.equal(analysis.summary.asked, 4);
    assert.deepEqual(analysis.summary.notAsked, ["q-audit", "q-explain"]);
    assert.equal(analysis.metrics.kind, "descriptive");
    assert.ok(analysis.metrics.speakers.candidate.talkShare > analysis.metrics.speakers.interviewer.talkShare);
    assert.ok(analysis.metrics.speakers.candidate.wordsPerMinute! > 100);
    assert.equal(analysis.metrics.answers.length, 4);
  });
  it("flags the improper question for the recruiter", () => {
    const flag = analysis.flags.find((f) => f.kind === "improper-question");
    assert.ok(flag && flag.kind === "improper-question");
    assert.equal(flag.category, "marital-status");
    assert.match(flag.quote, /Are you married, Raj\?/);
  });
  it("leaves out stated feelings unless asked for", () => {
    assert.ok(Array.isArray(analysis.statedFeelings));
    assert.equal(analyzeInterview(accountant, accountantQuestions).statedFeelings, undefined);
  });
});

describe("bad input", () => {
  it("refuses an empty question set", () => {
    assert.throws(
      () => analyzeInterview(accountant, []),
      (e: unknown) => e instanceof InterviewAnalysisError && e.status === "questions-empty",
    );
  });
  it("refuses an empty transcript", () => {
    assert.throws(
      () => analyzeInterview(transcript([]), accountantQuestions),
      (e: unknown) => e instanceof InterviewAnalysisError && e.status === "empty-transcript",
    );
    assert.throws(
      () => analyzeInterview(transcript([{ start: 0, end: 1, text: " " }]), accountantQuestions),
      (e: unknown) => e instanceof InterviewAnalysisError && e.status === "empty-transcript",
    );
  });
  it("refuses a transcript in another language, declared or guessed", () => {
    const german = transcript([
      { start: 0, end: 5, text: "Erzählen Sie mir bitte von einem Konflikt mit einem Kollegen, den Sie im letzten Jahr hatten." },
      {
        start: 5,
        end: 15,
        text: "Ja, gerne. Wir hatten eine Meinungsverschiedenheit über die Planung, und wir haben gemeinsam eine Lösung gefunden, die für beide Seiten gut war.",
      },
    ]);
    assert.throws(
      () => analyzeInterview(german, accountantQuestions),
      (e: unknown) => e instanceof InterviewAnalysisError && e.status === "wrong-language",
    );
    assert.throws(() => analyzeInterview({ ...accountant, language: "fr" }, accountantQuestions), /in "fr"/);
  });

  it("flags an improper question in a transcript without speakers, but not the candidate's own disclosure that reads like the interviewer's", () => {
    const a = analyzeInterview(
      transcript([
        { start: 0, end: 4, text: "Tell me about your last role on the ward." },
        { start: 4, end: 14, text: "I ran the night shift on a surgical ward for three years and trained the new starters." },
        { start: 14, end: 18, text: "Do you plan to have kids soon?" },
        { start: 18, end: 22, text: "Not that it matters, but no." },
        { start: 22, end: 26, text: "When could you start with us?" },
        { start: 26, end: 30, text: "June, if that works." },
        // Second person and no "I": the role model gives it to the interviewer, yet it asks nothing.
        { start: 30, end: 34, text: "You know, with your maternity policy, the pregnancy cover is good." },
      ]),
      [{ id: "q-role", text: "Tell me about your last role." }],
    );
    assert.deepEqual(
      a.flags.filter((f) => f.kind === "improper-question").map((f) => (f as { quote: string }).quote),
      ["Do you plan to have kids soon?"],
    );
  });
});
