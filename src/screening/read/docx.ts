/**
 * DOCX reading through mammoth, behind two guards mammoth does not have: the zip is checked for
 * bombs before anything is inflated, and runs a reader cannot see (w:vanish, white or near-white
 * colour, sub-2.5pt size) are cut out of the document XML and kept as hidden text before mammoth
 * sees it.
 */
import mammoth from "mammoth";
import { zipSync, type Zippable } from "fflate";
import { decodeEntities, htmlToLines } from "./html.ts";
import type { HiddenText, ReadResult } from "./types.ts";
import { emptyResult } from "./types.ts";
import { inflateEntry, readCentralDirectory, ZipFormatError, ZipLimitError, type ZipEntry } from "./zip-guard.ts";

function runText(runXml: string): string {
  let text = "";
  for (const m of runXml.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>|<w:tab\/>|<w:br\/>/g)) text += m[1] !== undefined ? decodeEntities(m[1]) : " ";
  return text;
}

function hiddenReason(runXml: string): HiddenText["reason"] | undefined {
  const props = /<w:rPr>([\s\S]*?)<\/w:rPr>/.exec(runXml)?.[1];
  if (!props) return undefined;
  if (/<w:vanish\/>|<w:vanish w:val="(true|1|on)"\/>|<w:specVanish/.test(props)) return "hidden-style";
  const color = /<w:color w:val="([0-9A-Fa-f]{6})"/.exec(props)?.[1];
  const shaded = /<w:shd [^>]*w:fill="(?!FFFFFF|auto)[0-9A-Fa-f]{6}"/i.test(props) || /<w:highlight w:val="(?!white|none)/.test(props);
  if (color && !shaded) {
    const [r, g, b] = [0, 2, 4].map((i) => parseInt(color.slice(i, i + 2), 16));
    if (r! > 235 && g! > 235 && b! > 235) return "white-text";
  }
  const size = /<w:sz w:val="(\d+)"/.exec(props)?.[1];
  if (size && Number(size) < 5) return "tiny-font"; // half-points: under 2.5 pt
  return undefined;
}

/** Removes hidden runs from document XML, returning the cleaned XML and what was removed. */
export function cutHiddenRuns(xml: string): { xml: string; hidden: HiddenText[] } {
  const hidden: HiddenText[] = [];
  const cleaned = xml.replace(/<w:r(?:\s[^>]*)?>[\s\S]*?<\/w:r>/g, (run) => {
    const reason = hiddenReason(run);
    if (!reason) return run;
    const text = runText(run).trim();
    if (text) {
      const last = hidden[hidden.length - 1];
      // Adjacent hidden runs of one sentence are reported as one piece.
      if (last && last.reason === reason) last.text += ` ${text}`;
      else hidden.push({ text, reason });
    }
    return "";
  });
  return { xml: cleaned, hidden };
}

export async function readDocx(bytes: Uint8Array): Promise<ReadResult> {
  let files: Zippable;
  let hidden: HiddenText[] = [];
  try {
    const entries = readCentralDirectory(bytes);
    if (!entries.some((e) => e.name === "word/document.xml")) {
      return emptyResult("docx", "corrupt", "The file is a zip archive but not a Word document (no word/document.xml).");
    }
    files = {};
    const media: ZipEntry[] = [];
    for (const entry of entries) {
      if (entry.name.endsWith("/")) continue;
      // Media is never read (images are dropped below); its declared size was checked above.
      if (!/\.(xml|rels)$/i.test(entry.name)) {
        media.push(entry);
        continue;
      }
      const data = inflateEntry(bytes, entry);
      if (entry.name === "word/document.xml") {
        const cut = cutHiddenRuns(new TextDecoder().decode(data));
        hidden = cut.hidden;
        files[entry.name] = new TextEncoder().encode(cut.xml);
      } else files[entry.name] = data;
    }
    // Re-packing (only when hidden runs were cut) needs every entry, media included.
    if (hidden.length) for (const entry of media) files[entry.name] = inflateEntry(bytes, entry);
  } catch (error) {
    if (error instanceof ZipLimitError)
      return emptyResult("docx", "too-large", `The Word document unpacks to too much data (${error.message}); it looks like a zip bomb and was not read.`);
    if (error instanceof ZipFormatError) return emptyResult("docx", "corrupt", `The Word document is damaged: ${error.message}.`);
    return emptyResult("docx", "corrupt", `The Word document could not be unpacked: ${(error as Error).message}.`);
  }
  let html: string;
  try {
    const repacked = hidden.length ? zipSync(files, { level: 0 }) : bytes;
    // Images are not text: skip them rather than base64-encode every photo into the HTML.
    const result = await mammoth.convertToHtml(
      { buffer: Buffer.from(repacked.buffer, repacked.byteOffset, repacked.byteLength) },
      { convertImage: mammoth.images.imgElement(async () => ({ src: "" })) },
    );
    html = result.value;
  } catch (error) {
    return emptyResult("docx", "corrupt", `The Word document could not be read: ${(error as Error).message}.`);
  }
  const { lines, hidden: styleHidden } = htmlToLines(html);
  const hiddenText = [...hidden, ...styleHidden];
  const flags = hiddenText.length ? ["hidden-text"] : [];
  if (lines.length === 0)
    return { status: "image-only", format: "docx", message: "The Word document has no text (only images or empty).", lines, hiddenText, flags };
  return { status: "parsed", format: "docx", lines, hiddenText, flags };
}

/** Plain text of a DOCX through mammoth alone: the benchmark's baseline. */
export async function extractDocxTextRaw(bytes: Uint8Array): Promise<string> {
  const r = await mammoth.extractRawText({ buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) });
  return r.value;
}
