/**
 * Start and the pages around it as the people who use them see them, in Chromium against the whole
 * service on the built-in sandbox, at desktop and phone sizes: Start's "Waiting for a person" lists
 * one line per candidate and run (posting, recommendation, score, actions to decide) linking to the
 * card; "Simulate activity" says what it sent and a proposal then reaches the inbox; a decided
 * proposal names the person who decided it; a recruiter reads the workflows' on/off and modes as
 * text, with who can change them, instead of disabled controls.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { type RunningServer } from "../../src/cli/commands/serve.ts";
import { listProposals } from "../../src/engine/proposals/index.ts";
import { createUser } from "../../src/server/console/index.ts";
import { browserSkip, launchBrowser, seriousAxeViolations, signInThroughPage, waitFor } from "../support/console-browser.ts";
import { resumeFor } from "../workflows/harness.ts";
import { startConsoleServer, type ConsoleServer } from "../support/console-server.ts";

const COST = { N: 1024, r: 8, p: 1 };
const PASSWORD = "a long test password";
const SIZES = [
  { width: 1360, height: 900 },
  { width: 360, height: 740 },
];

describe("Start's waiting candidates, Simulate activity, deciders by name and read-only workflows", { skip: browserSkip() }, () => {
  let running: RunningServer;
  let server: ConsoleServer;
  let browser: Browser;
  let url: string;
  let adminId: string;
  let postingTitle: string;
  const opp: Record<string, string> = {};
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

  const screeningOf = async (opportunityId: string) =>
    (await listProposals(running.ctx.db, { workflowId: "application-screening", limit: 1000 }))
      .filter((p) => p.opportunityId === opportunityId)
      .sort((a, b) => a.id - b.id);

  before(async () => {
    // The demo's own activity is off (FULCRUM_SANDBOX_ACTIVITY unset in tests): only the clicks send any.
    server = await startConsoleServer("console-start-waiting");
    running = server.running;
    url = running.url;
    const db = running.ctx.db;
    adminId = (await createUser(db, { email: "admin@example.com", name: "Ada Admin", role: "admin", password: PASSWORD }, COST)).id;
    await createUser(db, { email: "recruiter@example.com", name: "Rex Recruiter", role: "recruiter", password: PASSWORD }, COST);
    await db.query("insert into workflow_settings (workflow_id, mode, updated_by) values ('application-screening', 'assist', $1)", [`user:${adminId}`]);
    const sandbox = running.sandbox!;
    const posting = [...sandbox.state.postings.values()].find((p) => p.state === "published" && p.content.lists.length > 0)!;
    postingTitle = posting.text;
    for (const [key, name] of [
      ["nia", "Nia Waiting"],
      ["oto", "Oto Waiting"],
      ["pia", "Pia Decided"],
    ] as const) {
      opp[key] = sandbox.actions.applyToPosting(posting.id, {
        name,
        email: `${key}@example.net`,
        resume: { name: "resume.txt", contentType: "text/plain", bytes: resumeFor(posting.content) },
      }).opportunityId;
    }
    await waitFor(
      "each candidate's note, tags and stage move waiting together",
      async () => {
        for (const id of Object.values(opp)) {
          if ((await screeningOf(id)).map((p) => `${p.stepId}:${p.status}`).join() !== "note:pending,tags:pending,advance:pending") return false;
        }
        return true;
      },
      90_000,
    );
    // The admin rejects Pia's note through the API, as the console does: recorded as `user:<id>`.
    const login = await fetch(`${url}/console/api/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "admin@example.com", password: PASSWORD }),
    });
    assert.equal(login.status, 200);
    const cookie = login.headers
      .getSetCookie()
      .map((c) => c.split(";")[0] ?? "")
      .join("; ");
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const note = (await screeningOf(opp.pia!))[0]!;
    const rejected = await fetch(`${url}/api/proposals/${note.id}/reject`, {
      method: "POST",
      headers: { cookie, origin: url, "x-csrf-token": csrfToken, "content-type": "application/json" },
      body: JSON.stringify({ reason: "Seen in person already" }),
    });
    assert.equal(rejected.status, 200, await rejected.text());
    // Start reads only the newest cards: `limit` counts cards, each whole (a run's proposals are not split).
    const cards = async (query: string) => fetch(`${url}/console/api/proposal-cards?${query}`, { headers: { cookie } });
    const newest = (await (await cards("status=pending&limit=1")).json()) as { cards: { proposals: unknown[] }[]; next: string | null };
    assert.deepEqual(
      newest.cards.map((c) => c.proposals.length),
      [3],
    );
    assert.ok(newest.next, "a second card waits");
    const older = (await (await cards(`status=pending&limit=1&before=${newest.next}`)).json()) as { cards: unknown[]; next: string | null };
    assert.deepEqual([older.cards.length, older.next], [1, null]);
    assert.equal((await (await cards("status=pending")).json()).cards.length, 2, "Nia's and Oto's cards wait");
    for (const bad of ["0", "10001x", "-1", "ten"]) assert.equal((await cards(`limit=${bad}`)).status, 400, `limit=${bad}`);
    browser = await launchBrowser();
  });

  after(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await server?.stop();
  });

  for (const viewport of SIZES) {
    it(`lists one line per waiting candidate on Start, with posting, score and actions, linking to the card (${viewport.width} px)`, async () => {
      const page = await pageAs("recruiter@example.com", viewport);
      const list = page.getByRole("list", { name: "Candidates waiting for a decision" });
      await list.getByRole("link", { name: "Nia Waiting" }).waitFor();
      for (const [key, name] of [
        ["nia", "Nia Waiting"],
        ["oto", "Oto Waiting"],
      ] as const) {
        const line = list.getByRole("listitem").filter({ has: page.getByRole("link", { name }) });
        assert.equal(await line.count(), 1, `${name} is one line, not one per proposal`);
        const text = await line.innerText();
        assert.ok(text.includes(postingTitle), `${name}'s line names the posting: ${text}`);
        assert.match(text, /3 actions to decide/);
        assert.match(text, /score \d+, bar \d+/);
        const note = (await screeningOf(opp[key]!))[0]!;
        assert.equal(await line.getByRole("link", { name }).getAttribute("href"), `/proposals/${note.id}`);
      }
      // Pia's note was rejected and withdrew the rest: nothing of hers waits.
      assert.equal(await list.getByRole("link", { name: "Pia Decided" }).count(), 0);
      assert.doesNotMatch(await list.innerText(), /Add a secret note/, "no raw proposal summaries");
      await list.getByRole("link", { name: "Oto Waiting" }).click();
      await page.getByRole("heading", { name: "Oto Waiting" }).waitFor();
      assert.match(page.url(), /\/proposals\/\d+$/);
      await page.goto(`${url}/`);
      await list.waitFor();
      assert.deepEqual(await seriousAxeViolations(page), []);
      await noSidewaysScroll(page, `Start at ${viewport.width} px`);
    });
  }

  for (const viewport of SIZES) {
    it(`names the person who decided a proposal, not their recorded id (${viewport.width} px)`, async () => {
      const page = await pageAs("recruiter@example.com", viewport);
      const note = (await screeningOf(opp.pia!))[0]!;
      await page.goto(`${url}/proposals/${note.id}?status=all`);
      await page.getByRole("heading", { name: "Pia Decided" }).waitFor();
      const status = page.locator("dl.facts dt", { hasText: "Status" }).locator("xpath=following-sibling::dd[1]");
      await status.getByText(/rejected by Ada Admin/).waitFor();
      assert.match(await status.innerText(), /Seen in person already/);
      assert.equal(await page.getByText(`user:${adminId}`).count(), 0, "no recorded user id on the page");
      assert.deepEqual(await seriousAxeViolations(page), []);
      await noSidewaysScroll(page, `a decided proposal at ${viewport.width} px`);
    });
  }

  for (const viewport of SIZES) {
    it(`shows a recruiter each workflow's on/off and mode as text and says admins change them, with no disabled controls (${viewport.width} px)`, async () => {
      const page = await pageAs("recruiter@example.com", viewport);
      await page.goto(`${url}/workflows`);
      const table = page.locator("table.stacked");
      const screening = table.getByRole("row").filter({ has: page.getByRole("link", { name: "Application screening" }) });
      await screening.waitFor();
      assert.match(await screening.locator("td[data-label='Mode']").innerText(), /^assist/);
      assert.match(await screening.locator("td[data-label='Enabled']").innerText(), /^(on|off)$/);
      assert.equal(await table.locator("input, select, textarea").count(), 0, "no form controls a recruiter cannot use");
      assert.equal(await page.locator("input:disabled, select:disabled").count(), 0, "no disabled controls");
      await page.getByText(/Only admins switch workflows on and off or change their modes/).waitFor();
      assert.deepEqual(await seriousAxeViolations(page), []);
      await noSidewaysScroll(page, `Workflows at ${viewport.width} px`);

      // An admin still gets the controls.
      const admin = await pageAs("admin@example.com", viewport);
      await admin.goto(`${url}/workflows`);
      await admin.getByLabel("Mode of Application screening").waitFor();
      assert.equal(await admin.getByLabel("Mode of Application screening").isEnabled(), true);
    });
  }

  for (const viewport of SIZES) {
    it(`simulates a round of activity from Start: says what was sent, and a proposal reaches the inbox (${viewport.width} px)`, async () => {
      const page = await pageAs("recruiter@example.com", viewport);
      const before = Math.max(0, ...(await listProposals(running.ctx.db, { limit: 10_000 })).map((p) => p.id));
      const button = page.getByRole("button", { name: "Simulate activity" });
      await button.click();
      const status = page.getByRole("status").filter({ hasText: /^Sent / });
      await status.waitFor({ timeout: 30_000 });
      assert.match(await status.innerText(), /^Sent 1 application, \d+ stage moves?, \d+ phone screens?\. Their webhooks arrive in a moment/);
      // The new application is screened in assist (and a move into an interview stage is scheduled): a proposal waits.
      const card = await waitFor(
        "a proposal from the simulated round",
        async () => {
          const res = await page.request.get(`${url}/console/api/proposal-cards?status=pending`);
          const { cards } = (await res.json()) as { cards: { candidateName: string | null; proposals: { id: string }[] }[] };
          return cards.find((c) => c.candidateName && c.proposals.some((p) => Number(p.id) > before));
        },
        90_000,
      );
      // Start's list updates live; the inbox shows the candidate's card.
      await page.getByRole("list", { name: "Candidates waiting for a decision" }).getByRole("link", { name: card.candidateName! }).waitFor({ timeout: 30_000 });
      await page.goto(`${url}/proposals`);
      await page
        .getByRole("list", { name: "Proposals" })
        .getByRole("button", { name: new RegExp(card.candidateName!) })
        .waitFor();
      await noSidewaysScroll(page, `the inbox at ${viewport.width} px`);
    });
  }
});
