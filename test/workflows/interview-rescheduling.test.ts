/**
 * Re-planning a booked panel end to end through the engine: the interview-scheduling workflow books
 * an approved option into the sandbox's Google Calendar imitation and the Lever sandbox; an
 * interviewer declines in their calendar; the calendar watcher stores the change; the
 * interview-rescheduling workflow re-plans it (the seat goes to someone else in the pool at the
 * same time), escalates because the interview is near, and audits both; approving the re-booking
 * patches the event, updates the candidate's invite (same UID, next SEQUENCE) and replaces the
 * Lever panel. Real parts: the database, job queue and inbox, the sandboxes, an SMTP sink.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { listProposals } from "../../src/engine/proposals/index.ts";
import { createCalendarWatch } from "../../src/engine/runs/calendar-watch.ts";
import { startCalendarSandbox, startSandbox, type CalendarSandbox } from "../../src/sandbox/index.ts";
import { startSmtpSink, type SmtpSink } from "../../src/scheduling/booking/testing.ts";
import { testEngines } from "../../src/store/testing.ts";
import { resumeFor, startHarness, type Harness } from "./harness.ts";

const [engine] = await testEngines();
const POSTING = "Senior Backend Engineer, Payments";

describe("a decline in the calendar re-plans and re-books the panel through the engine", { skip: engine!.skip }, () => {
  let h: Harness;
  let cal: CalendarSandbox;
  let smtp: SmtpSink;
  let dir: string;
  let pool: { id: string; email: string; name: string }[];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "fulcrum-resched-"));
    smtp = await startSmtpSink();
    // The harness's Lever sandbox (seed 3) has these people; their calendars are in the imitation.
    const probe = await startSandbox({ port: 0, seed: 3, rateLimit: false, candidates: 12 });
    const users = [...probe.state.users.values()].filter((u) => u.deactivatedAt === null && u.email && u.accessRole !== "super admin");
    pool = users.slice(0, 3).map((u) => ({ id: u.id, email: u.email.toLowerCase(), name: u.name }));
    await probe.close();
    cal = await startCalendarSandbox({ seed: 4, demo: false, people: pool });
    const google = cal.googleConnection({ domains: [pool[0]!.email.split("@")[1]!] });
    const configFile = join(dir, "fulcrum.config.yaml");
    writeFileSync(
      configFile,
      [
        `calendars: ${JSON.stringify({ connections: [google] })}`,
        "scheduling:",
        "  panels:",
        `    - posting: ${POSTING}`,
        "      stage: On-site Interview",
        "      sessions:",
        `        - { title: Technical, minutes: 60, need: 2, pool: [${pool.map((p) => p.email).join(", ")}] }`,
        "",
      ].join("\n"),
    );
    // The workflow's escalateTo reads env:FULCRUM_COORDINATOR_EMAIL from the process's environment.
    process.env.FULCRUM_COORDINATOR_EMAIL = "coordinator@example.com";
    h = await startHarness(engine!.kind, {
      env: {
        FULCRUM_CONFIG: configFile,
        FULCRUM_DATA_DIR: dir,
        FULCRUM_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
        FULCRUM_SMTP_FROM: "Recruiting <recruiting@example.com>",
        FULCRUM_SMTP_REQUIRE_TLS: "false",
      },
    });
  });
  after(async () => {
    delete process.env.FULCRUM_COORDINATOR_EMAIL;
    await h?.close();
    await cal?.close();
    await smtp?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("fills the declined seat, escalates the near interview, audits the decisions, and on approval patches the event, the invite and the Lever panel", async () => {
    const posting = [...h.sandbox.state.postings.values()].find((p) => p.text === POSTING)!;
    const email = "rosa.resched@mail.example";
    const { opportunityId } = h.sandbox.actions.applyToPosting(posting.id, {
      name: "Rosa Resched",
      email,
      resume: { name: "cv.txt", contentType: "text/plain", bytes: resumeFor(posting.content) },
    });
    await h.deliver(["applicationCreated"]);
    await h.settle();
    h.sandbox.actions.moveStage(opportunityId, h.sandbox.state.stages.find((s) => s.text === "On-site Interview")!.id);
    await h.deliver(["candidateStageChange"]);
    await h.settle(60_000);
    const proposals = async (workflowId: string) => (await listProposals(h.t.db, { workflowId, limit: 100 })).filter((p) => p.opportunityId === opportunityId);
    const book = (await proposals("interview-scheduling")).find((p) => p.stepId === "book");
    assert.ok(book, `a booking proposal: ${JSON.stringify((await proposals("interview-scheduling")).map((p) => [p.stepId, p.action.message]))}`);
    await h.runtime.engine.decideProposal(book.id, { actor: "user:coordinator", decision: "approve" });
    await h.settle(60_000);

    const mine = () => [...cal.store.events.values()].filter((e) => e.status === "confirmed" && e.title.includes("Rosa Resched"));
    assert.equal(mine().length, 1, "one event for the one session");
    const event = mine()[0]!;
    const seated = [event.organizer, ...event.attendees.map((a) => a.email)];
    const free = pool.find((p) => !seated.includes(p.email))!;
    const decliner = event.attendees[0]!.email;
    const panels = () => [...h.sandbox.state.panels.values()].filter((p) => p.opportunityId === opportunityId && p.canceledAt === null);
    assert.equal(panels().length, 1);
    const panelId = panels()[0]!.id;
    const invites = () => smtp.inbox.filter((m) => m.to.includes(email) && m.raw.includes("METHOD:REQUEST"));
    assert.equal(invites().length, 1);

    // The interviewer declines in their calendar; the watcher sees it on its next read.
    cal.respond(event.id, decliner, "declined");
    const watch = createCalendarWatch({ db: h.t.db, inbox: h.inbox, calendars: h.config.calendars! });
    const read = await watch.runOnce();
    assert.equal(read.stored, 1, JSON.stringify(read));
    await h.settle(60_000);

    const rebook = (await proposals("interview-rescheduling")).find((p) => p.stepId === "rebook");
    assert.ok(rebook, `a re-booking waits for a person: ${JSON.stringify(await proposals("interview-rescheduling"))}`);
    assert.equal(rebook.status, "pending");
    // The trail stores each record's subject and data together.
    const audit = await h.t.db.query<{ kind: string; opportunity_id: string; data: Record<string, any> }>(
      "select kind, opportunity_id, data->'data' as data from audit_records where kind like 'scheduling.%' order by seq",
    );
    const replanned = audit.rows.find((r) => r.kind === "scheduling.replanned");
    assert.ok(replanned, "the re-plan decision is audited");
    assert.equal(replanned.opportunity_id, opportunityId);
    assert.equal(replanned.data.change.kind, "declined");
    assert.equal(replanned.data.change.attendee, decliner);
    assert.equal(replanned.data.feasible, true);
    // Booked for the first free day, so the change lands within 48 hours: the coordinator is told.
    const escalated = audit.rows.find((r) => r.kind === "scheduling.escalated");
    if (replanned.data.escalate) {
      assert.ok(escalated, "the escalation is audited");
      assert.deepEqual([escalated.data.channel, escalated.data.sent], ["email", true], JSON.stringify(escalated.data));
      assert.ok(!JSON.stringify(escalated.data).includes("coordinator@example.com"), "the audit names the channel, not the address");
      assert.ok(smtp.inbox.some((m) => m.to.includes("coordinator@example.com")));
    } else assert.equal(escalated, undefined);
    assert.ok(!JSON.stringify(audit.rows).includes(email), "the candidate's address is not in the audit data");

    await h.runtime.engine.decideProposal(rebook.id, { actor: "user:coordinator", decision: "approve" });
    await h.settle(60_000);
    const after = mine();
    assert.equal(after.length, 1, "the event was patched, not made again");
    assert.equal(after[0]!.id, event.id);
    const now = [after[0]!.organizer, ...after[0]!.attendees.map((a) => a.email)];
    assert.ok(now.includes(free.email) && !now.includes(decliner), `the seat went to ${free.email}: ${now.join(", ")}`);
    assert.equal(after[0]!.start, event.start, "same time");
    const updated = invites();
    assert.equal(updated.length, 2, "the candidate's invite was updated");
    assert.match(updated[1]!.raw.replace(/=\r\n/g, ""), /SEQUENCE:1/);
    assert.equal(panels().length, 1);
    const panel = panels()[0]!;
    assert.equal(panel.id, panelId, "the Lever panel was replaced in place (PUT)");
    const ids = panel.interviews.flatMap((i) => i.interviewers.map((x) => x.id));
    assert.ok(ids.includes(free.id) && !ids.includes(pool.find((p) => p.email === decliner)!.id), JSON.stringify(ids));
  });
});
