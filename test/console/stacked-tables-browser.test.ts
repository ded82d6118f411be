/**
 * Wide tables on a phone, in Chromium against the whole service on the built-in sandbox: at 360 px
 * the tables of runs, events, workflows, fairness, doctor results, webhook health and users show
 * each row as a card whose cells carry their column's name, no page scrolls sideways (the audit
 * trail and scheduling included), the rows are still a table to assistive technology and axe finds
 * nothing serious; at desktop width the same tables keep their columns.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { type RunningServer } from "../../src/cli/commands/serve.ts";
import { listProposals } from "../../src/engine/proposals/index.ts";
import { createUser } from "../../src/server/console/index.ts";
import { browserSkip, launchBrowser, seriousAxeViolations, signInThroughPage, waitFor } from "../support/console-browser.ts";
import { startConsoleServer, type ConsoleServer } from "../support/console-server.ts";
import { resumeFor } from "../workflows/harness.ts";

const COST = { N: 1024, r: 8, p: 1 };
const PASSWORD = "a long test password";
const PHONE = { width: 360, height: 740 };
const DESKTOP = { width: 1360, height: 900 };

/** Each page with a wide table, how to make its table appear, and the columns one of its rows must be labelled with. */
const TABLE_PAGES: { path: string; heading: string | RegExp; show?: (page: Page) => Promise<void>; labels: string[] }[] = [
  { path: "/runs", heading: "Events and runs", labels: ["Run", "Candidate", "Posting", "Workflow", "Status", "Started"] },
  { path: "/workflows", heading: "Workflows", labels: ["Workflow", "Enabled", "Mode", "Trigger"] },
  { path: "/users", heading: "Users", labels: ["E-mail", "Role", "Postings", "Last sign-in", "State"] },
  {
    path: "/settings",
    heading: "Connections and settings",
    show: async (page) => {
      await page
        .getByRole("button", { name: /^Run doctor/ })
        .first()
        .click();
      await page.locator("table caption", { hasText: "Doctor results" }).first().waitFor({ timeout: 30_000 });
    },
    labels: ["Check", "Result", "Detail"],
  },
  {
    path: "/fairness",
    heading: "Fairness",
    show: async (page) => {
      await page.locator("summary", { hasText: "Show table" }).first().click();
    },
    labels: ["n (share)"],
  },
];

/** What the first body row of each visible table looks like: how it is laid out and the label drawn beside each cell. */
function firstRows(page: Page) {
  return page.evaluate(() =>
    [...document.querySelectorAll("main table")]
      .filter((t) => (t as HTMLElement).offsetParent !== null && t.querySelector("tbody tr"))
      .map((t) => {
        const tr = t.querySelector("tbody tr")!;
        const box = tr.getBoundingClientRect();
        return {
          caption: t.querySelector("caption")?.textContent ?? t.closest("section")?.querySelector("h2")?.textContent ?? "",
          stacked: t.classList.contains("stacked"),
          rowDisplay: getComputedStyle(tr).display,
          headVisible: (t.querySelector("thead") as HTMLElement | null)?.getBoundingClientRect().height ?? 0,
          rowLeft: box.left,
          rowRight: box.right,
          cells: [...tr.querySelectorAll("td")].map((td) => {
            const before = getComputedStyle(td, "::before");
            return {
              label: td.getAttribute("data-label"),
              drawn: before.content,
              left: td.getBoundingClientRect().left,
              right: td.getBoundingClientRect().right,
              paddingLeft: Number.parseFloat(getComputedStyle(td).paddingLeft),
            };
          }),
        };
      }),
  );
}

describe("wide tables on a phone", { skip: browserSkip() }, () => {
  let running: RunningServer;
  let server: ConsoleServer;
  let browser: Browser;
  let url: string;
  let adminId: string;
  const contexts: BrowserContext[] = [];

  async function pageAs(email: string, viewport: { width: number; height: number }): Promise<Page> {
    const context = await browser.newContext({ bypassCSP: true, viewport });
    contexts.push(context);
    const page = await context.newPage();
    await signInThroughPage(page, url, email, PASSWORD);
    return page;
  }

  async function open(page: Page, path: string, heading: string | RegExp): Promise<void> {
    await page.goto(url + path);
    await page.getByRole("heading", { name: heading, level: 1 }).first().waitFor();
    await page.waitForLoadState("networkidle");
  }

  async function assertNoSidewaysScroll(page: Page, where: string): Promise<void> {
    const { scroll, inner } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
    assert.ok(scroll <= inner, `${where} is ${scroll} px wide in a ${inner} px window`);
  }

  before(async () => {
    server = await startConsoleServer("stacked-tables");
    running = server.running;
    url = running.url;
    const db = running.ctx.db;
    // Screening in assist, so the candidate's proposals wait in the inbox.
    await db.query("insert into workflow_settings (workflow_id, mode, updated_by) values ('application-screening', 'assist', 'user:admin@example.com')");
    const sandbox = running.sandbox!;
    const posting = [...sandbox.state.postings.values()].find((p) => p.state === "published" && p.content.lists.length > 0)!;
    adminId = (await createUser(db, { email: "admin@example.com", name: "Ada Admin", role: "admin", password: PASSWORD }, COST)).id;
    // A hiring manager with a posting, so the Users table has a row whose postings column says something.
    await createUser(db, { email: "manager@example.com", role: "hiring_manager", password: PASSWORD, postingIds: [posting.id] }, COST);
    const opportunityId = sandbox.actions.applyToPosting(posting.id, {
      name: "Stella Stacked",
      email: "stella@example.net",
      resume: { name: "resume.txt", contentType: "text/plain", bytes: resumeFor(posting.content) },
    }).opportunityId;
    await waitFor("a screening proposal", async () => (await listProposals(db, { limit: 1000 })).some((p) => p.opportunityId === opportunityId), 90_000);
    browser = await launchBrowser();
  });

  after(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await server?.stop();
  });

  it("stacks each wide table's rows into cards labelled by column at 360 px, with no sideways scroll and axe-clean", async () => {
    const page = await pageAs("admin@example.com", PHONE);
    for (const { path, heading, show, labels } of TABLE_PAGES) {
      await open(page, path, heading);
      await show?.(page);
      const tables = await firstRows(page);
      assert.ok(tables.length > 0, `${path} shows a table`);
      for (const t of tables) {
        const where = `${path}, table "${t.caption}"`;
        assert.ok(t.stacked, `${where} stacks on a phone`);
        assert.equal(t.rowDisplay, "block", `${where}: a row is a card`);
        assert.ok(t.headVisible <= 1, `${where}: the header row is hidden from sight (kept for screen readers)`);
        assert.ok(t.rowLeft >= 0 && t.rowRight <= PHONE.width, `${where}: the card fits the window (${t.rowLeft}–${t.rowRight})`);
        for (const c of t.cells) {
          assert.ok(c.right <= PHONE.width + 0.5, `${where}: the cell labelled ${c.label} fits the window`);
          if (c.label === null) continue;
          // The label is drawn from data-label, with empty alternative text for screen readers.
          assert.match(c.drawn, new RegExp(`^attr\\(data-label\\)|^"${c.label.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}"`), `${where}: ${c.label} is drawn`);
          assert.ok(c.paddingLeft > 40, `${where}: ${c.label}'s value sits beside its label`);
        }
      }
      const shown = tables.flatMap((t) => t.cells.map((c) => c.label));
      for (const label of labels) assert.ok(shown.includes(label), `${path}: a row is labelled ${label} (labels: ${shown.join(", ")})`);
      // Visible to a person: the label's text is in the rendered card (Chromium lays out ::before content).
      const firstLabelled = page.locator("main table.stacked tbody tr td[data-label]").first();
      const text = await firstLabelled.evaluate((td) => ({ label: td.getAttribute("data-label"), before: getComputedStyle(td, "::before").width }));
      assert.ok(Number.parseFloat(text.before) > 0, `${path}: the label ${text.label} takes room beside its value`);
      await assertNoSidewaysScroll(page, `${path} at 360 px`);
      assert.deepEqual(await seriousAxeViolations(page), [], `${path} at 360 px`);
    }
    for (const [path, heading] of [
      ["/", /Welcome|You are on/],
      ["/proposals", /Proposals/],
      ["/scheduling", /Scheduling|Interviews/],
      [`/audit?user=${adminId}`, "Audit trail"],
    ] as const) {
      await open(page, path, heading);
      await assertNoSidewaysScroll(page, `${path} at 360 px`);
    }
  });

  it("keeps a stacked row a row of cells to assistive technology", async () => {
    const page = await pageAs("admin@example.com", PHONE);
    await open(page, "/runs", "Events and runs");
    await page.locator("main table.stacked tbody tr").first().waitFor();
    const cdp = await page.context().newCDPSession(page);
    const { nodes } = (await cdp.send("Accessibility.getFullAXTree")) as { nodes: { role?: { value?: string }; name?: { value?: string } }[] };
    const roles = nodes.map((n) => n.role?.value);
    assert.ok(roles.includes("table"), "a table");
    assert.ok(roles.includes("row"), "rows");
    assert.ok(roles.includes("cell") || roles.includes("gridcell"), "cells");
    assert.ok(roles.includes("columnheader"), `column headers, though hidden from sight (roles: ${[...new Set(roles)].join(", ")})`);
    // The drawn label is not read out as well: no cell's name starts with its column's name twice.
    const cell = nodes.find((n) => (n.role?.value === "cell" || n.role?.value === "gridcell") && /Stella Stacked/.test(n.name?.value ?? ""));
    assert.ok(cell, "the candidate's cell");
    assert.doesNotMatch(cell.name?.value ?? "", /Candidate/, "the cell is named by its value, not its drawn label");
  });

  it("keeps a short inbox's list as tall as its rows on a phone, so the chosen card follows close below", async () => {
    const page = await pageAs("admin@example.com", PHONE);
    await open(page, "/proposals", "Proposals");
    await page.getByRole("list", { name: "Proposals" }).getByText("Stella Stacked").first().waitFor();
    const { list, rows } = await page.evaluate(() => ({
      list: document.querySelector(".vlist")!.getBoundingClientRect().height,
      rows: document.querySelectorAll(".vrow").length,
    }));
    assert.equal(rows, 1, "one card in the inbox");
    assert.ok(list <= 64 + 1, `the list is ${list} px tall for one row of 64 px`);
    assert.deepEqual(await seriousAxeViolations(page), []);
  });

  it("keeps the columns at desktop width", async () => {
    const page = await pageAs("admin@example.com", DESKTOP);
    for (const { path, heading, show } of TABLE_PAGES) {
      await open(page, path, heading);
      await show?.(page);
      for (const t of await firstRows(page)) {
        assert.equal(t.rowDisplay, "table-row", `${path}, table "${t.caption}": a row is a table row`);
        assert.ok(t.headVisible > 10, `${path}, table "${t.caption}": the header row shows`);
        for (const c of t.cells) assert.equal(c.drawn, "none", `${path}: no drawn label at desktop width`);
      }
    }
  });
});
