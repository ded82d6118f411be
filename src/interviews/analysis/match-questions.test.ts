import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { verifyQuotes } from "../../ai/verify-quotes.ts";
import { ELISION, matchQuestions, maxWeightAssignment, OPENER_THRESHOLD, similarityMatrix } from "./match-questions.ts";
import { labelSpeakers } from "./speakers.ts";

describe("similarity", () => {
  it("meets a compound word and the word it starts with ('caseload', 'cases')", () => {
    const sim = similarityMatrix(
      ["How do you manage a high caseload?", "How do you look after your own wellbeing in a stressful job?", "Why do you want to join our team?"],
      ["You might carry twenty or more cases here. How would you stay on top of that?"],
    ).map((row) => row[0]!);
    assert.ok(sim[0]! >= OPENER_THRESHOLD && sim[0]! > 2 * sim[1]!, sim.join(", "));
  });
});

describe("what an asked question is compared by", () => {
  it("lets the answer's opening add evidence but never dilute the question's own words", () => {
    const question = ["What do you know about the local property market?", "How do you prepare for a market appraisal?"];
    const asked = ["What's your read on property round here at the moment?"];
    const opening = [
      "Prices have been flat for about a year. Two bedroom flats near the station still go quickly, but family houses are sitting longer because buyers are waiting for rates to fall.",
    ];
    const alone = similarityMatrix(question, asked);
    const withOpening = similarityMatrix(question, asked, opening);
    assert.ok(withOpening[0]![0]! >= alone[0]![0]!, `${withOpening[0]![0]} < ${alone[0]![0]}`);
  });
  it("reads what the interviewer said just before the question, in the same turn, with it", () => {
    const labels = labelSpeakers([
      { start: 0, end: 4, text: "Can you hear me?", speaker: "Ann" },
      { start: 4, end: 6, text: "Yes, fine.", speaker: "Bo" },
      { start: 6, end: 10, text: "So I've had a look through your portfolio, which I enjoyed.", speaker: "Ann" },
      { start: 10, end: 14, text: "If you could only show me one, which would it be, and why?", speaker: "Ann" },
      { start: 14, end: 30, text: "The packaging for a coffee roaster, because I did everything from the research to the print checks.", speaker: "Bo" },
    ]).segments;
    const [q] = matchQuestions([{ id: "portfolio", text: "Which piece in your portfolio are you most proud of?" }], labels);
    assert.equal(q!.asked?.start, 10);
    assert.equal(q!.asked?.quote, "If you could only show me one, which would it be, and why?");
  });
});

describe("optimal assignment", () => {
  it("beats the greedy choice", () => {
    // Greedy takes 0.9 for row 0 and leaves row 1 with 0.1; the optimum pairs 0.8 + 0.8.
    assert.deepEqual(
      maxWeightAssignment([
        [0.9, 0.8],
        [0.8, 0.1],
      ]),
      [1, 0],
    );
  });
  it("leaves rows unassigned when there are more rows than columns", () => {
    const a = maxWeightAssignment([[0.1], [0.7], [0.2]]);
    assert.deepEqual(a, [-1, 0, -1]);
  });
});

const segments = [
  { start: 0, end: 3, text: "Did you find the office okay?", speaker: "Ann" },
  { start: 3, end: 5, text: "Yes, no problem.", speaker: "Bo" },
  { start: 5, end: 9, text: "So, have you ever had a clash with a teammate? What happened?", speaker: "Ann" },
  { start: 9, end: 20, text: "Yes, a colleague and I disagreed about the release plan, so we wrote down both options.", speaker: "Bo" },
  { start: 20, end: 22, text: "How did that end?", speaker: "Ann" },
  { start: 22, end: 30, text: "We shipped the smaller release first and both felt heard.", speaker: "Bo" },
  { start: 30, end: 34, text: "Okay. Walk me through how you test your code.", speaker: "Ann" },
  { start: 34, end: 44, text: "Unit tests for the logic and integration tests against a real database.", speaker: "Bo" },
  { start: 44, end: 47, text: "Any questions for us?", speaker: "Ann" },
  { start: 47, end: 50, text: "What is the on-call rotation?", speaker: "Bo" },
];

describe("a question of the set asked as a follow-up", () => {
  it("is found when it is like the question of the set, and not taken for another one", () => {
    const labels = labelSpeakers([
      { start: 0, end: 4, text: "Have you used numbers to back up a proposal?", speaker: "Ann" },
      {
        start: 4,
        end: 20,
        text: "Yes, I showed the leadership team that most leavers came from two teams without an induction, and we started a buddy scheme.",
        speaker: "Bo",
      },
      { start: 20, end: 24, text: "And did anyone senior push back on that? How did you bring them round?", speaker: "Ann" },
      { start: 24, end: 36, text: "The operations director did. I asked him to pilot it in one team and showed him the results.", speaker: "Bo" },
      { start: 36, end: 40, text: "What does fairness at work mean to you?", speaker: "Ann" },
      { start: 40, end: 50, text: "Consistent treatment, and decisions people can see the reasons for.", speaker: "Bo" },
    ]).segments;
    const matched = matchQuestions(
      [
        { id: "data", text: "How have you used data to make a recommendation?" },
        { id: "influence", text: "Describe a time you persuaded a senior manager." },
        { id: "values", text: "What does fairness at work mean to you?" },
        { id: "law", text: "How do you keep up to date with employment law?" },
      ],
      labels,
    );
    const byId = new Map(matched.map((q) => [q.id, q]));
    assert.equal(byId.get("influence")!.asked?.start, 20);
    assert.equal(byId.get("data")!.answer?.end, 20);
    assert.equal(byId.get("law")!.asked, null);
  });
});

describe("matching the question set", () => {
  const questions = [
    { id: "testing", text: "How do you approach testing your code?" },
    { id: "salary", text: "What are your salary expectations?" },
    { id: "conflict", text: "Tell me about a disagreement with a colleague." },
  ];
  const result = matchQuestions(questions, labelSpeakers(segments).segments);
  const byId = Object.fromEntries(result.map((r) => [r.id, r]));

  it("finds paraphrased questions out of order and says which were never asked", () => {
    assert.equal(byId.conflict!.asked?.start, 5);
    assert.equal(byId.testing!.asked?.start, 30);
    assert.equal(byId.salary!.asked, null);
    assert.equal(byId.salary!.answer, null);
  });
  it("runs an answer on through a follow-up and stops at the next question of the set", () => {
    assert.deepEqual([byId.conflict!.answer?.start, byId.conflict!.answer?.end], [9, 30]);
    assert.ok(byId.conflict!.answer!.quote.includes(ELISION));
  });
  it("stops an answer at small talk", () => {
    assert.deepEqual([byId.testing!.answer?.start, byId.testing!.answer?.end], [34, 44]);
  });
  it("quotes the candidate verbatim, in a form the screening quote check accepts", () => {
    const text = segments.map((s) => s.text).join(" ");
    for (const r of result) for (const q of [r.asked, r.answer]) if (q) assert.deepEqual(verifyQuotes([q.quote], text).kept, [q.quote]);
    assert.ok(!byId.conflict!.answer!.quote.includes("How did that end?"));
  });
});

describe("housekeeping in the same turn as a question", () => {
  it("still matches a question that follows 'let's get started' in one utterance", () => {
    const result = matchQuestions(
      [{ id: "intro", text: "Walk me through your background." }],
      labelSpeakers([
        { start: 0, end: 4, text: "Thanks for coming in. Shall we get started? Tell me a bit about your background.", speaker: "Ann" },
        { start: 4, end: 20, text: "Sure, I trained as an electrician and moved into site management.", speaker: "Bo" },
        { start: 20, end: 24, text: "Great. Do you have any questions for us?", speaker: "Ann" },
        { start: 24, end: 26, text: "Not right now, thanks.", speaker: "Bo" },
      ]).segments,
    );
    assert.deepEqual([result[0]!.asked?.start, result[0]!.answer?.end], [0, 20]);
  });
});

describe("follow-ups", () => {
  it("takes a question right after small talk as opening a topic, even when it reads like a follow-up", () => {
    const opened = labelSpeakers([
      { start: 0, end: 3, text: "Did you find the office okay?", speaker: "Ann" },
      { start: 3, end: 5, text: "Yes, no problem.", speaker: "Bo" },
      { start: 5, end: 9, text: "Was it ever your job to look after the release?", speaker: "Ann" },
      { start: 9, end: 20, text: "Yes, I ran the weekly release train for two years at my last company.", speaker: "Bo" },
    ]).segments;
    const [r] = matchQuestions([{ id: "q1", text: "Tell me about a release you managed with a distributed team under pressure." }], opened);
    assert.equal(r!.asked?.start, 5);
    assert.equal(r!.answer?.start, 9);
  });
});
