/**
 * Builds the external resume corpus: the same hand-written source resumes (and the JSON Resume
 * samples an npm package ships) turned into documents by tools this project did not write —
 * LibreOffice, Chromium, enscript + Ghostscript, groff + Ghostscript, a JSON Resume theme, and the
 * `docx` package driven by Word-template shapes — each document with a label file derived from its
 * source. Run `node bench/corpus/external/build.ts [producer…]`; a producer whose tool is missing is
 * skipped (its committed files stay as they are). `--labels-only` rewrites the label files from the
 * sources without running any tool (for a change to a skill mark or a sample's stated skills).
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { pathToFileURL } from "node:url";
import { EXTERNAL_AS_OF, truthOfJsonResume, truthOfSource, type ExternalIndex, type ExternalTruth } from "./labels.ts";
import {
  renderDocx,
  renderFodt,
  renderHtml,
  renderRoff,
  renderText,
  toJsonResume,
  type DateStyle,
  type HeadingStyle,
  type OrderStyle,
  type Style,
} from "./render.ts";
import { SOURCES, type SourceResume } from "./sources.ts";

export const EXTERNAL_DIR = join(import.meta.dirname, "files");

/** The producers, in the order the benchmark reports them. */
export const PRODUCERS = [
  "libreoffice-pdf",
  "libreoffice-docx",
  "chromium-html",
  "enscript-ps2pdf",
  "groff-ps2pdf",
  "jsonresume-even",
  "docx-templates",
] as const;
export type Producer = (typeof PRODUCERS)[number];

const DATES: DateStyle[] = ["mon", "iso", "slash", "year", "full"];
const ORDERS: OrderStyle[] = ["title-comma-org", "org-dash-title", "title-at-org", "org-line"];

/**
 * The k-th rendering of a producer: dates, order and section names rotate so no two neighbours look
 * alike, and about one in four has no skills list (its skills are only named in sentences).
 */
function styleFor(k: number, p: number, headings: HeadingStyle): Style {
  return {
    dates: DATES[(k + p) % DATES.length]!,
    order: ORDERS[(k + 2 * p) % ORDERS.length]!,
    headings,
    names: (k + p) % 4,
    skillsList: (k + 3 * p) % 4 !== 3,
  };
}

const cycle = <T>(list: readonly T[], i: number): T => list[i % list.length]!;

function has(tool: string): boolean {
  try {
    execFileSync("sh", ["-c", `command -v ${tool}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

const run = (cmd: string, args: string[], cwd?: string) =>
  execFileSync(cmd, args, { stdio: ["ignore", "pipe", "pipe"], timeout: 120_000, ...(cwd ? { cwd } : {}) });

let sofficeProfile: string | undefined;
/** Converts files with LibreOffice in one call, with a throwaway profile under the OS temp dir (independent of $HOME). */
function soffice(files: string[], to: string, outdir: string, infilter?: string): void {
  if (files.length === 0) return;
  sofficeProfile ??= mkdtempSync(join(tmpdir(), "fulcrum-soffice-"));
  run("soffice", [
    `-env:UserInstallation=${pathToFileURL(sofficeProfile).href}`,
    "--headless",
    ...(infilter ? [`--infilter=${infilter}`] : []),
    "--convert-to",
    to,
    "--outdir",
    outdir,
    ...files,
  ]);
}

let chromiumProfile: string | undefined;
function chromiumPdf(htmlFile: string, pdfFile: string): void {
  chromiumProfile ??= mkdtempSync(join(tmpdir(), "fulcrum-chromium-"));
  run("chromium", [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    `--user-data-dir=${chromiumProfile}`,
    `--print-to-pdf=${pdfFile}`,
    "--no-pdf-header-footer",
    pathToFileURL(htmlFile).href,
  ]);
}

interface Rendering {
  name: string;
  truth: ExternalTruth;
  /** Writes the document to `out` (absolute path), using `work` for intermediate files. */
  make: (out: string, work: string) => Promise<void> | void;
}

const pdfOf = (work: string, file: string) => join(work, basename(file).replace(/\.[^.]+$/, ".pdf"));

function producerRenderings(producer: Producer, p: number): Rendering[] {
  const pick = (count: number, offset: number) => Array.from({ length: count }, (_, k) => ({ k, r: SOURCES[(k + offset) % SOURCES.length]! }));
  const label = (r: SourceResume, style: Style, ext: string) => truthOfSource(r, style, producer, `${producer}/${r.id}.${ext}`);
  switch (producer) {
    case "libreoffice-pdf":
      return pick(12, 0).map(({ k, r }) => {
        const via = cycle(["txt", "docx", "odt"] as const, k);
        const headings: HeadingStyle =
          via === "txt"
            ? k % 2
              ? "caps"
              : "plain"
            : via === "docx"
              ? cycle(["plain", "bold", "table", "two-column"] as const, Math.floor(k / 3))
              : cycle(["plain", "bold", "heading", "table"] as const, Math.floor(k / 3));
        const style = styleFor(k, p, headings);
        return {
          name: r.id,
          truth: { ...label(r, style, "pdf"), layout: `${via}/${label(r, style, "pdf").layout}` },
          make: async (out, work) => {
            let input: string;
            if (via === "txt") {
              input = join(work, `${r.id}.txt`);
              writeFileSync(input, renderText(r, style, { underline: k % 4 === 0 }));
              soffice([input], "pdf", work, "Text (encoded):UTF8,LF,Liberation Serif,en-US,");
            } else if (via === "docx") {
              input = join(work, `${r.id}.docx`);
              writeFileSync(input, await renderDocx(r, style));
              soffice([input], "pdf", work);
            } else {
              input = join(work, `${r.id}.fodt`);
              writeFileSync(input, renderFodt(r, style));
              soffice([input], "odt", work);
              soffice([join(work, `${r.id}.odt`)], "pdf", work);
            }
            copyFileSync(pdfOf(work, input), out);
          },
        };
      });
    case "libreoffice-docx":
      return pick(10, 3).map(({ k, r }) => {
        const style = styleFor(k, p, cycle(["plain", "bold", "heading", "caps", "table"] as const, k));
        return {
          name: r.id,
          truth: label(r, style, "docx"),
          make: (out, work) => {
            const input = join(work, `${r.id}.fodt`);
            writeFileSync(input, renderFodt(r, style));
            soffice([input], "odt", work);
            soffice([join(work, `${r.id}.odt`)], "docx:MS Word 2007 XML", work);
            copyFileSync(join(work, `${r.id}.docx`), out);
          },
        };
      });
    case "chromium-html":
      return pick(12, 5).map(({ k, r }) => {
        const style = styleFor(k, p, cycle(["plain", "caps", "bold", "table", "two-column", "plain"] as const, k));
        return {
          name: r.id,
          truth: label(r, style, "pdf"),
          make: (out, work) => {
            const html = join(work, `${r.id}.html`);
            writeFileSync(html, renderHtml(r, style));
            chromiumPdf(html, out);
          },
        };
      });
    case "enscript-ps2pdf":
      return pick(10, 7).map(({ k, r }) => {
        const style = styleFor(k, p, k % 2 ? "caps" : "plain");
        return {
          name: r.id,
          truth: label(r, style, "pdf"),
          make: (out, work) => {
            const txt = join(work, `${r.id}.txt`);
            const ps = join(work, `${r.id}.ps`);
            writeFileSync(txt, Buffer.from(renderText(r, style, { underline: k % 3 === 0, ascii: true, bullet: k % 2 ? "*" : "-" }), "latin1"));
            run("enscript", [
              "-B",
              "-q",
              "--word-wrap",
              "--encoding=latin1",
              "--margins=54:54:54:54",
              "-f",
              ["Courier10", "Times-Roman11", "Helvetica10"][k % 3]!,
              "-o",
              ps,
              txt,
            ]);
            run("ps2pdf", [ps, out]);
          },
        };
      });
    case "groff-ps2pdf":
      return pick(8, 2).map(({ k, r }) => {
        const style = styleFor(k, p, cycle(["plain", "bold", "caps"] as const, k));
        return {
          name: r.id,
          truth: label(r, style, "pdf"),
          make: (out, work) => {
            const ps = join(work, `${r.id}.ps`);
            const roff = join(work, `${r.id}.ms`);
            writeFileSync(roff, renderRoff(r, style));
            // -Kutf8: the input is UTF-8; plain -k lets preconv guess, and it guesses ISO-8859-13 ("DistribuciĆ³n").
            writeFileSync(ps, execFileSync("groff", ["-Kutf8", "-Tps", roff], { timeout: 60_000 }));
            run("ps2pdf", [ps, out]);
          },
        };
      });
    case "jsonresume-even":
      return [
        ...jsonResumeSamples(producer),
        ...pick(8, 4).map(({ r }) => {
          const json = toJsonResume(r);
          const truth = truthOfJsonResume(
            json,
            producer,
            r.id,
            `${producer}/${r.id}.pdf`,
            r.discipline,
            [...(r.summary + r.positions.flatMap((x) => x.bullets).join("\n")).matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!),
          );
          return { name: r.id, truth, make: (out: string, work: string) => themePdf(json, r.id, out, work) };
        }),
      ];
    case "docx-templates":
      return pick(12, 9).map(({ k, r }) => {
        const style = styleFor(k, p, cycle(["heading", "bold", "table", "two-column", "caps", "plain"] as const, k));
        return { name: r.id, truth: label(r, style, "docx"), make: async (out) => writeFileSync(out, await renderDocx(r, style)) };
      });
  }
}

const require = createRequire(import.meta.url);

/**
 * The JSON Resume samples that `@jsonresume/schema` ships, with the skills their prose names (read
 * by hand from the sample; their lists and keywords are labelled automatically). The first sample's
 * e-mail address is moved to example.com.
 */
const SAMPLES: { file: string; name: string; discipline: string; statedInText: string[] }[] = [
  { file: "sample.resume.json", name: "sample-hendriks", discipline: "engineering", statedInText: [] },
  {
    file: "examples/career-changer.resume.json",
    name: "sample-career-changer",
    discipline: "data",
    statedInText: ["Looker Studio", "dbt", "SQL", "Python", "Excel"],
  },
  {
    file: "examples/new-grad.resume.json",
    name: "sample-new-grad",
    discipline: "engineering",
    statedInText: ["React", "TypeScript", "Python", "Distributed Systems", "Machine Learning", "PostgreSQL", "Next.js", "NLP"],
  },
  {
    file: "examples/senior-engineer.resume.json",
    name: "sample-senior-engineer",
    discipline: "engineering",
    statedInText: ["Distributed Systems", "Mentoring", "Apache Kafka", "OpenStack", "AWS", "Technical Leadership"],
  },
];

function jsonResumeSamples(producer: Producer): Rendering[] {
  return SAMPLES.map((s) => {
    const json = JSON.parse(readFileSync(require.resolve(`@jsonresume/schema/${s.file}`), "utf8")) as { basics: { email?: string } };
    if (json.basics.email && !/@example\.(com|org)$/.test(json.basics.email)) json.basics.email = json.basics.email.replace(/@.*$/, "@example.com");
    return {
      name: s.name,
      truth: truthOfJsonResume(json, producer, s.name, `${producer}/${s.name}.pdf`, s.discipline, s.statedInText),
      make: (out: string, work: string) => themePdf(json, s.name, out, work),
    };
  });
}

async function themePdf(json: unknown, name: string, out: string, work: string): Promise<void> {
  const theme = (await import("jsonresume-theme-even")) as { render: (resume: unknown) => string };
  const html = join(work, `${name}.html`);
  writeFileSync(html, theme.render(json));
  chromiumPdf(html, out);
}

/** Every document's label as the sources give it today, without running any tool. */
export function labelsFromSources(): ExternalTruth[] {
  return PRODUCERS.flatMap((producer, p) => producerRenderings(producer, p).map((r) => r.truth));
}

const NEEDS: Record<Producer, string[]> = {
  "libreoffice-pdf": ["soffice"],
  "libreoffice-docx": ["soffice"],
  "chromium-html": ["chromium"],
  "enscript-ps2pdf": ["enscript", "ps2pdf"],
  "groff-ps2pdf": ["groff", "ps2pdf"],
  "jsonresume-even": ["chromium"],
  "docx-templates": [],
};

/** Rebuilds the index from the label files on disk (so a skipped producer keeps its committed files). */
export function writeIndex(dir = EXTERNAL_DIR): ExternalIndex {
  const index: ExternalIndex = { asOf: EXTERNAL_AS_OF, documents: [] };
  for (const producer of PRODUCERS) {
    const folder = join(dir, producer);
    if (!existsSync(folder)) continue;
    for (const f of readdirSync(folder)
      .filter((x) => x.endsWith(".json"))
      .sort()) {
      const truth = JSON.parse(readFileSync(join(folder, f), "utf8")) as ExternalTruth;
      if (existsSync(join(dir, truth.file))) index.documents.push({ producer, file: truth.file, truth: `${producer}/${f}` });
    }
  }
  writeFileSync(join(dir, "index.json"), `${JSON.stringify(index, null, 1)}\n`);
  return index;
}

/** Builds the named producers (all by default); returns what was built and what was skipped. */
export async function buildExternalCorpus(
  only: readonly string[] = PRODUCERS,
  dir = EXTERNAL_DIR,
  options: { labelsOnly?: boolean } = {},
): Promise<{ built: Record<string, number>; skipped: string[] }> {
  const built: Record<string, number> = {};
  const skipped: string[] = [];
  for (const [p, producer] of PRODUCERS.entries()) {
    if (!only.includes(producer)) continue;
    if (options.labelsOnly) {
      // Labels follow the sources; the documents stay as committed (they do not change when only a skill mark does).
      const renderings = producerRenderings(producer, p).filter((r) => existsSync(join(dir, r.truth.file)));
      for (const r of renderings) writeFileSync(join(dir, producer, `${r.name}.json`), `${JSON.stringify(r.truth, null, 1)}\n`);
      built[producer] = renderings.length;
      continue;
    }
    const missing = NEEDS[producer].filter((t) => !has(t));
    if (missing.length > 0) {
      skipped.push(`${producer} (missing ${missing.join(", ")})`);
      continue;
    }
    const folder = join(dir, producer);
    rmSync(folder, { recursive: true, force: true });
    mkdirSync(folder, { recursive: true });
    const work = mkdtempSync(join(tmpdir(), `fulcrum-${producer}-`));
    try {
      for (const r of producerRenderings(producer, p)) {
        await r.make(join(dir, r.truth.file), work);
        writeFileSync(join(folder, `${r.name}.json`), `${JSON.stringify(r.truth, null, 1)}\n`);
      }
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
    built[producer] = readdirSync(folder).filter((x) => x.endsWith(".json")).length;
  }
  for (const d of [sofficeProfile, chromiumProfile]) if (d) rmSync(d, { recursive: true, force: true });
  writeIndex(dir);
  return { built, skipped };
}

if (import.meta.filename === process.argv[1]) {
  const labelsOnly = process.argv.includes("--labels-only");
  const only = process.argv.slice(2).filter((a) => !a.startsWith("--"));
  const { built, skipped } = await buildExternalCorpus(only.length > 0 ? only : PRODUCERS, EXTERNAL_DIR, { labelsOnly });
  for (const [producer, n] of Object.entries(built)) process.stdout.write(`built ${producer}: ${n} resumes\n`);
  for (const s of skipped) process.stdout.write(`skipped ${s}\n`);
}
