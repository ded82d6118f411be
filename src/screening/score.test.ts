import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parsedFromLines } from "./parse-resume.ts";
import type { TextLine } from "./read/types.ts";
import { extractRequirements, type PostingInput } from "./requirements.ts";
import { isUsable, parseRubricOverride, RubricError, rubricHash } from "./rubric.ts";
import { KNOCKOUT_CAP, MUST_HAVE_CAP, scoreResume } from "./score.ts";
import { answersFromCustomQuestions, findEvidenceLocally } from "./evidence.ts";
import { withLeverParsedData } from "./rediscovery.ts";
import { canonicalSkill, findSkills, taxonomySize } from "./skills.ts";
import { coveredMonths, findDateRange } from "./profile/dates.ts";

const asOf = { year: 2026, month: 10 };
const line = (text: string, extra: Partial<TextLine> = {}): TextLine => ({ text, page: 1, fontSize: 10, bold: false, heading: false, ...extra });
const heading = (text: string) => line(text, { fontSize: 12, bold: true, heading: true });

function resume(body: string[]): ReturnType<typeof parsedFromLines> {
  const lines = [
    line("Jordan Example", { fontSize: 22, bold: true, heading: true }),
    line("jordan@example.com | +1 555 010 0101 | Austin, TX"),
    ...body.map((t) => (/^[A-Z][a-z]+( [A-Z][a-z]+)?$/.test(t) && ["Experience", "Skills", "Education", "Summary"].includes(t) ? heading(t) : line(t))),
  ];
  return parsedFromLines({ status: "parsed", format: "pdf", lines, hiddenText: [], flags: [] }, { asOf });
}

const backend = resume([
  "Summary",
  "Backend engineer building payment systems for a decade, from APIs to on-call, with a long record of shipping reliable services for millions of customers across several markets and regulators.",
  "Experience",
  "Senior Software Engineer",
  "Ledgerly, Berlin   Jan 2019 – Present",
  "• Built payment services in Go on Kubernetes handling 2 million transactions a day",
  "• Mentored four engineers and ran the incident review",
  "Software Engineer",
  "Parcelbox, Hamburg   Mar 2015 – Dec 2018",
  "• Wrote Python services and PostgreSQL schemas for parcel tracking",
  "Education",
  "Technical University of Munich",
  "BSc, Computer Science",
  "2011 - 2015",
  "Skills",
  "Go, Python, Kubernetes, PostgreSQL, Docker",
]);

const posting: PostingInput = {
  id: "post-1",
  text: "Senior Backend Engineer",
  workplaceType: "hybrid",
  categories: { location: "Berlin" },
  content: {
    description: "Join our platform team.",
    lists: [
      { text: "What you'll do", content: "<li>Own services end to end</li>" },
      {
        text: "Requirements",
        content:
          "<li>5+ years of experience as a software engineer</li><li>Go or Java</li><li>Kubernetes in production</li><li>Bachelor's degree in Computer Science</li>",
      },
      { text: "Nice to have", content: "<li>Kafka</li><li>Terraform</li>" },
    ],
  },
};

describe("skills taxonomy", () => {
  it("holds at least 1,500 skills and maps synonyms and abbreviations to one name", () => {
    assert.ok(taxonomySize() >= 1500, `only ${taxonomySize()} skills`);
    assert.equal(canonicalSkill("k8s"), "Kubernetes");
    assert.equal(canonicalSkill("JS"), "JavaScript");
    assert.equal(canonicalSkill("Postgres"), "PostgreSQL");
    assert.equal(canonicalSkill("FP&A"), "Financial Planning and Analysis");
  });

  it("reads ordinary words in prose strictly but lists generously", () => {
    assert.deepEqual(
      findSkills("We ran a lean team doing recruiting", { strict: true }).map((s) => s.name),
      [],
    );
    assert.deepEqual(
      findSkills("Recruiting, Lean, Sourcing").map((s) => s.name),
      ["Recruiting", "Lean", "Sourcing Candidates"],
    );
    assert.deepEqual(
      findSkills("Deployed with k8s and Terraform from Node.js", { strict: true }).map((s) => s.name),
      ["Kubernetes", "Terraform", "Node.js"],
    );
  });
});

describe("dates and years", () => {
  it("reads the date formats resumes use", () => {
    assert.deepEqual(findDateRange("Acme   Jan 2020 – Present")?.end, null);
    assert.deepEqual(findDateRange("2019-03 to 2021-11")?.start, { year: 2019, month: 3 });
    assert.deepEqual(findDateRange("03/2018 - 12/2019")?.end, { year: 2019, month: 12 });
    assert.deepEqual(findDateRange("March 2019 – Current")?.start, { year: 2019, month: 3 });
    assert.deepEqual(findDateRange("Sept 2016 — Feb 2018")?.start, { year: 2016, month: 9 });
  });

  it("merges overlapping jobs and counts gaps without double counting", () => {
    const r = coveredMonths(
      [
        { start: { year: 2020, month: 1 }, end: { year: 2020, month: 12 } },
        { start: { year: 2020, month: 6 }, end: { year: 2021, month: 6 } },
        { start: { year: 2022, month: 1 }, end: { year: 2022, month: 12 } },
      ],
      asOf,
    );
    assert.equal(r.months, 18 + 12);
    assert.equal(r.gapMonths, 6);
  });
});

describe("requirements from a Lever posting", () => {
  it("turns requirement lists into must-haves and nice-to-haves with years, skills and education", () => {
    const rubric = extractRequirements(posting);
    const kinds = rubric.criteria.map((c) => `${c.kind}:${c.must ? "must" : "nice"}`);
    assert.deepEqual(kinds, ["years:must", "skill:must", "skill:must", "education:must", "skill:nice", "skill:nice"]);
    assert.equal(rubric.minYears, 5);
    assert.equal(rubric.workplaceType, "hybrid");
    assert.equal(rubric.location, "Berlin");
    assert.equal(rubric.criteria[1]!.match, "any");
    assert.ok(!rubric.criteria.some((c) => c.label.includes("Own services")), "responsibilities are not requirements");
  });
});

describe("scoring a resume", () => {
  const rubric = extractRequirements(posting);

  it("computes the score from per-criterion evidence with quotes found in the resume", () => {
    const result = scoreResume(backend, rubric, { asOf });
    const byKind = Object.fromEntries(result.criteria.map((c) => [c.label, c.status]));
    assert.equal(byKind["5+ years of experience as a software engineer"], "met");
    assert.equal(byKind["Go or Java"], "met");
    assert.equal(byKind["Kafka"], "missing");
    // met 3+3+3+2 of 3+3+3+2+1+1
    assert.equal(result.score, Math.round((11 / 13) * 100));
    assert.equal(result.tier, "strong");
    assert.deepEqual(result.missingMustHaves, []);
    for (const c of result.criteria) for (const q of c.quotes) assert.ok(backend.text.includes(q) || c.kind === "years", `quote not in resume: ${q}`);
  });

  it("lists missing must-haves and keeps the score below the strong band", () => {
    const noK8s = resume([
      "Experience",
      "Software Engineer",
      "Acme, Berlin   Jan 2015 – Present",
      "• Wrote Go services",
      "Education",
      "BSc, Computer Science",
      "Skills",
      "Go, Kafka, Terraform",
    ]);
    const result = scoreResume(noK8s, rubric, { asOf });
    assert.deepEqual(result.missingMustHaves, ["Kubernetes in production"]);
    assert.ok(result.score < MUST_HAVE_CAP);
  });

  it("drops quotes a model invented, keeps verified ones, and lowers confidence", () => {
    const result = scoreResume(backend, rubric, {
      asOf,
      evidence: [
        { criterionId: rubric.criteria[4]!.id, status: "met", quotes: ["Ran Kafka clusters at Google for ten years"] },
        { criterionId: rubric.criteria[5]!.id, status: "met", quotes: ["Built payment services in Go on Kubernetes"] },
      ],
    });
    assert.equal(result.criteria[4]!.status, "missing", "an invented quote proves nothing");
    assert.equal(result.criteria[5]!.status, "missing", "a real quote that does not name Terraform proves nothing either");
    assert.ok(result.flags.includes("unverified-quotes"));
    assert.ok(result.confidence < 1);
    assert.equal(result.score, scoreResume(backend, rubric, { asOf }).score);
  });

  it("lets a model add evidence the local engine missed, but only with verified quotes", () => {
    const withText = {
      ...rubric,
      criteria: [...rubric.criteria, { id: "people", kind: "text" as const, label: "Grows other engineers", must: false, weight: 1, keywords: ["coach"] }],
    };
    const local = scoreResume(backend, withText, { asOf });
    assert.equal(local.criteria.at(-1)!.status, "missing");
    const model = scoreResume(backend, withText, {
      asOf,
      evidence: [{ criterionId: "people", status: "met", quotes: ["Mentored four engineers and ran the incident review"] }],
    });
    assert.equal(model.criteria.at(-1)!.status, "met");
    assert.equal(model.criteria.at(-1)!.source, "model");
    assert.ok(model.score > local.score);
  });

  it("lowers confidence for short resumes and weak parsing", () => {
    const short = parsedFromLines({ status: "partial", format: "pdf", lines: [line("Go developer")], hiddenText: [], flags: ["ocr"] }, { asOf });
    const result = scoreResume(short, rubric, { asOf });
    assert.ok(result.confidence <= 0.4, String(result.confidence));
    assert.ok(result.confidenceReasons.some((r) => /short/.test(r)));
  });

  it("folds knock-out answers from Lever application questions into the rubric", () => {
    const override = parseRubricOverride({
      postingId: "post-1",
      criteria: [
        ...rubric.criteria,
        {
          id: "work-auth",
          kind: "knockout",
          label: "Authorised to work in Germany",
          must: true,
          weight: 1,
          question: "authorised to work in Germany",
          acceptedAnswers: ["yes"],
        },
      ],
    });
    const customQuestions = [{ type: "posting", fields: [{ type: "yes-no", text: "Are you authorised to work in Germany?", value: "no" }] }];
    const failed = scoreResume(backend, override, { asOf, answers: answersFromCustomQuestions(customQuestions) });
    assert.ok(failed.score <= KNOCKOUT_CAP);
    assert.ok(failed.flags.includes("knockout-failed"));
    const passed = scoreResume(backend, override, { asOf, answers: [{ question: "Are you authorised to work in Germany?", answer: "Yes" }] });
    assert.equal(passed.missingMustHaves.length, 0);
    const unanswered = scoreResume(backend, override, { asOf });
    assert.equal(unanswered.score, scoreResume(backend, rubric, { asOf }).score, "no application, no effect");
  });
});

describe("evidence and Lever's parsed data", () => {
  it("finds evidence in plain text deterministically", () => {
    const rubric = extractRequirements(posting);
    const text = "Experience\nPlatform Engineer, Acme   Jan 2018 – Present\n• Ran Kubernetes clusters and wrote Go services";
    const a = findEvidenceLocally(text, rubric, { asOf });
    assert.deepEqual(a, findEvidenceLocally(text, rubric, { asOf }));
    assert.equal(a.find((e) => e.criterionId === rubric.criteria[2]!.id)!.status, "met");
    assert.deepEqual(a.find((e) => e.criterionId === rubric.criteria[2]!.id)!.quotes, ["• Ran Kubernetes clusters and wrote Go services"]);
  });

  it("uses Lever's parsed positions when the file gave none", () => {
    const bare = resume(["Skills", "Go, Kubernetes"]);
    assert.equal(bare.profile.positions.length, 0);
    const filled = withLeverParsedData(bare, { parsedData: { positions: [{ org: "Acme", title: "Engineer", start: { year: 2015, month: 1 }, end: null }] } });
    assert.equal(filled.profile.positions[0]!.org, "Acme");
    assert.ok(filled.flags.includes("lever-parsed-positions"));
    const withOwn = withLeverParsedData(backend, { parsedData: { positions: [{ org: "Other", title: "X", start: { year: 2000, month: 1 }, end: null }] } });
    assert.equal(withOwn, backend, "our own parse wins when it found positions");
    const schools = withLeverParsedData(bare, { parsedData: { schools: [{ org: "MIT", degree: "BSc", field: "Physics" }] } });
    assert.deepEqual(schools.profile.education, [{ school: "MIT", degree: "BSc", degreeText: "BSc", field: "Physics" }]);
  });
});

describe("rubric overrides", () => {
  it("rejects a bad override with the field path", () => {
    assert.throws(
      () => parseRubricOverride({ postingId: "p", criteria: [{ id: "a", kind: "skill", label: "x", must: true, weight: 99 }] }),
      (e: unknown) => e instanceof RubricError && e.path === "criteria.0.weight",
    );
    assert.throws(() => parseRubricOverride({ postingId: "p", criteria: [{ id: "a", kind: "years", label: "x", must: true, weight: 1 }] }), /minYears/);
  });

  it("is not usable until approved, and its hash ignores who approved it", () => {
    const r = parseRubricOverride({ postingId: "p", criteria: [{ id: "go", kind: "skill", label: "Go", must: true, weight: 3, skills: ["Go"] }] });
    assert.equal(isUsable(r), false);
    const approved = { ...r, approvedBy: "user-1", approvedAt: "2026-11-23T10:00:00Z" };
    assert.equal(isUsable(approved), true);
    assert.equal(rubricHash(approved), rubricHash(r));
  });
});
