/**
 * Renders a profile as a Word document with the `docx` package: headings and paragraphs for the
 * single-column layouts, a two-cell table for the sidebar layout and a skills table for the grid.
 */
import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  Header,
  HeadingLevel,
  Packer,
  PageNumber,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from "docx";
import type { ResumeProfile } from "./people.ts";
import { contactLine, formatDateRange, type ResumeLayout } from "./layouts.ts";

type Block = Paragraph | Table;

function heading(text: string): Paragraph {
  return new Paragraph({ text, heading: HeadingLevel.HEADING_2, spacing: { before: 200, after: 80 } });
}

function plain(text: string, options: { bold?: boolean; italics?: boolean; bullet?: boolean } = {}): Paragraph {
  return new Paragraph({
    children: [new TextRun({ text, bold: options.bold, italics: options.italics })],
    ...(options.bullet ? { bullet: { level: 0 } } : {}),
  });
}

/** Header/footer text with `{page}` turned into a live page-number field. */
function templateParagraph(template: string, profile: ResumeProfile): Paragraph {
  const parts = template.replaceAll("{name}", profile.name).split("{page}");
  const runs: TextRun[] = [];
  parts.forEach((part, i) => {
    if (part) runs.push(new TextRun({ text: part, size: 16 }));
    if (i < parts.length - 1) runs.push(new TextRun({ children: [PageNumber.CURRENT], size: 16 }));
  });
  return new Paragraph({ children: runs, alignment: AlignmentType.CENTER });
}

function experienceBlocks(profile: ResumeProfile, layout: ResumeLayout): Block[] {
  const blocks: Block[] = [heading(layout.sections.experience)];
  for (const p of profile.positions) {
    blocks.push(plain(p.title, { bold: true }));
    blocks.push(plain(`${p.org}, ${p.location}`));
    blocks.push(plain(formatDateRange(p.start, p.end, layout.dateStyle), { italics: true }));
    for (const h of p.highlights) blocks.push(plain(h, { bullet: true }));
  }
  return blocks;
}

function educationBlocks(profile: ResumeProfile, layout: ResumeLayout): Block[] {
  const blocks: Block[] = [heading(layout.sections.education)];
  for (const e of profile.education) {
    blocks.push(plain(e.school, { bold: true }));
    blocks.push(plain(`${e.degree}, ${e.field}`));
    blocks.push(plain(`${e.startYear} - ${e.endYear}`, { italics: true }));
  }
  return blocks;
}

function certificationBlocks(profile: ResumeProfile, layout: ResumeLayout): Block[] {
  if (profile.certifications.length === 0) return [];
  return [heading(layout.sections.certifications), ...profile.certifications.map((c) => plain(`${c.name} - ${c.issuer} (${c.year})`))];
}

function languageBlocks(profile: ResumeProfile, layout: ResumeLayout): Block[] {
  return [heading(layout.sections.languages), ...profile.languages.map((l) => plain(`${l.language}: ${l.proficiency}`))];
}

function linkBlocks(profile: ResumeProfile, layout: ResumeLayout): Block[] {
  return [heading(layout.sections.links), ...profile.links.map((l) => plain(l.url))];
}

const noBorders = {
  top: { style: BorderStyle.NONE, size: 0, color: "FFFFFF" },
  bottom: { style: BorderStyle.NONE, size: 0, color: "FFFFFF" },
  left: { style: BorderStyle.NONE, size: 0, color: "FFFFFF" },
  right: { style: BorderStyle.NONE, size: 0, color: "FFFFFF" },
};

function skillsTable(profile: ResumeProfile): Table {
  const perRow = 3;
  const rows: TableRow[] = [];
  for (let i = 0; i < profile.skills.length; i += perRow) {
    const cells = profile.skills.slice(i, i + perRow);
    while (cells.length < perRow) cells.push("");
    rows.push(new TableRow({ children: cells.map((s) => new TableCell({ children: [new Paragraph(s)], width: { size: 33, type: WidthType.PERCENTAGE } })) }));
  }
  return new Table({ rows, width: { size: 100, type: WidthType.PERCENTAGE } });
}

/**
 * Renders the profile as a .docx in the given layout.
 * @example
 * const bytes = await renderResumeDocx(generatePeople(1, 1)[0], resumeLayouts[1]);
 */
export async function renderResumeDocx(profile: ResumeProfile, layout: ResumeLayout): Promise<Uint8Array> {
  const top: Block[] = [new Paragraph({ text: profile.name, heading: HeadingLevel.TITLE }), plain(profile.headline, { italics: true })];
  let body: Block[];
  if (layout.columns === "sidebar") {
    const side: Block[] = [
      heading("Contact"),
      plain(profile.email),
      plain(profile.phone),
      plain(profile.location.text),
      heading(layout.sections.skills),
      ...profile.skills.map((s) => plain(s)),
      ...languageBlocks(profile, layout),
      ...linkBlocks(profile, layout),
    ];
    const main: Block[] = [
      heading(layout.sections.summary),
      plain(profile.summary),
      ...experienceBlocks(profile, layout),
      ...educationBlocks(profile, layout),
      ...certificationBlocks(profile, layout),
    ];
    body = [
      new Table({
        width: { size: 100, type: WidthType.PERCENTAGE },
        rows: [
          new TableRow({
            children: [
              new TableCell({ children: side, width: { size: 32, type: WidthType.PERCENTAGE }, borders: noBorders }),
              new TableCell({ children: main, width: { size: 68, type: WidthType.PERCENTAGE }, borders: noBorders }),
            ],
          }),
        ],
      }),
    ];
  } else {
    body = [
      plain(contactLine(profile)),
      heading(layout.sections.summary),
      plain(profile.summary),
      ...(layout.columns === "grid" ? [heading(layout.sections.skills), skillsTable(profile)] : []),
      ...experienceBlocks(profile, layout),
      ...educationBlocks(profile, layout),
      ...(layout.columns === "single" ? [heading(layout.sections.skills), plain(profile.skills.join(", "))] : []),
      ...certificationBlocks(profile, layout),
      ...languageBlocks(profile, layout),
      ...linkBlocks(profile, layout),
    ];
  }
  const doc = new Document({
    creator: profile.name,
    title: `${profile.name} - Resume`,
    sections: [
      {
        ...(layout.header ? { headers: { default: new Header({ children: [templateParagraph(layout.header, profile)] }) } } : {}),
        ...(layout.footer ? { footers: { default: new Footer({ children: [templateParagraph(layout.footer, profile)] }) } } : {}),
        children: [...top, ...body],
      },
    ],
  });
  return new Uint8Array(await Packer.toBuffer(doc));
}
