/**
 * The built-in interview-reminders workflow end to end through the engine: a panel is booked into
 * real calendars (Radicale) with the harness's Lever client, so the Lever sandbox gets the panel and
 * fires its interview webhooks; delivered, they arm the workflow's timers; the timers come due (the
 * reminder task reads the real clock, so the panels start within the hour); the reminder waits for a
 * person like every e-mail and, approved, reaches the SMTP sink once, with the time in the
 * candidate's zone. A panel moved by a re-booking is re-armed at its new time and never reminded for
 * the old one; a cancelled panel gets nothing. Real parts: the database (PGlite and PostgreSQL), the
 * job queue and inbox, the Lever sandbox, Radicale, an SMTP sink. Skipped when radicale is missing.
 * The workflow runs with `send: approve` (a person approves each reminder); the built-in default,
 * `send: auto`, is walked end to end in test/booking-page-demo.test.ts.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { listProposals } from "../../src/engine/proposals/index.ts";
import { TIMER_QUEUE } from "../../src/engine/runs/index.ts";
import { startSandbox } from "../../src/sandbox/index.ts";
import { bookPanel, type BookingDeps, type BookingLever } from "../../src/scheduling/booking/book-panel.ts";
import type { BookingParams } from "../../src/scheduling/booking/params.ts";
import { rebookPanel } from "../../src/scheduling/booking/rebook-panel.ts";
import { hasRadicale, openProviders, RADICALE_USER, startRadicale, startSmtpSink, type Radicale, type SmtpSink } from "../../src/scheduling/booking/testing.ts";
import { peopleTime } from "../../src/scheduling/reminders/reminders.ts";
import { createReminderStore, createSchedulingChangeStore } from "../../src/store/index.ts";
import { testEngines } from "../../src/store/testing.ts";
import { startHarness, type Harness } from "./harness.ts";

const skipAll = hasRadicale ? false : "radicale is not installed (Debian package `radicale`): interview reminders against real calendars are skipped";
const VIDEO = "https://meet.example/fulcrum-room";
const ZONE = "America/Sao_Paulo";
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** The next whole minute at least `ms` from now. */
const fromNow = (ms: number) => new Date(Math.ceil((Date.now() + ms) / MINUTE) * MINUTE).toISOString();
const plus = (iso: string, minutes: number) => new Date(Date.parse(iso) + minutes * MINUTE).toISOString();

/** A message's text with quoted-printable soft breaks and escapes undone. */
function decoded(raw: string): string {
  const bytes = raw.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return Buffer.from(bytes, "latin1").toString("utf8");
}

for (const e of await testEngines()) {
  describe(`interview reminders end to end on ${e.kind}`, { skip: skipAll || e.skip }, () => {
    let h: Harness;
    let dav: Radicale;
    let smtp: SmtpSink;
    let dir: string;
    let people: { id: string; email: string; name: string }[];
    let deps: BookingDeps;

    before(async () => {
      dir = mkdtempSync(join(tmpdir(), "fulcrum-reminders-wf-"));
      dav = await startRadicale();
      smtp = await startSmtpSink();
      // The harness's Lever sandbox (seed 3) has these people; each gets a calendar on Radicale.
      const probe = await startSandbox({ port: 0, seed: 3, rateLimit: false, candidates: 12 });
      people = [...probe.state.users.values()]
        .filter((u) => u.deactivatedAt === null && u.email && u.accessRole !== "super admin")
        .slice(0, 3)
        .map((u) => ({ id: u.id, email: u.email.toLowerCase(), name: u.name }));
      await probe.close();
      const identities = [];
      for (const [n, p] of people.entries())
        identities.push({ leverUserId: p.id, email: p.email, connection: "dav", calendarUrl: await dav.makeCalendar(`person${n}`), timezone: "Europe/Berlin" });
      const calendars = {
        connections: [{ id: "dav", provider: "caldav", serverUrl: `${dav.url}/`, username: RADICALE_USER.username, password: RADICALE_USER.password }],
        identities,
        defaultTimezone: "Europe/Berlin",
      };
      const configFile = join(dir, "fulcrum.config.yaml");
      writeFileSync(configFile, `calendars: ${JSON.stringify(calendars)}\n`);
      // A person approves every reminder here (a file with the built-in's id replaces it).
      const workflows = join(dir, "workflows");
      mkdirSync(workflows);
      const builtIn = readFileSync(new URL("../../workflows/interview-reminders.yaml", import.meta.url), "utf8");
      const approve = builtIn.replace(/^ {2}send: auto$/m, "  send: approve");
      assert.notEqual(approve, builtIn);
      writeFileSync(join(workflows, "interview-reminders.yaml"), approve);
      h = await startHarness(e.kind, {
        env: {
          FULCRUM_CONFIG: configFile,
          FULCRUM_DATA_DIR: dir,
          FULCRUM_WORKFLOWS_DIR: workflows,
          FULCRUM_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
          FULCRUM_SMTP_FROM: "Recruiting <recruiting@example.com>",
          FULCRUM_SMTP_REQUIRE_TLS: "false",
        },
        // Chosen in the console as the file suggests: e-mail waits for a person.
        workflowModes: { "interview-reminders": "assist" },
      });
      deps = {
        db: h.t.db,
        connectionId: "default",
        lever: h.client as unknown as BookingLever,
        calendars: h.config.calendars!,
        providers: openProviders(h.config.calendars!),
        smtp: { host: "127.0.0.1", port: smtp.port, secure: false, from: "Recruiting <recruiting@example.com>" },
        videoUrl: VIDEO,
      };
    });
    after(async () => {
      await h?.close();
      await smtp?.close();
      dav?.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    /** A candidate applies (so Lever has the opportunity) and a one-session video panel is booked for them. */
    async function book(name: string, start: string, interviewer: { id: string; email: string; name: string }) {
      const posting = [...h.sandbox.state.postings.values()].find((p) => p.state === "published")!;
      const email = `${name.toLowerCase().replace(/\W+/g, ".")}@mail.example`;
      const { opportunityId } = h.sandbox.actions.applyToPosting(posting.id, {
        name,
        email,
        resume: { name: "cv.txt", contentType: "text/plain", bytes: new TextEncoder().encode(`${name}\nEngineer`) },
      });
      const params: BookingParams = {
        opportunityId,
        panelKey: `${opportunityId}:video`,
        candidate: { name, email, timezone: ZONE },
        format: "video",
        sessions: [
          {
            id: "tech",
            title: "Technical",
            start,
            end: plus(start, 45),
            interviewers: [{ leverUserId: interviewer.id, email: interviewer.email, name: interviewer.name }],
          },
        ],
      };
      const result = await bookPanel(params, deps);
      assert.ok(result.panelId, "the Lever sandbox has the panel");
      return { params, opportunityId, email, panelId: result.panelId };
    }

    /** Waits until no timer job of the workflow that is due is waiting or running, then for the runs. */
    async function drain() {
      const until = Date.now() + 60_000;
      for (;;) {
        await h.settle(60_000);
        const { rows } = await h.t.db.query<{ n: number }>(
          "select count(*)::int as n from pgboss.job where name = $1 and state in ('created', 'retry', 'active') and start_after <= now() and data->>'workflowId' = 'interview-reminders'",
          [TIMER_QUEUE],
        );
        if (rows[0]!.n === 0) break;
        if (Date.now() > until) throw new Error("timers did not fire in time");
        await new Promise((r) => setTimeout(r, 100));
      }
      await h.settle(60_000);
    }

    /** Lever's interview webhooks, stored in the inbox as the webhook intake would; then the timers they arm that are due. */
    async function deliverInterviewEvents() {
      const n = await h.deliver(["interviewCreated", "interviewUpdated", "interviewDeleted"]);
      await drain();
      return n;
    }

    /** Makes every armed timer of the workflow due now (as if the clock had passed them), and lets them fire. */
    async function makeTimersDue() {
      await h.t.db.query(
        "update pgboss.job set start_after = now() where name = $1 and state in ('created', 'retry') and data->>'workflowId' = 'interview-reminders'",
        [TIMER_QUEUE],
      );
      await drain();
    }

    const reminderProposals = async (opportunityId: string) =>
      (await listProposals(h.t.db, { workflowId: "interview-reminders", limit: 500 })).filter((p) => p.opportunityId === opportunityId);
    /** Reminders that reached the sink for an address (the booking's calendar invite is not one). */
    const remindersTo = (email: string) => smtp.inbox.filter((m) => m.to.includes(email) && !/METHOD:/.test(m.raw)).map((m) => decoded(m.raw));
    /** The armed timers of the workflow for a Lever interview, as offsets in minutes before `start`. */
    const armed = async (interviewIds: string[], start: string) => {
      const { rows } = await h.t.db.query<{ fire_at: Date | string }>(
        "select fire_at from workflow_timers where workflow_id = 'interview-reminders' and split_part(key, ':', 3) = any($1::text[])",
        [interviewIds],
      );
      return rows.map((r) => (Date.parse(start) - new Date(r.fire_at).getTime()) / MINUTE).sort((a, b) => a - b);
    };
    /** The timer jobs queued for a Lever interview, as offsets in minutes before `start`. */
    const timerJobs = async (interviewIds: string[], start: string) => {
      const { rows } = await h.t.db.query<{ fire_at: string }>(
        "select data->>'fireAt' as fire_at from pgboss.job where name = $1 and data->>'workflowId' = 'interview-reminders' and split_part(data->>'key', ':', 3) = any($2::text[])",
        [TIMER_QUEUE, interviewIds],
      );
      return rows.map((r) => (Date.parse(start) - Number(r.fire_at)) / MINUTE).sort((a, b) => a - b);
    };
    const interviewsOf = (panelId: string) => h.sandbox.state.panels.get(panelId)?.interviews.map((i) => i.id) ?? [];
    const remindOutputs = async (opportunityId: string) =>
      (
        await h.t.db.query<{ output: Record<string, any> }>(
          "select s.output from workflow_steps s join workflow_runs r on r.id = s.run_id where r.workflow_id = 'interview-reminders' and r.opportunity_id = $1 and s.step_id = 'remind' and s.status = 'succeeded'",
          [opportunityId],
        )
      ).rows.map((r) => r.output);

    it("reminds the candidate once, after a person approves, with the time in their zone and the video link", async () => {
      const start = fromNow(50 * MINUTE);
      const b = await book("Rita Reminder", start, people[0]!);
      assert.equal(await deliverInterviewEvents(), 1, "one interviewCreated for the one session");
      assert.deepEqual(await armed(interviewsOf(b.panelId), start), [], "the panel is within the hour: all three timers were due and fired");

      const proposals = await reminderProposals(b.opportunityId);
      const candidate = proposals.filter((p) => p.stepId === "candidate");
      assert.equal(
        candidate.length,
        1,
        `one reminder for the candidate, however many timers fired: ${JSON.stringify(proposals.map((p) => [p.stepId, p.status]))}`,
      );
      assert.equal(candidate[0]!.status, "pending", "e-mail waits for a person");
      assert.equal(proposals.filter((p) => p.stepId === "interviewers").length, 0, "interviewers are reminded at the first offset only");
      const outputs = await remindOutputs(b.opportunityId);
      assert.equal(outputs.length, 3, "the 24 h, 3 h and 1 h timers each ran the reminder task");
      assert.equal(outputs.filter((o) => o.candidate?.due === true).length, 1);
      assert.ok(
        outputs.every((o) => o.due === true || /already sent/.test(String(o.candidate?.reason))),
        JSON.stringify(outputs.map((o) => o.candidate)),
      );
      assert.equal(remindersTo(b.email).length, 0, "nothing is sent before the approval");

      await h.runtime.engine.decideProposal(candidate[0]!.id, { actor: "user:coordinator", decision: "approve" });
      await h.settle(60_000);
      const when = peopleTime(start, plus(start, 45), ZONE);
      assert.match(when, /\(São Paulo time\)$/);
      const sent = remindersTo(b.email);
      assert.equal(sent.length, 1, "exactly one reminder reached the sink");
      // Worded from the time left when the reminder was written (the panel starts within the hour), not from the 1 h offset.
      const left = /A reminder that your interview is in (\d+) minutes: (.*)\./.exec(sent[0]!);
      assert.ok(left && Number(left[1]) <= 50 && left[2] === when, sent[0]!);
      assert.ok(sent[0]!.includes(`Join by video: ${VIDEO}`), sent[0]!);

      // Timers that come due again send nothing more.
      await makeTimersDue();
      assert.equal((await reminderProposals(b.opportunityId)).filter((p) => p.stepId === "candidate").length, 1);
      assert.equal(remindersTo(b.email).length, 1);
    });

    it("re-arms a moved interview at its new time and never reminds for the old one", async () => {
      const first = fromNow(30 * HOUR);
      const b = await book("Mo Moved", first, people[1]!);
      await deliverInterviewEvents();
      const before = interviewsOf(b.panelId);
      assert.deepEqual(await armed(before, first), [60, 180, 1440], "armed 1 h, 3 h and 24 h before the first time, none due yet");
      assert.equal((await reminderProposals(b.opportunityId)).length, 0);

      // Moved to within the hour: calendars, the invite and the Lever panel follow (Lever's PUT fires the interview webhooks).
      const moved = fromNow(50 * MINUTE);
      const next: BookingParams = { ...b.params, sessions: [{ ...b.params.sessions[0]!, start: moved, end: plus(moved, 45) }] };
      const rebooked = await rebookPanel(next, 1, deps);
      assert.equal(rebooked.panelId, b.panelId);
      assert.ok((await deliverInterviewEvents()) >= 1);
      const now = interviewsOf(b.panelId);
      assert.deepEqual(await timerJobs(now, moved), [60, 180, 1440], "armed 1 h, 3 h and 24 h before the new time");
      assert.deepEqual(await armed(now, moved), [], "all due at the new time, so they fired");

      const remind = await remindOutputs(b.opportunityId);
      assert.ok(remind.length >= 1, "the moved interview's timers ran the reminder");
      assert.ok(
        remind.every((o) => o.start === undefined || Date.parse(o.start) === Date.parse(moved)),
        `only the new time is considered: ${JSON.stringify(remind.map((o) => o.start))}`,
      );

      // The old time's timers coming due change nothing: the reminder re-reads the booking.
      await makeTimersDue();
      const all = await remindOutputs(b.opportunityId);
      assert.notDeepEqual(now, before, "Lever's full replacement of the panel made new interviews, so the old ones' timers were still armed");
      assert.equal(all.length, 6, "the old interview's three timers fired too");
      assert.ok(
        all.every((o) => o.start === undefined || Date.parse(o.start) === Date.parse(moved)),
        JSON.stringify(all.map((o) => o.start)),
      );
      const proposals = (await reminderProposals(b.opportunityId)).filter((p) => p.stepId === "candidate");
      assert.equal(proposals.length, 1, JSON.stringify(proposals.map((p) => p.action)));
      await h.runtime.engine.decideProposal(proposals[0]!.id, { actor: "user:coordinator", decision: "approve" });
      await h.settle(60_000);
      const sent = remindersTo(b.email);
      assert.equal(sent.length, 1);
      assert.ok(sent[0]!.includes(peopleTime(moved, plus(moved, 45), ZONE)), sent[0]!);
      const old = peopleTime(first, plus(first, 45), ZONE);
      assert.ok(!sent[0]!.includes(old.slice(0, old.indexOf("–"))), "the old time is not in the reminder");
    });

    it("withdraws a reminder waiting for approval when its panel is moved or cancelled: it can no longer be approved and nothing is sent", async () => {
      const start = fromNow(50 * MINUTE);
      const b = await book("Wanda Withdrawn", start, people[2]!);
      await deliverInterviewEvents();
      const first = (await reminderProposals(b.opportunityId)).filter((p) => p.stepId === "candidate");
      assert.equal(first.length, 1);
      assert.equal(first[0]!.status, "pending");

      // Moved while the reminder for the old time waits for a person.
      const moved = fromNow(40 * MINUTE);
      await rebookPanel({ ...b.params, sessions: [{ ...b.params.sessions[0]!, start: moved, end: plus(moved, 45) }] }, 1, deps);
      await assert.rejects(
        h.runtime.engine.decideProposal(first[0]!.id, { actor: "user:coordinator", decision: "approve" }),
        /withdrawn: the interview was moved/,
      );
      await h.settle(60_000);
      const old = (await reminderProposals(b.opportunityId)).find((p) => p.id === first[0]!.id)!;
      assert.equal(old.status, "expired");
      const { rows: runs } = await h.t.db.query<{ status: string }>(
        "select r.status from workflow_runs r join proposals p on p.run_id = r.id where p.id = $1",
        [old.id],
      );
      assert.equal(runs[0]!.status, "cancelled", "the run's later steps do not act on the old time either");
      const { rows: decisions } = await h.t.db.query<{ decision: string; reason: string }>(
        "select decision, reason from proposal_decisions where proposal_id = $1",
        [old.id],
      );
      assert.deepEqual(
        decisions.map((d) => d.decision),
        ["expire"],
      );
      assert.match(decisions[0]!.reason, /^withdrawn: the interview was moved/);

      // The new time's reminder, then the panel is cancelled (the self-scheduling cancel withdraws the same way).
      await deliverInterviewEvents();
      const second = (await reminderProposals(b.opportunityId)).filter((p) => p.stepId === "candidate" && p.status === "pending");
      assert.equal(second.length, 1, "the new time gets its own reminder");
      await h.client.deletePanel(b.opportunityId, b.panelId, { key: `test:cancel:${b.panelId}` });
      await createSchedulingChangeStore(h.t.db).setState(b.params.panelKey, "cancelled");
      assert.deepEqual(await createReminderStore(h.t.db).withdrawPending(b.params.panelKey, "the candidate cancelled the interview"), [second[0]!.id]);
      await assert.rejects(
        h.runtime.engine.decideProposal(second[0]!.id, { actor: "user:coordinator", decision: "approve" }),
        /withdrawn: the candidate cancelled/,
      );
      await h.settle(60_000);
      assert.ok(
        (await reminderProposals(b.opportunityId)).every((p) => p.status === "expired"),
        "nothing left to approve",
      );
      assert.equal(remindersTo(b.email).length, 0, "nothing reached the sink");
    });

    it("sends nothing for a cancelled panel, even when its timers come due", async () => {
      const start = fromNow(30 * HOUR);
      const b = await book("Cora Cancelled", start, people[2]!);
      await deliverInterviewEvents();
      assert.deepEqual(await armed(interviewsOf(b.panelId), start), [60, 180, 1440]);

      // Cancelled: the Lever panel removed and the booking marked so, as the self-scheduling cancel does.
      await h.client.deletePanel(b.opportunityId, b.panelId, { key: `test:cancel:${b.panelId}` });
      await createSchedulingChangeStore(h.t.db).setState(b.params.panelKey, "cancelled");
      await deliverInterviewEvents();
      await makeTimersDue();

      const outputs = await remindOutputs(b.opportunityId);
      assert.equal(outputs.length, 3, "each timer fired and ran the reminder task");
      assert.ok(
        outputs.every((o) => o.due === false && /cancelled/.test(String(o.reason))),
        JSON.stringify(outputs),
      );
      assert.equal((await reminderProposals(b.opportunityId)).length, 0, "no reminder proposal");
      assert.equal(remindersTo(b.email).length, 0, "nothing reached the sink");
    });
  });
}
