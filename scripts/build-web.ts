/**
 * Builds the console (web/ → web/dist) only when a source file is newer than the last build, so
 * `npm start` and `npm test` pay for Vite only after a change. Writes into a temporary folder and
 * swaps it in, so a server or a second build running at the same time never sees half a bundle.
 * Also writes Brotli and gzip copies of each asset, which the server sends to browsers that take them.
 *
 *   node scripts/build-web.ts           # build if stale
 *   node scripts/build-web.ts --force   # build anyway
 */
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const WEB = join(import.meta.dirname, "../web");
const DIST = join(WEB, "dist");

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "dist" || entry.name.startsWith(".")) continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** True when web/dist is missing or older than a file of web/. */
export function consoleIsStale(): boolean {
  const marker = join(DIST, "index.html");
  if (!existsSync(marker)) return true;
  return newestSource(WEB) > statSync(marker).mtimeMs;
}

function precompress(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) precompress(path);
    else if (/\.(js|css|html|svg|json)$/.test(entry.name)) {
      const data = readFileSync(path);
      writeFileSync(path + ".br", brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
      writeFileSync(path + ".gz", gzipSync(data, { level: 9 }));
    }
  }
}

export async function buildConsole(): Promise<void> {
  const { build } = await import("vite");
  const tmp = join(WEB, `.dist-${process.pid}`);
  await build({ configFile: join(WEB, "vite.config.ts"), logLevel: "warn", build: { outDir: tmp, emptyOutDir: true } });
  precompress(tmp);
  const old = join(WEB, `.dist-old-${process.pid}`);
  if (existsSync(DIST)) renameSync(DIST, old);
  renameSync(tmp, DIST);
  rmSync(old, { recursive: true, force: true });
}

if (import.meta.filename === process.argv[1]) {
  const force = process.argv.includes("--force");
  if (force || consoleIsStale()) {
    const started = Date.now();
    await buildConsole();
    process.stdout.write(`console built into web/dist in ${Date.now() - started} ms\n`);
  }
}
