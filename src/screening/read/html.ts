/**
 * HTML to lines. Used for HTML resumes and for mammoth's DOCX output. A small tokenizer rather
 * than a DOM: we never execute, fetch or render anything, we only need block boundaries, headings,
 * bold runs and the inline styles that hide text.
 */
import type { HiddenText, ReadResult, TextLine } from "./types.ts";
import { stripInvisibleCharacters } from "./invisible-characters.ts";

const SKIP = new Set(["script", "style", "head", "noscript", "template", "title", "svg", "object", "iframe"]);
const BLOCK = new Set([
  "p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "br", "tr", "td", "th", "section", "ul", "ol", "table",
  "header", "footer", "article", "aside", "main", "dt", "dd", "dl", "blockquote", "pre", "hr", "body", "nav", "address",
]);
const VOID = new Set(["br", "hr", "img", "meta", "link", "input", "col", "area", "base", "wbr", "source"]);
const NAMED: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " ", ndash: "–", mdash: "—", bull: "•", middot: "·", rsquo: "’", lsquo: "‘", rdquo: "”", ldquo: "“", hellip: "…", eacute: "é", uuml: "ü", ouml: "ö", auml: "ä" };

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
  tag: string;
  hidden: boolean;
  bold: boolean;
  heading: boolean;
}

/** Converts HTML into visible lines, collecting text hidden by inline styles. */
export function htmlToLines(html: string): { lines: TextLine[]; hidden: HiddenText[] } {
  const lines: TextLine[] = [];
  const hidden: HiddenText[] = [];
  const stack: Frame[] = [{ tag: "#root", hidden: false, bold: false, heading: false }];
  let buffer = "";
  let boldChars = 0;
  let headingLine = false;
  let hiddenBuffer = "";
  let skipUntil: string | null = null;
  const flush = () => {
    const stripped = stripInvisibleCharacters(buffer);
    hidden.push(...stripped.hidden);
    const text = stripped.text.replace(/[ \t\u00a0]+/g, " ").trim();
    if (text) {
      const chars = text.replace(/\s/g, "").length;
      lines.push({ text, page: 1, fontSize: 0, bold: boldChars >= chars * 0.6, heading: headingLine });
    }
    if (hiddenBuffer.trim()) hidden.push({ text: hiddenBuffer.replace(/\s+/g, " ").trim(), reason: "hidden-style" });
    buffer = "";
    hiddenBuffer = "";
    boldChars = 0;
    headingLine = false;
  };
  const top = () => stack[stack.length - 1]!;
  const tokens = /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<![^>]*>|<\/?([a-zA-Z][a-zA-Z0-9:-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>|[^<]+|</g;
  for (const m of html.matchAll(tokens)) {
    const token = m[0];
    if (skipUntil) {
      if (token.toLowerCase().startsWith(`</${skipUntil}`)) skipUntil = null;
      continue;
    }
    if (token.startsWith("<!")) continue;
    const tagName = m[1]?.toLowerCase();
    if (tagName) {
      const closing = token.startsWith("</");
      if (closing) {
        // Pop to the matching open tag; tolerate unclosed children.
        const idx = stack.map((f) => f.tag).lastIndexOf(tagName);
        if (idx > 0) {
          if (BLOCK.has(tagName)) flush();
          stack.length = idx;
        }
        continue;
      }
      if (SKIP.has(tagName)) {
        if (!token.endsWith("/>")) skipUntil = tagName;
        continue;
      }
      if (BLOCK.has(tagName)) flush();
      if (VOID.has(tagName) || token.endsWith("/>")) continue;
      // Keep list structure visible: bullets separate achievements from role headers.
      if (tagName === "li" && !top().hidden) buffer += "• ";
      const attrs = m[2] ?? "";
      const style = /\bstyle\s*=\s*("([^"]*)"|'([^']*)')/i.exec(attrs);
      const styleText = style ? (style[2] ?? style[3] ?? "") : "";
      const parent = top();
      stack.push({
        tag: tagName,
        hidden: parent.hidden || /\shidden(\s|=|$)/i.test(attrs) || styleHides(styleText),
        bold: parent.bold || tagName === "b" || tagName === "strong" || /font-weight:\s*(bold|[6-9]00)/i.test(styleText),
        heading: parent.heading || /^h[1-6]$/.test(tagName),
      });
      continue;
    }
    const text = decodeEntities(token.replace(/\s+/g, " "));
    const frame = top();
    if (frame.hidden) {
      hiddenBuffer += text;
      continue;
    }
    buffer += text;
    if (frame.bold || frame.heading) boldChars += text.replace(/\s/g, "").length;
    if (frame.heading && text.trim()) headingLine = true;
  }
  flush();
  return { lines, hidden };
}

/** Reads an HTML resume. */
export function readHtml(bytes: Uint8Array): ReadResult {
  const html = new TextDecoder("utf-8").decode(bytes);
  const { lines, hidden } = htmlToLines(html);
  const flags = hidden.length ? ["hidden-text"] : [];
  if (lines.length === 0) return { status: "corrupt", format: "html", message: "The HTML file has no visible text.", lines, hiddenText: hidden, flags };
  return { status: "parsed", format: "html", lines, hiddenText: hidden, flags };
}
