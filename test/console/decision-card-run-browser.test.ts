/**
 * One decision per candidate and run, made by the engine itself: `fulcrum serve` on the built-in
 * sandbox with the screening in assist, a real application screened, and in Chromium one card for
 * the candidate holding the run's note, tags and stage move, all waiting together; "Approve all"
 * sends them to Lever in the workflow's order.
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
const DESKTOP = { width: 1360, height: 900 };
const PHONE = { width: 360, height: 740 };

describe("a screened candidate's actions as one decision card, in Chromium", { skip: browserSkip() }, () => {
  let running: RunningServer;
  let server: ConsoleServer;
  let browser: Browser;
  let url: string;
  const contexts: BrowserContext[] = [];
  const opp: Record<string, string> = {};

  async function pageAs(email: string, viewport = DESKTOP): Promise<Page> {
    const context = await browser.newContext({ bypassCSP: true, viewport });
    contexts.push(context);
    const page = await context.newPage();
    page.on("dialog", (d) => {
      throw new Error(`a script opened a dialog: ${d.message()}`);
    });
    await signInThroughPage(page, url, email, PASSWORD);
    return page;
  }

  const proposalsOf = async (opportunityId: string) =>
    (await listProposals(running.ctx.db, { workflowId: "application-screening", limit: 1000 }))
      .filter((p) => p.opportunityId === opportunityId)
      .sort((a, b) => a.id - b.id);

  before(async () => {
    server = await startConsoleServer("console-run-card");
    running = server.running;
    url = running.url;
    const db = running.ctx.db;
    await db.query("insert into workflow_settings (workflow_id, mode, updated_by) values ('application-screening', 'assist', 'user:admin@example.com')");
    await createUser(db, { email: "recruiter@example.com", name: "Rex Recruiter", role: "recruiter", password: PASSWORD }, COST);
    const sandbox = running.sandbox!;
    const posting = [...sandbox.state.postings.values()].find((p) => p.state === "published" && p.content.lists.length > 0)!;
    for (const [key, name] of [
      ["nia", "Nia Together"],
      ["oto", "Oto Together"],
    ] as const) {
      opp[key] = sandbox.actions.applyToPosting(posting.id, {
        name,
        email: `${key}@example.net`,
        resume: { name: "resume.txt", contentType: "text/plain", bytes: resumeFor(posting.content) },
      }).opportunityId;
    }
    // The engine screens each application and proposes its three actions at once.
    await waitFor(
      "each candidate's note, tags and stage move waiting together",
      async () => {
        for (const id of Object.values(opp)) {
          const mine = await proposalsOf(id);
          if (mine.map((p) => `${p.stepId}:${p.status}`).join() !== "note:pending,tags:pending,advance:pending") return false;
        }
        return true;
      },
      90_000,
    );
    browser = await launchBrowser();
  });

  after(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await server?.stop();
  });

  for (const [viewport, key, name] of [
    [DESKTOP, "nia", "Nia Together"],
    [PHONE, "oto", "Oto Together"],
  ] as const) {
    it(`shows one card with the run's three actions and approves them all at ${viewport.width} px`, async () => {
      const page = await pageAs("recruiter@example.com", viewport);
      await page.goto(`${url}/proposals`);
      const row = page.getByRole("list", { name: "Proposals" }).getByRole("button", { name: new RegExp(name) });
      await row.waitFor();
      assert.equal(await row.count(), 1, "the candidate's run is one row");
      assert.match(await row.innerText(), /3 actions/);
      await row.click();
      await page.getByRole("heading", { name }).waitFor();
      const decision = page.getByRole("region", { name: "Decision" });
      const actions = decision.getByRole("list", { name: "The 3 actions of this run" });
      await actions.waitFor();
      const items = await actions.getByRole("listitem").allInnerTexts();
      assert.equal(items.length, 3);
      assert.match(items[0]!, /Add a secret note/);
      assert.match(items[1]!, /add tags/);
      assert.match(items[2]!, /Move to stage Recruiter Screen/);
      await decision.getByText("Fulcrum carries them out in this order").waitFor();
      assert.deepEqual(await seriousAxeViolations(page), []);

      await page.getByRole("button", { name: "Approve all 3" }).click();
      const dialog = page.getByRole("dialog", { name: `Approve all 3 actions for ${name}` });
      await dialog.waitFor();
      await dialog.getByRole("button", { name: "Approve 3" }).click();
      await waitFor("the three actions applied", async () => (await proposalsOf(opp[key]!)).every((p) => p.status === "applied"), 60_000);
      const mine = await proposalsOf(opp[key]!);
      assert.ok(
        mine.every((p) => p.decidedBy?.startsWith("user:")),
        "each is the recruiter's decision",
      );
      const writes = await running.ctx.db.query<{ action: string }>(
        "select data->'data'->>'action' as action from audit_records where kind = 'lever.write' and opportunity_id = $1 order by seq",
        [opp[key]],
      );
      assert.deepEqual(
        writes.rows.map((w) => w.action),
        ["lever.note", "lever.tags", "lever.stage"],
        "Lever is written in the workflow's order",
      );
      const sandbox = running.sandbox!;
      const o = sandbox.state.opportunities.get(opp[key]!)!;
      assert.equal(sandbox.state.stages.find((s) => s.id === o.stage)?.text, "Recruiter Screen");
      assert.ok(
        o.tags.some((t) => t.startsWith("fulcrum-screen-")),
        o.tags.join(),
      );
    });
  }
});
