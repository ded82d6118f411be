import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { PDFDocument, StandardFonts, setCharacterSpacing } from "pdf-lib";
import { buildPdf } from "../testing.ts";
import { mergeGlyphRuns, readPdf, type GlyphRun } from "./pdf.ts";

const texts = (r: { lines: { text: string }[] }) => r.lines.map((l) => l.text);

function glyph(text: string, x: number, extra: Partial<GlyphRun> = {}): GlyphRun {
  return { text, page: 1, x, y: 700, width: 5, fontSize: 10, bold: false, fill: [0, 0, 0], ...extra };
}

describe("reading PDFs from other producers", () => {
  it("joins glyphs drawn one by one into runs, with a space where the gap is a space, and keeps styles apart", () => {
    const runs = mergeGlyphRuns([glyph("G", 50), glyph("o", 55), glyph("L", 63), glyph("a", 68), glyph("B", 73, { bold: true }), glyph("z", 200)]);
    assert.deepEqual(
      runs.map((r) => [r.text, r.x, r.width]),
      [
        ["Go La", 50, 23],
        ["B", 73, 5],
        ["z", 200, 5],
      ],
    );
  });

  it("reads a page whose every glyph is drawn on its own (Chromium's print to PDF) as one column of whole lines", async () => {
    const doc = await PDFDocument.create();
    const font = await doc.embedFont(StandardFonts.Helvetica);
    const page = doc.addPage([612, 792]);
    const lines = [
      "Frontend Engineer at Spreewald Mobility",
      "November 2021 - Present",
      "Rewrote the booking app in Next.js, halving time to interactive.",
      "Introduced Storybook and visual tests for the component library.",
      "Web Developer at Agentur Lindenblatt",
      "January 2019 - October 2021",
      "Built client sites in Vue.js and plain JavaScript.",
      "Set up Jest tests and GitHub Actions for every project.",
    ];
    lines.forEach((line, i) => {
      let x = 57;
      for (const ch of line) {
        if (ch !== " ") page.drawText(ch, { x, y: 720 - i * 16, size: 11, font });
        x += font.widthOfTextAtSize(ch, 11);
      }
    });
    const r = await readPdf(await doc.save());
    assert.deepEqual(texts(r), lines);
    assert.ok(!r.flags.includes("two-column"), r.flags.join());
  });

  it("reads a space that Ghostscript wrote as character spacing (groff, enscript through ps2pdf) as a space", async () => {
    const doc = await PDFDocument.create();
    const font = await doc.embedFont(StandardFonts.TimesRoman);
    const page = doc.addPage([612, 792]);
    page.drawText("Product designer focused on comple", { x: 72, y: 700, size: 10, font });
    page.pushOperators(setCharacterSpacing(3.354));
    const at = 72 + font.widthOfTextAtSize("Product designer focused on comple", 10);
    page.drawText("xB", { x: at, y: 700, size: 10, font });
    page.pushOperators(setCharacterSpacing(0));
    page.drawText("2B tools.", { x: at + font.widthOfTextAtSize("xB", 10) + 2 * 3.354, y: 700, size: 10, font });
    const r = await readPdf(await doc.save());
    assert.deepEqual(texts(r), ["Product designer focused on complex B2B tools."]);
  });

  it("reads a table whose left cells hold the headings level with their rows, heading first, a wrapped label joined", async () => {
    const label = (text: string, y: number) => ({ text, x: 50, y, bold: true });
    const cell = (text: string, y: number) => ({ text, x: 200, y });
    const r = await readPdf(
      await buildPdf([
        { text: "Hannah Weber", x: 50, y: 750, size: 18 },
        label("Employment", 700),
        cell("Spreewald Mobility, Berlin", 700),
        cell("Frontend Engineer", 686),
        cell("11/2021 - Current", 672),
        cell("Rewrote the booking app in Next.js.", 658),
        label("Areas of Expertise", 630),
        cell("TypeScript, React, Next.js, GraphQL", 630),
        label("Academic", 600),
        label("Background", 586),
        cell("B.Sc. Media Informatics, Hochschule Elbtal, 2018", 600),
        label("Languages", 560),
        cell("German, English", 560),
      ]),
    );
    assert.deepEqual(texts(r), [
      "Hannah Weber",
      "Employment",
      "Spreewald Mobility, Berlin",
      "Frontend Engineer",
      "11/2021 - Current",
      "Rewrote the booking app in Next.js.",
      "Areas of Expertise",
      "TypeScript, React, Next.js, GraphQL",
      "Academic Background",
      "B.Sc. Media Informatics, Hochschule Elbtal, 2018",
      "Languages",
      "German, English",
    ]);
  });

  it("keeps a section label apart from the entry beside it when the style changes across a gap", async () => {
    const r = await readPdf(
      await buildPdf([
        { text: "Lena Vasquez", x: 196, y: 750, size: 24 },
        { text: "Work", x: 127, y: 700, size: 20, bold: true },
        { text: "Staff Software Engineer", x: 196, y: 700, size: 16, bold: true },
        { text: "Confluent", x: 196, y: 680 },
        { text: "Feb 2020 – Present", x: 196, y: 666 },
      ]),
    );
    assert.deepEqual(texts(r), ["Lena Vasquez", "Work   Staff Software Engineer", "Confluent", "Feb 2020 – Present"]);
  });

  it("does not split rows of skill tags into two columns where their gaps happen to line up", async () => {
    const rows = [
      ["Supply Chain Management", 200, "Inventory Management", 350],
      ["Vendor Management", 200, "Root Cause Analysis", 356],
      ["Six Sigma", 200, "Lean Manufacturing", 362],
      ["Forecasting", 200, "Demand Planning", 370],
    ] as const;
    const lines = [
      { text: "Skills", x: 120, y: 724, bold: true },
      ...rows.flatMap(([a, ax, b, bx], i) => [
        { text: a, x: ax, y: 700 - i * 24 },
        { text: b, x: bx, y: 700 - i * 24 },
      ]),
      { text: "SAP", x: 316, y: 676 },
      { text: "ERP", x: 290, y: 628 },
    ];
    const r = await readPdf(await buildPdf(lines));
    assert.ok(!r.flags.includes("two-column"), r.flags.join());
    assert.equal(texts(r)[1], "Supply Chain Management   Inventory Management");
    assert.match(texts(r)[2]!, /^Vendor Management\s+SAP\s+Root Cause Analysis$/);
  });

  it("puts a line at its text's baseline, not at a raised accent drawn before it", async () => {
    // groff through Ghostscript draws "ó" as a raised accent over a letter, a run of its own.
    const r = await readPdf(
      await buildPdf([
        { text: "Experience", y: 712 },
        { text: "´", x: 250, y: 703 },
        { text: "Operations Manager, Levante Distribucion", y: 700 },
        { text: "2020 – Present", y: 688 },
        { text: "Valencia", y: 676 },
      ]),
    );
    assert.deepEqual(
      r.lines.map((l) => l.gapBefore),
      [true, false, false, false],
    );
  });

  it("marks the first line of each block: after a blank line's space, on a new page", async () => {
    const r = await readPdf(
      await buildPdf([
        { text: "Jane Doe", y: 750 },
        { text: "jane@example.com", y: 736 },
        { text: "Experience", y: 708 },
        { text: "Engineer, Acme", y: 694 },
        { text: "2019 - 2024", y: 680 },
      ]),
    );
    assert.deepEqual(
      r.lines.map((l) => [l.text, l.gapBefore]),
      [
        ["Jane Doe", true],
        ["jane@example.com", false],
        ["Experience", true],
        ["Engineer, Acme", false],
        ["2019 - 2024", false],
      ],
    );
  });
});
