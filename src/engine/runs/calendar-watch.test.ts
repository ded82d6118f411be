/**
 * The calendar watcher and the `scheduling.replan` task against real parts: Radicale (CalDAV), the
 * inbox on the database with pg-boss, the Lever sandbox, an SMTP sink for the coordinator's e-mail.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import ICAL from "ical.js";
import { DateTime } from "luxon";
import { schedulingConfigSchema } from "../../config/index.ts";
import { createLeverClient, type PanelInput } from "../../lever/index.ts";
import { startSandbox, type Sandbox } from "../../sandbox/index.ts";
import { bookPanel, businessDays, parseBookingParams } from "../../scheduling/index.ts";
import { hasRadicale, openProviders, radicaleCalendars, startRadicale, startSmtpSink, type Radicale, type SmtpSink } from "../../scheduling/booking/testing.ts";
import { createDatabaseWriteLedger } from "../../store/index.ts";
import { openTestDatabase, testEngines, type TestDatabase } from "../../store/testing.ts";
import { createInbox, type Inbox } from "../inbox/index.ts";
import { createJobQueue, type JobQueue } from "../queue/index.ts";
import { leverGateway } from "../steps/lever-gateway.ts";
import { schedulingReplanTask } from "../steps/tasks/scheduling-replan.ts";
import { createCalendarWatch, pollCron, requestReschedule } from "./calendar-watch.ts";
import { createNotifier } from "./runtime.ts";
import type { TaskInput } from "../ports.ts";

// PGlite only: the booking tests cover PostgreSQL's locks; here the inbox and the task are the subject.
const engines = (await testEngines()).slice(0, 1);
const skip = hasRadicale ? false : "radicale is not installed (Debian package `radicale`)";
const ZONE = "Europe/Berlin";
const AUTH = `Basic ${Buffer.from("alice:wonderland").toString("base64")}`;

describe("pollCron", () => {
  it("turns calendars.pollSeconds into a schedule at minute granularity", () => {
    assert.equal(pollCron(300), "*/5 * * * *");
    assert.equal(pollCron(60), "* * * * *");
    assert.equal(pollCron(90), "*/2 * * * *");
    assert.equal(pollCron(7200), "0 */2 * * *");
  });
});

describe("calendar changes to booked panels, end to end", { skip }, () => {
  let sandbox: Sandbox;
  let radicale: Radicale;
  let smtp: SmtpSink;
  let adminId: string;
  const people: { leverUserId: string; email: string; name: string; calendarUrl: string }[] = [];
  let opportunity: string;
  const day = businessDays(Date.now(), ZONE, 12)[6]!;

  before(async () => {
    sandbox = await startSandbox({ seed: 17, rateLimit: false, candidates: 10 });
    radicale = await startRadicale();
    smtp = await startSmtpSink();
    const users = [...sandbox.state.users.values()].filter((u) => u.deactivatedAt === null);
    adminId = users.find((u) => u.accessRole === "super admin")!.id;
    for (const [n, u] of users.slice(0, 3).entries())
      people.push({ leverUserId: u.id, email: u.email.toLowerCase(), name: u.name, calendarUrl: await radicale.makeCalendar(`w${n}`) });
    opportunity = [...sandbox.state.opportunities.values()].find((o) => o.applications.length > 0)!.id;
  });
  after(async () => {
    radicale?.stop();
    await smtp?.close();
    await sandbox?.close();
  });

  for (const engine of engines) {
    describe(`on ${engine.kind}`, { skip: engine.skip }, () => {
      let t: TestDatabase;
      let queue: JobQueue;
      let inbox: Inbox;
      before(async () => {
        t = await openTestDatabase(engine.kind);
        queue = createJobQueue({ db: t.db, superviseIntervalSeconds: 1 });
        await queue.start();
        inbox = createInbox({ db: t.db, queue, retryLimit: 1, retryDelaySeconds: 1 });
        await inbox.start();
      });
      after(async () => {
        await queue?.stop({ graceful: false, timeoutMs: 1000 });
        await t?.drop();
      });

      it("a decline becomes one inbox event however often it is read; a re-plan near the interview with nobody free e-mails the coordinator the conflict, once", async () => {
        const calendars = radicaleCalendars(
          radicale.url,
          people.map((p) => ({ ...p, timezone: ZONE })),
        );
        const providers = openProviders(calendars);
        const client = createLeverClient({
          baseUrl: sandbox.url,
          auth: { kind: "apiKey", apiKey: sandbox.apiKey },
          connectionId: "default",
          performAs: adminId,
          ledger: createDatabaseWriteLedger(t.db),
          retryBaseMs: 5,
          retryMaxMs: 50,
        });
        const smtpSettings = {
          host: "127.0.0.1",
          port: smtp.port,
          secure: false,
          requireTls: false,
          allowSelfSigned: false,
          from: "Fulcrum <fulcrum@example.com>",
        };
        const at = (hhmm: string) => DateTime.fromISO(`${day.toISODate()}T${hhmm}`, { zone: ZONE }).toUTC().toISO()!;
        const who = (n: number) => ({ leverUserId: people[n]!.leverUserId, email: people[n]!.email, name: people[n]!.name });
        const b = parseBookingParams({
          opportunityId: opportunity,
          stageId: "stage-onsite",
          panelKey: `${opportunity}:onsite`,
          candidate: { name: "Casey Candidate", email: "casey@mail.example", timezone: ZONE },
          sessions: [{ id: "tech", title: "Technical", start: at("11:00"), end: at("12:00"), interviewers: [who(0), who(1)] }],
        });
        await bookPanel(b, {
          db: t.db,
          connectionId: "default",
          lever: { createPanel: (o, p, k) => client.createPanel(o, p as unknown as PanelInput, k), addNote: (o, n, k) => client.addNote(o, n, k) },
          calendars,
          providers,
          smtp: smtpSettings,
        });
        const watch = createCalendarWatch({ db: t.db, inbox, calendars, providers });
        assert.deepEqual(await watch.runOnce(), { changes: 0, stored: 0, problems: [], released: 0 });

        // Person 1 declines in the organiser's (person 0's) copy of the event.
        const [href] = await radicale.objects(people[0]!.calendarUrl);
        const root = new ICAL.Component(ICAL.parse(await (await fetch(`${radicale.url}${href}`, { headers: { authorization: AUTH } })).text()));
        root
          .getFirstSubcomponent("vevent")!
          .getAllProperties("attendee")
          .find((a) => String(a.getFirstValue()).toLowerCase() === `mailto:${people[1]!.email}`)!
          .setParameter("partstat", "DECLINED");
        await (
          await fetch(`${radicale.url}${href}`, { method: "PUT", body: root.toString(), headers: { authorization: AUTH, "content-type": "text/calendar" } })
        ).body?.cancel();

        assert.deepEqual(await watch.runOnce(), { changes: 1, stored: 1, problems: [], released: 0 });
        // A crash before the cursor and the decline were kept: the same change is read again, and stored once.
        await t.db.query("delete from scheduling_change_cursors");
        await t.db.query("update scheduling_bookings set events = jsonb_set(events, array[$1::text, 'declined'], '[]'::jsonb)", [`${b.panelKey}:tech`]);
        assert.deepEqual(await watch.runOnce(), { changes: 1, stored: 0, problems: [], released: 0 });
        const { rows } = await t.db.query<{ event: string; payload: Record<string, unknown> }>(
          "select event, payload from inbox_events where source = 'calendar'",
        );
        assert.equal(rows.length, 1);
        assert.equal(rows[0]!.event, "interviewer.declined");
        assert.equal(rows[0]!.payload.attendee, people[1]!.email);

        // The re-plan, a day before the interview, with nobody else in the pool: the coordinator hears now.
        const scheduling = schedulingConfigSchema.parse({
          panels: [{ stage: "stage-onsite", sessions: [{ id: "tech", title: "Technical", minutes: 60, need: 2, pool: [people[0]!.email, people[1]!.email] }] }],
        });
        const task = schedulingReplanTask({
          calendars,
          scheduling,
          notify: createNotifier({ smtp: smtpSettings }),
          now: () => Date.parse(b.sessions[0]!.start) - 24 * 3_600_000,
        });
        const gateway = leverGateway(client);
        const input = {
          with: { escalateTo: { channel: "email", to: "coordinator@example.com" } },
          context: {},
          fetch: async () => ({ opportunity: await gateway.getOpportunity(opportunity), stages: [{ id: "stage-onsite", text: "On-site" }] }),
          ai: undefined,
          lever: gateway,
          traceId: "t1",
          event: rows[0]!.payload,
          connectionId: "default",
          dryRun: false,
          db: t.db,
          startWorkflow: async () => null,
        } as unknown as TaskInput;
        const before = smtp.inbox.length;
        const out = await task(input);
        assert.equal(out.escalate, true, JSON.stringify(out));
        assert.deepEqual(out.escalated, { channel: "email", sent: true });
        const mail = smtp.inbox.slice(before);
        assert.equal(mail.length, 1);
        assert.deepEqual(mail[0]!.to, ["coordinator@example.com"]);
        const text = mail[0]!.raw.replace(/=\r\n/g, "");
        assert.ok(text.includes(`${people[1]!.name} (${people[1]!.email}) declined Technical`), text);
        assert.match(text, /starts in 24 hours/);
        assert.ok(!text.includes("casey@mail.example"), "the candidate's address is not sent to the coordinator");
        const state = await t.db.query<{ state: string }>("select state from scheduling_bookings where panel_key = $1", [b.panelKey]);
        assert.equal(state.rows[0]!.state, "escalated");

        await task(input);
        assert.equal(smtp.inbox.length, before + 1, "a retried re-plan does not e-mail again");

        // The candidate asks to move (fulcrum schedule reschedule): one event per booked panel, once.
        assert.deepEqual(await requestReschedule({ db: t.db, inbox }, "default", opportunity, "travelling"), [b.panelKey]);
        await requestReschedule({ db: t.db, inbox }, "default", opportunity, "travelling");
        const asked = await t.db.query<{ payload: Record<string, unknown> }>("select payload from inbox_events where event = 'candidate.reschedule'");
        assert.equal(asked.rows.length, 1);
        assert.equal(asked.rows[0]!.payload.reason, "travelling");
        assert.deepEqual(await requestReschedule({ db: t.db, inbox }, "default", "no-such-opportunity"), []);
      });
    });
  }
});
