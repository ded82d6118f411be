import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { TextLine } from "../read/types.ts";
import { sectionKindOf, splitSections } from "./sections.ts";

/** Lines of a PDF whose headings are in the body's font, size and weight; "" marks a blank gap. */
function body(...texts: string[]): TextLine[] {
  const lines: TextLine[] = [];
  let gap = true;
  for (const text of texts) {
    if (text === "") {
      gap = true;
      continue;
    }
    lines.push({ text, page: 1, fontSize: 10, bold: false, heading: false, gapBefore: gap });
    gap = false;
  }
  return lines;
}

const shape = (lines: TextLine[]) => splitSections(lines).map((s) => [s.kind, s.heading, s.lines.map((l) => l.text)]);

describe("finding section headings", () => {
  it("finds headings in the body's font by their words and position: any case, a trailing colon, capitals", () => {
    const sections = splitSections(
      body(
        "Maria Gonzalez",
        "Austin, TX | maria@example.com",
        "",
        "Summary",
        "Backend engineer building payment systems.",
        "",
        "Work History:",
        "Senior Engineer, Stripe",
        "March 2019 - Present",
        "",
        "CORE COMPETENCIES",
        "Java, Kotlin, Python",
        "",
        "education",
        "University of Texas, B.S. Computer Science, 2015",
      ),
    );
    assert.deepEqual(
      sections.map((s) => s.kind),
      ["header", "summary", "experience", "skills", "education"],
    );
    assert.deepEqual(
      sections[2]!.lines.map((l) => l.text),
      ["Senior Engineer, Stripe", "March 2019 - Present"],
    );
  });

  it("finds a heading with no gap around it when the lines beside it do not run on into it", () => {
    // groff and many text editors print headings with no extra space at all.
    const lines = body(
      "Grace Mwangi",
      "grace@example.com | +1 555 0106 | Seattle, WA",
      "Employment",
      "Charge Nurse, Cascade Valley",
      "02/2022 - Current",
      "Areas of Expertise",
      "Triage, Wound Care, Data Entry",
      "Languages",
      "English, Swahili",
    );
    for (const l of lines.slice(1)) l.gapBefore = false;
    assert.deepEqual(
      splitSections(lines).map((s) => s.kind),
      ["header", "experience", "skills", "languages"],
    );
  });

  it("does not take a heading word inside a sentence, a job title, or a sentence's wrapped tail for a heading", () => {
    const lines = body(
      "Experience",
      "Designer, Acme Studio",
      "2019 - 2021",
      "Design",
      "Strong communication Skills and a calm manner",
      "Built internal dashboards for the sales team and the",
      "Tools",
      "Led a rewrite of the platform with a focus on",
      "Experience",
      "for all new hires.",
    );
    for (const l of lines.slice(1)) l.gapBefore = false;
    assert.deepEqual(
      shape(lines).map(([kind]) => kind),
      ["header", "experience"],
    );
  });

  it("takes an ambiguous word (Tools, Work, Training) in the body's style as a heading only after a gap, in capitals or with a colon", () => {
    const lines = body("Skills", "Python, Go", "Tools", "Docker, Terraform");
    for (const l of lines.slice(1)) l.gapBefore = false;
    assert.deepEqual(
      splitSections(lines).map((s) => s.kind),
      ["header", "skills"],
    );
    assert.deepEqual(
      splitSections(body("Skills", "Python, Go", "", "Tools", "Docker")).map((s) => s.kind),
      ["header", "skills", "skills"],
    );
  });

  it("splits a heading from the row it heads in a label column ('EXPERIENCE   Acme — Engineer')", () => {
    const sections = splitSections(
      body("Jane Doe", "EXPERIENCE   Acme Corp — Senior Engineer   2019 - Present", "Built APIs in Go.", "SKILLS   Python, Go, Docker"),
    );
    assert.deepEqual(
      sections.map((s) => [s.kind, s.heading, s.lines.map((l) => l.text)]),
      [
        ["header", "", ["Jane Doe"]],
        ["experience", "EXPERIENCE", ["Acme Corp — Senior Engineer   2019 - Present", "Built APIs in Go."]],
        ["skills", "SKILLS", ["Python, Go, Docker"]],
      ],
    );
  });

  it("takes even an ambiguous word for a label when it has a cell of its own beside the first entry (a JSON Resume theme's grid)", () => {
    const sections = splitSections(
      body("Lena Vasquez", "Work   Staff Software Engineer", "Confluent", "Feb 2020 – Present", "Education   University of Texas at Austin"),
    );
    assert.deepEqual(
      sections.map((s) => [s.kind, s.lines[0]?.text]),
      [
        ["header", "Lena Vasquez"],
        ["experience", "Staff Software Engineer"],
        ["education", "University of Texas at Austin"],
      ],
    );
  });

  it("reads letter-spaced capitals and more of the headings templates use", () => {
    assert.equal(sectionKindOf("E X P E R I E N C E"), "experience");
    assert.equal(sectionKindOf("W O R K  H I S T O R Y"), "experience");
    assert.equal(sectionKindOf("Professional History:"), "experience");
    assert.equal(sectionKindOf("Skills & Abilities"), "skills");
    assert.equal(sectionKindOf("Summary of Qualifications"), "summary");
    assert.equal(sectionKindOf("Senior Designer"), undefined);
  });
});
