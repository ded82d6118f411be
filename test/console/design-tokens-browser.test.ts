/**
 * A considered type scale and spacing, and icons where they help: every stylesheet under web/src
 * takes its font sizes from the scale in styles.css, and in Chromium, at desktop and phone widths,
 * every text on the main pages is drawn at a size of the scale, every icon is hidden from screen
 * readers with a label beside it (menu, decision buttons, state badges), and axe stays clean.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { type RunningServer } from "../../src/cli/commands/serve.ts";
import { listProposals } from "../../src/engine/proposals/index.ts";
import { createUser } from "../../src/server/console/index.ts";
import { browserSkip, launchBrowser, seriousAxeViolations, signInThroughPage } from "../support/console-browser.ts";
import { startConsoleServer, type ConsoleServer } from "../support/console-server.ts";
import { resumeFor } from "../workflows/harness.ts";

const COST = { N: 1024, r: 8, p: 1 };
const PASSWORD = "a long test password";
const SIZES = [
  { width: 1360, height: 900 },
  { width: 360, height: 740 },
];
const SCALE = ["xs", "sm", "md", "lg", "xl", "2xl"];
const PAGES = ["/", "/proposals", "/scheduling", "/runs", "/workflows", "/audit", "/fairness", "/settings", "/users"];
const WEB = join(import.meta.dirname, "../../web/src");

function stylesheets(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? stylesheets(join(dir, e.name)) : e.name.endsWith(".css") ? [join(dir, e.name)] : [],
  );
}

describe("the stylesheets' type scale", () => {
  it("defines --fs-xs to --fs-2xl and --space-1 to --space-8 in styles.css, and no stylesheet sets a font size outside the scale", () => {
    const root = readFileSync(join(WEB, "styles.css"), "utf8").match(/:root\s*\{([^}]*)\}/)?.[1] ?? "";
    for (const name of SCALE) assert.match(root, new RegExp(`--fs-${name}:\\s*\\d+px;`), `--fs-${name} in :root`);
    for (let i = 1; i <= 8; i++) assert.match(root, new RegExp(`--space-${i}:\\s*\\d+px;`), `--space-${i} in :root`);
    const offenders: string[] = [];
    for (const file of stylesheets(WEB)) {
      const css = readFileSync(file, "utf8").replace(/:root\s*\{[^}]*\}/, "");
      for (const m of css.matchAll(/font-size:\s*([^;]+);/g)) {
        if (!/^var\(--fs-(xs|sm|md|lg|xl|2xl)\)$/.test(m[1]!.trim())) offenders.push(`${file.slice(WEB.length + 1)}: font-size: ${m[1]}`);
      }
    }
    assert.deepEqual(offenders, []);
  });
});

describe("type scale and icons in Chromium", { skip: browserSkip() }, () => {
  let running: RunningServer;
  let server: ConsoleServer;
  let browser: Browser;
  let url: string;
  const contexts: BrowserContext[] = [];

  async function pageAs(email: string, viewport: { width: number; height: number }): Promise<Page> {
    const context = await browser.newContext({ bypassCSP: true, viewport });
    contexts.push(context);
    const page = await context.newPage();
    await signInThroughPage(page, url, email, PASSWORD);
    return page;
  }

  /** Rendered text (and form controls, and drawn ::before labels) whose computed size is not on the scale. */
  async function offScale(page: Page): Promise<{ scale: string[]; off: string[] }> {
    return page.evaluate((names) => {
      const root = getComputedStyle(document.documentElement);
      const scale = names.map((n) => root.getPropertyValue(`--fs-${n}`).trim());
      const off: string[] = [];
      const describe = (el: Element) =>
        `${el.tagName.toLowerCase()}${el.className && typeof el.className === "string" ? "." + el.className.trim().replace(/\s+/g, ".") : ""}`;
      for (const el of document.querySelectorAll("body *")) {
        if (!el.getClientRects().length) continue;
        const css = getComputedStyle(el);
        if (css.visibility === "hidden") continue;
        const text = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim());
        const control = ["INPUT", "SELECT", "TEXTAREA", "BUTTON"].includes(el.tagName);
        if ((text || control) && !scale.includes(css.fontSize)) off.push(`${describe(el)} ${css.fontSize} "${el.textContent!.trim().slice(0, 30)}"`);
        const before = getComputedStyle(el, "::before");
        if (before.content !== "none" && before.content !== "normal" && !scale.includes(before.fontSize))
          off.push(`${describe(el)}::before ${before.fontSize}`);
      }
      return { scale, off: [...new Set(off)] };
    }, SCALE);
  }

  /** Icons that a screen reader would meet, or that have no label beside them. */
  async function badIcons(page: Page): Promise<{ count: number; bad: string[] }> {
    return page.evaluate(() => {
      const icons = [...document.querySelectorAll("svg.icon")];
      const bad: string[] = [];
      for (const svg of icons) {
        const holder = svg.parentElement!;
        const label = (holder as HTMLElement).innerText.trim() || holder.getAttribute("aria-label") || "";
        if (svg.getAttribute("aria-hidden") !== "true") bad.push(`not aria-hidden in ${holder.outerHTML.slice(0, 80)}`);
        if (svg.getAttribute("focusable") !== "false") bad.push(`focusable in ${holder.outerHTML.slice(0, 80)}`);
        if (!label) bad.push(`no label beside ${holder.outerHTML.slice(0, 80)}`);
      }
      return { count: icons.length, bad };
    });
  }

  before(async () => {
    server = await startConsoleServer("console-tokens");
    running = server.running;
    url = running.url;
    const db = running.ctx.db;
    await db.query("insert into workflow_settings (workflow_id, mode, updated_by) values ('application-screening', 'assist', 'user:admin@example.com')");
    await createUser(db, { email: "admin@example.com", name: "Ada Admin", role: "admin", password: PASSWORD }, COST);
    const sandbox = running.sandbox!;
    const posting = [...sandbox.state.postings.values()].find((p) => p.state === "published" && p.content.lists.length > 0)!;
    const { opportunityId } = sandbox.actions.applyToPosting(posting.id, {
      name: "Tia Tokens",
      email: "tia@example.net",
      resume: { name: "resume.txt", contentType: "text/plain", bytes: resumeFor(posting.content) },
    });
    const deadline = Date.now() + 90_000;
    for (;;) {
      const mine = (await listProposals(db, { workflowId: "application-screening", limit: 1000 })).filter((p) => p.opportunityId === opportunityId);
      if (mine.length && mine.every((p) => p.status === "pending")) break;
      if (Date.now() > deadline) throw new Error("timed out waiting for Tia's proposals");
      await new Promise((r) => setTimeout(r, 200));
    }
    browser = await launchBrowser();
  });

  after(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await server?.stop();
  });

  for (const viewport of SIZES) {
    it(`draws text only at sizes of the scale, icons hidden with labels beside them, axe-clean, at ${viewport.width} px`, async () => {
      const page = await pageAs("admin@example.com", viewport);
      for (const path of PAGES) {
        await page.goto(url + path);
        await page.getByRole("heading", { level: 1 }).first().waitFor();
        await page.waitForLoadState("networkidle");
        const { scale, off } = await offScale(page);
        assert.equal(new Set(scale.filter(Boolean)).size, SCALE.length, `six distinct sizes: ${scale.join()}`);
        assert.deepEqual(off, [], `${path} at ${viewport.width} px`);
        const { bad } = await badIcons(page);
        assert.deepEqual(bad, [], `${path} at ${viewport.width} px`);
        assert.deepEqual(await seriousAxeViolations(page), [], `${path} at ${viewport.width} px`);
      }

      // The menu: each page's link has its icon and its name.
      if (viewport.width < 720) await page.getByRole("button", { name: "Menu" }).click();
      const nav = page.getByRole("navigation", { name: "Main" });
      const links = nav.getByRole("link");
      assert.equal(await links.count(), PAGES.length);
      for (const link of await links.all()) {
        assert.equal(await link.locator("svg.icon").count(), 1, `an icon in ${await link.innerText()}`);
        assert.match(await link.innerText(), /\w/);
      }
      assert.deepEqual((await badIcons(page)).bad, []);

      // A proposal: Approve and Reject carry their icons, names unchanged; the state badges theirs.
      await page.goto(`${url}/proposals`);
      await page
        .getByRole("list", { name: "Proposals" })
        .getByRole("button", { name: /Tia Tokens/ })
        .click();
      await page.getByRole("heading", { name: "Tia Tokens" }).waitFor();
      const actions = page.getByRole("region", { name: "Actions" });
      for (const name of ["Approve", "Reject"]) {
        const button = actions.getByRole("button", { name, exact: true });
        assert.equal(await button.locator("svg.icon").count(), 1, `an icon on ${name}`);
      }
      const badge = page.locator(".badge.pending").first();
      await badge.waitFor();
      assert.equal(await badge.locator("svg.icon").count(), 1, "an icon on the pending badge");
      assert.deepEqual((await offScale(page)).off, [], `a proposal at ${viewport.width} px`);
      assert.deepEqual((await badIcons(page)).bad, []);
      assert.deepEqual(await seriousAxeViolations(page), [], `a proposal at ${viewport.width} px`);
    });
  }
});
