/**
 * PDF reading. We walk pdf.js's operator list ourselves instead of using its text content, because
 * the text content drops what a manipulator relies on: it says nothing of fill colour, painted
 * background, render mode or transparency, and silently omits text placed outside the page. Walking
 * the operators gives every glyph run with its position, size, font, colour and the colour of what
 * is painted under it, so hidden text is judged the way a reader's eye would judge it.
 */
import { getDocumentProxy } from "unpdf";
import { OPS } from "unpdf/pdfjs";
import type { HiddenReason, HiddenText, ReadResult, TextLine } from "./types.ts";
import { emptyResult } from "./types.ts";
import { stripInvisibleCharacters } from "./invisible-characters.ts";
import { isInjection } from "../injection.ts";

type Matrix = [number, number, number, number, number, number];
type Rgb = [number, number, number];

/** A run of glyphs drawn by one show-text operator, in page space (origin bottom-left). */
export interface GlyphRun {
  text: string;
  page: number;
  x: number;
  y: number;
  width: number;
  fontSize: number;
  bold: boolean;
  fill: Rgb;
  /** Hidden reason, when a reader would not see this run. */
  hidden?: HiddenReason;
}

export interface PdfReadOptions {
  /** Pages beyond this are not read (a resume longer than this is reported as partial). */
  maxPages?: number;
  /** Glyph runs below this size (points) count as hidden. */
  tinyFontPt?: number;
}

const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];

function multiply(m: Matrix, n: Matrix): Matrix {
  return [
    m[0] * n[0] + m[1] * n[2],
    m[0] * n[1] + m[1] * n[3],
    m[2] * n[0] + m[3] * n[2],
    m[2] * n[1] + m[3] * n[3],
    m[4] * n[0] + m[5] * n[2] + n[4],
    m[4] * n[1] + m[5] * n[3] + n[5],
  ];
}

function toMatrix(value: unknown): Matrix | undefined {
  if (value == null) return undefined;
  const v = value as ArrayLike<number> & Record<string, number>;
  const a = [0, 1, 2, 3, 4, 5].map((i) => Number(v[i]));
  return a.every((n) => Number.isFinite(n)) ? (a as Matrix) : undefined;
}

function hexToRgb(value: unknown): Rgb | undefined {
  if (typeof value === "string" && /^#[0-9a-f]{6}$/i.test(value)) {
    return [parseInt(value.slice(1, 3), 16) / 255, parseInt(value.slice(3, 5), 16) / 255, parseInt(value.slice(5, 7), 16) / 255];
  }
  const v = value as ArrayLike<number> | undefined;
  if (v && typeof v[0] === "number" && typeof v[2] === "number") return [v[0]! / 255, v[1]! / 255, v[2]! / 255];
  return undefined;
}

function luminance([r, g, b]: Rgb): number {
  const lin = (c: number) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** WCAG contrast ratio: 1 (identical) to 21 (black on white). */
export function contrastRatio(a: Rgb, b: Rgb): number {
  const la = luminance(a);
  const lb = luminance(b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

// Light grey text on white (#cccccc, ratio 1.6) is ordinary design; #f0f0f0 (1.13) is not readable.
const MIN_CONTRAST = 1.3;
const PAINT_FILL_OPS = new Set<number>([OPS.fill, OPS.eoFill, OPS.fillStroke, OPS.eoFillStroke, OPS.closeFillStroke, OPS.closeEOFillStroke]);

interface GraphicsState {
  ctm: Matrix;
  fill: Rgb;
  fillAlpha: number;
  font: string;
  fontSize: number;
  renderMode: number;
  leading: number;
  charSpacing: number;
  wordSpacing: number;
  hScale: number;
  rise: number;
}

interface FilledRect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  fill: Rgb;
}

interface PageProxy {
  view: number[];
  getOperatorList(): Promise<{ fnArray: number[]; argsArray: unknown[][] }>;
  commonObjs: { get(name: string): unknown; has?(name: string): boolean };
  cleanup(): void;
}

/** Reads every glyph run of one page with the colour under it. */
async function readPageRuns(page: PageProxy, pageNumber: number, tinyFontPt: number): Promise<{ runs: GlyphRun[]; images: number }> {
  const { fnArray, argsArray } = await page.getOperatorList();
  const [vx0 = 0, vy0 = 0, vx1 = 612, vy1 = 792] = page.view;
  const runs: GlyphRun[] = [];
  const rects: FilledRect[] = [];
  const stack: GraphicsState[] = [];
  let images = 0;
  let gs: GraphicsState = {
    ctm: IDENTITY,
    fill: [0, 0, 0],
    fillAlpha: 1,
    font: "",
    fontSize: 0,
    renderMode: 0,
    leading: 0,
    charSpacing: 0,
    wordSpacing: 0,
    hScale: 1,
    rise: 0,
  };
  let tm: Matrix = IDENTITY;
  let lm: Matrix = IDENTITY;
  const boldCache = new Map<string, boolean>();
  const isBold = (font: string): boolean => {
    let bold = boldCache.get(font);
    if (bold === undefined) {
      bold = false;
      try {
        const f = page.commonObjs.get(font) as { name?: string; bold?: boolean; black?: boolean } | undefined;
        bold = Boolean(f?.bold || f?.black || /bold|black|heavy|semibold/i.test(f?.name ?? ""));
      } catch {
        // Font not loaded: treat as regular.
      }
      boldCache.set(font, bold);
    }
    return bold;
  };
  const moveText = (tx: number, ty: number) => {
    lm = multiply([1, 0, 0, 1, tx, ty], lm);
    tm = lm;
  };

  for (let i = 0; i < fnArray.length; i++) {
    const fn = fnArray[i]!;
    const args = (argsArray[i] ?? []) as unknown[];
    switch (fn) {
      case OPS.save:
        stack.push({ ...gs });
        break;
      case OPS.restore:
        gs = stack.pop() ?? gs;
        break;
      case OPS.transform: {
        const m = toMatrix(args);
        if (m) gs.ctm = multiply(m, gs.ctm);
        break;
      }
      case OPS.paintFormXObjectBegin: {
        stack.push({ ...gs });
        const m = toMatrix(args[0]);
        if (m) gs.ctm = multiply(m, gs.ctm);
        break;
      }
      case OPS.paintFormXObjectEnd:
        gs = stack.pop() ?? gs;
        break;
      case OPS.beginText:
        tm = IDENTITY;
        lm = IDENTITY;
        break;
      case OPS.setFont:
        gs.font = String(args[0] ?? "");
        gs.fontSize = Number(args[1] ?? 0);
        break;
      case OPS.setTextMatrix: {
        const m = toMatrix(args[0]) ?? toMatrix(args);
        if (m) {
          tm = m;
          lm = m;
        }
        break;
      }
      case OPS.moveText:
        moveText(Number(args[0] ?? 0), Number(args[1] ?? 0));
        break;
      case OPS.setLeadingMoveText:
        gs.leading = -Number(args[1] ?? 0);
        moveText(Number(args[0] ?? 0), Number(args[1] ?? 0));
        break;
      case OPS.nextLine:
        moveText(0, -gs.leading);
        break;
      case OPS.setLeading:
        gs.leading = Number(args[0] ?? 0);
        break;
      case OPS.setCharSpacing:
        gs.charSpacing = Number(args[0] ?? 0);
        break;
      case OPS.setWordSpacing:
        gs.wordSpacing = Number(args[0] ?? 0);
        break;
      case OPS.setHScale:
        gs.hScale = Number(args[0] ?? 100) / 100;
        break;
      case OPS.setTextRise:
        gs.rise = Number(args[0] ?? 0);
        break;
      case OPS.setTextRenderingMode:
        gs.renderMode = Number(args[0] ?? 0);
        break;
      case OPS.setFillRGBColor:
      case OPS.setFillGray:
      case OPS.setFillCMYKColor:
      case OPS.setFillColor:
      case OPS.setFillColorN: {
        // pdf.js converts every colour space to an RGB hex string before handing operators over.
        const rgb = hexToRgb(args[0]) ?? hexToRgb(args);
        if (rgb) gs.fill = rgb;
        break;
      }
      case OPS.setGState: {
        for (const entry of (args[0] ?? []) as unknown[]) {
          const [key, value] = entry as [string, unknown];
          if (key === "ca" && typeof value === "number") gs.fillAlpha = value;
        }
        break;
      }
      case OPS.constructPath: {
        // args: [paint operator, path data, bounding box in user space]
        const paint = Number(args[0]);
        const box = args[2] as ArrayLike<number> | undefined;
        if (PAINT_FILL_OPS.has(paint) && box && typeof box[0] === "number" && gs.fillAlpha > 0.5) {
          const [a, b, c, d, e, f] = gs.ctm;
          const xs = [box[0]!, box[2]!];
          const ys = [box[1]!, box[3]!];
          const px: number[] = [];
          const py: number[] = [];
          for (const x of xs)
            for (const y of ys) {
              px.push(a * x + c * y + e);
              py.push(b * x + d * y + f);
            }
          rects.push({ x0: Math.min(...px), y0: Math.min(...py), x1: Math.max(...px), y1: Math.max(...py), fill: gs.fill });
        }
        break;
      }
      case OPS.paintImageXObject:
      case OPS.paintInlineImageXObject:
      case OPS.paintImageMaskXObject:
      case OPS.paintImageXObjectRepeat:
        images++;
        break;
      case OPS.showText:
      case OPS.showSpacedText:
      case OPS.nextLineShowText:
      case OPS.nextLineSetSpacingShowText: {
        if (fn === OPS.nextLineShowText || fn === OPS.nextLineSetSpacingShowText) moveText(0, -gs.leading);
        const glyphs = (args[0] ?? []) as unknown[];
        const start = multiply([gs.fontSize * gs.hScale, 0, 0, gs.fontSize, 0, gs.rise], multiply(tm, gs.ctm));
        let text = "";
        let advance = 0;
        // Ghostscript writes "complex B2B" as "comple" + "xB" drawn with a character spacing as wide
        // as a space (groff, enscript output through ps2pdf): glyphs that far apart are separate
        // words to a reader, so they are separated in the text too.
        const spaced = gs.fontSize > 0 && gs.charSpacing > Math.abs(gs.fontSize) * 0.18;
        for (const g of glyphs) {
          if (typeof g === "number") {
            // A TJ adjustment in thousandths of a text-space unit; a large one is a word gap.
            const shift = (-g / 1000) * gs.fontSize * gs.hScale;
            if (g < -200 && !text.endsWith(" ")) text += " ";
            advance += shift;
            continue;
          }
          if (!g || typeof g !== "object") continue;
          const glyph = g as { unicode?: string; width?: number; isSpace?: boolean };
          if (spaced && text && !text.endsWith(" ")) text += " ";
          text += glyph.isSpace && spaced ? "  " : (glyph.unicode ?? "");
          advance += (((glyph.width ?? 0) / 1000) * gs.fontSize + gs.charSpacing + (glyph.isSpace ? gs.wordSpacing : 0)) * gs.hScale;
        }
        tm = multiply([1, 0, 0, 1, advance, 0], tm);
        if (!text.trim()) break;
        const scaleX = Math.hypot(start[0], start[1]) || 1;
        const size = Math.hypot(start[2], start[3]);
        const x = start[4];
        const y = start[5];
        const width = (advance / (gs.fontSize * gs.hScale || 1)) * scaleX;
        const run: GlyphRun = { text, page: pageNumber, x, y, width, fontSize: size, bold: isBold(gs.font), fill: gs.fill };
        const midX = x + width / 2;
        const midY = y + size / 3;
        let background: Rgb = [1, 1, 1];
        for (let r = rects.length - 1; r >= 0; r--) {
          const rect = rects[r]!;
          if (midX >= rect.x0 && midX <= rect.x1 && midY >= rect.y0 && midY <= rect.y1) {
            background = rect.fill;
            break;
          }
        }
        if (gs.renderMode === 3 || gs.renderMode === 7) run.hidden = "invisible-render-mode";
        else if (gs.fillAlpha < 0.1) run.hidden = "transparent";
        else if (x > vx1 || x + width < vx0 || y > vy1 || y + size < vy0) run.hidden = "off-page";
        else if (size < tinyFontPt) run.hidden = "tiny-font";
        else if (contrastRatio(gs.fill, background) < MIN_CONTRAST) {
          run.hidden = luminance(gs.fill) > 0.85 ? "white-text" : "low-contrast";
        }
        runs.push(run);
        break;
      }
      default:
        break;
    }
  }
  return { runs, images };
}

/**
 * Joins runs drawn one after another along one baseline in one style into one run. Chromium (Skia)
 * draws every glyph with its own show-text operator; left as thousands of one-letter runs they
 * would hide the columns of a page (any gap between glyphs looks like a gutter) and cost time in
 * every later step. A gap wider than a thin space becomes a space, as a reader sees it.
 */
export function mergeGlyphRuns(runs: GlyphRun[]): GlyphRun[] {
  const out: GlyphRun[] = [];
  for (const run of runs) {
    const last = out[out.length - 1];
    if (last) {
      const gap = run.x - (last.x + last.width);
      const sameStyle =
        last.page === run.page &&
        Math.abs(last.y - run.y) < 0.01 * Math.max(1, run.fontSize) &&
        Math.abs(last.fontSize - run.fontSize) < 0.01 &&
        last.bold === run.bold &&
        last.hidden === run.hidden &&
        last.fill.every((c, i) => Math.abs(c - run.fill[i]!) < 0.01);
      if (sameStyle && gap > -0.5 && gap <= run.fontSize * 0.35) {
        last.text += gap > run.fontSize * 0.12 && !last.text.endsWith(" ") && !run.text.startsWith(" ") ? ` ${run.text}` : run.text;
        last.width = run.x + run.width - last.x;
        continue;
      }
    }
    out.push({ ...run });
  }
  return out;
}

interface LineBuild {
  runs: GlyphRun[];
  y: number;
}

/** Groups runs that share a baseline into lines, left to right, inserting spaces at gaps. */
function buildLines(runs: GlyphRun[]): { text: string; x0: number; x1: number; y: number; fontSize: number; bold: boolean }[] {
  const sorted = [...runs].sort((a, b) => b.y - a.y || a.x - b.x);
  const lines: LineBuild[] = [];
  for (const run of sorted) {
    const tolerance = Math.max(1.5, run.fontSize * 0.3);
    const line = lines.find((l) => Math.abs(l.y - run.y) <= tolerance);
    if (line) line.runs.push(run);
    else lines.push({ runs: [run], y: run.y });
  }
  const out = [];
  for (const line of lines) {
    line.runs.sort((a, b) => a.x - b.x);
    let text = "";
    let end = -Infinity;
    let before: GlyphRun | undefined;
    for (const run of line.runs) {
      const gap = run.x - end;
      // A wide gap is a column break; so is a smaller one where the style changes (a section label
      // in a grid cell beside the first entry: "Work" then "Staff Software Engineer").
      const styleChange = !!before && (Math.abs(before.fontSize - run.fontSize) > 0.5 || before.bold !== run.bold);
      const column = gap > run.fontSize * 2 || (styleChange && gap > Math.max(run.fontSize, before!.fontSize) * 0.8);
      if (text && gap > run.fontSize * 0.12 && !text.endsWith(" ") && !run.text.startsWith(" ")) text += column ? "   " : " ";
      text += run.text;
      end = run.x + run.width;
      before = run;
    }
    const first = line.runs[0]!;
    const last = line.runs[line.runs.length - 1]!;
    // The dominant size/weight by characters, so one bold word does not make a heading.
    let boldChars = 0;
    let chars = 0;
    let size = 0;
    for (const r of line.runs) {
      const n = r.text.trim().length;
      chars += n;
      if (r.bold) boldChars += n;
      size = Math.max(size, r.fontSize);
    }
    // The line's baseline is its longest run's: a raised accent or superscript drawn first is not it.
    const baseline = line.runs.reduce((a, r) => (r.text.trim().length > a.text.trim().length ? r : a)).y;
    out.push({ text: text.replace(/\s+$/, ""), x0: first.x, x1: last.x + last.width, y: baseline, fontSize: size, bold: boldChars > chars * 0.6 });
  }
  return out;
}

/**
 * Finds a vertical gutter that splits a page into two columns: an x position crossed by no text
 * except in a banner at the very top (name, title) or the last line (a footer), with text on both
 * sides. Works on glyph runs, before lines are built, so a heading in one column and a heading in
 * the other at the same height stay apart.
 */
export function findGutter(items: { x0: number; x1: number; y: number }[], pageWidth: number): number | undefined {
  if (items.length < 8) return undefined;
  const ys = [...new Set(items.map((l) => Math.round(l.y)))].sort((a, b) => b - a);
  const bottomY = ys[ys.length - 1]!;
  // Try with no banner first, then allow up to four banner lines above the columns.
  for (let banner = 0; banner <= 4 && banner < ys.length - 2; banner++) {
    const limit = banner === 0 ? Infinity : ys[banner - 1]!;
    const body = items.filter((l) => Math.round(l.y) < limit && (banner === 0 || Math.round(l.y) > bottomY || !(l.x1 - l.x0 > pageWidth * 0.3)));
    const gutter = gutterIn(banner === 0 ? items : body, pageWidth);
    if (gutter !== undefined) return gutter;
  }
  return undefined;
}

/**
 * Whether one side of a candidate gutter is a column of text rather than a strip of right-aligned
 * dates beside a one-column body: it must hold a fair share of the page's text and not be aligned
 * to a single right edge.
 */
function isColumn(side: { x0: number; x1: number }[], all: { x0: number; x1: number }[]): boolean {
  const width = (items: { x0: number; x1: number }[]) => items.reduce((a, l) => a + (l.x1 - l.x0), 0);
  if (width(side) < width(all) * 0.12) return false;
  const rightEdges = side.map((l) => l.x1);
  const spread = Math.max(...rightEdges) - Math.min(...rightEdges);
  const leftEdges = side.map((l) => l.x0);
  const leftSpread = Math.max(...leftEdges) - Math.min(...leftEdges);
  return !(spread < 3 && leftSpread > 3);
}

/**
 * Whether the lines right of a candidate gutter start at a common left edge, as a column's lines
 * do: a row of skill "pills" or tags that happens to leave a vertical gap starts anywhere.
 */
function startsAligned(side: { x0: number }[]): boolean {
  const counts = new Map<number, number>();
  for (const l of side) counts.set(Math.round(l.x0 / 3), (counts.get(Math.round(l.x0 / 3)) ?? 0) + 1);
  let best = 0;
  for (const [k, n] of counts) best = Math.max(best, n + (counts.get(k - 1) ?? 0) + (counts.get(k + 1) ?? 0));
  return best >= side.length * 0.4;
}

function gutterIn(body: { x0: number; x1: number; y: number }[], pageWidth: number): number | undefined {
  let bestStart = -1;
  let bestLen = 0;
  let runStart = -1;
  // One overflowing word (a long URL in a narrow sidebar) may cross the gutter.
  const tolerated = Math.max(1, Math.floor(body.length * 0.02));
  for (let x = pageWidth * 0.15; x <= pageWidth * 0.85; x += 2) {
    const ok = body.filter((l) => l.x0 < x && l.x1 > x).length <= tolerated;
    const leftItems = ok ? body.filter((l) => l.x1 <= x) : [];
    const rightItems = ok ? body.filter((l) => l.x0 >= x) : [];
    const left = leftItems.length;
    const right = rightItems.length;
    if (
      ok &&
      left >= 4 &&
      right >= 4 &&
      left + right >= body.length * 0.8 &&
      isColumn(leftItems, body) &&
      isColumn(rightItems, body) &&
      startsAligned(rightItems)
    ) {
      if (runStart < 0) runStart = x;
      const len = x - runStart + 2;
      if (len > bestLen) {
        bestLen = len;
        bestStart = runStart;
      }
    } else runStart = -1;
  }
  return bestLen >= 8 ? bestStart + bestLen / 2 : undefined;
}

function isPasswordError(error: unknown): boolean {
  const e = error as { name?: string; message?: string };
  return e?.name === "PasswordException" || /password/i.test(e?.message ?? "");
}

/**
 * Reads a PDF's visible text as lines in reading order, with hidden text set apart. pdf.js inflates
 * without limit: call it through readDocument, which checks the file for decompression bombs first
 * (pdf-guard.ts) and runs it in a worker with memory and time limits.
 */
export async function readPdf(bytes: Uint8Array, options: PdfReadOptions = {}): Promise<ReadResult> {
  const maxPages = options.maxPages ?? 20;
  const tinyFontPt = options.tinyFontPt ?? 2.5;
  let doc: Awaited<ReturnType<typeof getDocumentProxy>>;
  try {
    // pdf.js takes ownership of the buffer it is given; copy so callers keep theirs.
    doc = await getDocumentProxy(new Uint8Array(bytes), { stopAtErrors: false, verbosity: 0 });
  } catch (error) {
    if (isPasswordError(error)) return emptyResult("pdf", "encrypted", "The PDF is password-protected; ask the candidate for an unprotected copy.");
    return emptyResult("pdf", "corrupt", `The PDF could not be opened: ${(error as Error).message ?? String(error)}.`);
  }
  const flags: string[] = [];
  const hiddenText: HiddenText[] = [];
  const lines: TextLine[] = [];
  // Document metadata (title, subject, keywords) is invisible on the page; an instruction or a
  // keyword list there is kept for the audit like any other hidden text, and never scored.
  try {
    const meta = (await doc.getMetadata()).info as Record<string, unknown>;
    for (const key of ["Title", "Subject", "Keywords"]) {
      const value = meta?.[key];
      // Ordinary titles ("Jane Doe - Resume") are fine; instructions and long keyword dumps are not.
      if (typeof value === "string" && (isInjection(value) || value.trim().split(/\s+/).length >= 20))
        hiddenText.push({ text: value.trim().slice(0, 2000), reason: "metadata" });
    }
  } catch {
    // Unreadable metadata is not a reason to fail the file.
  }
  let images = 0;
  let visibleChars = 0;
  let pageErrors = 0;
  const pages = Math.min(doc.numPages, maxPages);
  const perPage: { page: number; items: ReturnType<typeof buildLines> }[] = [];
  try {
    for (let p = 1; p <= pages; p++) {
      let runs: GlyphRun[];
      let page: PageProxy;
      try {
        page = (await doc.getPage(p)) as unknown as PageProxy;
        const read = await readPageRuns(page, p, tinyFontPt);
        runs = mergeGlyphRuns(read.runs);
        images += read.images;
        page.cleanup();
      } catch {
        pageErrors++;
        continue;
      }
      // A scanned page with an OCR text layer draws all its text invisibly over an image: that text is
      // what the reader sees in the picture, so it counts as visible.
      const invisible = runs.filter((r) => r.hidden === "invisible-render-mode").length;
      const ocrLayer = images > 0 && invisible > 0 && invisible >= runs.length * 0.9;
      const visible: GlyphRun[] = [];
      for (const run of runs) {
        if (run.hidden && !(ocrLayer && run.hidden === "invisible-render-mode")) {
          hiddenText.push({ text: run.text.trim(), reason: run.hidden, page: p });
        } else visible.push(run);
      }
      const [vx0 = 0, , vx1 = 612] = page.view;
      const width = vx1 - vx0;
      const gutter = findGutter(
        visible.map((r) => ({ x0: r.x - vx0, x1: r.x - vx0 + r.width, y: r.y })),
        width,
      );
      if (gutter === undefined) {
        perPage.push({ page: p, items: buildLines(visible) });
        continue;
      }
      if (!flags.includes("two-column")) flags.push("two-column");
      const bottomY = Math.min(...visible.map((r) => r.y));
      const g = gutter + vx0;
      const crosses = (r: GlyphRun) => r.x < g && r.x + r.width > g;
      // The body starts where both columns have begun; everything above it is the banner.
      const leftTop = Math.max(...visible.filter((r) => r.x + r.width <= g).map((r) => r.y));
      const rightTop = Math.max(...visible.filter((r) => r.x >= g).map((r) => r.y));
      const bodyTop = Math.min(leftTop, rightTop) + 1;
      const top = visible.filter((r) => r.y > bodyTop);
      const bottom = visible.filter((r) => r.y <= bodyTop && r.y <= bottomY && crosses(r));
      const rest = visible.filter((r) => r.y <= bodyTop && !(r.y <= bottomY && crosses(r)));
      const left = rest.filter((r) => r.x < g);
      const right = rest.filter((r) => r.x >= g);
      // The wider column usually holds the experience; the narrow one (contact, skills) follows it.
      const leftFirst = gutter >= (width - gutter) * 0.8;
      const columns = leftFirst ? [left, right] : [right, left];
      const labels = labelColumn(buildLines(left), buildLines(right));
      if (labels) {
        perPage.push({ page: p, items: [...buildLines(top), ...labels, ...buildLines(bottom)] });
        continue;
      }
      perPage.push({ page: p, items: [...buildLines(top), ...buildLines(columns[0]!), ...buildLines(columns[1]!), ...buildLines(bottom)] });
    }
  } finally {
    await doc.loadingTask.destroy().catch(() => {});
  }

  // Running headers and footers repeat on every page; keep them once.
  const repeated = new Set<string>();
  if (perPage.length > 1) {
    const seen = new Map<string, number>();
    for (const pg of perPage) for (const l of new Set(pg.items.map((i) => i.text.trim()))) seen.set(l, (seen.get(l) ?? 0) + 1);
    for (const [text, n] of seen) if (n >= perPage.length && n > 1) repeated.add(text);
  }
  const keptRepeated = new Set<string>();
  const bodySize = medianFontSize(perPage.flatMap((p) => p.items));
  for (const pg of perPage) {
    const ordered = pg.items;
    const pitch = linePitch(ordered);
    // Line spacing grows with the font: a 12 pt line under a 10.5 pt body is not a gap.
    const leading = pitch / Math.max(1, medianFontSize(ordered));
    let previous: (typeof ordered)[number] | undefined;
    for (const item of ordered) {
      // A new block: the page's first line, a jump back up (the next column), or a space clearly
      // wider than the usual line spacing at this size (a blank line, paragraph spacing).
      const expected = Math.max(pitch, leading * Math.max(item.fontSize, previous?.fontSize ?? 0));
      const gapBefore = !previous || previous.y - item.y <= 0 || previous.y - item.y > expected * 1.45;
      previous = item;
      const trimmed = item.text.trim();
      if (!trimmed) continue;
      if (/^page \d+( of \d+)?$/i.test(trimmed) || /^\d+\s*\/\s*\d+$/.test(trimmed)) continue;
      if (repeated.has(trimmed)) {
        if (keptRepeated.has(trimmed)) continue;
        keptRepeated.add(trimmed);
      }
      const stripped = stripInvisibleCharacters(item.text, pg.page);
      hiddenText.push(...stripped.hidden);
      // Typographic ligatures ("ﬁ", "ﬂ") are two letters to a reader: "Staﬃng" is "Staffing".
      const text = stripped.text.replace(/\s+$/, "").replace(/[\uFB00-\uFB06]/g, (c) => c.normalize("NFKC"));
      if (!text.trim()) continue;
      visibleChars += text.length;
      const heading =
        text.length <= 40 &&
        text.split(/\s+/).length <= 5 &&
        !/\d{4}/.test(text) &&
        (item.fontSize >= bodySize * 1.15 || (item.bold && /^[A-Z][A-Za-z &/]+$/.test(text.trim())));
      lines.push({ text, page: pg.page, fontSize: Math.round(item.fontSize * 10) / 10, bold: item.bold, heading, gapBefore });
    }
  }
  if (hiddenText.length > 0) flags.push("hidden-text");
  if (visibleChars === 0) {
    if (images > 0 || doc.numPages > 0) {
      return { status: "image-only", format: "pdf", message: "The PDF has no text layer (a scan or an image).", lines: [], hiddenText, flags };
    }
    return { status: "corrupt", format: "pdf", message: "The PDF has no pages.", lines: [], hiddenText, flags };
  }
  let status: ReadResult["status"] = "parsed";
  let message: string | undefined;
  if (doc.numPages > maxPages) {
    status = "partial";
    message = `Only the first ${maxPages} of ${doc.numPages} pages were read.`;
  } else if (pageErrors > 0) {
    status = "partial";
    message = `${pageErrors} of ${pages} pages could not be read.`;
  }
  return { status, format: "pdf", ...(message ? { message } : {}), lines, hiddenText, flags };
}

type BuiltLine = ReturnType<typeof buildLines>[number];

/**
 * A narrow left column holding only a few short labels ("Employment", "Areas of Expertise"), each
 * level with the start of a block on the right: the headings of a two-cell table, not a sidebar.
 * Returns the page's lines in reading order (each label, then the block beside and below it up to
 * the next label), with a label wrapped over two lines in its cell joined; or undefined when the
 * left column is not a label column.
 */
function labelColumn(left: BuiltLine[], right: BuiltLine[]): BuiltLine[] | undefined {
  if (left.length === 0 || right.length < left.length) return undefined;
  if (left.some((l) => l.text.trim().split(/\s+/).length > 4 || l.text.trim().length > 32 || /\d/.test(l.text))) return undefined;
  const pitch = linePitch(right);
  const joined: BuiltLine[] = [];
  for (const l of left) {
    const last = joined[joined.length - 1];
    // A label wrapped inside its cell: the next left line right below, with nothing new beside it.
    const besideNew = right.some((r) => Math.abs(r.y - l.y) <= pitch * 0.3 && last && r.y < last.y - pitch * 0.3);
    if (last && last.y - l.y <= pitch * 1.3 && !besideNew) {
      last.text = `${last.text} ${l.text.trim()}`;
      continue;
    }
    joined.push({ ...l });
  }
  // Each label heads the block of its row: the line level with it or just above it (a label may sit
  // a little lower than its row's first line) that starts a block, i.e. has the widest space above.
  const rowStart = (label: BuiltLine): number => {
    let best = -1;
    let bestGap = -1;
    for (let k = 0; k < right.length; k++) {
      const r = right[k]!;
      if (r.y > label.y + pitch * 1.1 || r.y < label.y - pitch * 0.3) continue;
      const gapAbove = k === 0 ? Number.MAX_VALUE : right[k - 1]!.y - r.y;
      const tie = Math.abs(gapAbove - bestGap) <= pitch * 0.15;
      if ((!tie && gapAbove > bestGap) || (tie && best >= 0 && Math.abs(r.y - label.y) < Math.abs(right[best]!.y - label.y))) {
        best = k;
        bestGap = gapAbove;
      }
    }
    return best;
  };
  const starts = joined.map(rowStart);
  const found = starts.filter((k) => k >= 0);
  if (found.length < Math.max(2, joined.length * 0.6) || found.some((k, i) => i > 0 && k <= found[i - 1]!)) return undefined;
  // Labels are sparse: a sidebar listing one skill per line at the body's spacing is not a label column.
  const steps = joined
    .slice(1)
    .map((l, i) => joined[i]!.y - l.y)
    .sort((a, b) => a - b);
  if (steps.length > 0 && steps[Math.floor(steps.length / 2)]! < pitch * 1.6) return undefined;
  const out: BuiltLine[] = [];
  let k = 0;
  joined.forEach((label, i) => {
    const until = starts[i]! >= 0 ? starts[i]! : right.findIndex((r) => r.y < label.y - pitch * 0.3);
    while (k < right.length && (until < 0 || k < until)) out.push(right[k++]!);
    out.push(label);
  });
  while (k < right.length) out.push(right[k++]!);
  return out;
}

/** The usual distance between consecutive lines of a page (a low quartile of the steps down, in points). */
function linePitch(items: { y: number; fontSize: number }[]): number {
  const steps: number[] = [];
  for (let i = 1; i < items.length; i++) {
    const dy = items[i - 1]!.y - items[i]!.y;
    if (dy > 0 && dy <= items[i]!.fontSize * 4) steps.push(dy);
  }
  if (steps.length === 0) return Math.max(1, (items[0]?.fontSize ?? 10) * 1.2);
  steps.sort((a, b) => a - b);
  // The lower quartile: line spacing is the common small step; gaps between blocks are the large ones.
  return steps[Math.floor(steps.length / 4)]!;
}

function medianFontSize(items: { fontSize: number; text: string }[]): number {
  const sizes: number[] = [];
  for (const i of items) for (let k = 0; k < Math.min(i.text.length, 80); k += 8) sizes.push(i.fontSize);
  if (sizes.length === 0) return 10;
  sizes.sort((a, b) => a - b);
  return sizes[Math.floor(sizes.length / 2)]!;
}

/** Plain text of a PDF through pdf.js's own text extraction: the baseline the benchmark compares with. */
export async function extractPdfTextRaw(bytes: Uint8Array): Promise<string> {
  const { extractText } = await import("unpdf");
  const doc = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0 });
  try {
    const { text } = await extractText(doc, { mergePages: true });
    return text;
  } finally {
    await doc.loadingTask.destroy().catch(() => {});
  }
}
