/**
 * The candidate's booking page in Chromium (with axe) at desktop and phone widths: the first load
 * stays under 100 KB and fits 320 px, a keyboard alone picks a time, gets the confirmation and the
 * .ics link, moves the booking and cancels it, and two browsers racing for the last free time get
 * one booking and one "taken" notice with the next times.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import { testEngines } from "../src/store/testing.ts";
import { browserSkip, launchBrowser, seriousAxeViolations } from "./support/console-browser.ts";
import { hasRadicale, startBookingPage, type BookingPageFixture } from "./support/booking-page.ts";

const postgres = (await testEngines()).find((e) => e.kind === "postgres");
const skip = browserSkip() || (!hasRadicale ? "radicale is not installed" : !postgres ? "PostgreSQL is not reachable" : postgres.skip);

describe("the booking page in Chromium", { skip }, () => {
  let browser: Browser;
  let f: BookingPageFixture;

  before(async () => {
    browser = await launchBrowser();
    f = await startBookingPage({ links: 4 });
  });
  after(async () => {
    await browser?.close();
    await f?.close();
  });

  // axe is injected as an inline script, which the page's CSP forbids: only the axe context bypasses it.
  async function open(token: string, width: number, o: { bypassCSP?: boolean } = {}): Promise<{ page: Page; bytes: () => number }> {
    const context = await browser.newContext({ viewport: { width, height: 800 }, timezoneId: "Europe/Lisbon", bypassCSP: o.bypassCSP ?? false });
    const page = await context.newPage();
    const sizes: Promise<number>[] = [];
    page.on("requestfinished", (r) => sizes.push(r.sizes().then((s) => s.responseBodySize + s.responseHeadersSize)));
    await page.goto(`${f.url}/book/${token}`, { waitUntil: "load" });
    await page.waitForLoadState("networkidle");
    let total = 0;
    for (const s of await Promise.all(sizes)) total += s;
    return { page, bytes: () => total };
  }

  for (const width of [1280, 360, 320]) {
    it(`lists whole-panel times by day at ${width} px: under 100 KB, no sideways scrolling, axe-clean`, async () => {
      const { page, bytes } = await open(f.tokens[3]!, width);
      assert.ok(bytes() < 100 * 1024, `first load ${bytes()} bytes`);
      assert.ok(bytes() > 1000, "the load was measured");
      await page.getByRole("heading", { level: 1 }).waitFor();
      assert.ok((await page.getByRole("button", { name: /^Book: / }).count()) >= 2, "times to pick");
      assert.ok((await page.getByRole("heading", { level: 3 }).count()) >= 1, "grouped under day headings");
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `no sideways scrolling at ${width} px (${overflow} px too wide)`);
      await page.context().close();
      const checked = await open(f.tokens[3]!, width, { bypassCSP: true });
      assert.deepEqual(await seriousAxeViolations(checked.page), []);
      await checked.page.context().close();
    });
  }

  async function tabTo(page: Page, probe: string): Promise<void> {
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press("Tab");
      if (await page.evaluate((sel) => document.activeElement?.matches(sel) ?? false, probe)) return;
    }
    throw new Error(`no focusable ${probe} reached by Tab`);
  }

  it("books, shows the confirmation and the .ics link, moves and cancels — with the keyboard only", async () => {
    const { page } = await open(f.tokens[0]!, 360);
    await tabTo(page, ".slots button");
    const picked = await page.evaluate(() => (document.activeElement as HTMLButtonElement).form!.querySelector<HTMLInputElement>("input[name=start]")!.value);
    await Promise.all([page.waitForURL(/notice=booked/), page.keyboard.press("Enter")]);
    await page.getByRole("heading", { name: "Your interview", exact: true }).waitFor();
    assert.match(await page.getByRole("alert").innerText(), /booked/i);
    const ics = page.getByRole("link", { name: /calendar/i });
    assert.match((await ics.getAttribute("href"))!, /\/interview\.ics$/);
    const download = await (await page.context().request.get(new URL((await ics.getAttribute("href"))!, f.url).href)).text();
    assert.match(download, /BEGIN:VEVENT/);
    assert.equal((await f.radicale.objects(f.calendarUrl)).length, 1, "one event in the interviewer's calendar");

    await tabTo(page, ".slots button");
    const other = await page.evaluate(() => (document.activeElement as HTMLButtonElement).form!.querySelector<HTMLInputElement>("input[name=start]")!.value);
    assert.notEqual(other, picked);
    await Promise.all([page.waitForURL(/notice=moved/), page.keyboard.press("Enter")]);
    assert.ok((await page.locator(".booked").innerText()).length > 0);

    // "I'll be there": axe-clean with its button, pressed with the keyboard, then the page says so.
    const checked = await open(f.tokens[0]!, 360, { bypassCSP: true });
    assert.deepEqual(await seriousAxeViolations(checked.page), []);
    await checked.page.context().close();
    await tabTo(page, "#attend button");
    await Promise.all([page.waitForURL(/#attend$/), page.keyboard.press("Enter")]);
    assert.match(await page.locator("#attend").innerText(), /^You confirmed you will be there \(.+\)\. Thank you, see you then\.$/);
    assert.equal(await page.locator("#attend").getAttribute("role"), "status");

    await tabTo(page, "button.secondary");
    await Promise.all([page.waitForURL(/notice=cancelled/), page.keyboard.press("Enter")]);
    assert.equal(await page.locator(".slots button").count(), 0, "a cancelled link books nothing more");
    assert.equal((await f.radicale.objects(f.calendarUrl)).length, 0, "the event is gone");
    await page.context().close();
  });

  it("lets exactly one of two browsers book the last free time; the other is told and offered the next", async () => {
    const [a, b] = await Promise.all([open(f.tokens[1]!, 1280), open(f.tokens[2]!, 360)]);
    const start = await a.page.locator("input[name=start]").first().inputValue();
    const button = (p: Page) => p.locator(`form:has(input[name=start][value="${start}"]) button`);
    assert.equal(await button(b.page).count(), 1, "both see the same time");
    await Promise.all([
      a.page.waitForURL(/notice=/).then(() => undefined),
      b.page.waitForURL(/notice=/).then(() => undefined),
      button(a.page).click(),
      button(b.page).click(),
    ]);
    const notices = [a.page, b.page].map((p) => new URL(p.url()).searchParams.get("notice")).sort();
    assert.deepEqual(notices, ["booked", "taken"]);
    const loser = new URL(a.page.url()).searchParams.get("notice") === "taken" ? a.page : b.page;
    assert.match(await loser.getByRole("alert").innerText(), /taken/);
    assert.equal(await button(loser).count(), 0, "the taken time is gone");
    assert.ok((await loser.locator(".slots button").count()) >= 1, "the next times are offered");
    await a.page.context().close();
    await b.page.context().close();
  });
});
