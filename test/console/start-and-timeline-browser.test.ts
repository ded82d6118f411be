/**
 * Start's count tiles and webhook-health sparkline, and a run's step chart, in Chromium against the
 * whole service on the built-in sandbox, at desktop and phone sizes (axe-clean, no sideways scroll).
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { type RunningServer } from "../../src/cli/commands/serve.ts";
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

describe("Start's tiles and sparkline, and a run's step chart", { skip: browserSkip() }, () => {
  let running: RunningServer;
  let server: ConsoleServer;
  let browser: Browser;
  let url: string;
  let runId: string;
  const contexts: BrowserContext[] = [];

  async function pageAs(email: string, viewport: { width: number; height: number }): Promise<Page> {
    const context = await browser.newContext({ bypassCSP: true, viewport });
    contexts.push(context);
    const page = await context.newPage();
    await signInThroughPage(page, url, email, PASSWORD);
    return page;
  }

  async function noSidewaysScroll(page: Page, where: string): Promise<void> {
    const { scroll, inner } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
    assert.ok(scroll <= inner, `${where} is ${scroll} px wide in a ${inner} px window`);
  }

  before(async () => {
    server = await startConsoleServer("console-start");
    running = server.running;
    url = running.url;
    await createUser(running.ctx.db, { email: "admin@example.com", name: "Ada Admin", role: "admin", password: PASSWORD }, COST);
    await createUser(running.ctx.db, { email: "hm@example.com", name: "Hal Manager", role: "hiring_manager", password: PASSWORD, postingIds: [] }, COST);
    // One real application through the sandbox, so a screening run with steps exists.
    const sandbox = running.sandbox!;
    const posting = [...sandbox.state.postings.values()].find((p) => p.state === "published" && p.content.lists.length > 0)!;
    sandbox.actions.applyToPosting(posting.id, {
      name: "Tia Timeline",
      email: "tia@example.net",
      resume: { name: "resume.txt", contentType: "text/plain", bytes: resumeFor(posting.content) },
    });
    const deadline = Date.now() + 90_000;
    for (;;) {
      const { rows } = await running.ctx.db.query<{ id: string }>(
        "select id::text as id from workflow_runs where context->'opportunity'->>'name' = 'Tia Timeline' and status in ('succeeded', 'waiting', 'failed') order by id limit 1",
      );
      if (rows[0]) {
        runId = rows[0].id;
        break;
      }
      if (Date.now() > deadline) throw new Error("timed out waiting for Tia's run");
      await new Promise((r) => setTimeout(r, 200));
    }
    // A forged delivery: refused, and counted for webhook health.
    const forged = await fetch(`${url}/webhooks/lever`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        event: "candidateStageChange",
        triggeredAt: Date.now(),
        token: "t".repeat(48),
        signature: "0".repeat(64),
        data: { opportunityId: "o", candidateId: "c", contactId: "c", fromStageId: "a", toStageId: "b" },
      }),
    });
    assert.equal(forged.status, 401);
    browser = await launchBrowser();
  });

  after(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await server?.stop();
  });

  it("shows count tiles linking to their pages and a sparkline with the refused delivery marked", async () => {
    for (const viewport of SIZES) {
      const page = await pageAs("admin@example.com", viewport);
      const tiles = page.getByRole("list", { name: "At a glance" });
      await tiles.waitFor();
      const runsTile = tiles.getByRole("link", { name: /^\d+ runs? today$/ });
      assert.ok(Number((await runsTile.innerText()).split(/\s/)[0]) >= 1, "Tia's run counts today");
      assert.equal(await runsTile.getAttribute("href"), "/runs");
      assert.equal(await tiles.getByRole("link", { name: /proposals? waiting/ }).getAttribute("href"), "/proposals");
      await tiles.getByRole("link", { name: /failed runs? today/ }).waitFor();
      assert.match(await tiles.getByRole("link", { name: /dead jobs?/ }).innerText(), /failed on every retry/);

      const spark = page.locator("figure.sparkline");
      await spark.waitFor();
      const caption = await spark.locator("figcaption").innerText();
      assert.match(caption, /^\d+ deliver(y|ies) in the last 24 hours · \d+ failed in processing · 1 refused/);
      assert.ok(Number(caption.split(" ")[0]) >= 1, "the application's webhooks were delivered");
      assert.equal(await spark.locator("circle.sl-mark").count(), 1, "the hour with the refusal is marked");
      assert.equal((await spark.locator("rect.sl-ok, rect.sl-bad").count()) > 0, true);

      await noSidewaysScroll(page, `Start at ${viewport.width} px`);
      assert.deepEqual(await seriousAxeViolations(page), [], `Start at ${viewport.width} px`);
      await runsTile.click();
      await page.getByRole("heading", { name: "Events and runs", level: 1 }).waitFor();
    }
  });

  it("draws a run's steps as bars labelled by state with their durations written out", async () => {
    for (const viewport of SIZES) {
      const page = await pageAs("admin@example.com", viewport);
      await page.goto(`${url}/runs/${runId}`);
      const chart = page.locator("figure.step-chart");
      await chart.waitFor();
      const rows = chart.getByRole("listitem");
      const n = await rows.count();
      const { rows: steps } = await running.ctx.db.query<{ n: number }>("select count(*)::int as n from workflow_steps where run_id = $1 and generation = 1", [
        Number(runId),
      ]);
      assert.equal(n, steps[0]!.n, "one row per step");
      const texts = await rows.allInnerTexts();
      assert.ok(
        texts.some((t) => /Succeeded in \d+(\.\d)? (ms|s)/.test(t)),
        texts.join(" | "),
      );
      assert.ok(
        texts.every((t) => /Succeeded in|Failed in|Waiting for a person, .* so far|Running, .* so far|Skipped|Not started/.test(t)),
        texts.join(" | "),
      );
      // Bars sit inside their track.
      const track = await rows.first().locator(".sc-track").boundingBox();
      const bar = await rows.first().locator(".sc-bar").boundingBox();
      assert.ok(track && bar && bar.x >= track.x - 1 && bar.x + bar.width <= track.x + track.width + 5, JSON.stringify({ track, bar }));
      await noSidewaysScroll(page, `the run page at ${viewport.width} px`);
      assert.deepEqual(await seriousAxeViolations(page), [], `the run page at ${viewport.width} px`);
    }
  });

  it("gives a hiring manager only the proposal tile and names a bad start of day", async () => {
    const page = await pageAs("hm@example.com", SIZES[1]!);
    const tiles = page.getByRole("list", { name: "At a glance" });
    await tiles.waitFor();
    assert.deepEqual(
      (await tiles.getByRole("link").allInnerTexts()).map((t) => t.replace(/\s+/g, " ")),
      ["0 proposals waiting"],
    );
    assert.equal(await page.locator("figure.sparkline").count(), 0);
    const hours = await page.request.get(`${url}/console/api/webhook-hours`);
    assert.equal(hours.status(), 403);
    const bad = await page.request.get(`${url}/console/api/start-counts?since=yesterday`);
    assert.equal(bad.status(), 400);
    assert.match(((await bad.json()) as { error: { message: string } }).error.message, /^since: "yesterday" is not a time/);
  });
});
