/**
 * Characters that render as nothing: zero-width spaces and joiners, and the Unicode "tag" block
 * (U+E0000–U+E007F), which can spell out a whole ASCII instruction no reader sees. They are removed
 * from visible text; tag characters are decoded so the audit shows what they said.
 */
import type { HiddenText } from "./types.ts";

// Zero-width space/non-joiner/joiner, word joiner, BOM, soft hyphen, invisible operators.
const ZERO_WIDTH = /[\u200B-\u200D\u2060-\u2064\uFEFF\u00AD]/g;
const TAGS = /[\u{E0000}-\u{E007F}]+/gu;

/** Returns the text without invisible characters, plus what the tag characters spelled. */
export function stripInvisibleCharacters(text: string, page?: number): { text: string; hidden: HiddenText[] } {
  const hidden: HiddenText[] = [];
  let out = text.replace(TAGS, (run) => {
    let decoded = "";
    for (const ch of run) {
      const cp = ch.codePointAt(0)! - 0xe0000;
      if (cp >= 0x20 && cp < 0x7f) decoded += String.fromCharCode(cp);
    }
    if (decoded.trim()) hidden.push({ text: decoded, reason: "invisible-characters", ...(page ? { page } : {}) });
    return "";
  });
  out = out.replace(ZERO_WIDTH, "");
  return { text: out, hidden };
}
