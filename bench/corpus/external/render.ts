/**
 * Renders a source resume into the inputs the external producers take: plain text, roff (groff
 * -ms), HTML, flat ODF text (.fodt), DOCX (written with the `docx` package in shapes that imitate
 * common Word templates) and JSON Resume. Each renderer takes a {@link Style} so one person can come
 * out with other section names, date formats, title/company orders and heading typography.
 */
import { AlignmentType, BorderStyle, Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from "docx";
import type { SourcePosition, SourceResume } from "./sources.ts";

export type DateStyle = "mon" | "iso" | "slash" | "year" | "full";
export type OrderStyle = "title-comma-org" | "org-dash-title" | "title-at-org" | "org-line";
/** How section headings look: the body font (`plain`), capitals, bold, a heading style, a table cell, or a two-column page. */
export type HeadingStyle = "plain" | "caps" | "bold" | "heading" | "table" | "two-column";

export interface Style {
  dates: DateStyle;
  order: OrderStyle;
  headings: HeadingStyle;
  /** Index into {@link SECTION_NAMES}. */
  names: number;
  /** False: no skills list; the skills are only named in the summary and positions. */
  skillsList?: boolean;
}

/** Section names as different templates word them. */
export const SECTION_NAMES = [
  { summary: "Summary", experience: "Experience", skills: "Skills", education: "Education", languages: "Languages", certifications: "Certifications" },
  {
    summary: "Profile",
    experience: "Work History",
    skills: "Core Competencies",
    education: "Education",
    languages: "Languages",
    certifications: "Certifications",
  },
  {
    summary: "About Me",
    experience: "Professional Experience",
    skills: "Technical Skills",
    education: "Education & Training",
    languages: "Languages",
    certifications: "Licenses & Certifications",
  },
  {
    summary: "Career Summary",
    experience: "Employment",
    skills: "Areas of Expertise",
    education: "Academic Background",
    languages: "Languages",
    certifications: "Certificates",
  },
] as const;

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/** Drops the author's skill marks: "{Python}" → "Python". */
export function plain(text: string): string {
  return text.replace(/\{([^}]+)\}/g, "$1");
}

function part(month: string, style: DateStyle): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  switch (style) {
    case "mon":
      return `${MONTHS[m - 1]!.slice(0, 3)} ${y}`;
    case "full":
      return `${MONTHS[m - 1]} ${y}`;
    case "iso":
      return `${y}-${String(m).padStart(2, "0")}`;
    case "slash":
      return `${String(m).padStart(2, "0")}/${y}`;
    case "year":
      return String(y);
  }
}

/** A position's dates as the style writes them ("Jan 2019 – Present", "2019-01 to 2021-06", …). */
export function formatDates(p: Pick<SourcePosition, "start" | "end">, style: DateStyle): string {
  const present = { mon: "Present", full: "Present", iso: "present", slash: "Current", year: "Present" }[style];
  const sep = { mon: " – ", full: " - ", iso: " to ", slash: " - ", year: " – " }[style];
  return `${part(p.start, style)}${sep}${p.end ? part(p.end, style) : present}`;
}

/** The header lines of a position, in the style's title/company order. */
export function positionHeader(p: SourcePosition, style: Style): string[] {
  const dates = formatDates(p, style.dates);
  switch (style.order) {
    case "title-comma-org":
      return [`${p.title}, ${p.org}`, `${dates} | ${p.location}`];
    case "org-dash-title":
      return [`${p.org} — ${p.title}`, `${p.location} · ${dates}`];
    case "title-at-org":
      return [`${p.title} at ${p.org}`, dates];
    case "org-line":
      return [`${p.org}, ${p.location}`, p.title, dates];
  }
}

function educationLine(e: SourceResume["education"][number]): string {
  return `${e.degree} ${e.field}, ${e.school}, ${e.year}`;
}

interface Block {
  kind: keyof (typeof SECTION_NAMES)[number];
  heading: string;
  /** Paragraphs; position headers come as `header` lines, bullets as `bullet`. */
  items: { type: "text" | "header" | "bullet"; text: string }[];
}

/** The resume as ordered sections of typed lines: the common ground of every renderer. */
export function blocks(r: SourceResume, style: Style): Block[] {
  const names = SECTION_NAMES[style.names % SECTION_NAMES.length]!;
  const out: Block[] = [
    { kind: "summary", heading: names.summary, items: [{ type: "text", text: plain(r.summary) }] },
    {
      kind: "experience",
      heading: names.experience,
      items: r.positions.flatMap((p) => [
        ...positionHeader(p, style).map((text) => ({ type: "header" as const, text })),
        ...p.bullets.map((b) => ({ type: "bullet" as const, text: plain(b) })),
      ]),
    },
    ...(style.skillsList === false ? [] : [{ kind: "skills" as const, heading: names.skills, items: [{ type: "text" as const, text: r.skills.join(", ") }] }]),
    { kind: "education", heading: names.education, items: r.education.map((e) => ({ type: "text" as const, text: educationLine(e) })) },
    { kind: "languages", heading: names.languages, items: [{ type: "text", text: r.languages.join(", ") }] },
  ];
  if (r.certifications.length > 0)
    out.push({ kind: "certifications", heading: names.certifications, items: r.certifications.map((text) => ({ type: "text" as const, text })) });
  return out;
}

const contact = (r: SourceResume) => `${r.email} | ${r.phone} | ${r.location}`;

/** Plain text as typed in an editor: headings in capitals or as typed, optionally underlined; `ascii` for Latin-1 tools. */
export function renderText(r: SourceResume, style: Style, options: { underline?: boolean; ascii?: boolean; bullet?: string } = {}): string {
  const lines: string[] = [r.name, r.headline, contact(r), ""];
  for (const b of blocks(r, style)) {
    const h = style.headings === "caps" ? b.heading.toUpperCase() : b.heading;
    lines.push(h);
    if (options.underline) lines.push("-".repeat(h.length));
    let previous = "";
    for (const item of b.items) {
      if (item.type === "header" && previous === "bullet") lines.push("");
      lines.push(item.type === "bullet" ? `${options.bullet ?? "-"} ${item.text}` : item.text);
      previous = item.type;
    }
    lines.push("");
  }
  const text = `${lines.join("\n")}\n`;
  return options.ascii ? text.replace(/[–—]/g, "-").replace(/€/g, "EUR ").replace(/·/g, "|") : text;
}

const roffEscape = (s: string) =>
  s
    .replace(/\\/g, "\\e")
    .replace(/^([.'])/gm, "\\&$1")
    .replace(/–/g, "\\(en")
    .replace(/—/g, "\\(em");

/**
 * A roff document in bare troff requests (no macro package, so groff-base is enough): headings bold
 * or in the body font, bullets as hanging indents.
 */
export function renderRoff(r: SourceResume, style: Style): string {
  const line = (text: string) => [roffEscape(text), ".br"];
  const out = [
    ".pl 11i",
    ".nh",
    ".ad l",
    ".po 0.9i",
    ".ll 6.7i",
    ".ps 10",
    ".vs 12p",
    ".ft B",
    ...line(r.name),
    ".ft R",
    ...line(r.headline),
    ...line(contact(r)),
  ];
  for (const b of blocks(r, style)) {
    const h = style.headings === "caps" ? b.heading.toUpperCase() : b.heading;
    out.push(".sp 0.7");
    if (style.headings === "bold") out.push(".ft B", ...line(h), ".ft R");
    else out.push(...line(h));
    for (const item of b.items) {
      if (item.type === "bullet") out.push(".in 0.25i", ".ti -0.15i", `\\(bu ${roffEscape(item.text)}`, ".br", ".in 0");
      else {
        if (item.type === "header") out.push(".sp 0.3");
        out.push(...line(item.text));
      }
    }
  }
  return `${out.join("\n")}\n`;
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

function htmlItems(b: Block): string {
  let html = "";
  let inList = false;
  for (const item of b.items) {
    if (item.type === "bullet" && !inList) {
      html += "<ul>";
      inList = true;
    }
    if (item.type !== "bullet" && inList) {
      html += "</ul>";
      inList = false;
    }
    if (item.type === "bullet") html += `<li>${esc(item.text)}</li>`;
    else if (item.type === "header") html += `<p class="pos">${esc(item.text)}</p>`;
    else html += `<p>${esc(item.text)}</p>`;
  }
  return inList ? `${html}</ul>` : html;
}

/** An HTML resume: one column with body-font headings, capitals, bold, headings in table cells, or a two-column grid. */
export function renderHtml(r: SourceResume, style: Style): string {
  const bs = blocks(r, style);
  const font = ["Georgia, serif", "Arial, sans-serif", "'DejaVu Sans', sans-serif", "'Liberation Serif', serif"][style.names % 4];
  const head = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(r.name)}</title><style>
body{font-family:${font};font-size:11pt;margin:0.6in;color:#222} p{margin:0 0 4pt} ul{margin:0 0 6pt 18pt;padding:0}
.h{margin-top:10pt} .caps{font-size:12pt;text-transform:uppercase;letter-spacing:1pt;border-bottom:1px solid #888;font-weight:normal}
.bold{font-weight:bold} td{vertical-align:top;padding:4pt} .grid{display:grid;grid-template-columns:2fr 5fr;gap:18pt} .side{background:#f2f2f2;padding:8pt}
</style></head><body>`;
  const top = `<p style="font-size:16pt">${esc(r.name)}</p><p>${esc(r.headline)}</p><p>${esc(contact(r))}</p>`;
  const section = (b: Block) => {
    switch (style.headings) {
      case "caps":
        return `<h2 class="h caps">${esc(b.heading)}</h2>${htmlItems(b)}`;
      case "bold":
        return `<p class="h bold">${esc(b.heading)}</p>${htmlItems(b)}`;
      case "heading":
        return `<h2 class="h">${esc(b.heading)}</h2>${htmlItems(b)}`;
      default:
        return `<p class="h">${esc(b.heading)}</p>${htmlItems(b)}`;
    }
  };
  let body: string;
  if (style.headings === "table") {
    body = `<table>${bs.map((b) => `<tr><td style="width:1.6in"><b>${esc(b.heading)}</b></td><td>${htmlItems(b)}</td></tr>`).join("")}</table>`;
  } else if (style.headings === "two-column") {
    const side = bs.filter((b) => ["skills", "education", "languages", "certifications"].includes(b.kind));
    const main = bs.filter((b) => !side.includes(b));
    const sec = (b: Block) => `<p class="h bold">${esc(b.heading.toUpperCase())}</p>${htmlItems(b)}`;
    body = `<div class="grid"><div class="side">${side.map(sec).join("")}</div><div>${main.map(sec).join("")}</div></div>`;
  } else body = bs.map(section).join("");
  return `${head}${top}${body}</body></html>\n`;
}

/** Flat ODF text (.fodt), as LibreOffice reads it: headings as outline headings, bold, capitals, body text, or table cells. */
export function renderFodt(r: SourceResume, style: Style): string {
  const x = esc;
  const p = (text: string, st = "Body") => `<text:p text:style-name="${st}">${x(text)}</text:p>`;
  const items = (b: Block) =>
    b.items
      .map((i) =>
        i.type === "bullet" ? `<text:list><text:list-item>${p(i.text)}</text:list-item></text:list>` : p(i.text, i.type === "header" ? "Pos" : "Body"),
      )
      .join("");
  const heading = (h: string) => {
    switch (style.headings) {
      case "heading":
        return `<text:h text:style-name="Heading_20_1" text:outline-level="1">${x(h)}</text:h>`;
      case "bold":
        return p(h, "Bold");
      case "caps":
        return p(h.toUpperCase(), "Body");
      default:
        return p(h, "Body");
    }
  };
  const bs = blocks(r, style);
  let body: string;
  if (style.headings === "table" || style.headings === "two-column") {
    body = `<table:table table:name="Resume"><table:table-column table:number-columns-repeated="2"/>${bs
      .map(
        (b) =>
          `<table:table-row><table:table-cell office:value-type="string">${p(b.heading, "Bold")}</table:table-cell><table:table-cell office:value-type="string">${items(b)}</table:table-cell></table:table-row>`,
      )
      .join("")}</table:table>`;
  } else body = bs.map((b) => heading(b.heading) + items(b)).join("");
  return `<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
<office:styles>
<style:style style:name="Body" style:family="paragraph"><style:paragraph-properties fo:margin-bottom="0.08cm"/><style:text-properties style:font-name="Liberation Sans" fo:font-size="10.5pt"/></style:style>
<style:style style:name="Pos" style:family="paragraph" style:parent-style-name="Body"><style:paragraph-properties fo:margin-top="0.15cm"/></style:style>
<style:style style:name="Bold" style:family="paragraph" style:parent-style-name="Body"><style:paragraph-properties fo:margin-top="0.3cm"/><style:text-properties fo:font-weight="bold"/></style:style>
<style:style style:name="Heading_20_1" style:display-name="Heading 1" style:family="paragraph" style:default-outline-level="1"><style:paragraph-properties fo:margin-top="0.35cm" fo:margin-bottom="0.1cm"/><style:text-properties style:font-name="Liberation Sans" fo:font-size="14pt" fo:font-weight="bold"/></style:style>
<style:style style:name="Name" style:family="paragraph"><style:text-properties style:font-name="Liberation Sans" fo:font-size="18pt"/></style:style>
</office:styles>
<office:body><office:text>
${p(r.name, "Name")}${p(r.headline)}${p(contact(r))}${body}
</office:text></office:body></office:document>
`;
}

/** A DOCX imitating Word templates: heading styles, bold body-size headings, capitals, headings in a table cell, a two-column table. */
export async function renderDocx(r: SourceResume, style: Style): Promise<Uint8Array> {
  const size = 21; // half-points: 10.5 pt body
  const para = (text: string, opts: { bold?: boolean; bullet?: boolean; before?: number } = {}) =>
    new Paragraph({
      ...(opts.bullet ? { bullet: { level: 0 } } : {}),
      spacing: { after: 60, before: opts.before ?? 0 },
      children: [new TextRun({ text, bold: opts.bold ?? false, size })],
    });
  const items = (b: Block) => b.items.map((i) => para(i.text, { bullet: i.type === "bullet", before: i.type === "header" ? 80 : 0, bold: false }));
  const heading = (h: string): Paragraph => {
    switch (style.headings) {
      case "heading":
        return new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun(h)] });
      case "bold":
        return para(h, { bold: true, before: 200 });
      case "caps":
        return para(h.toUpperCase(), { before: 200 });
      default:
        return para(h, { before: 200 });
    }
  };
  const bs = blocks(r, style);
  const none = { style: BorderStyle.NONE, size: 0, color: "FFFFFF" };
  const borders = { top: none, bottom: none, left: none, right: none, insideHorizontal: none, insideVertical: none };
  const top = [new Paragraph({ alignment: AlignmentType.LEFT, children: [new TextRun({ text: r.name, size: 36 })] }), para(r.headline), para(contact(r))];
  let children: (Paragraph | Table)[];
  if (style.headings === "table") {
    children = [
      ...top,
      new Table({
        width: { size: 100, type: WidthType.PERCENTAGE },
        borders,
        rows: bs.map(
          (b) =>
            new TableRow({
              children: [
                new TableCell({ width: { size: 25, type: WidthType.PERCENTAGE }, children: [para(b.heading, { bold: true })] }),
                new TableCell({ width: { size: 75, type: WidthType.PERCENTAGE }, children: items(b) }),
              ],
            }),
        ),
      }),
    ];
  } else if (style.headings === "two-column") {
    const side = bs.filter((b) => ["skills", "education", "languages", "certifications"].includes(b.kind));
    const main = bs.filter((b) => !side.includes(b));
    const cell = (list: Block[], pct: number) =>
      new TableCell({
        width: { size: pct, type: WidthType.PERCENTAGE },
        children: list.flatMap((b) => [para(b.heading.toUpperCase(), { bold: true, before: 160 }), ...items(b)]),
      });
    children = [
      ...top,
      new Table({ width: { size: 100, type: WidthType.PERCENTAGE }, borders, rows: [new TableRow({ children: [cell(side, 32), cell(main, 68)] })] }),
    ];
  } else children = [...top, ...bs.flatMap((b) => [heading(b.heading), ...items(b)])];
  const doc = new Document({ creator: "external-corpus", title: r.name, sections: [{ children }] });
  return new Uint8Array(await Packer.toBuffer(doc));
}

/** The source resume as a JSON Resume document (schema v1), for a JSON Resume theme. */
export function toJsonResume(r: SourceResume): Record<string, unknown> {
  const [city, region] = r.location.split(", ");
  return {
    basics: { name: r.name, label: r.headline, email: r.email, phone: r.phone, summary: plain(r.summary), location: { city, region } },
    work: r.positions.map((p) => ({
      name: p.org,
      position: p.title,
      location: p.location,
      startDate: p.start,
      ...(p.end ? { endDate: p.end } : {}),
      highlights: p.bullets.map(plain),
    })),
    education: r.education.map((e) => ({ institution: e.school, studyType: e.degree, area: e.field, endDate: String(e.year) })),
    skills: [{ name: "Skills", keywords: r.skills }],
    languages: r.languages.map((language) => ({ language })),
    certificates: r.certifications.map((name) => ({ name })),
  };
}
