/**
 * Pictures where people would rather look than read, and an audit search by name, in Chromium
 * against the whole service on the built-in sandbox, at desktop and phone sizes (axe-clean, no
 * sideways scroll): the fairness page draws rates as bars with the four-fifths line and flags only
 * results with enough data to mean something.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { type RunningServer } from "../../src/cli/commands/serve.ts";
import { adverseImpactVerdict } from "../../src/governance/adverse-impact.ts";
import { selectionRates, type FairnessRecord } from "../../src/governance/fairness.ts";
import { createUser } from "../../src/server/console/index.ts";
import type { FairnessReport, FairnessTable, GroupRow } from "../../src/server/console/fairness-report.ts";
import { browserSkip, launchBrowser, seriousAxeViolations, signInThroughPage } from "../support/console-browser.ts";
import { startConsoleServer, type ConsoleServer } from "../support/console-server.ts";
import { resumeFor } from "../workflows/harness.ts";

const COST = { N: 1024, r: 8, p: 1 };
const PASSWORD = "a long test password";
const SIZES = [
  { width: 1360, height: 900 },
  { width: 360, height: 740 },
];

function people(n: number, selected: number, sex: string): FairnessRecord[] {
  return Array.from({ length: n }, (_, i) => ({ sex, race: null, selected: i < selected }));
}

/** A table of people's decisions computed by the real fairness functions from the records given. */
function tableOf(postingTitle: string, records: FairnessRecord[]): FairnessTable {
  const r = selectionRates(records, "sex");
  const rows: GroupRow[] = r.groups.map((g) => {
    const pValue = g.significance?.pValue ?? null;
    const human = {
      n: g.n,
      selected: g.positives,
      rate: g.rate,
      impactRatio: g.impactRatio,
      pValue,
      test: g.significance?.test ?? null,
      flagged: g.flagged,
      excluded: g.excluded,
      verdict: adverseImpactVerdict({ n: g.n, impactRatio: g.impactRatio, pValue, excluded: g.excluded }),
    };
    return { group: g.group, n: g.n, share: g.share, excluded: g.exclusionReason ?? null, ai: null, aiHold: null, aiReject: null, human, scoring: null };
  });
  return {
    connectionId: "default",
    postingId: postingTitle.toLowerCase().replaceAll(" ", "-"),
    postingTitle,
    stageId: "applicant-new",
    stage: "moving past New applicant",
    firstDecision: true,
    measures: ["human"],
    dimension: "sex",
    total: r.total,
    unknown: r.unknown,
    undecided: null,
    missing: {},
    rows,
  };
}

describe("charts and search in the console", { skip: browserSkip() }, () => {
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

  async function noSidewaysScroll(page: Page, where: string): Promise<void> {
    const { scroll, inner } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
    assert.ok(scroll <= inner, `${where} is ${scroll} px wide in a ${inner} px window`);
  }

  before(async () => {
    server = await startConsoleServer("console-charts");
    running = server.running;
    url = running.url;
    await createUser(running.ctx.db, { email: "auditor@example.com", name: "Ava Auditor", role: "auditor", password: PASSWORD }, COST);
    // One real application through the sandbox, so the screening workflow runs and is audited.
    const sandbox = running.sandbox!;
    const posting = [...sandbox.state.postings.values()].find((p) => p.state === "published" && p.content.lists.length > 0)!;
    sandbox.actions.applyToPosting(posting.id, {
      name: "Zora Searchable",
      email: "zora@example.net",
      resume: { name: "resume.txt", contentType: "text/plain", bytes: resumeFor(posting.content) },
    });
    const deadline = Date.now() + 90_000;
    for (;;) {
      const { rows } = await running.ctx.db.query(
        "select 1 from workflow_runs r join audit_records a on a.trace_id = r.trace_id where r.context->'opportunity'->>'name' = 'Zora Searchable' limit 1",
      );
      if (rows.length) break;
      if (Date.now() > deadline) throw new Error("timed out waiting for Zora's screening run");
      await new Promise((r) => setTimeout(r, 200));
    }
    browser = await launchBrowser();
  });

  after(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await server?.stop();
  });

  it("draws rates as bars with the four-fifths line; a group of one with p = 1.000 is 'too little data', a large skewed sample is flagged", async () => {
    const small = tableOf("Tiny role", [...people(30, 1, "Male"), ...people(1, 0, "Female")]);
    const large = tableOf("Busy role", [...people(400, 240, "Male"), ...people(400, 120, "Female")]);
    assert.equal(small.rows.find((r) => r.group === "Female")!.human!.pValue!.toFixed(3), "1.000");
    const report: FairnessReport = {
      available: true,
      notes: [],
      labels: {
        dimensions: { sex: "sex", race: "race/ethnicity", intersection: "sex × race/ethnicity" },
        measures: [{ key: "human", label: "Human decision", explain: "share moved on by a person." }],
      },
      stages: [{ id: "applicant-new", label: "moving past New applicant", firstDecision: true }],
      tables: [small, large],
    };
    for (const viewport of SIZES) {
      const page = await pageAs("auditor@example.com", viewport);
      // The page is real; only its data is this fixture, so the figures are known.
      await page.route("**/console/api/fairness", (route) => route.fulfill({ json: report }));
      await page.goto(`${url}/fairness`);
      const tiny = page.getByRole("region", { name: "Tiny role, moving past New applicant, by sex" });
      const busy = page.getByRole("region", { name: "Busy role, moving past New applicant, by sex" });
      await busy.waitFor();
      const status = page.getByRole("status").filter({ hasText: "four-fifths" });
      assert.match(await status.innerText(), /^1 group result below the four-fifths line with enough data to mean something/);
      assert.match(await status.innerText(), /1 more is below the line but with too little data/);

      const lonely = tiny.getByRole("listitem").filter({ hasText: "Female" });
      assert.match(await lonely.innerText(), /0\/1 · 0\.0%/);
      assert.match(await lonely.innerText(), /Too little data \(1 person\)/);
      assert.doesNotMatch(await lonely.innerText(), /⚑|Below 0\.8/);
      const skewed = busy.getByRole("listitem").filter({ hasText: "Female" });
      assert.match(await skewed.innerText(), /⚑ Below 0\.8: ratio 0\.50, p < 0\.001, Fisher's exact test/);
      assert.match(await busy.locator("figcaption").innerText(), /four-fifths line at 48\.0% \(0\.8 × the highest rate, 60\.0%\)/);
      // The dashed line sits at 0.8 × 60 % of the track.
      const [track, line] = [await busy.locator(".rb-track").first().boundingBox(), await busy.locator(".rb-line").first().boundingBox()];
      assert.ok(track && line && Math.abs(line.x - (track.x + 0.48 * track.width)) <= 2, `line at 48 %: ${JSON.stringify({ track, line })}`);

      // Exact figures stay one click away, in a real table.
      const table = busy.getByRole("table");
      assert.equal(await table.isVisible(), false);
      await busy.getByText("Show table").click();
      await table.waitFor();
      assert.match(await table.getByRole("row").filter({ hasText: "Female" }).innerText(), /120\/400 \(30\.0%\)\s+0\.50 below 0\.8/);
      await tiny.getByText("Show table").click();
      assert.match(await tiny.getByRole("row").filter({ hasText: "Female" }).innerText(), /too little data/);

      await noSidewaysScroll(page, `the fairness page at ${viewport.width} px`);
      assert.deepEqual(await seriousAxeViolations(page), [], `fairness at ${viewport.width} px`);
    }
  });

  it("searches the audit trail by a candidate's name and a workflow, says whom the name matched, and names a bad date", async () => {
    for (const viewport of SIZES) {
      const page = await pageAs("auditor@example.com", viewport);
      await page.goto(`${url}/audit`);
      const form = page.getByRole("search", { name: "Search the audit trail" });
      await form.getByLabel("Candidate", { exact: true }).fill("zora search");
      await form.getByRole("combobox", { name: /^Workflow/ }).selectOption("application-screening");
      const today = new Date().toISOString().slice(0, 10);
      await form.getByLabel("From", { exact: true }).fill(today);
      await form.getByLabel("To (included)").fill(today);
      const button = form.getByRole("button", { name: "Search" });
      const box = await button.boundingBox();
      assert.ok(box && box.x >= 0 && box.x + box.width <= viewport.width, `the Search button is in view at ${viewport.width} px`);
      await button.click();
      const heading = page.getByRole("heading", { name: /^\d+ records?$/ });
      await heading.waitFor();
      assert.ok(Number((await heading.innerText()).split(" ")[0]) >= 1, "Zora's screening is found");
      await page.getByText("Matched candidates Zora Searchable (1 application); workflow application-screening (1 run).").waitFor();
      await page
        .getByRole("heading", { name: /^run\.started/ })
        .first()
        .waitFor();
      const params = new URL(page.url()).searchParams;
      assert.deepEqual(
        [params.get("candidate"), params.get("workflow"), params.get("from")],
        ["zora search", "application-screening", today],
        "the search is in the address, to share",
      );
      await noSidewaysScroll(page, `audit results at ${viewport.width} px`);
      assert.deepEqual(await seriousAxeViolations(page), [], `audit at ${viewport.width} px`);

      await form.getByLabel("Candidate", { exact: true }).fill("Nobody Like This");
      await button.click();
      await page.getByText("Matched no candidate of that name; workflow application-screening (1 run).").waitFor();
      await page.getByRole("heading", { name: "0 records" }).waitFor();

      await page.goto(`${url}/audit?from=last%20week`);
      assert.match(await page.getByRole("alert").innerText(), /from: "last week" is not a date; use YYYY-MM-DD/);
    }
  });
});
