/**
 * `npm run bench:booking-page`: the candidate booking page's first load in Chromium — bytes on the
 * wire and time to interactive (navigation start to the end of DOMContentLoaded, after the page's
 * deferred script has run) — beside a minimal static page from the same server in the same run,
 * as a ratio. The page is served over real parts (Lever sandbox, Radicale, PostgreSQL), so its
 * time includes solving the panel's options live from the calendar.
 */
import type { Browser } from "playwright-core";
import { chromiumPath, launchBrowser } from "../test/support/console-browser.ts";
import { hasRadicale, startBookingPage } from "../test/support/booking-page.ts";

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const BASELINE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Baseline</title></head><body><main><h1>Baseline</h1><p>A minimal static page.</p></main></body></html>`;

async function firstLoad(browser: Browser, url: string, width: number): Promise<{ bytes: number; tti: number }> {
  const context = await browser.newContext({ viewport: { width, height: 800 }, timezoneId: "Europe/Lisbon" });
  const page = await context.newPage();
  const sizes: Promise<number>[] = [];
  page.on("requestfinished", (r) => sizes.push(r.sizes().then((s) => s.responseBodySize + s.responseHeadersSize)));
  await page.goto(url, { waitUntil: "load" });
  const tti = await page.evaluate(() => {
    const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
    return nav.domContentLoadedEventEnd - nav.startTime;
  });
  const bytes = (await Promise.all(sizes)).reduce((a, b) => a + b, 0);
  await context.close();
  return { bytes, tti };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  if (!chromiumPath()) throw new Error("Chromium not found; install Debian's chromium (or set FULCRUM_CHROMIUM)");
  if (!hasRadicale) throw new Error("radicale is not installed (Debian package radicale)");
  const f = await startBookingPage({ links: 1, extra: (app) => app.get("/baseline", (c) => c.html(BASELINE)) });
  const browser = await launchBrowser();
  try {
    const rows: string[] = [];
    for (const width of [1280, 360]) {
      const page: { bytes: number; tti: number }[] = [];
      const base: { bytes: number; tti: number }[] = [];
      for (let i = 0; i < RUNS; i++) {
        page.push(await firstLoad(browser, `${f.url}/book/${f.tokens[0]}`, width));
        base.push(await firstLoad(browser, `${f.url}/baseline`, width));
      }
      const pb = median(page.map((x) => x.bytes));
      const bb = median(base.map((x) => x.bytes));
      const pt = median(page.map((x) => x.tti));
      const bt = median(base.map((x) => x.tti));
      rows.push(
        `| ${width} px | ${(pb / 1024).toFixed(1)} KB | ${(bb / 1024).toFixed(1)} KB | ${(pb / bb).toFixed(1)}× | ${pt.toFixed(0)} ms | ${bt.toFixed(0)} ms | ${(pt / bt).toFixed(1)}× |`,
      );
    }
    console.log(`Booking page first load, median of ${RUNS} cold loads each (fresh browser context), Chromium ${browser.version()}`);
    console.log("| Viewport | Page bytes | Baseline bytes | Ratio | Page time to interactive | Baseline | Ratio |");
    console.log("|---|---|---|---|---|---|---|");
    for (const r of rows) console.log(r);
  } finally {
    await browser.close();
    await f.close();
  }
}

await main();
