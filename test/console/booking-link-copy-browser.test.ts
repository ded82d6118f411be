/**
 * "Copy link" in Chromium against the whole service: a scheduling proposal whose run made the
 * candidate a self-scheduling link for the coordinator to send (`selfSchedule: link`) offers the
 * link without showing it; a click fetches it (audited), puts it on the clipboard and shows it for
 * copying by hand. Axe-clean at desktop and phone size, never scrolling sideways.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Browser, BrowserContext } from "playwright-core";
import { startServer, type RunningServer } from "../../src/cli/commands/serve.ts";
import { loadConfig } from "../../src/config/index.ts";
import { createSecretBox, loadSecretKey } from "../../src/engine/index.ts";
import { silentLogger } from "../../src/observability/index.ts";
import { linkTokenContext } from "../../src/scheduling/index.ts";
import { createUser } from "../../src/server/console/index.ts";
import { seedSchedulingProposal } from "../../src/server/console/scheduling-testing.ts";
import { createBookingLinkStore } from "../../src/store/index.ts";
import { browserSkip, launchBrowser, seriousAxeViolations, signInThroughPage } from "../support/console-browser.ts";
import { buildConsole, consoleIsStale } from "../../scripts/build-web.ts";
import { onFreePort } from "../../test/support/free-port.ts";

const COST = { N: 1024, r: 8, p: 1 };
const PASSWORD = "a long test password";
const users = [
  { id: "u-hm", name: "Hana Manager", email: "hana@example.com" },
  { id: "u-a", name: "Ana Alves", email: "ana@example.com" },
];
const panel = { panels: [{ stage: "On-site Interview", sessions: [{ title: "System design", minutes: 60, pool: ["u-a"] }] }] };

describe("copying a candidate's booking link in the console", { skip: browserSkip() }, () => {
  let running: RunningServer;
  let browser: Browser;
  let dataDir: string;
  let proposalId: string;
  let token: string;
  const contexts: BrowserContext[] = [];

  before(async () => {
    if (consoleIsStale()) await buildConsole();
    dataDir = mkdtempSync(join(tmpdir(), "fulcrum-console-link-"));
    const configOn = (port: number) =>
      loadConfig({
        FULCRUM_DATA_DIR: dataDir,
        PORT: String(port),
        FULCRUM_SANDBOX_PORT: "0",
        FULCRUM_LOG_LEVEL: "silent",
        FULCRUM_SECRET_KEY: randomBytes(32).toString("hex"),
        FULCRUM_PUBLIC_URL: `http://127.0.0.1:${port}`,
      });
    let config!: ReturnType<typeof loadConfig>;
    running = await onFreePort((port) => {
      config = configOn(port);
      return startServer({ config, logger: silentLogger });
    });
    const db = running.ctx.db;
    await createUser(db, { email: "recruiter@example.com", name: "Rex Recruiter", role: "recruiter", password: PASSWORD }, COST);
    const seeded = await seedSchedulingProposal(db, {
      users,
      panel,
      zone: "Europe/Lisbon",
      now: Date.now(),
      candidateName: "Lina Link",
      opportunityId: "opp-link",
      posting: { id: "p-link", text: "Platform Engineer", hiringManager: "u-hm" },
    });
    proposalId = seeded.proposalId;
    // The link scheduling.propose makes in link mode: sealed with the service's key, named in the step's output.
    const requestKey = seeded.proposal.booking!.panelKey;
    const box = createSecretBox(loadSecretKey(config).key);
    token = (
      await createBookingLinkStore(db).create({
        connectionId: "default",
        opportunityId: "opp-link",
        requestKey,
        request: { opportunityId: "opp-link" },
        expiresAt: new Date(Date.now() + 7 * 86_400_000),
        seal: (t) => box.seal(t, linkTokenContext("default", requestKey)),
      })
    ).token!;
    await db.query("update workflow_steps set output = output || jsonb_build_object('selfSchedule', $2::jsonb) where run_id = $1 and step_id = 'propose'", [
      seeded.runId,
      JSON.stringify({ mode: "link", link: { connectionId: "default", requestKey } }),
    ]);
    browser = await launchBrowser();
  });

  after(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await running?.stop({ timeoutMs: 2000 });
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  for (const viewport of [
    { width: 1360, height: 900 },
    { width: 360, height: 740 },
  ]) {
    it(`offers the link without showing it, and copies it on request, audited, at ${viewport.width} px`, async () => {
      const context = await browser.newContext({ bypassCSP: true, viewport });
      contexts.push(context);
      await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: running.url });
      const page = await context.newPage();
      await signInThroughPage(page, running.url, "recruiter@example.com", PASSWORD);
      await page.goto(`${running.url}/proposals/${proposalId}`);
      const button = page.getByRole("button", { name: "Copy link" });
      await button.waitFor();
      assert.ok(!(await page.content()).includes(token), "the page holds no link before it is asked for");
      assert.deepEqual(await seriousAxeViolations(page), []);

      const before = await running.ctx.db.query<{ n: number }>("select count(*)::int as n from audit_records where kind = 'scheduling.link_revealed'");
      await button.click();
      const shown = page.getByRole("textbox", { name: "The candidate's booking link" });
      await shown.waitFor();
      const url = await shown.inputValue();
      assert.equal(url, `${running.url}/book/${token}`);
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()), url, "the link is on the clipboard");
      await page.getByText("Copied: paste it into your message to the candidate.").waitFor();
      assert.deepEqual(await seriousAxeViolations(page), []);
      const revealed = await running.ctx.db.query<{ n: number }>("select count(*)::int as n from audit_records where kind = 'scheduling.link_revealed'");
      assert.equal(revealed.rows[0]!.n, before.rows[0]!.n + 1, "each reveal is audited");
      assert.ok(await createBookingLinkStore(running.ctx.db).find(url.split("/").at(-1)!, new Date()), "the copied link is the candidate's");
      const { scroll, inner } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
      assert.ok(scroll <= inner, `the proposal is ${scroll} px wide in a ${inner} px window`);
    });
  }
});
