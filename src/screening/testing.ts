/**
 * Resume files for tests and benchmarks, built in code: PDFs with visible and hidden text,
 * an encrypted PDF, DOCX files with hidden runs, zip bombs (honest and lying), and a scan.
 * Nothing here is used by the service itself.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Document, Packer, Paragraph, TextRun, HeadingLevel } from "docx";
import { zipSync, strToU8 } from "fflate";
import { PDFDocument, StandardFonts, rgb } from "pdf-lib";

export interface PdfLine {
  text: string;
  x?: number;
  y?: number;
  size?: number;
  bold?: boolean;
  /** 0..1 per channel. */
  color?: [number, number, number];
  /** Page background rectangle behind this line. */
  background?: [number, number, number];
  opacity?: number;
}

/** A one-or-more-page PDF with the given lines (top to bottom when y is not given). */
export async function buildPdf(lines: PdfLine[], options: { pages?: number } = {}): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const pages = Array.from({ length: options.pages ?? 1 }, () => doc.addPage([612, 792]));
  let y = 750;
  let pageIndex = 0;
  for (const line of lines) {
    const size = line.size ?? 10;
    if (line.y === undefined && y < 60 && pageIndex < pages.length - 1) {
      pageIndex++;
      y = 750;
    }
    const page = pages[pageIndex]!;
    const at = { x: line.x ?? 50, y: line.y ?? y };
    if (line.background) page.drawRectangle({ x: 0, y: at.y - 4, width: 612, height: size + 8, color: rgb(...line.background) });
    page.drawText(line.text, {
      ...at,
      size,
      font: line.bold ? bold : regular,
      color: rgb(...(line.color ?? [0, 0, 0])),
      ...(line.opacity !== undefined ? { opacity: line.opacity } : {}),
    });
    if (line.y === undefined) y -= Math.max(size, 2) + 6;
  }
  return doc.save();
}

/** A small PDF encrypted with a user password (hand-built: pdf-lib cannot encrypt). */
export function encryptedPdf(): Uint8Array {
  const hex = (n: number) => "ab".repeat(n);
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
    `<< /Filter /Standard /V 1 /R 2 /O <${hex(32)}> /U <${hex(32)}> /P -44 >>`,
  ];
  let out = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("")}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Encrypt 4 0 R /ID [<${hex(16)}><${hex(16)}>] >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(out);
}

export interface DocxParagraph {
  text: string;
  heading?: boolean;
  bold?: boolean;
  /** Hex colour such as "FFFFFF". */
  color?: string;
  vanish?: boolean;
  /** Half-points. */
  size?: number;
}

/** A DOCX built with the `docx` library. */
export async function buildDocx(paragraphs: DocxParagraph[]): Promise<Uint8Array> {
  const doc = new Document({
    sections: [
      {
        children: paragraphs.map(
          (p) =>
            new Paragraph({
              ...(p.heading ? { heading: HeadingLevel.HEADING_2 } : {}),
              children: [
                new TextRun({
                  text: p.text,
                  bold: p.bold ?? false,
                  ...(p.color ? { color: p.color } : {}),
                  ...(p.vanish ? { vanish: true } : {}),
                  ...(p.size ? { size: p.size } : {}),
                }),
              ],
            }),
        ),
      },
    ],
  });
  return new Uint8Array(await Packer.toBuffer(doc));
}

/**
 * A DOCX-shaped zip bomb: `word/document.xml` inflates to `megabytes` MB of repeated text. With
 * `lie`, the zip's headers claim the entry is 1 KB, so only a capped inflate can catch it.
 */
export function zipBomb(megabytes: number, options: { lie?: boolean } = {}): Uint8Array {
  const big = new Uint8Array(megabytes * 1024 * 1024).fill(0x41);
  const zip = zipSync({ "[Content_Types].xml": strToU8("<Types/>"), "word/document.xml": big }, { level: 9 });
  if (options.lie) {
    // Rewrite the uncompressed size of word/document.xml in its local header and the central directory.
    const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
    for (let i = 0; i + 4 < zip.length; i++) {
      const sig = view.getUint32(i, true);
      if (sig === 0x04034b50 && view.getUint32(i + 22, true) === big.length) view.setUint32(i + 22, 1024, true);
      if (sig === 0x02014b50 && view.getUint32(i + 24, true) === big.length) view.setUint32(i + 24, 1024, true);
    }
  }
  return zip;
}

/** An image-only PDF: the text PDF rasterised by pdftoppm and placed back as a picture. Needs pdftoppm. */
export async function scannedPdf(lines: string[]): Promise<Uint8Array> {
  const dir = mkdtempSync(join(tmpdir(), "fulcrum-scan-"));
  try {
    const source = await buildPdf(lines.map((text) => ({ text, size: 14 })));
    writeFileSync(join(dir, "in.pdf"), source);
    execFileSync("pdftoppm", ["-r", "150", "-png", "-singlefile", join(dir, "in.pdf"), join(dir, "page")]);
    const png = readFileSync(join(dir, "page.png"));
    const doc = await PDFDocument.create();
    const image = await doc.embedPng(png);
    const page = doc.addPage([612, 792]);
    page.drawImage(image, { x: 0, y: 0, width: 612, height: 792 });
    return doc.save();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
