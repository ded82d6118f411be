/**
 * Renders a profile as a real, text-bearing PDF with pdf-lib (pure JS). Everything printed comes
 * from the profile, so the profile is the ground truth for the file.
 */
import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from "pdf-lib";
import type { ResumeProfile } from "./people.ts";
import { contactLine, fillTemplate, formatDateRange, type ResumeLayout } from "./layouts.ts";

const pageWidth = 612;
const pageHeight = 792;
const margin = 50;
const ink = rgb(0.1, 0.1, 0.12);
const muted = rgb(0.35, 0.35, 0.4);

interface Fonts {
  regular: PDFFont;
  bold: PDFFont;
  italic: PDFFont;
}

/** Splits text into lines no wider than `width` (words longer than a line stay whole). */
function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const candidate = line ? `${line} ${word}` : word;
    if (line && font.widthOfTextAtSize(candidate, size) > width) {
      lines.push(line);
      line = word;
    } else {
      line = candidate;
    }
  }
  if (line) lines.push(line);
  return lines;
}

/** A column of flowing text that starts a new page when it reaches the bottom margin. */
class Column {
  page: PDFPage;
  y: number;
  x: number;
  width: number;
  top: number;
  readonly fonts: Fonts;
  readonly newPage: () => PDFPage;

  constructor(page: PDFPage, x: number, width: number, top: number, fonts: Fonts, newPage: () => PDFPage) {
    this.page = page;
    this.x = x;
    this.width = width;
    this.y = top;
    this.top = top;
    this.fonts = fonts;
    this.newPage = newPage;
  }

  ensure(height: number): void {
    if (this.y - height < margin + 20) {
      this.page = this.newPage();
      this.y = pageHeight - margin - 20;
    }
  }

  text(text: string, options: { size?: number; font?: keyof Fonts; color?: ReturnType<typeof rgb>; indent?: number; gap?: number } = {}): void {
    const size = options.size ?? 10;
    const font = this.fonts[options.font ?? "regular"];
    const indent = options.indent ?? 0;
    for (const line of wrap(text, font, size, this.width - indent)) {
      this.ensure(size + 3);
      this.page.drawText(line, { x: this.x + indent, y: this.y - size, size, font, color: options.color ?? ink });
      this.y -= size + 3;
    }
    this.y -= options.gap ?? 0;
  }

  /** A left text and a right-aligned text on one line (e.g. organisation and dates). */
  split(left: string, right: string, size = 10): void {
    this.ensure(size + 3);
    const rightWidth = this.fonts.italic.widthOfTextAtSize(right, size);
    this.page.drawText(left, { x: this.x, y: this.y - size, size, font: this.fonts.regular, color: ink });
    this.page.drawText(right, { x: this.x + this.width - rightWidth, y: this.y - size, size, font: this.fonts.italic, color: muted });
    this.y -= size + 3;
  }

  heading(text: string): void {
    this.ensure(30);
    this.y -= 8;
    this.page.drawText(text, { x: this.x, y: this.y - 12, size: 12, font: this.fonts.bold, color: ink });
    this.y -= 15;
    this.page.drawLine({ start: { x: this.x, y: this.y }, end: { x: this.x + this.width, y: this.y }, thickness: 0.6, color: muted });
    this.y -= 5;
  }

  space(points: number): void {
    this.y -= points;
  }
}

function experience(col: Column, profile: ResumeProfile, layout: ResumeLayout): void {
  col.heading(layout.sections.experience);
  for (const p of profile.positions) {
    const dates = formatDateRange(p.start, p.end, layout.dateStyle);
    col.text(p.title, { font: "bold", size: 11 });
    if (col.width > 300) {
      col.split(`${p.org}, ${p.location}`, dates);
    } else {
      col.text(`${p.org}, ${p.location}`);
      col.text(dates, { font: "italic", color: muted });
    }
    for (const h of p.highlights) col.text(`\u2022 ${h}`, { indent: 8 });
    col.space(4);
  }
}

function education(col: Column, profile: ResumeProfile, layout: ResumeLayout): void {
  col.heading(layout.sections.education);
  for (const e of profile.education) {
    col.text(e.school, { font: "bold" });
    col.text(`${e.degree}, ${e.field}`);
    col.text(`${e.startYear} - ${e.endYear}`, { font: "italic", color: muted, gap: 3 });
  }
}

function certifications(col: Column, profile: ResumeProfile, layout: ResumeLayout): void {
  if (profile.certifications.length === 0) return;
  col.heading(layout.sections.certifications);
  for (const c of profile.certifications) col.text(`${c.name} - ${c.issuer} (${c.year})`);
}

function languages(col: Column, profile: ResumeProfile, layout: ResumeLayout): void {
  col.heading(layout.sections.languages);
  for (const l of profile.languages) col.text(`${l.language}: ${l.proficiency}`);
}

function links(col: Column, profile: ResumeProfile, layout: ResumeLayout): void {
  col.heading(layout.sections.links);
  for (const l of profile.links) col.text(l.url, { size: 9 });
}

/** Draws the skills as a bordered grid of cells, three per row. */
function skillsGrid(col: Column, profile: ResumeProfile, layout: ResumeLayout): void {
  col.heading(layout.sections.skills);
  const perRow = 3;
  const cellWidth = col.width / perRow;
  const cellHeight = 16;
  for (let i = 0; i < profile.skills.length; i += perRow) {
    col.ensure(cellHeight);
    profile.skills.slice(i, i + perRow).forEach((skill, j) => {
      const x = col.x + j * cellWidth;
      col.page.drawRectangle({ x, y: col.y - cellHeight, width: cellWidth, height: cellHeight, borderColor: muted, borderWidth: 0.5 });
      col.page.drawText(skill, { x: x + 4, y: col.y - cellHeight + 4.5, size: 9, font: col.fonts.regular, color: ink });
    });
    col.y -= cellHeight;
  }
  col.space(4);
}

/** Experience as table rows: dates in a narrow left column, role and organisation on the right. */
function experienceRows(col: Column, profile: ResumeProfile, layout: ResumeLayout): void {
  col.heading(layout.sections.experience);
  const dateWidth = 120;
  for (const p of profile.positions) {
    col.ensure(40);
    const rowTop = col.y;
    col.page.drawText(formatDateRange(p.start, p.end, layout.dateStyle), { x: col.x, y: rowTop - 10, size: 9, font: col.fonts.italic, color: muted });
    const inner = new Column(col.page, col.x + dateWidth, col.width - dateWidth, rowTop, col.fonts, col.newPage);
    inner.text(`${p.title} | ${p.org}`, { font: "bold" });
    inner.text(p.location, { color: muted });
    for (const h of p.highlights) inner.text(`\u2022 ${h}`, { indent: 6 });
    col.page = inner.page;
    col.y = inner.y - 6;
  }
}

/**
 * Renders the profile as a PDF in the given layout.
 * @example
 * const bytes = await renderResumePdf(generatePeople(1, 1)[0], resumeLayouts[0]);
 */
export async function renderResumePdf(profile: ResumeProfile, layout: ResumeLayout): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(`${profile.name} - Resume`);
  doc.setAuthor(profile.name);
  doc.setCreator("Fulcrum sandbox");
  doc.setProducer("Fulcrum sandbox");
  // Fixed dates keep the bytes identical from run to run.
  doc.setCreationDate(new Date(Date.UTC(2026, 0, 1)));
  doc.setModificationDate(new Date(Date.UTC(2026, 0, 1)));
  const fonts: Fonts = {
    regular: await doc.embedFont(StandardFonts.Helvetica),
    bold: await doc.embedFont(StandardFonts.HelveticaBold),
    italic: await doc.embedFont(StandardFonts.HelveticaOblique),
  };
  const pages: PDFPage[] = [];
  const newPage = (): PDFPage => {
    const page = doc.addPage([pageWidth, pageHeight]);
    pages.push(page);
    return page;
  };
  const first = newPage();
  let top = pageHeight - margin;
  if (layout.header) top -= 14;

  const full = new Column(first, margin, pageWidth - 2 * margin, top, fonts, newPage);
  full.text(profile.name, { font: "bold", size: 22, gap: 2 });
  full.text(profile.headline, { size: 12, color: muted, gap: 2 });

  if (layout.columns === "sidebar") {
    const sidebarWidth = 160;
    const gutter = 20;
    const side = new Column(first, margin, sidebarWidth, full.y - 6, fonts, newPage);
    side.heading("Contact");
    side.text(profile.email, { size: 9 });
    side.text(profile.phone, { size: 9 });
    side.text(profile.location.text, { size: 9 });
    side.heading(layout.sections.skills);
    for (const s of profile.skills) side.text(s, { size: 9 });
    languages(side, profile, layout);
    links(side, profile, layout);
    first.drawLine({
      start: { x: margin + sidebarWidth + gutter / 2, y: full.y - 6 },
      end: { x: margin + sidebarWidth + gutter / 2, y: margin + 20 },
      thickness: 0.4,
      color: muted,
    });
    const main = new Column(first, margin + sidebarWidth + gutter, pageWidth - 2 * margin - sidebarWidth - gutter, full.y - 6, fonts, newPage);
    main.heading(layout.sections.summary);
    main.text(profile.summary);
    experience(main, profile, layout);
    education(main, profile, layout);
    certifications(main, profile, layout);
  } else {
    full.text(contactLine(profile), { size: 9, color: muted, gap: 4 });
    full.heading(layout.sections.summary);
    full.text(profile.summary);
    if (layout.columns === "grid") {
      skillsGrid(full, profile, layout);
      experienceRows(full, profile, layout);
    } else {
      experience(full, profile, layout);
    }
    education(full, profile, layout);
    if (layout.columns === "single") {
      full.heading(layout.sections.skills);
      full.text(profile.skills.join(", "));
    }
    certifications(full, profile, layout);
    languages(full, profile, layout);
    links(full, profile, layout);
  }

  pages.forEach((page, i) => {
    if (layout.header) {
      page.drawText(fillTemplate(layout.header, profile, i + 1), { x: margin, y: pageHeight - margin + 6, size: 8, font: fonts.regular, color: muted });
    }
    if (layout.footer) {
      page.drawText(fillTemplate(layout.footer, profile, i + 1), { x: margin, y: margin - 10, size: 8, font: fonts.regular, color: muted });
    }
  });
  return await doc.save({ useObjectStreams: false });
}
