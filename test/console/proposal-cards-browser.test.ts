/**
 * Proposals that lead with the decision, in Chromium against the whole service on the built-in
 * sandbox: a screened candidate's note, tags and stage move are one card with the recommendation,
 * the score against the workflow's bar and why a person is needed; the actions stay in view while
 * the evidence scrolls, at desktop and 360 px; all of them are approved at once after a
 * confirmation that says what will happen. An interview-analysis proposal shows its transcript
 * beside the question list, with times that jump the transcript and open the player there.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { type RunningServer } from "../../src/cli/commands/serve.ts";
import { listProposals } from "../../src/engine/proposals/index.ts";
import { createUser } from "../../src/server/console/index.ts";
import { seedInterviewRun, seedScreeningRun } from "../../src/server/console/inbox-testing.ts";
import { browserSkip, launchBrowser, seriousAxeViolations, signInThroughPage, waitFor } from "../support/console-browser.ts";
import { startConsoleServer, type ConsoleServer } from "../support/console-server.ts";

const COST = { N: 1024, r: 8, p: 1 };
const PASSWORD = "a long test password";
const DESKTOP = { width: 1360, height: 900 };
const PHONE = { width: 360, height: 740 };

describe("proposals as decision cards, and interview transcripts, in Chromium", { skip: browserSkip() }, () => {
  let running: RunningServer;
  let server: ConsoleServer;
  let browser: Browser;
  let url: string;
  const opp: Record<string, string> = {};
  let interview: Awaited<ReturnType<typeof seedInterviewRun>>;
  const contexts: BrowserContext[] = [];

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

  async function noSidewaysScroll(page: Page, where: string): Promise<void> {
    const { scroll, inner } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
    if (scroll <= inner) return;
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

  /** True when the element's box lies wholly inside the window. */
  async function inView(page: Page, name: string): Promise<boolean> {
    const box = await page.getByRole("button", { name, exact: true }).boundingBox();
    const height = page.viewportSize()!.height;
    return !!box && box.y >= 0 && box.y + box.height <= height;
  }

  const pendingOf = async (opportunityId: string) => (await listProposals(running.ctx.db, { limit: 1000 })).filter((p) => p.opportunityId === opportunityId);

  before(async () => {
    server = await startConsoleServer("console-cards");
    running = server.running;
    url = running.url;
    const db = running.ctx.db;
    const sandbox = running.sandbox!;
    const posting = [...sandbox.state.postings.values()].find((p) => p.state === "published" && p.content.lists.length > 0)!;
    await createUser(db, { email: "recruiter@example.com", name: "Rex Recruiter", role: "recruiter", password: PASSWORD }, COST);
    // Screening runs whose note, tags and stage move all wait for a person, stored as the engine stores them.
    for (const [key, name] of [
      ["kim", "Kim Card"],
      ["lee", "Lee Phone"],
    ] as const) {
      opp[key] = `opp-${key}`;
      await seedScreeningRun(db, {
        candidateName: name,
        opportunityId: opp[key],
        posting: { id: posting.id, text: posting.text },
        score: 86,
        recommendation: "advance",
        confidence: 0.9,
      });
    }
    // A recorded interview analysed from the platform's transcript, its note waiting for a person.
    interview = await seedInterviewRun(db, {
      candidateName: "Raj Interview",
      opportunityId: "opp-raj",
      posting: { id: posting.id, text: posting.text },
      playerUrl: "https://player.willo.example/v/123",
    });
    browser = await launchBrowser();
  });

  after(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await server?.stop();
  });

  for (const viewport of [DESKTOP, PHONE]) {
    it(`leads with the decision and keeps the actions in view at ${viewport.width} px`, async () => {
      const page = await pageAs("recruiter@example.com", viewport);
      await page.goto(`${url}/proposals`);
      const list = page.getByRole("list", { name: "Proposals" });
      // One row per candidate and run, with the recommendation and the score against the bar.
      const row = list.getByRole("button", { name: /Lee Phone/ });
      await row.waitFor();
      assert.equal(await row.count(), 1, "the run's three proposals are one row");
      assert.match(await row.innerText(), /Advance · \d+ \/ bar 75 · 3 actions/);
      await row.click();
      await page.getByRole("heading", { name: "Lee Phone" }).waitFor();
      const decision = page.getByRole("region", { name: "Decision" });
      await decision.getByText("Recommends").waitFor();
      const gauge = decision.getByRole("img", { name: /^Score \d+ of 100; the bar is 75 \(the workflow's advance bar\), so it is at or above the bar$/ });
      await gauge.waitFor();
      await decision
        .getByRole("list", { name: "Why a person is needed" })
        .getByText("The workflow runs in assist mode: each action waits for a person.")
        .waitFor();
      const actions = decision.getByRole("list", { name: "The 3 actions of this run" });
      assert.equal(await actions.getByRole("listitem").count(), 3);
      await page.getByRole("button", { name: "Approve all 3" }).waitFor();
      assert.ok(await inView(page, "Approve"), "Approve is in view when the card opens");
      // Scrolling down to the evidence keeps the actions in view.
      await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
      assert.ok(await inView(page, "Approve"), "Approve stays in view below the evidence");
      assert.ok(await inView(page, "Reject"), "Reject stays in view below the evidence");
      assert.deepEqual(await seriousAxeViolations(page), []);
      await noSidewaysScroll(page, `a proposal card at ${viewport.width} px`);
    });
  }

  it("approves all of a card's actions at once after saying what they will do, from the keyboard", async () => {
    const page = await pageAs("recruiter@example.com");
    const note = (await pendingOf(opp.kim!)).find((p) => p.kind === "lever.note")!;
    await page.goto(`${url}/proposals/${note.id}`);
    await page.getByRole("heading", { name: "Kim Card" }).waitFor();
    await page.getByRole("button", { name: "Approve all 3" }).waitFor();
    await page.keyboard.press("Shift+A");
    const dialog = page.getByRole("dialog", { name: "Approve all 3 actions for Kim Card" });
    await dialog.waitFor();
    await dialog.getByText("Fulcrum will then do each of these in Lever").waitFor();
    assert.equal(await dialog.getByRole("listitem").count(), 3);
    assert.deepEqual(await seriousAxeViolations(page), []);
    await dialog.getByRole("button", { name: "Approve 3" }).click();
    // Each decision is recorded as the recruiter's (what the engine then does with the seeded run is not this test's subject).
    await waitFor("all three decided", async () => (await pendingOf(opp.kim!)).every((p) => p.status !== "pending" && p.decidedBy?.startsWith("user:")));
  });

  for (const viewport of [DESKTOP, PHONE]) {
    it(`shows an interview's transcript beside its questions, with times that jump to the moment, at ${viewport.width} px`, async () => {
      const page = await pageAs("recruiter@example.com", viewport);
      await page.goto(`${url}/proposals/${interview.proposalId}`);
      await page.getByRole("heading", { name: "Raj Interview" }).waitFor();
      const section = page.getByRole("region", { name: "Interview transcript and questions" });
      await section.waitFor();
      const questions = section.getByRole("list", { name: "Questions" });
      await questions.waitFor();
      assert.equal(await questions.getByRole("listitem").count(), interview.analysis.questions.length);
      const notAsked = interview.analysis.questions.filter((q) => !q.asked).length;
      assert.equal(await questions.getByText("Not asked", { exact: true }).count(), notAsked);
      const transcript = section.getByRole("list", { name: "Transcript, answers marked" });
      assert.equal(await transcript.getByRole("listitem").count(), interview.transcript.segments.length);
      assert.ok((await transcript.locator("mark").count()) > 0, "answer quotes are marked in the transcript");
      await section.getByRole("heading", { name: "Interviewer check", exact: true }).waitFor();
      // The last answer's time: the transcript scrolls to that segment and focuses it.
      const answered = interview.analysis.questions.map((q, i) => ({ q, n: i + 1 })).filter(({ q }) => q.answer);
      const last = answered.at(-1)!;
      await section.getByRole("button", { name: new RegExp(`^Answer to question ${last.n} at `) }).click();
      const focused = await waitFor("the segment in focus", async () => page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.index));
      const segment = interview.transcript.segments[Number(focused)]!;
      assert.ok(segment.end > last.q.answer!.start && segment.start <= last.q.answer!.start + 0.001, `segment ${focused} holds the answer's start`);
      const box = await transcript.locator(`[data-index="${focused}"]`).boundingBox();
      assert.ok(box && box.y >= 0 && box.y < viewport.height, "the segment is in view");
      // With a player URL, times open the recording at that moment.
      const play = section
        .getByRole("link", {
          name: `Play the recording from ${Math.floor(last.q.answer!.start / 60)}:${String(Math.floor(last.q.answer!.start % 60)).padStart(2, "0")}`,
        })
        .first();
      assert.equal(await play.getAttribute("href"), `https://player.willo.example/v/123?t=${Math.floor(last.q.answer!.start)}`);
      assert.deepEqual(await seriousAxeViolations(page), []);
      await noSidewaysScroll(page, `an interview proposal at ${viewport.width} px`);
    });
  }

  it("reads the inbox a page of cards at a time as the list scrolls, and opens a proposal beyond the pages read", async () => {
    const db = running.ctx.db;
    const posting = [...running.sandbox!.state.postings.values()].find((p) => p.state === "published")!;
    // More runs than one page holds (100 cards), already decided: they list under Approved only.
    for (let i = 0; i < 130; i++) {
      await seedScreeningRun(db, {
        candidateName: `Many ${String(i).padStart(3, "0")}`,
        opportunityId: `opp-many-${i}`,
        posting: { id: posting.id, text: posting.text },
        score: 61,
        recommendation: "hold",
        confidence: 0.6,
      });
    }
    await db.query("update proposals set status = 'approved' where opportunity_id like 'opp-many-%'");
    const total = Number((await db.query<{ n: string }>("select count(*) as n from proposals where status = 'approved'")).rows[0]!.n);
    const page = await pageAs("recruiter@example.com");
    const reads: URL[] = [];
    page.on("request", (r) => {
      if (r.url().includes("/console/api/proposal-cards")) reads.push(new URL(r.url()));
    });
    await page.goto(`${url}/proposals?status=approved`);
    await page.getByText(`${total} proposals`, { exact: true }).waitFor();
    const first = reads.find((u) => u.searchParams.get("status") === "approved")!;
    assert.equal(first.searchParams.get("limit"), "100");
    assert.equal(first.searchParams.get("before"), null);
    assert.ok((await page.locator(".vrow").count()) < 40, "the list stays windowed");
    const oldest = page.locator(".prow-title", { hasText: "Many 000" });
    for (let i = 0; i < 40 && !(await oldest.count()); i++) {
      await page.locator(".vlist").evaluate((el) => {
        el.scrollTop = el.scrollHeight;
      });
      await page.waitForTimeout(150);
    }
    await oldest.waitFor();
    assert.ok(
      reads.some((u) => u.searchParams.get("before")),
      "the next page was read with the cursor",
    );
    // A proposal the inbox has not read (another tab's, the oldest) still opens from its address.
    const id = (await db.query<{ id: string }>("select min(id) as id from proposals where opportunity_id = 'opp-many-0'")).rows[0]!.id;
    const direct = await pageAs("recruiter@example.com");
    await direct.goto(`${url}/proposals/${id}`);
    await direct.getByRole("heading", { name: "Many 000", level: 2 }).waitFor();
  });
});
