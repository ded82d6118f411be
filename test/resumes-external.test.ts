/**
 * Resumes from producers this project did not write (issue 11): the committed external corpus in
 * `bench/corpus/external/files` — LibreOffice, Chromium, enscript/groff + Ghostscript, a JSON Resume
 * theme, Word-template DOCX — parsed and scored against labels derived from the sources. Reads the
 * committed files only: no producer tool is needed.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { canonicalSkill, type ParsedResume } from "../src/screening/index.ts";
import { labelsFromSources, PRODUCERS } from "../bench/corpus/external/build.ts";
import { evaluateExternalCorpus } from "../bench/corpus/external/evaluate.ts";
import type { ExternalTruth } from "../bench/corpus/external/labels.ts";
import { normalise, scoreDocument, TARGET_EMPLOYER_RECALL, TARGET_SKILLS_F1 } from "../bench/corpus/external/score.ts";

const { documents, producers } = await evaluateExternalCorpus();

const truth = (over: Partial<ExternalTruth> = {}): ExternalTruth => ({
  id: "t/x",
  layout: "",
  discipline: "",
  seniority: "",
  skills: [],
  positions: [],
  education: [],
  languages: [],
  certifications: [],
  yearsOfExperience: 0,
  producer: "t",
  source: "x",
  file: "t/x.pdf",
  datePrecision: "month",
  ...over,
});
const parsed = (profile: Partial<ParsedResume["profile"]>, status: ParsedResume["status"] = "parsed") =>
  ({
    status,
    profile: {
      links: [],
      positions: [],
      education: [],
      skills: [],
      certifications: [],
      languages: [],
      totalMonths: 0,
      totalYears: 0,
      gapMonths: 0,
      sections: [],
      ...profile,
    },
  }) as unknown as ParsedResume;
const position = (org: string, title: string, start: { year: number; month: number }, end: { year: number; month: number } | null) => ({
  org,
  title,
  start,
  end,
  current: end === null,
  details: [],
  dateLine: "",
});

describe("scoring a parse against an external label", () => {
  it("matches employers after normalising, in any order, each parsed position once", () => {
    assert.equal(normalise("Harbour & Finch Studio"), normalise("harbour and finch  studio"));
    assert.equal(normalise("Levante Distribución"), "levante distribucion");
    const t = truth({
      positions: [
        { org: "Tallgrass HR Software", title: "Account Executive", start: { year: 2019, month: 3 }, end: { year: 2021, month: 12 }, dates: "" },
        { org: "Tallgrass HR Software", title: "SDR", start: { year: 2017, month: 6 }, end: { year: 2019, month: 2 }, dates: "" },
        { org: "Corvid Security", title: "AE", start: { year: 2022, month: 1 }, end: null, dates: "" },
      ],
    });
    const score = scoreDocument(
      parsed({
        positions: [
          position("Corvid Security", "AE", { year: 2022, month: 1 }, null),
          position("TALLGRASS HR SOFTWARE", "Account Executive", { year: 2019, month: 3 }, { year: 2021, month: 11 }),
        ],
      }),
      t,
    );
    assert.deepEqual([score.employers, score.titles, score.dates, score.positions], [2, 2, 1, 3]);
  });

  it("compares dates on years only when the document shows years only", () => {
    const t = truth({
      datePrecision: "year",
      positions: [{ org: "A", title: "B", start: { year: 2017, month: 4 }, end: { year: 2019, month: 9 }, dates: "2017 – 2019" }],
    });
    assert.equal(scoreDocument(parsed({ positions: [position("A", "B", { year: 2017, month: 1 }, { year: 2019, month: 1 })] }), t).dates, 1);
    assert.equal(scoreDocument(parsed({ positions: [position("A", "B", { year: 2017, month: 1 }, null)] }), t).dates, 0);
  });

  it("counts skills by canonical name and flags a parsed resume with no positions and no skills", () => {
    const t = truth({ skills: ["Amazon Web Services", "Python"] });
    const s = scoreDocument(
      parsed({
        skills: [
          { name: "AWS", category: "", source: "text", known: true },
          { name: "Go", category: "", source: "text", known: true },
        ],
      }),
      t,
    );
    assert.deepEqual([s.tp, s.fp, s.fn, s.emptyParsed], [1, 1, 1, false]);
    assert.equal(scoreDocument(parsed({}), t).emptyParsed, true);
    assert.equal(scoreDocument(parsed({}, "partial"), t).emptyParsed, false);
  });
});

describe("the external resume corpus", () => {
  it("holds at least five producers with eight or more resumes each, labelled in the taxonomy's names", () => {
    assert.ok(producers.length >= 5, `${producers.length} producers`);
    for (const p of producers) assert.ok(p.resumes >= 8, `${p.producer}: ${p.resumes} resumes`);
    for (const d of documents) {
      assert.ok(d.truth.positions.length > 0, `${d.file}: no labelled positions`);
      for (const s of d.truth.skills) assert.equal(canonicalSkill(s), s, `${d.file}: "${s}" is not a canonical skill name`);
    }
  });

  it("has the labels its sources give (rebuild with build.ts --labels-only after editing a source)", () => {
    const fromSources = new Map(labelsFromSources().map((t) => [t.file, t]));
    assert.equal(documents.length, fromSources.size);
    for (const d of documents) assert.deepEqual(d.truth, fromSources.get(d.file), d.file);
  });

  it("shows every labelled employer as its source spells it, accents included (no mis-decoded input)", () => {
    const missing: string[] = [];
    for (const d of documents) {
      const text = d.parsed.text.normalize("NFC").replace(/\s+/g, " ").toLowerCase();
      for (const p of d.truth.positions) if (!text.includes(p.org.normalize("NFC").toLowerCase())) missing.push(`${d.file}: ${p.org}`);
    }
    assert.deepEqual(missing, []);
  });

  it("never calls a resume with no positions and no skills parsed", () => {
    const empty = documents.filter((d) => d.score.emptyParsed).map((d) => d.file);
    assert.deepEqual(empty, []);
  });

  for (const name of PRODUCERS) {
    it(`${name}: skills F1 ≥ ${TARGET_SKILLS_F1} and employer recall ≥ ${TARGET_EMPLOYER_RECALL}`, () => {
      const p = producers.find((x) => x.producer === name);
      assert.ok(p, `no documents from ${name}`);
      assert.ok(p.f1 >= TARGET_SKILLS_F1, `${name}: skills F1 ${p.f1.toFixed(2)} (precision ${p.precision.toFixed(2)}, recall ${p.recall.toFixed(2)})`);
      assert.ok(p.employerRecall >= TARGET_EMPLOYER_RECALL, `${name}: employer recall ${p.employerRecall.toFixed(2)} over ${p.positions} positions`);
    });
  }
});
