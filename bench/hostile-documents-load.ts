/**
 * The hostile half of `bench:hostile-documents`, loaded into the intake bench server
 * (bench/intake-server.ts) with `--import`, so the documents are parsed in the very process that
 * takes the webhooks. On stdin, `BOMBS pdf`, `BOMBS html` or `BOMBS pdf,html` starts reading those
 * files over and over (one loop each) and answers `BOMBS ON`; `BOMBS off` waits for the files in
 * hand and answers `BOMBS OFF <files read> <ms per file> <statuses>`.
 *
 * - pdf: a PDF whose content stream inflates to 2 GiB (about 2 MB of deflated zeros);
 * - html: 200,000 nested `<div>`s (1.1 MB).
 */
import { createInterface } from "node:readline";
import { createDeflate } from "node:zlib";
import { readDocument } from "../src/screening/index.ts";

const MB = 1024 * 1024;

async function deflatedZeros(size: number): Promise<Buffer> {
  const zeros = Buffer.alloc(MB);
  const deflate = createDeflate({ level: 9, chunkSize: MB });
  const parts: Buffer[] = [];
  deflate.on("data", (c: Buffer) => parts.push(c));
  const ended = new Promise((resolve) => deflate.on("end", resolve));
  for (let i = 0; i < size / MB; i++) {
    // Let the server breathe while the bomb is built; building it is not what is measured.
    if (!deflate.write(zeros)) await new Promise((resolve) => deflate.once("drain", resolve));
  }
  deflate.end();
  await ended;
  return Buffer.concat(parts);
}

let bombs: Record<string, { bytes: Uint8Array; filename: string }> | undefined;

async function build(): Promise<NonNullable<typeof bombs>> {
  const z = await deflatedZeros(2048 * MB);
  const head =
    "%PDF-1.4\n1 0 obj <</Type/Catalog/Pages 2 0 R>> endobj\n2 0 obj <</Type/Pages/Kids[3 0 R]/Count 1>> endobj\n" +
    "3 0 obj <</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R>> endobj\n" +
    `4 0 obj <</Length ${z.length}/Filter/FlateDecode>> stream\n`;
  const pdf = Buffer.concat([Buffer.from(head, "latin1"), z, Buffer.from("\nendstream endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n", "latin1")]);
  const depth = 200_000;
  const html = Buffer.from(`<html><body>${"<div>".repeat(depth)}Ada Example${"</div>".repeat(depth)}</body></html>`);
  return { pdf: { bytes: new Uint8Array(pdf), filename: "cv.pdf" }, html: { bytes: new Uint8Array(html), filename: "cv.html" } };
}

let running = false;
let loops: Promise<void>[] = [];
let reads: { ms: number; status: string }[] = [];

async function loop(kind: string): Promise<void> {
  const bomb = bombs![kind]!;
  while (running) {
    const started = performance.now();
    const r = await readDocument(bomb.bytes, { filename: bomb.filename });
    reads.push({ ms: performance.now() - started, status: `${kind}:${r.status}` });
  }
}

createInterface({ input: process.stdin }).on("line", async (line) => {
  const m = /^BOMBS (.+)$/.exec(line);
  if (!m) return;
  if (m[1] === "off") {
    running = false;
    await Promise.all(loops);
    const ms = reads.length ? reads.reduce((n, r) => n + r.ms, 0) / reads.length : 0;
    const statuses = [...new Set(reads.map((r) => r.status))].join(",") || "-";
    process.stdout.write(`BOMBS OFF ${reads.length} ${ms.toFixed(0)} ${statuses}\n`);
    return;
  }
  bombs ??= await build();
  reads = [];
  running = true;
  loops = m[1]!.split(",").map((kind) => loop(kind));
  process.stdout.write("BOMBS ON\n");
});
