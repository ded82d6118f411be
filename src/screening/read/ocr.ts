/**
 * OCR for scans: `pdftoppm` renders pages to images, `tesseract` reads them. Both are optional
 * system tools (Debian `poppler-utils`, `tesseract-ocr`); when either is missing the caller gets
 * `undefined` and reports the file as image-only. Every call has a timeout and a page limit.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

function run(cmd: string, args: string[], timeoutMs: number): Promise<{ stdout: string; ok: boolean; missing: boolean }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: timeoutMs, maxBuffer: 8 * 1024 * 1024, env: { ...process.env, OMP_THREAD_LIMIT: "1" } }, (error, stdout) => {
      const missing = (error as NodeJS.ErrnoException | null)?.code === "ENOENT";
      resolve({ stdout: String(stdout ?? ""), ok: !error, missing });
    });
  });
}

let available: Promise<boolean> | undefined;
/** Whether both OCR tools answer on this machine (checked once). */
export function ocrAvailable(): Promise<boolean> {
  available ??= (async () => {
    const [a, b] = await Promise.all([run("tesseract", ["--version"], 5000), run("pdftoppm", ["-v"], 5000)]);
    return !a.missing && !b.missing && a.ok;
  })();
  return available;
}

export interface OcrOptions {
  maxPages?: number;
  timeoutMs?: number;
  /** "pdf" renders pages first; an image goes to tesseract as is. */
  kind: "pdf" | "image";
}

/** Text of a scanned PDF or an image, or undefined when OCR is not installed or fails. */
export async function ocr(bytes: Uint8Array, options: OcrOptions): Promise<string | undefined> {
  if (!(await ocrAvailable())) return undefined;
  const dir = await mkdtemp(join(tmpdir(), "fulcrum-ocr-"));
  const timeoutMs = options.timeoutMs ?? 30_000;
  try {
    const input = join(dir, options.kind === "pdf" ? "in.pdf" : "in.img");
    await writeFile(input, bytes);
    let images: string[];
    if (options.kind === "pdf") {
      const r = await run("pdftoppm", ["-r", "200", "-gray", "-png", "-f", "1", "-l", String(options.maxPages ?? 3), input, join(dir, "page")], timeoutMs);
      if (!r.ok) return undefined;
      images = (await readdir(dir))
        .filter((f) => f.startsWith("page") && f.endsWith(".png"))
        .sort()
        .map((f) => join(dir, f));
    } else images = [input];
    const texts: string[] = [];
    for (const image of images) {
      const r = await run("tesseract", [image, "stdout", "--psm", "3"], timeoutMs);
      if (r.ok) texts.push(r.stdout);
    }
    const text = texts.join("\n\f\n").trim();
    return text || undefined;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
