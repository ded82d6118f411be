/**
 * The console's scheduling views in Chromium against the whole service: a scheduling proposal's day
 * timeline (each interviewer's working hours and blocking events, the proposed sessions, the other
 * options), picking another option or editing the times — by keyboard, recorded as the proposal's
 * edit with who chose it — and the Scheduling page listing upcoming panels with their state, in the
 * viewer's time zone; axe-clean at desktop size and on a 360 px phone, never scrolling sideways.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { type RunningServer } from "../../src/cli/commands/serve.ts";
import { createUser } from "../../src/server/console/index.ts";
import { seedSchedulingProposal } from "../../src/server/console/scheduling-testing.ts";
import { createBookingStore, createReminderStore } from "../../src/store/index.ts";
import { browserSkip, launchBrowser, seriousAxeViolations, signInThroughPage } from "../support/console-browser.ts";
import { startConsoleServer, type ConsoleServer } from "../support/console-server.ts";

const COST = { N: 1024, r: 8, p: 1 };
const PASSWORD = "a long test password";
const DESKTOP = { width: 1360, height: 900 };
const PHONE = { width: 360, height: 740 };
const VIEWER_ZONE = "America/New_York";
const ZONE = "Europe/Lisbon";
const users = [
  { id: "u-hm", name: "Hana Manager", email: "hana@example.com" },
  { id: "u-a", name: "Ana Alves", email: "ana@example.com" },
  { id: "u-b", name: "Ben Brandt", email: "ben@example.com" },
];
const panel = {
  panels: [
    {
      stage: "On-site Interview",
      sessions: [
        { title: "System design", minutes: 60, pool: ["u-a", "u-b"] },
        { title: "Hiring manager", minutes: 30, pool: ["hiringManager"] },
      ],
    },
  ],
};

describe("scheduling in the console", { skip: browserSkip() }, () => {
  let running: RunningServer;
  let server: ConsoleServer;
  let browser: Browser;
  let url: string;
  let recruiterId: string;
  const seeded: Record<string, Awaited<ReturnType<typeof seedSchedulingProposal>>> = {};
  const contexts: BrowserContext[] = [];

  async function pageAs(email: string, viewport: { width: number; height: number }): Promise<Page> {
    const context = await browser.newContext({ bypassCSP: true, viewport, timezoneId: VIEWER_ZONE });
    contexts.push(context);
    const page = await context.newPage();
    await signInThroughPage(page, url, email, PASSWORD);
    return page;
  }

  async function noSidewaysScroll(page: Page, where: string): Promise<void> {
    const { scroll, inner } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
    assert.ok(scroll <= inner, `${where} is ${scroll} px wide in a ${inner} px window`);
  }

  async function decision(proposalId: string) {
    for (let i = 0; i < 100; i++) {
      const { rows } = await running.ctx.db.query<{ actor: string; decision: string; edits: { booking?: { sessions: { start: string }[] } } | null }>(
        "select actor, decision, edits from proposal_decisions where proposal_id = $1",
        [proposalId],
      );
      if (rows[0]) return rows[0];
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`no decision on proposal ${proposalId}`);
  }

  before(async () => {
    server = await startConsoleServer("console-scheduling");
    running = server.running;
    url = running.url;
    const db = running.ctx.db;
    recruiterId = (await createUser(db, { email: "recruiter@example.com", name: "Rex Recruiter", role: "recruiter", password: PASSWORD }, COST)).id;
    const now = Date.now();
    const base = { users, panel, zone: ZONE, now, posting: { id: "p-sched", text: "Platform Engineer", hiringManager: "u-hm" } };
    // Ana is in sprint planning and on a tentative hold every morning; Ben is out of office on the first day.
    const firstDays = Array.from({ length: 9 }, (_, i) => new Date(now + (i + 1) * 86_400_000).toISOString().slice(0, 10));
    const items = {
      "u-a": firstDays.flatMap((d) => [
        { start: `${d}T08:00:00Z`, end: `${d}T09:30:00Z`, status: "busy" as const, title: "Sprint planning" },
        { start: `${d}T10:00:00Z`, end: `${d}T10:30:00Z`, status: "tentative" as const },
      ]),
      "u-b": [{ start: firstDays[0]!, end: firstDays[1]!, status: "oof" as const, allDay: true, title: "Out of office" }],
    };
    for (const [key, name] of [
      ["pick", "Pia Picked"],
      ["edit", "Eddie Edited"],
    ] as const) {
      seeded[key] = await seedSchedulingProposal(db, { ...base, items, candidateName: name, opportunityId: `opp-${key}` });
    }
    const away = {
      start: new Date(now - 7 * 86_400_000).toISOString().slice(0, 10),
      end: new Date(now + 40 * 86_400_000).toISOString().slice(0, 10),
      status: "oof" as const,
      allDay: true,
      title: "Leave",
    };
    seeded.none = await seedSchedulingProposal(db, {
      ...base,
      items: { "u-a": [away], "u-b": [away] },
      candidateName: "Nina Nofit",
      opportunityId: "opp-none",
    });
    // Rita's panel is booked and her 24 h reminder went out: the Scheduling page lists it.
    seeded.remind = await seedSchedulingProposal(db, { ...base, items, candidateName: "Rita Reminded", opportunityId: "opp-remind" });
    const { rows } = await db.query<{ booking: { panelKey: string; opportunityId: string; sessions: { start: string }[] } }>(
      "select action->'booking' as booking from proposals where id = $1",
      [seeded.remind.proposalId],
    );
    const booking = rows[0]!.booking;
    const bookings = createBookingStore(db);
    await bookings.hold(
      { panelKey: booking.panelKey, connectionId: "default", opportunityId: booking.opportunityId, paramsHash: "remind", params: booking },
      [],
    );
    await bookings.setStatus(booking.panelKey, "booked");
    await createReminderStore(db).claim({
      panelKey: booking.panelKey,
      audience: "candidate",
      offsetMinutes: 1440,
      start: booking.sessions[0]!.start,
      recipients: 1,
    });
    browser = await launchBrowser();
  });

  after(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await server?.stop();
  });

  it("shows a proposal's day timeline and books another option picked by keyboard, recorded as the recruiter's edit", async () => {
    const page = await pageAs("recruiter@example.com", DESKTOP);
    await page.goto(`${url}/proposals/${seeded.pick!.proposalId}`);
    const section = page.getByRole("region", { name: "Interview times" });
    await section.waitFor();
    await section.getByText(`your time zone (${VIEWER_ZONE})`).waitFor();
    const ana = section.getByRole("list", { name: "Ana Alves's day" });
    await ana.waitFor();
    assert.ok((await ana.getByText(/^working hours \d\d:\d\d–\d\d:\d\d$/).count()) >= 1, "working hours are drawn");
    assert.ok((await ana.getByText(/^busy \d\d:\d\d–\d\d:\d\d: Sprint planning$/).count()) >= 1, "a busy block with its title");
    assert.ok((await ana.getByText(/^tentative \d\d:\d\d–\d\d:\d\d$/).count()) >= 1, "a tentative hold without a title");
    assert.ok(
      (await section.getByText(/^Option 1: System design \d\d:\d\d–\d\d:\d\d$/).count()) >= 1,
      "the proposed session on the panel row and its interviewers' rows",
    );
    assert.deepEqual(await seriousAxeViolations(page), []);

    // Keyboard only: focus option 2's button, show it, then book it.
    const show2 = section.getByRole("listitem").filter({ hasText: "Option 2" }).getByRole("button", { name: "Show on the timeline" });
    await show2.focus();
    await page.keyboard.press("Enter");
    await section.getByRole("button", { name: "Book option 2" }).waitFor();
    assert.equal(await section.getByRole("listitem").filter({ hasText: "Option 2" }).getByRole("button", { pressed: true }).count(), 1);
    await section.getByRole("button", { name: "Book option 2" }).focus();
    await page.keyboard.press("Enter");
    const d = await decision(seeded.pick!.proposalId);
    assert.equal(d.actor, `user:${recruiterId}`);
    assert.equal(d.decision, "approve");
    assert.deepEqual(d.edits?.booking, seeded.pick!.proposal.options[1]!.booking, "option 2 became the booking");
  });

  it("on a 360 px phone, edits an option's times and books them, with the timeline and list fitting the screen", async () => {
    const page = await pageAs("recruiter@example.com", PHONE);
    await page.goto(`${url}/proposals/${seeded.edit!.proposalId}`);
    const section = page.getByRole("region", { name: "Interview times" });
    await section.getByRole("list", { name: "Ben Brandt's day" }).waitFor();
    await noSidewaysScroll(page, "a scheduling proposal at 360 px");
    assert.deepEqual(await seriousAxeViolations(page), []);
    await section.getByRole("button", { name: "Edit times of option 1" }).click();
    const first = seeded.edit!.proposal.options[0]!.booking.sessions[0]!;
    const later = new Date(Date.parse(first.start) + 3600_000);
    const pad = (n: number) => String(n).padStart(2, "0");
    // The input is in the viewer's zone: the same instant written in New York time.
    const parts = Object.fromEntries(
      new Intl.DateTimeFormat("en-CA", {
        timeZone: VIEWER_ZONE,
        year: "numeric",
        month: "2-digit",
        day: "2-digit",
        hour: "2-digit",
        minute: "2-digit",
        hourCycle: "h23",
      })
        .formatToParts(later)
        .map((p) => [p.type, p.value]),
    );
    await section.getByLabel("System design starts").fill(`${parts.year}-${parts.month}-${parts.day}T${pad(Number(parts.hour))}:${parts.minute}`);
    await section.getByRole("button", { name: "Book option 1 with these times" }).click();
    const d = await decision(seeded.edit!.proposalId);
    assert.equal(d.edits?.booking?.sessions[0]!.start, later.toISOString());
    await noSidewaysScroll(page, "the edited proposal at 360 px");
  });

  for (const viewport of [DESKTOP, PHONE]) {
    it(`lists upcoming panels with their state, times in the viewer's zone and interviewers by name at ${viewport.width} px`, async () => {
      const page = await pageAs("recruiter@example.com", viewport);
      await page.goto(`${url}/scheduling`);
      await page.getByRole("heading", { name: "Scheduling", level: 1 }).waitFor();
      const list = page.getByRole("list", { name: "Interview panels" });
      await list.waitFor();
      const nina = list.getByRole("listitem").filter({ hasText: "Nina Nofit" }).first();
      await nina.getByText("escalated to a person").waitFor();
      await nina.getByText("No time yet.").waitFor();
      const eddie = list.getByRole("listitem").filter({ hasText: "Eddie Edited" }).first();
      await eddie.getByText(/^(being booked|booking failed|booked)$/).waitFor();
      assert.match(await eddie.innerText(), /System design, \w{3} \d{1,2} \w{3} \d\d:\d\d–\d\d:\d\d: (Ana Alves|Ben Brandt)/);
      await page.getByText(`Times in your time zone (${VIEWER_ZONE}).`).waitFor();
      const rita = list.getByRole("listitem").filter({ hasText: "Rita Reminded" }).first();
      const reminders = rita.getByRole("region", { name: "Reminders" });
      await reminders.waitFor();
      assert.match(await reminders.innerText(), /sent candidate, \w{3} \d{1,2} \w{3} \d\d:\d\d/);
      assert.equal(
        await list.getByRole("listitem").filter({ hasText: "Nina Nofit" }).first().getByRole("region", { name: "Reminders" }).count(),
        0,
        "no reminders for a panel not booked",
      );
      assert.deepEqual(await seriousAxeViolations(page), []);
      await noSidewaysScroll(page, `the Scheduling page at ${viewport.width} px`);
      // Keyboard: filter to the escalated ones, then open one.
      await page.getByLabel("State").selectOption("escalated");
      assert.equal(await list.getByRole("listitem").filter({ hasText: "Eddie Edited" }).count(), 0);
      await list.getByRole("link", { name: "Nina Nofit" }).focus();
      await page.keyboard.press("Enter");
      await page.waitForURL(`${url}/proposals/${seeded.none!.proposalId}`);
      await page
        .getByRole("region", { name: "Interview times" })
        .getByText(/^Nothing fits: no time in the window/)
        .waitFor();
    });
  }
});
