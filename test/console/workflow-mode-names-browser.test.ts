/**
 * Who chose a workflow's mode reads as a person, in Chromium against the whole service on the
 * built-in sandbox: the mode of each action, on the Workflows list and on a workflow's page, names
 * the person who set it ("set by Ada Admin"), never the recorded `user:<id>`.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Browser } from "playwright-core";
import { type RunningServer } from "../../src/cli/commands/serve.ts";
import { createUser } from "../../src/server/console/index.ts";
import { browserSkip, launchBrowser, seriousAxeViolations, signInThroughPage } from "../support/console-browser.ts";
import { startConsoleServer, type ConsoleServer } from "../support/console-server.ts";

const COST = { N: 1024, r: 8, p: 1 };
const PASSWORD = "a long test password";

describe("the person who set a workflow's mode, by name", { skip: browserSkip() }, () => {
  let running: RunningServer;
  let server: ConsoleServer;
  let browser: Browser;
  let adminId: string;

  before(async () => {
    server = await startConsoleServer("mode-names");
    running = server.running;
    const db = running.ctx.db;
    adminId = (await createUser(db, { email: "admin@example.com", name: "Ada Admin", role: "admin", password: PASSWORD }, COST)).id;
    await createUser(db, { email: "recruiter@example.com", name: "Rex Recruiter", role: "recruiter", password: PASSWORD }, COST);
    // As the console records a person's choice: the actor is the account's id.
    await db.query("insert into workflow_settings (workflow_id, mode, updated_by) values ('application-screening', 'assist', $1)", [`user:${adminId}`]);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  for (const [email, viewport] of [
    ["admin@example.com", { width: 1360, height: 900 }],
    ["recruiter@example.com", { width: 360, height: 740 }],
  ] as const) {
    it(`names the person on the Workflows list and a workflow's page (${email.split("@")[0]}, ${viewport.width} px)`, async () => {
      const context = await browser.newContext({ bypassCSP: true, viewport });
      try {
        const page = await context.newPage();
        await signInThroughPage(page, running.url, email, PASSWORD);
        for (const path of ["/workflows", "/workflows/application-screening"]) {
          await page.goto(running.url + path);
          const modes = page.getByRole("list", { name: "Mode of each action of Application screening" });
          await modes.getByText("set by Ada Admin").first().waitFor();
          assert.equal(await page.getByText(`user:${adminId}`).count(), 0, `${path} shows no recorded user id`);
          assert.deepEqual(await seriousAxeViolations(page), [], path);
        }
      } finally {
        await context.close();
      }
    });
  }
});
