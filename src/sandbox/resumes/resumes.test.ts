import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { extractText, getDocumentProxy } from "unpdf";
import mammoth from "mammoth";
import { formatDateRange, generatePeople, renderResumeDocx, renderResumePdf, resumeLayouts } from "./index.ts";

async function pdfText(bytes: Uint8Array): Promise<string> {
  const pdf = await getDocumentProxy(new Uint8Array(bytes));
  const { text } = await extractText(pdf, { mergePages: true });
  return text;
}

/** PDF text extraction may break lines anywhere; compare with whitespace collapsed. */
function squash(text: string): string {
  return text.replace(/\s+/g, " ");
}

describe("generatePeople", () => {
  it("gives the same people for the same seed and different people for another seed", () => {
    assert.deepEqual(generatePeople(7, 12), generatePeople(7, 12));
    assert.notDeepEqual(generatePeople(7, 5), generatePeople(8, 5));
  });

  it("gives every person a consistent career: ordered positions, at most one current, unique employers", () => {
    for (const person of generatePeople(3, 120)) {
      assert.ok(person.positions.length >= 1);
      const current = person.positions.filter((p) => p.end === null);
      assert.ok(current.length <= 1, `${person.name} has two current jobs`);
      if (current.length === 1) assert.equal(person.positions[0]?.end, null);
      for (const p of person.positions) {
        if (p.end) assert.ok(p.end.year * 12 + p.end.month > p.start.year * 12 + p.start.month, `${p.org} ends before it starts`);
        assert.ok(p.start.month >= 1 && p.start.month <= 12);
      }
      assert.equal(new Set(person.positions.map((p) => p.org)).size, person.positions.length);
      assert.ok(person.skills.length >= 6);
      assert.ok(person.education.length >= 1);
      assert.match(person.email, /^[a-z.0-9]+@example\.(com|net|org)$/);
    }
  });

  it("covers every discipline and several seniorities", () => {
    const people = generatePeople(1, 90);
    assert.equal(new Set(people.map((p) => p.discipline)).size, 9);
    assert.ok(new Set(people.map((p) => p.seniority)).size >= 4);
  });
});

describe("formatDateRange", () => {
  it("prints each date style the way resumes do", () => {
    assert.equal(formatDateRange({ year: 2020, month: 1 }, null, "month-name"), "Jan 2020 \u2013 Present");
    assert.equal(formatDateRange({ year: 2019, month: 3 }, { year: 2021, month: 11 }, "iso-month"), "2019-03 to 2021-11");
    assert.equal(formatDateRange({ year: 2018, month: 3 }, { year: 2019, month: 12 }, "numeric"), "03/2018 - 12/2019");
    assert.equal(formatDateRange({ year: 2019, month: 3 }, null, "full-month"), "March 2019 \u2013 Current");
  });
});

describe("resume renderers", () => {
  const people = generatePeople(11, resumeLayouts.length * 2);

  for (const [i, layout] of resumeLayouts.entries()) {
    const person = people[i] ?? people[0]!;

    it(`renders a ${layout.name} PDF whose text carries the person's name, employers, section names and dates`, async () => {
      const bytes = await renderResumePdf(person, layout);
      assert.equal(Buffer.from(bytes.subarray(0, 5)).toString("latin1"), "%PDF-");
      const text = squash(await pdfText(bytes));
      assert.ok(text.includes(person.name), `name missing from ${layout.name}`);
      for (const p of person.positions) {
        assert.ok(text.includes(p.org), `employer ${p.org} missing from ${layout.name}`);
        assert.ok(text.includes(formatDateRange(p.start, p.end, layout.dateStyle)), `dates of ${p.org} missing`);
      }
      assert.ok(text.includes(layout.sections.experience));
      assert.ok(text.includes(person.email));
    });

    it(`renders a ${layout.name} DOCX whose text carries the person's name, employers and schools`, async () => {
      const bytes = await renderResumeDocx(person, layout);
      assert.equal(Buffer.from(bytes.subarray(0, 2)).toString("latin1"), "PK");
      const { value } = await mammoth.extractRawText({ buffer: Buffer.from(bytes) });
      assert.ok(value.includes(person.name));
      for (const p of person.positions) assert.ok(value.includes(p.org), `employer ${p.org} missing from ${layout.name} docx`);
      for (const e of person.education) assert.ok(value.includes(e.school));
      for (const s of person.skills) assert.ok(value.includes(s), `skill ${s} missing`);
    });
  }

  it("renders many people in every layout without an unencodable character", async () => {
    const many = generatePeople(99, 60);
    for (const [i, person] of many.entries()) {
      const bytes = await renderResumePdf(person, resumeLayouts[i % resumeLayouts.length]!);
      assert.ok(bytes.length > 1000);
    }
  });
});
