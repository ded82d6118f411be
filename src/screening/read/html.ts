/**
 * HTML to lines. Used for HTML resumes and for mammoth's DOCX output. htmlparser2 tokenizes (a
 * maintained streaming parser that never executes, fetches or renders anything); we keep only
 * what the profile extractor needs: block boundaries, headings, bold runs and the inline styles
 * that hide text.
 */
import { Parser } from "htmlparser2";
import type { HiddenText, ReadResult, TextLine } from "./types.ts";
import { stripInvisibleCharacters } from "./invisible-characters.ts";
import { MAX_LINES, MAX_TEXT_CHARS } from "./limits.ts";

const SKIP = new Set(["script", "style", "head", "noscript", "template", "title", "svg", "object", "iframe"]);
const BLOCK = new Set([
  "p",
  "div",
  "li",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "br",
  "tr",
  "td",
  "th",
  "section",
  "ul",
  "ol",
  "table",
  "header",
  "footer",
  "article",
  "aside",
  "main",
  "dt",
  "dd",
  "dl",
  "blockquote",
  "pre",
  "hr",
  "body",
  "nav",
  "address",
]);
const NAMED: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: " ",
  ndash: "–",
  mdash: "—",
  bull: "•",
  middot: "·",
  rsquo: "’",
  lsquo: "‘",
  rdquo: "”",
  ldquo: "“",
  hellip: "…",
  eacute: "é",
  uuml: "ü",
  ouml: "ö",
  auml: "ä",
};

/**
 * How deep elements may nest. Browsers stop nesting at about this depth too (Chromium: 512); a
 * resume never comes close, and the parser's open-element stack costs time per level, so deeper
 * documents are refused rather than parsed slowly.
 */
export const MAX_HTML_DEPTH = 512;

/** HTML nested deeper than {@link MAX_HTML_DEPTH}: where it happened, for the message. */
export class HtmlTooDeepError extends Error {
  override readonly name = "HtmlTooDeepError";
  readonly offset: number;
  constructor(offset: number) {
    super(`elements nest more than ${MAX_HTML_DEPTH} levels deep (at character ${offset})`);
    this.offset = offset;
  }
}

/** Decodes the character references of a fragment of markup (used for Word XML runs and posting HTML). */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, body: string) => {
    if (body[0] === "#") {
      const cp = body[1] === "x" || body[1] === "X" ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return Number.isFinite(cp) && cp > 0 && cp < 0x110000 ? String.fromCodePoint(cp) : "";
    }
    return NAMED[body.toLowerCase()] ?? m;
  });
}

function styleHides(style: string): boolean {
  const s = style.toLowerCase().replace(/\s+/g, "");
  if (/display:none|visibility:hidden|opacity:0(\.0*)?(;|$)/.test(s)) return true;
  if (/font-size:(0|0?\.\d+|1)(px|pt)?(;|$)/.test(s)) return true;
  const white = /(^|;)color:(#fff(fff)?|white|rgb\(255,255,255\))(;|$)/.test(s);
  const background = /background(-color)?:(?!#fff(fff)?|white|transparent|rgb\(255,255,255\))/.test(s);
  return white && !background;
}

interface Frame {
  hidden: boolean;
  bold: boolean;
  heading: boolean;
  /** Inside an element whose content is never shown (script, head, svg, …). */
  skip: boolean;
}

/**
 * Converts HTML into visible lines, collecting text hidden by inline styles. Throws
 * {@link HtmlTooDeepError} for markup nested deeper than {@link MAX_HTML_DEPTH}.
 */
export function htmlToLines(html: string): { lines: TextLine[]; hidden: HiddenText[] } {
  const lines: TextLine[] = [];
  const hidden: HiddenText[] = [];
  const stack: Frame[] = [{ hidden: false, bold: false, heading: false, skip: false }];
  let buffer = "";
  let boldChars = 0;
  let headingLine = false;
  let hiddenBuffer = "";
  let tooDeep: HtmlTooDeepError | undefined;
  /** More text than any resume: the rest is not read (the caller cuts the result and says so). */
  let full = false;
  let total = 0;
  const flush = () => {
    const stripped = stripInvisibleCharacters(buffer);
    hidden.push(...stripped.hidden);
    const text = stripped.text.replace(/[ \t\u00a0]+/g, " ").trim();
    if (text) {
      const chars = text.replace(/\s/g, "").length;
      lines.push({ text, page: 1, fontSize: 0, bold: boldChars >= chars * 0.6, heading: headingLine });
      total += text.length;
      if (total > MAX_TEXT_CHARS || lines.length > MAX_LINES) full = true;
    }
    if (hiddenBuffer.trim()) hidden.push({ text: hiddenBuffer.replace(/\s+/g, " ").trim(), reason: "hidden-style" });
    buffer = "";
    hiddenBuffer = "";
    boldChars = 0;
    headingLine = false;
  };
  const top = () => stack[stack.length - 1]!;
  const parser = new Parser(
    {
      onopentag(name, attribs) {
        if (tooDeep) return;
        if (stack.length > MAX_HTML_DEPTH) {
          tooDeep = new HtmlTooDeepError(parser.startIndex);
          parser.pause();
          return;
        }
        const parent = top();
        if (!parent.skip && BLOCK.has(name)) flush();
        // Keep list structure visible: bullets separate achievements from role headers.
        if (name === "li" && !parent.skip && !parent.hidden) buffer += "• ";
        const style = attribs.style ?? "";
        stack.push({
          hidden: parent.hidden || "hidden" in attribs || styleHides(style),
          bold: parent.bold || name === "b" || name === "strong" || /font-weight:\s*(bold|[6-9]00)/i.test(style),
          heading: parent.heading || /^h[1-6]$/.test(name),
          skip: parent.skip || SKIP.has(name),
        });
      },
      onclosetag(name) {
        if (tooDeep) return;
        // htmlparser2 closes every element it opened (implied closes included), so the stacks agree.
        const frame = stack.length > 1 ? stack.pop()! : top();
        if (!frame.skip && BLOCK.has(name)) flush();
      },
      ontext(raw) {
        if (tooDeep) return;
        const frame = top();
        if (frame.skip) return;
        const text = raw.replace(/\s+/g, " ");
        if (frame.hidden) {
          hiddenBuffer += text;
          return;
        }
        buffer += text;
        if (frame.bold || frame.heading) boldChars += text.replace(/\s/g, "").length;
        if (frame.heading && text.trim()) headingLine = true;
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  // Written in slices so a too-deep or too-long document stops the work within one slice.
  const slice = 64 * 1024;
  for (let i = 0; i < html.length && !tooDeep && !full; i += slice) parser.write(html.slice(i, i + slice));
  if (tooDeep) throw tooDeep;
  if (!full) parser.end();
  flush();
  return { lines, hidden };
}

/** Reads an HTML resume. */
export function readHtml(bytes: Uint8Array): ReadResult {
  const html = new TextDecoder("utf-8").decode(bytes);
  let read: { lines: TextLine[]; hidden: HiddenText[] };
  try {
    read = htmlToLines(html);
  } catch (error) {
    if (error instanceof HtmlTooDeepError)
      return {
        status: "corrupt",
        format: "html",
        message: `The HTML file was not read: its ${error.message}; no resume needs that.`,
        lines: [],
        hiddenText: [],
        flags: [],
      };
    throw error;
  }
  const { lines, hidden } = read;
  const flags = hidden.length ? ["hidden-text"] : [];
  if (lines.length === 0) return { status: "corrupt", format: "html", message: "The HTML file has no visible text.", lines, hiddenText: hidden, flags };
  return { status: "parsed", format: "html", lines, hiddenText: hidden, flags };
}
