/**
 * The console for the people who use it, in Chromium against the whole service on the built-in
 * sandbox: each role sees only what it can use (and is told who can do the rest), people and
 * postings are shown by name, the sign-in page logs no errors, and every page works on a phone
 * (390 and 360 px wide) without scrolling sideways.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { startServer, type RunningServer } from "../../src/cli/commands/serve.ts";
import { loadConfig } from "../../src/config/index.ts";
import { listProposals } from "../../src/engine/proposals/index.ts";
import { createModeCeiling } from "../../src/engine/policy/index.ts";
import { silentLogger } from "../../src/observability/index.ts";
import { createUser, findUserByEmail, setFourEyes } from "../../src/server/console/index.ts";
import { browserSkip, launchBrowser, seriousAxeViolations, signInThroughPage, waitFor } from "../support/console-browser.ts";
import { resumeFor } from "../workflows/harness.ts";
import { buildConsole, consoleIsStale } from "../../scripts/build-web.ts";

const COST = { N: 1024, r: 8, p: 1 };
const PASSWORD = "a long test password";
const DESKTOP = { width: 1360, height: 900 };
const PHONES = [
  { width: 390, height: 844 },
  { width: 360, height: 740 },
];

describe("the console for each role, by name, on a phone", { skip: browserSkip() }, () => {
  let running: RunningServer;
  let browser: Browser;
  let dataDir: string;
  let url: string;
  let postingA: { id: string; text: string; content: { lists: { text: string; content: string }[] } };
  let adminId: string;
  const contexts: BrowserContext[] = [];

  async function pageAs(email: string | undefined, viewport = DESKTOP): Promise<Page> {
    const context = await browser.newContext({ bypassCSP: true, viewport });
    contexts.push(context);
    const page = await context.newPage();
    if (email) await signInThroughPage(page, url, email, PASSWORD);
    return page;
  }

  /** Fails when the page is wider than the window (it would scroll sideways). */
  async function noSidewaysScroll(page: Page, where: string): Promise<void> {
    const { scroll, inner } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
    if (scroll > inner) {
      const wide = await page.evaluate((w) => {
        const out: string[] = [];
        for (const el of document.querySelectorAll("main *")) {
          const r = el.getBoundingClientRect();
          if (r.right > w + 1 && out.length < 5) out.push(`${el.tagName.toLowerCase()}.${(el as HTMLElement).className} right=${Math.round(r.right)}`);
        }
        return out;
      }, inner);
      assert.fail(`${where} is ${scroll} px wide in a ${inner} px window: ${wide.join("; ")}`);
    }
  }

  before(async () => {
    if (consoleIsStale()) await buildConsole();
    dataDir = mkdtempSync(join(tmpdir(), "fulcrum-console-people-"));
    running = await startServer({
      config: loadConfig({ FULCRUM_DATA_DIR: dataDir, PORT: "0", FULCRUM_SANDBOX_PORT: "0", FULCRUM_LOG_LEVEL: "silent" }),
      logger: silentLogger,
    });
    url = running.url;
    const db = running.ctx.db;
    await db.query("insert into workflow_settings (workflow_id, mode, updated_by) values ('application-screening', 'assist', 'user:admin@example.com')");
    const sandbox = running.sandbox!;
    const postings = [...sandbox.state.postings.values()].filter((p) => p.state === "published" && p.content.lists.length > 0);
    postingA = postings[0]!;
    adminId = (await createUser(db, { email: "admin@example.com", name: "Ada Admin", role: "admin", password: PASSWORD }, COST)).id;
    await createUser(db, { email: "recruiter@example.com", name: "Rex Recruiter", role: "recruiter", password: PASSWORD }, COST);
    await createUser(db, { email: "manager@example.com", role: "hiring_manager", password: PASSWORD, postingIds: [postingA.id] }, COST);
    await createUser(db, { email: "auditor@example.com", role: "auditor", password: PASSWORD }, COST);
    const apply = (key: string, name: string) =>
      sandbox.actions.applyToPosting(postingA.id, {
        name,
        email: `${key}@example.net`,
        resume: { name: "resume.txt", contentType: "text/plain", bytes: resumeFor(postingA.content) },
      }).opportunityId;
    const opps = [apply("una", "Una Phone"), apply("vic", "Vic Phone")];
    await waitFor(
      "screening proposals",
      async () => {
        const all = await listProposals(db, { limit: 1000 });
        return opps.every((id) => all.some((p) => p.opportunityId === id));
      },
      90_000,
    );
    // Settings changed by a person: the pages show who, by name.
    await createModeCeiling(db, "auto").set("auto", `user:${adminId}`);
    await setFourEyes(db, true, `user:${adminId}`);
    browser = await launchBrowser();
  });

  after(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await running?.stop({ timeoutMs: 2000 });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("logs no errors on the sign-in page when no one is signed in and single sign-on is not set", async () => {
    for (const viewport of [DESKTOP, ...PHONES]) {
      const page = await pageAs(undefined, viewport);
      const errors: string[] = [];
      page.on("console", (m) => {
        if (m.type() === "error") errors.push(m.text());
      });
      page.on("response", (r) => {
        if (r.status() >= 400) errors.push(`${r.status()} ${r.url()}`);
      });
      await page.goto(url + "/");
      await page.getByLabel("E-mail").waitFor();
      await page.waitForLoadState("networkidle");
      assert.deepEqual(errors, [], `at ${viewport.width} px`);
      assert.equal(await page.getByText(/Sign in with/).count(), 0, "no single sign-on button when none is set");
      assert.deepEqual(await seriousAxeViolations(page), []);
      await noSidewaysScroll(page, `the sign-in page at ${viewport.width} px`);
    }
  });

  it("tells a recruiter who can use Users and Settings instead of showing forms, and offers no prompt replay on Start", async () => {
    for (const viewport of [DESKTOP, PHONES[1]!]) {
      const page = await pageAs("recruiter@example.com", viewport);
      for (const [path, title] of [
        ["/users", "Users"],
        ["/settings", "Connections and settings"],
        ["/audit", "Audit"],
      ] as const) {
        await page.goto(url + path);
        await page.getByText(`${title} is for admin`).waitFor();
        assert.equal(await page.locator("main form, main input, main select, main textarea").count(), 0, `no form on ${path}`);
        assert.deepEqual(await seriousAxeViolations(page), []);
      }
      await page.goto(url + "/");
      await page.getByRole("heading", { name: "You are on the built-in Lever sandbox" }).waitFor();
      assert.equal(await page.getByText(/replay/i).count(), 0, "no replay step for a recruiter");
      await page.getByText(/An admin chooses how far each workflow may go/).waitFor();
      const manager = await pageAs("manager@example.com", viewport);
      await manager.goto(url + "/runs");
      await manager.getByText("Events and runs is for admins, recruiters and auditors").waitFor();
    }
  });

  it("shows people by name in the audit trail and in 'last changed by', and runs by candidate and posting", async () => {
    const page = await pageAs("admin@example.com");
    await page.goto(`${url}/settings`);
    const ceiling = page.getByRole("region", { name: "Mode ceiling" });
    await ceiling.getByText("Last changed by Ada Admin at").waitFor();
    // The mode ceiling comes before the connections.
    const order = await page.locator("main h2").allTextContents();
    assert.equal(order[0], "Mode ceiling");
    await page.getByRole("region", { name: "Four eyes" }).getByText("Last changed by Ada Admin at").waitFor();
    await page.goto(`${url}/audit?user=${adminId}`);
    const record = page.getByRole("listitem").filter({ hasText: "settings.four_eyes" }).first();
    await record.getByText("you", { exact: true }).waitFor();
    assert.equal(await page.getByText(`user:${adminId}`).count(), 0);
    const auditor = await pageAs("auditor@example.com");
    await auditor.goto(`${url}/audit?user=${adminId}`);
    await auditor.getByRole("listitem").filter({ hasText: "settings.four_eyes" }).first().getByText("Ada Admin").waitFor();
    await page.goto(`${url}/runs`);
    const runRow = page.getByRole("row").filter({ hasText: "Una Phone" }).first();
    await runRow.getByText(postingA.text).waitFor();
    await page.getByText(/A dead job is a step that failed on every retry/).waitFor();
    await page.goto(`${url}/workflows`);
    await page.getByRole("row").filter({ hasText: "Application screening" }).getByText("Lever sends applicationCreated").waitFor();
    assert.equal(await page.getByText("(lever, when)").count(), 0);
    assert.deepEqual(await seriousAxeViolations(page), []);
  });

  it("picks a hiring manager's postings by title and refuses an unknown posting id", async () => {
    const page = await pageAs("admin@example.com");
    await page.goto(`${url}/users`);
    await page.getByLabel("E-mail", { exact: true }).fill("picked.manager@example.com");
    await page.getByLabel("Role").selectOption("hiring_manager");
    await page.getByRole("group", { name: "Postings this hiring manager sees" }).getByRole("checkbox", { name: postingA.text }).first().check();
    await page.getByLabel(/^First password/).fill("another long password");
    assert.deepEqual(await seriousAxeViolations(page), []);
    await page.getByRole("button", { name: "Create account" }).click();
    await page
      .getByRole("row", { name: /picked\.manager@example\.com/ })
      .getByText(postingA.text)
      .waitFor();
    assert.deepEqual((await findUserByEmail(running.ctx.db, "picked.manager@example.com"))!.postingIds, [postingA.id]);
    const refused = await page.evaluate(async () => {
      const csrf = decodeURIComponent(/fulcrum_csrf=([^;]+)/.exec(document.cookie)![1]!);
      const res = await fetch("/console/api/users", {
        method: "POST",
        headers: { "content-type": "application/json", "x-csrf-token": csrf },
        body: JSON.stringify({
          email: "typo.manager@example.com",
          role: "hiring_manager",
          password: "yet another long password",
          postingIds: ["no-such-posting"],
        }),
      });
      return { status: res.status, body: (await res.json()) as { error: { message: string } } };
    });
    assert.equal(refused.status, 400);
    assert.match(refused.body.error.message, /no posting "no-such-posting" in Lever/);
    assert.equal(await findUserByEmail(running.ctx.db, "typo.manager@example.com"), undefined);
  });

  it("does not link the sandbox's candidates to real Lever", async () => {
    const page = await pageAs("recruiter@example.com");
    await page.goto(`${url}/proposals`);
    await page.getByRole("list", { name: "Proposals" }).getByText("Una Phone").first().click();
    await page.getByRole("heading", { name: "Una Phone" }).waitFor();
    assert.equal(await page.getByRole("link", { name: "Open in Lever" }).count(), 0);
  });

  for (const viewport of PHONES) {
    it(`works at ${viewport.width} px: a menu button, no page scrolls sideways, a tapped proposal comes into view`, async () => {
      const page = await pageAs("admin@example.com", viewport);
      const menu = page.getByRole("button", { name: "Menu" });
      const nav = page.getByRole("navigation", { name: "Main" });
      assert.equal(await menu.getAttribute("aria-expanded"), "false");
      assert.equal(await nav.isVisible(), false, "the menu starts closed");
      await menu.focus();
      await page.keyboard.press("Enter");
      assert.equal(await menu.getAttribute("aria-expanded"), "true");
      await nav.getByRole("link", { name: "Workflows" }).click();
      await page.getByRole("heading", { name: "Workflows" }).waitFor();
      assert.equal(await nav.isVisible(), false, "picking a page closes the menu");
      for (const [path, ready] of [
        ["/", /Welcome/],
        ["/workflows", "Workflows"],
        ["/runs", "Events and runs"],
        ["/audit", "Audit trail"],
        ["/fairness", /Fairness|fairness/],
        ["/settings", "Connections and settings"],
        ["/users", "Users"],
        ["/proposals", /Proposals|proposals/],
      ] as const) {
        await page.goto(url + path);
        await page.getByRole("heading", { name: ready, level: 1 }).first().waitFor();
        await page.waitForLoadState("networkidle");
        await noSidewaysScroll(page, `${path} at ${viewport.width} px`);
        assert.deepEqual(await seriousAxeViolations(page), [], `${path} at ${viewport.width} px`);
      }
      await page.goto(`${url}/audit?user=${adminId}`);
      await page.getByRole("heading", { name: /^\d+ records?$/ }).waitFor();
      await noSidewaysScroll(page, `audit results at ${viewport.width} px`);
      const search = await page.getByRole("button", { name: "Search" }).boundingBox();
      assert.ok(search && search.x >= 0 && search.x + search.width <= viewport.width, `the Search button is in view: ${JSON.stringify(search)}`);
      await page.goto(`${url}/proposals`);
      const row = page.getByRole("list", { name: "Proposals" }).getByText("Vic Phone").first();
      await row.click();
      const heading = page.getByRole("heading", { name: "Vic Phone", level: 2 });
      await heading.waitFor();
      await waitFor(
        "the proposal's detail in view",
        async () => {
          const box = await heading.boundingBox();
          return box !== null && box.y >= 0 && box.y < viewport.height;
        },
        5000,
      );
    });
  }
});
