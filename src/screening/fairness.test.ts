/**
 * Counterfactual fairness over the whole evaluation corpus: swapping names and pronouns, and
 * adding age and origin proxies, must not move any score on any posting.
 */
import { describe, it, before } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { parsedFromLines } from "./parse-resume.ts";
import { readDocument } from "./read/read-document.ts";
import type { ReadResult, TextLine } from "./read/types.ts";
import { extractRequirements, type PostingInput } from "./requirements.ts";
import type { Rubric } from "./rubric.ts";
import { scoreResume } from "./score.ts";
import { toScoringView } from "./scoring-view.ts";

const CORPUS = join(import.meta.dirname, "..", "..", "bench", "corpus", "files");
const asOf = { year: 2026, month: 10 };
const SWAPS: [string, "she" | "he" | "they"][] = [
  ["Emily Walsh", "she"],
  ["Mohammed Al-Farsi", "he"],
  ["Nguyen Thi Lan", "they"],
];

const PRONOUNS = { she: ["She", "her"], he: ["He", "his"], they: ["They", "their"] } as const;

/** The same resume with another name, other pronouns, and age, origin and leave details added. */
function counterfactual(read: ReadResult, k: number): ReadResult {
  const [newName, pronoun] = SWAPS[k % SWAPS.length]!;
  const [Subject, possessive] = PRONOUNS[pronoun];
  // Every corpus template prints the name as its largest line (a running header may repeat it).
  const realName = read.lines.find((l) => l.fontSize >= 18)?.text ?? read.lines[0]!.text;
  const lines: TextLine[] = [];
  for (const line of read.lines) {
    const text = line.text
      .split(realName)
      .join(newName)
      .replace(
        /\b(19|20)(\d{2})\s-\s(19|20)(\d{2})\b/,
        (_m, a, b, c, d) => `${a}${String((Number(b) + 7) % 100).padStart(2, "0")} - ${c}${String((Number(d) + 7) % 100).padStart(2, "0")}`,
      );
    lines.push({ ...line, text });
    if (line.text === realName) {
      lines.push({ ...line, text: `Pronouns: ${pronoun}/${possessive}`, fontSize: 9, bold: false, heading: false });
      lines.push({ ...line, text: `Nationality: Kenyan. Date of birth: 12/03/1999`, fontSize: 9, bold: false, heading: false });
    }
    if (/^(Summary|Profile|About Me|Executive Summary|Professional Summary|About|Overview|Career Summary)$/.test(line.text)) {
      lines.push({
        ...line,
        text: `${Subject} is a young, energetic recent graduate; ${possessive} career break in 2021 was parental leave.`,
        fontSize: 10,
        bold: false,
        heading: false,
      });
      lines.push({ ...line, text: `${newName} says ${pronoun} enjoys hard problems.`, fontSize: 10, bold: false, heading: false });
    }
  }
  return { ...read, lines };
}

describe("counterfactual fairness on the evaluation corpus", () => {
  const reads: ReadResult[] = [];
  const rubrics: Rubric[] = [];

  before(async () => {
    const index = JSON.parse(readFileSync(join(CORPUS, "index.json"), "utf8")) as { resumes: { pdf: string }[]; postings: { file: string }[] };
    for (const r of index.resumes) reads.push(await readDocument(new Uint8Array(readFileSync(join(CORPUS, r.pdf))), { filename: "r.pdf", ocr: false }));
    for (const p of index.postings) rubrics.push(extractRequirements(JSON.parse(readFileSync(join(CORPUS, p.file), "utf8")) as PostingInput));
  });

  it("gives identical scores when names and pronouns are swapped and age, origin and leave are added", {
    skip: !existsSync(join(CORPUS, "index.json")) && "corpus not generated",
  }, () => {
    assert.equal(reads.length, 200);
    let compared = 0;
    const differences: string[] = [];
    reads.forEach((read, i) => {
      const original = parsedFromLines(read, { asOf });
      const changed = parsedFromLines(counterfactual(read, i), { asOf });
      assert.notEqual(original.text, changed.text);
      const seen = toScoringView(changed).text;
      for (const banned of [...SWAPS[i % SWAPS.length]![0].split(" "), "Pronouns", "Nationality", "young", "recent graduate", "parental leave", "1999", "@"]) {
        const re = new RegExp(`(^|[^A-Za-z])${banned.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}([^A-Za-z]|$)`);
        assert.ok(!re.test(seen), `the scorer's view of resume ${i} contains "${banned}"`);
      }
      for (const rubric of rubrics) {
        const a = scoreResume(original, rubric, { asOf });
        const b = scoreResume(changed, rubric, { asOf });
        compared++;
        if (a.score !== b.score || JSON.stringify(a.criteria.map((c) => c.status)) !== JSON.stringify(b.criteria.map((c) => c.status))) {
          differences.push(`resume ${i} on ${rubric.postingId}: ${a.score} vs ${b.score}`);
        }
      }
    });
    assert.equal(compared, 2000);
    assert.deepEqual(differences, []);
  });
});
