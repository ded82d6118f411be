/**
 * RTF reading: a small control-word stripper. RTF is a flat stream of groups and control words;
 * we keep body text, turn paragraph marks into lines, decode `\'hh` (Windows-1252) and `\uN`
 * escapes, skip destinations (font and colour tables, pictures, metadata) and set apart text
 * marked hidden (`\v`) or set below 2.5 pt (`\fs4`).
 */
import type { HiddenText, ReadResult, TextLine } from "./types.ts";
import { stripInvisibleCharacters } from "./invisible-characters.ts";

const SKIP_DESTINATIONS = new Set([
  "fonttbl",
  "colortbl",
  "stylesheet",
  "info",
  "pict",
  "object",
  "header",
  "footer",
  "headerl",
  "headerr",
  "footerl",
  "footerr",
  "listtable",
  "listoverridetable",
  "rsidtbl",
  "generator",
  "xmlnstbl",
  "themedata",
  "datastore",
  "latentstyles",
  "fldinst",
  "bkmkstart",
  "bkmkend",
]);
const CP1252 = new TextDecoder("windows-1252");

interface GroupState {
  skip: boolean;
  hidden: boolean;
  bold: boolean;
  fontSize: number;
  uc: number;
}

export function readRtf(bytes: Uint8Array): ReadResult {
  const src = CP1252.decode(bytes);
  const lines: TextLine[] = [];
  const hiddenText: HiddenText[] = [];
  const stack: GroupState[] = [];
  let st: GroupState = { skip: false, hidden: false, bold: false, fontSize: 24, uc: 1 };
  let line = "";
  let hiddenLine = "";
  let boldChars = 0;
  let maxSize = 0;
  let skipChars = 0;
  const emit = (text: string) => {
    if (st.skip) return;
    if (skipChars > 0) {
      const n = Math.min(skipChars, text.length);
      skipChars -= n;
      text = text.slice(n);
      if (!text) return;
    }
    if (st.hidden || st.fontSize < 5) {
      hiddenLine += text;
      return;
    }
    line += text;
    if (st.bold) boldChars += text.replace(/\s/g, "").length;
    maxSize = Math.max(maxSize, st.fontSize / 2);
  };
  const flush = () => {
    const stripped = stripInvisibleCharacters(line);
    hiddenText.push(...stripped.hidden);
    const text = stripped.text.replace(/\s+/g, " ").trim();
    if (text) lines.push({ text, page: 1, fontSize: maxSize, bold: boldChars >= text.replace(/\s/g, "").length * 0.6, heading: false });
    if (hiddenLine.trim()) hiddenText.push({ text: hiddenLine.replace(/\s+/g, " ").trim(), reason: st.fontSize < 5 ? "tiny-font" : "hidden-style" });
    line = "";
    hiddenLine = "";
    boldChars = 0;
    maxSize = 0;
  };
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === "{") {
      stack.push({ ...st });
      i++;
      continue;
    }
    if (c === "}") {
      st = stack.pop() ?? st;
      i++;
      continue;
    }
    if (c === "\\") {
      const next = src[i + 1];
      if (next === "\\" || next === "{" || next === "}") {
        emit(next);
        i += 2;
        continue;
      }
      if (next === "*") {
        // `{\* ...}` marks a destination a reader may ignore: skip the whole group.
        st.skip = true;
        i += 2;
        continue;
      }
      if (next === "'") {
        const hex = src.slice(i + 2, i + 4);
        emit(CP1252.decode(new Uint8Array([parseInt(hex, 16) || 0x3f])));
        i += 4;
        continue;
      }
      if (next === "\n" || next === "\r") {
        flush();
        i += 2;
        continue;
      }
      const m = /^\\([a-zA-Z]{1,32})(-?\d{1,10})? ?/.exec(src.slice(i, i + 48));
      if (!m) {
        i += 2; // control symbol such as \~ or \-
        if (next === "~") emit(" ");
        continue;
      }
      const word = m[1]!;
      const arg = m[2] === undefined ? undefined : Number(m[2]);
      i += m[0].length;
      if (SKIP_DESTINATIONS.has(word)) st.skip = true;
      switch (word) {
        case "par":
        case "line":
        case "row":
        case "sect":
        case "page":
          flush();
          break;
        case "tab":
        case "cell":
          emit("\t");
          break;
        case "u": {
          if (arg !== undefined) emit(String.fromCharCode(arg < 0 ? arg + 65536 : arg));
          skipChars = st.uc;
          break;
        }
        case "uc":
          st.uc = arg ?? 1;
          break;
        case "v":
          st.hidden = arg !== 0;
          break;
        case "b":
          st.bold = arg !== 0;
          break;
        case "fs":
          st.fontSize = arg ?? 24;
          break;
        case "plain":
          st.bold = false;
          st.hidden = false;
          st.fontSize = 24;
          break;
        case "emdash":
          emit("—");
          break;
        case "endash":
          emit("–");
          break;
        case "bullet":
          emit("•");
          break;
        default:
          break;
      }
      continue;
    }
    if (c === "\n" || c === "\r") {
      i++;
      continue;
    }
    emit(c);
    i++;
  }
  flush();
  const flags = hiddenText.length ? ["hidden-text"] : [];
  if (lines.length === 0) return { status: "corrupt", format: "rtf", message: "The RTF file has no readable text.", lines, hiddenText, flags };
  return { status: "parsed", format: "rtf", lines, hiddenText, flags };
}
