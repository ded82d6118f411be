/**
 * The reminder task on a real database (PGlite and PostgreSQL): the booking row is what the panel
 * booker writes; the task finds it by the Lever panel of the interview whose timer fired.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { confirmAttendance, linkTokenContext } from "../../../scheduling/index.ts";
import { createBookingLinkStore, createBookingStore, createReminderStore, createSchedulingChangeStore, hashLinkToken } from "../../../store/index.ts";
import { openTestDatabase, testEngines, type TestDatabase } from "../../../store/testing.ts";
import { createSecretBox } from "../../connections/secret-box.ts";
import { StepFailure } from "../../errors.ts";
import type { LeverGateway, TaskInput } from "../../ports.ts";
import { schedulingReminderTask, type ReminderTaskSettings } from "./reminders.ts";

const START = "2027-01-12T14:30:00Z";
const params = (start = START) => ({
  opportunityId: "opp-1",
  panelKey: "opp-1:onsite:2027-01-12",
  candidate: { name: "Casey Candidate", email: "casey@mail.example", timezone: "Europe/Lisbon" },
  sessions: [
    {
      id: "hm",
      title: "Hiring manager",
      start,
      end: new Date(Date.parse(start) + 45 * 60_000).toISOString(),
      interviewers: [{ leverUserId: "u1", email: "hm@example.com" }],
    },
  ],
});

for (const engine of await testEngines()) {
  describe(`scheduling.reminder on ${engine.kind}`, { skip: engine.skip }, () => {
    let t: TestDatabase;
    let clock = 0;
    before(async () => {
      t = await openTestDatabase(engine.kind);
      const bookings = createBookingStore(t.db);
      const p = params();
      await bookings.hold({ panelKey: p.panelKey, connectionId: "default", opportunityId: p.opportunityId, paramsHash: "h", params: p }, [
        { interviewer: "hm@example.com", sessionId: "hm", start: p.sessions[0]!.start, end: p.sessions[0]!.end },
      ]);
      await bookings.recordEvent(p.panelKey, `${p.panelKey}:hm`, {
        id: "ev-1",
        connectionId: "dav",
        organizer: "hm@example.com",
        sessions: ["hm"],
        conferenceUrl: "https://meet.example/abc",
      });
      await bookings.recordPanel(p.panelKey, "panel-1");
      await bookings.setStatus(p.panelKey, "booked");
    });
    after(async () => t?.drop());

    const run = (over: Partial<TaskInput> = {}, settings: ReminderTaskSettings = {}) =>
      schedulingReminderTask({ now: () => clock, ...settings })({
        with: { offsets: "24h, 1h" },
        context: {},
        fetch: async () => ({}),
        ai: undefined,
        lever: {} as LeverGateway,
        traceId: "trace",
        event: { panelId: "panel-1", interviewId: "int-1", opportunityId: "opp-1" },
        connectionId: "default",
        dryRun: false,
        db: t.db,
        startWorkflow: async () => null,
        ...over,
      });

    it("sends the 24 h reminder once, in the candidate's zone with the video link, then the 1 h one", async () => {
      clock = Date.parse(START) - 24 * 3_600_000 + 60_000;
      const first = (await run()) as { candidate: Record<string, unknown>; interviewers: Record<string, unknown>; risk: { level: string; reasons: string[] } };
      assert.equal(first.candidate.due, true);
      assert.equal(
        (first as unknown as { panelKey: string }).panelKey,
        params().panelKey,
        "the booking the run was for: cancelling or moving it withdraws the run's pending reminders",
      );
      assert.equal(first.candidate.to, "casey@mail.example");
      assert.match(String(first.candidate.message), /tomorrow: Tuesday 12 January, 14:30–15:15 \(Portugal time\)/);
      assert.match(String(first.candidate.message), /Join by video: https:\/\/meet\.example\/abc/);
      assert.equal(first.interviewers.due, false, "no calendar connected: the answers cannot be read");
      assert.ok(first.risk.reasons.length > 0 && ["low", "medium", "high"].includes(first.risk.level));
      const again = (await run()) as { candidate: Record<string, unknown> };
      assert.equal(again.candidate.due, false, "a second timer for the same reminder sends nothing");
      assert.match(String(again.candidate.reason), /already sent/);
      clock = Date.parse(START) - 3_600_000;
      const hour = (await run()) as { candidate: Record<string, unknown> };
      assert.equal(hour.candidate.due, true);
      assert.match(String(hour.candidate.message), /in one hour/);
      assert.equal((await createReminderStore(t.db).sentFor(params().panelKey)).length, 2);
    });

    it("a moved panel is reminded again for its new time; a cancelled one gets nothing", async () => {
      const moved = "2027-01-13T10:00:00Z";
      await t.db.query("update scheduling_bookings set params = $2::jsonb, revision = 1 where panel_key = $1", [
        params().panelKey,
        JSON.stringify(params(moved)),
      ]);
      clock = Date.parse(moved) - 24 * 3_600_000;
      const r = (await run()) as { candidate: Record<string, unknown>; risk: { reasons: string[] } };
      assert.equal(r.candidate.due, true);
      assert.match(String(r.candidate.message), /Wednesday 13 January, 10:00/);
      assert.ok(r.risk.reasons.includes("it was rescheduled once"));
      await createSchedulingChangeStore(t.db).setState(params().panelKey, "cancelled");
      clock = Date.parse(moved) - 3_600_000;
      const c = (await run()) as { due: boolean; reason: string };
      assert.equal(c.due, false);
      assert.match(c.reason, /cancelled/);
      await createSchedulingChangeStore(t.db).setState(params().panelKey, "booked");
    });

    it("skips an interview on a panel Fulcrum did not book, and names a bad offset", async () => {
      const r = (await run({ event: { panelId: "someone-elses" } })) as { due: boolean; reason: string };
      assert.equal(r.due, false);
      assert.match(r.reason, /did not book this panel/);
      await assert.rejects(run({ with: { offsets: "24h, tomorrow" } }), /settings\.offsets: reminder offset "tomorrow"/);
    });

    it("marks a started panel as a no-show once, and counts no-shows and reschedules per opportunity", async () => {
      const store = createReminderStore(t.db);
      assert.equal(await store.markNoShow(params().panelKey, "user:coordinator", new Date("2027-01-01T00:00:00Z")), false, "not started yet");
      assert.equal(await store.markNoShow(params().panelKey, "user:coordinator", new Date("2027-01-13T10:30:00Z")), true);
      assert.equal(await store.markNoShow(params().panelKey, "user:coordinator", new Date("2027-01-13T10:30:00Z")), false, "already marked");
      assert.deepEqual(await store.outcomes(), [{ opportunityId: "opp-1", panels: 1, noShows: 1, reschedules: 1 }]);
    });

    it("alerts the recruiter to a high no-show risk once, however many sessions' timers fire", async () => {
      // Three sessions at 03:30–06:00 the candidate's time, rescheduled twice, booked long before: high risk.
      const key = "opp-3:onsite";
      const at = (m: number) => new Date(Date.parse(START) + m * 60_000).toISOString();
      const p = {
        ...params(),
        opportunityId: "opp-3",
        panelKey: key,
        candidate: { name: "Ari Away", email: "ari@mail.example", timezone: "Pacific/Auckland" },
        sessions: [0, 1, 2].map((n) => ({
          id: `s${n}`,
          title: `Session ${n}`,
          start: at(n * 50),
          end: at(n * 50 + 45),
          interviewers: [{ leverUserId: `u${n}`, email: `i${n}@example.com` }],
        })),
      };
      const bookings = createBookingStore(t.db);
      await bookings.hold(
        { panelKey: key, connectionId: "default", opportunityId: "opp-3", paramsHash: "h3", params: p },
        p.sessions.map((s) => ({ interviewer: s.interviewers[0]!.email, sessionId: s.id, start: s.start, end: s.end })),
      );
      await bookings.recordPanel(key, "panel-3");
      await bookings.setStatus(key, "booked");
      await t.db.query("update scheduling_bookings set revision = 2 where panel_key = $1", [key]);
      clock = Date.parse(START) - 3_600_000;
      const outputs = [];
      for (const n of [0, 1, 2])
        outputs.push(
          (await run({ event: { panelId: "panel-3", interviewId: `int-3-${n}`, opportunityId: "opp-3" } })) as { alert: boolean; risk: { level: string } },
        );
      assert.deepEqual(
        outputs.map((o) => o.risk.level),
        ["high", "high", "high"],
      );
      assert.deepEqual(
        outputs.map((o) => o.alert),
        [true, false, false],
        "one alert for the panel's three sessions",
      );
      assert.equal((await createReminderStore(t.db).sentFor(key)).filter((r) => r.audience === "alert").length, 1);
    });

    it("sends the recruiter's high no-show-risk alert at once with send: auto, once per panel, audited without the address", async () => {
      // The same high-risk shape as above: three sessions at night in the candidate's zone, moved twice.
      const key = "opp-7:onsite";
      const at = (m: number) => new Date(Date.parse(START) + m * 60_000).toISOString();
      const p = {
        ...params(),
        opportunityId: "opp-7",
        panelKey: key,
        candidate: { name: "Ari Away", email: "ari7@mail.example", timezone: "Pacific/Auckland" },
        sessions: [0, 1, 2].map((n) => ({
          id: `s${n}`,
          title: `Session ${n}`,
          start: at(n * 50),
          end: at(n * 50 + 45),
          interviewers: [{ leverUserId: `u${n}`, email: `i7${n}@example.com` }],
        })),
      };
      const bookings = createBookingStore(t.db);
      await bookings.hold(
        { panelKey: key, connectionId: "default", opportunityId: "opp-7", paramsHash: "h7", params: p },
        p.sessions.map((s) => ({ interviewer: s.interviewers[0]!.email, sessionId: s.id, start: s.start, end: s.end })),
      );
      await bookings.recordPanel(key, "panel-7");
      await bookings.setStatus(key, "booked");
      await t.db.query("update scheduling_bookings set revision = 2 where panel_key = $1", [key]);
      const mail: { to: string; title: string; text: string }[] = [];
      const settings: ReminderTaskSettings = { notify: async (_c, to, m) => void mail.push({ to, title: m.title, text: m.text }) };
      clock = Date.parse(START) - 3_600_000;
      const outputs = [];
      for (const n of [0, 1, 2])
        outputs.push(
          (await run(
            {
              event: { panelId: "panel-7", interviewId: `int-7-${n}`, opportunityId: "opp-7" },
              with: { offsets: "24h, 1h", send: "auto", alertTo: "recruiter@example.com" },
            },
            settings,
          )) as { alert: boolean; alerted?: { sent?: boolean }; risk: { level: string } },
        );
      assert.deepEqual(
        outputs.map((o) => o.risk.level),
        ["high", "high", "high"],
      );
      const alerts = mail.filter((m) => m.to === "recruiter@example.com");
      assert.equal(alerts.length, 1, "one alert for the panel's three sessions, sent without waiting for a person");
      assert.match(alerts[0]!.title, /^No-show risk: interview at /);
      assert.match(alerts[0]!.text, /No-show risk high for the interview at .*: /);
      assert.deepEqual(
        outputs.map((o) => o.alert),
        [false, false, false],
        "sent by the task, so the workflow's alert step has nothing left to send",
      );
      assert.equal(outputs[0]!.alerted?.sent, true);
      const { rows: audited } = await t.db.query<{ record: string }>(
        "select a::text as record from audit_records a where kind = 'scheduling.reminded' and opportunity_id = 'opp-7' and data->'data'->>'audience' = 'alert'",
      );
      assert.equal(audited.length, 1, "the alert is audited once");
      assert.ok(!audited[0]!.record.includes("recruiter@example.com"), "the audit record holds no address");

      // With the workflow in shadow mode, nothing goes out: the alert is left to the (shadow) alert step.
      await t.db.query("insert into workflow_settings (workflow_id, mode, updated_by) values ('alerts-shadow', 'shadow', 'user:ops')");
      await createReminderStore(t.db).release({ panelKey: key, audience: "alert", offsetMinutes: 60, start: p.sessions[0]!.start });
      mail.length = 0;
      const shadow = (await run(
        {
          event: { panelId: "panel-7", interviewId: "int-7-0", opportunityId: "opp-7" },
          with: { offsets: "24h, 1h", send: "auto", alertTo: "recruiter@example.com", workflow: "alerts-shadow" },
        },
        settings,
      )) as { alert: boolean };
      assert.equal(mail.length, 0);
      assert.equal(shadow.alert, true);
    });

    it("sends the candidate's reminder at its timer with a reschedule link that opens the booking, and keeps no link in the run", async () => {
      // A panel the candidate booked with their self-scheduling link; the link's token is kept sealed only.
      const key = "opp-4:onsite";
      const p = {
        ...params(),
        opportunityId: "opp-4",
        panelKey: key,
        candidate: { ...params().candidate, email: "lee@mail.example" },
        sessions: [{ ...params().sessions[0]!, interviewers: [{ leverUserId: "u4", email: "hm4@example.com" }] }],
      };
      const bookings = createBookingStore(t.db);
      await bookings.hold({ panelKey: key, connectionId: "default", opportunityId: "opp-4", paramsHash: "h4", params: p }, [
        { interviewer: "hm4@example.com", sessionId: "hm", start: p.sessions[0]!.start, end: p.sessions[0]!.end },
      ]);
      await bookings.recordPanel(key, "panel-4");
      await bookings.setStatus(key, "booked");
      const box = createSecretBox(randomBytes(32));
      const links = createBookingLinkStore(t.db);
      const made = await links.create({
        connectionId: "default",
        opportunityId: "opp-4",
        requestKey: "opp-4:onsite:trace-4",
        request: {},
        expiresAt: new Date(Date.parse(START) - 86_400_000),
        seal: (token) => box.seal(token, linkTokenContext("default", "opp-4:onsite:trace-4")),
      });
      assert.ok(made.token);
      assert.equal(await links.markBooked(hashLinkToken(made.token), key, p, new Date(p.sessions[0]!.end)), true);
      const { rows: stored } = await t.db.query<{ row: string }>("select row_to_json(l)::text as row from booking_links l where panel_key = $1", [key]);
      assert.ok(!stored[0]!.row.includes(made.token), "the database keeps no token in clear");

      const sentMail: { channel: string; to: string; title: string; text: string }[] = [];
      const settings: ReminderTaskSettings = {
        notify: async (channel, to, m) => void sentMail.push({ channel, to, ...m }),
        publicUrl: "https://fulcrum.example/",
        secrets: { box },
      };
      clock = Date.parse(START) - 24 * 3_600_000 + 60_000;
      const event = { panelId: "panel-4", interviewId: "int-4", opportunityId: "opp-4" };
      const out = (await run({ event, with: { offsets: "24h, 1h", send: "auto" } }, settings)) as { candidate: Record<string, unknown> };
      assert.equal(sentMail.length, 1, "sent by the timer's run, no approval");
      assert.equal(sentMail[0]!.channel, "email");
      assert.equal(sentMail[0]!.to, "lee@mail.example");
      const url = /Reschedule or cancel here: (\S+)/.exec(sentMail[0]!.text)?.[1];
      assert.equal(url, `https://fulcrum.example/book/${made.token}`);
      const opened = await links.find(url!.split("/").at(-1)!, new Date(clock));
      assert.equal(opened?.panelKey, key, "the link in the reminder opens the booked panel");
      assert.equal(opened?.status, "booked");
      assert.equal(out.candidate.sent, true);
      assert.equal(out.candidate.due, false, "nothing is left for the workflow's approval steps");
      assert.ok(!JSON.stringify(out).includes(made.token), "the run's output holds no working link");
      assert.match(String(out.candidate.message), /booking link, sent in the e-mail only/);
      const { rows: audit } = await t.db.query<{ data: Record<string, unknown>; text: string }>(
        "select data->'data' as data, data::text as text from audit_records where kind = 'scheduling.reminded' and opportunity_id = 'opp-4'",
      );
      assert.equal(audit.length, 1, "one audit record for the reminder sent");
      assert.equal(audit[0]!.data.audience, "candidate");
      assert.equal(audit[0]!.data.bookingLink, true);
      assert.ok(!audit[0]!.text.includes(made.token) && !audit[0]!.text.includes("lee@mail.example"), "no link, no address in the audit");

      const again = (await run({ event, with: { offsets: "24h, 1h", send: "auto" } }, settings)) as { candidate: Record<string, unknown> };
      assert.equal(sentMail.length, 1, "never sent twice");
      assert.match(String(again.candidate.reason), /already sent/);

      // "I'll be there": the reminder links to the page's one-click confirmation; pressing it lowers the risk, with the reason.
      assert.match(sentMail[0]!.text, new RegExp(`Let us know with one click: https://fulcrum\\.example/book/${made.token}#attend`));
      type Risky = { risk: { level: string; reasons: string[] } };
      clock = Date.parse(START) - 3_600_000 + 60_000;
      const unsure = (await run({ event, with: { offsets: "24h, 1h", send: "auto" } }, settings)) as Risky;
      assert.equal(sentMail.length, 2, "the 1 h reminder");
      assert.ok(
        unsure.risk.reasons.some((r) => /no answer to the reminder sent at/.test(r)),
        unsure.risk.reasons.join("; "),
      );
      assert.equal(unsure.risk.level, "medium");
      const confirmed = await confirmAttendance(t.db, made.token, new Date(clock + 60_000));
      assert.equal(confirmed?.recorded, true);
      assert.equal((await confirmAttendance(t.db, made.token, new Date(clock + 120_000)))?.recorded, false, "a second click records nothing new");
      clock += 5 * 60_000;
      const sure = (await run({ event, with: { offsets: "24h, 1h", send: "auto" } }, settings)) as Risky;
      assert.equal(sure.risk.level, "low", sure.risk.reasons.join("; "));
      assert.ok(sure.risk.reasons.some((r) => /the candidate confirmed they will be there/.test(r)));
      assert.ok(!sure.risk.reasons.some((r) => /no answer to the reminder/.test(r)));
      assert.equal(sentMail.length, 2, "confirming sends nothing");
    });

    it("writes the candidate's reminder in the language their booking link was made in", async () => {
      const key = "opp-8:onsite";
      const p = {
        ...params(),
        opportunityId: "opp-8",
        panelKey: key,
        candidate: { ...params().candidate, email: "kim@mail.example" },
        sessions: [{ ...params().sessions[0]!, interviewers: [{ leverUserId: "u8", email: "hm8@example.com" }] }],
      };
      const bookings = createBookingStore(t.db);
      await bookings.hold({ panelKey: key, connectionId: "default", opportunityId: "opp-8", paramsHash: "h8", params: p }, [
        { interviewer: "hm8@example.com", sessionId: "hm", start: p.sessions[0]!.start, end: p.sessions[0]!.end },
      ]);
      await bookings.recordEvent(key, `${key}:hm`, {
        id: "ev-8",
        connectionId: "dav",
        organizer: "hm8@example.com",
        sessions: ["hm"],
        conferenceUrl: "https://meet.example/de",
      });
      await bookings.recordPanel(key, "panel-8");
      await bookings.setStatus(key, "booked");
      const box = createSecretBox(randomBytes(32));
      const links = createBookingLinkStore(t.db);
      const made = await links.create({
        connectionId: "default",
        opportunityId: "opp-8",
        requestKey: "opp-8:onsite:trace-8",
        request: { language: "de" },
        expiresAt: new Date(Date.parse(START) - 86_400_000),
        seal: (token) => box.seal(token, linkTokenContext("default", "opp-8:onsite:trace-8")),
      });
      assert.equal(await links.markBooked(hashLinkToken(made.token!), key, p, new Date(p.sessions[0]!.end)), true);
      const sentMail: { to: string; title: string; text: string }[] = [];
      const settings: ReminderTaskSettings = {
        notify: async (_c, to, m) => void sentMail.push({ to, ...m }),
        publicUrl: "https://fulcrum.example/",
        secrets: { box },
      };
      clock = Date.parse(START) - 24 * 3_600_000 + 60_000;
      await run({ event: { panelId: "panel-8", interviewId: "int-8", opportunityId: "opp-8" }, with: { offsets: "24h, 1h", send: "auto" } }, settings);
      assert.equal(sentMail.length, 1);
      const mail = sentMail[0]!;
      assert.equal(mail.title, "Erinnerung: Ihr Interview morgen, Dienstag, 12. Januar, 14:30–15:15 (Westeuropäische Zeit)");
      assert.match(mail.text, /^Hallo Casey,\n\nzur Erinnerung: Ihr Interview beginnt morgen: Dienstag, 12\. Januar, 14:30–15:15 \(Westeuropäische Zeit\)\./);
      assert.match(mail.text, /^Per Video teilnehmen: https:\/\/meet\.example\/de$/m);
      assert.match(
        mail.text,
        new RegExp(`^Brauchen Sie einen anderen Termin\\? Hier verschieben oder absagen: https://fulcrum\\.example/book/${made.token}$`, "m"),
      );
      assert.ok(!/Reminder|Hello|tomorrow|Join by video|Lisbon/.test(mail.title + mail.text), mail.text);
    });

    it("writes the candidate's reminder in the posting's language for a panel booked without a link (a coordinator approved a proposal)", async () => {
      // The proposal's booking keeps the scheduling workflow's settings.language, as a link's request would.
      const key = "opp-9:onsite";
      const p = {
        ...params(),
        opportunityId: "opp-9",
        panelKey: key,
        language: "de",
        candidate: { ...params().candidate, email: "noa@mail.example" },
        sessions: [{ ...params().sessions[0]!, interviewers: [{ leverUserId: "u9", email: "hm9@example.com" }] }],
      };
      const bookings = createBookingStore(t.db);
      await bookings.hold({ panelKey: key, connectionId: "default", opportunityId: "opp-9", paramsHash: "h9", params: p }, [
        { interviewer: "hm9@example.com", sessionId: "hm", start: p.sessions[0]!.start, end: p.sessions[0]!.end },
      ]);
      await bookings.recordEvent(key, `${key}:hm`, {
        id: "ev-9",
        connectionId: "dav",
        organizer: "hm9@example.com",
        sessions: ["hm"],
        conferenceUrl: "https://meet.example/de9",
      });
      await bookings.recordPanel(key, "panel-9");
      await bookings.setStatus(key, "booked");
      const sentMail: { to: string; title: string; text: string }[] = [];
      clock = Date.parse(START) - 24 * 3_600_000 + 60_000;
      await run(
        { event: { panelId: "panel-9", interviewId: "int-9", opportunityId: "opp-9" }, with: { offsets: "24h, 1h", send: "auto" } },
        { notify: async (_c, to, m) => void sentMail.push({ to, ...m }) },
      );
      assert.equal(sentMail.length, 1);
      const mail = sentMail[0]!;
      assert.equal(mail.to, "noa@mail.example");
      assert.equal(mail.title, "Erinnerung: Ihr Interview morgen, Dienstag, 12. Januar, 14:30–15:15 (Westeuropäische Zeit)");
      assert.match(mail.text, /^Hallo Casey,\n\nzur Erinnerung: Ihr Interview beginnt morgen: Dienstag, 12\. Januar, 14:30–15:15 \(Westeuropäische Zeit\)\./);
      assert.match(mail.text, /^Per Video teilnehmen: https:\/\/meet\.example\/de9$/m);
      assert.ok(!/Reminder|Hello|tomorrow|Join by video|Lisbon|reschedule/i.test(mail.title + mail.text), mail.text);
    });

    it("records a reminder without sending it when the workflow is set to shadow or a person approves each", async () => {
      const key = "opp-5:onsite";
      const p = {
        ...params(),
        opportunityId: "opp-5",
        panelKey: key,
        sessions: [{ ...params().sessions[0]!, interviewers: [{ leverUserId: "u5", email: "hm5@example.com" }] }],
      };
      const bookings = createBookingStore(t.db);
      await bookings.hold({ panelKey: key, connectionId: "default", opportunityId: "opp-5", paramsHash: "h5", params: p }, [
        { interviewer: "hm5@example.com", sessionId: "hm", start: p.sessions[0]!.start, end: p.sessions[0]!.end },
      ]);
      await bookings.recordPanel(key, "panel-5");
      await bookings.setStatus(key, "booked");
      await t.db.query("insert into workflow_settings (workflow_id, mode, updated_by) values ('reminders-shadow', 'shadow', 'user:ops')");
      const sentMail: string[] = [];
      const settings: ReminderTaskSettings = { notify: async (_c, to) => void sentMail.push(to) };
      const event = { panelId: "panel-5", interviewId: "int-5", opportunityId: "opp-5" };
      clock = Date.parse(START) - 3_600_000;
      const shadow = (await run({ event, with: { offsets: "24h, 1h", send: "auto", workflow: "reminders-shadow" } }, settings)) as {
        candidate: Record<string, unknown>;
      };
      assert.equal(sentMail.length, 0);
      assert.equal(shadow.candidate.sent, false);
      assert.match(String(shadow.candidate.reason), /shadow/);
      // The run's own workflow file says shadow and the console chose nothing: recorded only; once the console chooses assist, sent.
      const { rows: made } = await t.db.query<{ id: string }>(
        `insert into workflow_runs (run_key, workflow_id, workflow_hash, workflow, connection_id, event, trace_id, deadline_at)
         values ('reminders-file-shadow:1', 'reminders-file-shadow', 'h', '{"id": "reminders-file-shadow", "mode": "shadow"}'::jsonb, 'default', '{}'::jsonb, 'trace', now()) returning id::text`,
      );
      const fileShadow = (await run({ event, with: { offsets: "24h, 1h", send: "auto", run: made[0]!.id } }, settings)) as {
        candidate: Record<string, unknown>;
      };
      assert.equal(sentMail.length, 0);
      assert.match(String(fileShadow.candidate.reason), /shadow/);
      await t.db.query("insert into workflow_settings (workflow_id, mode, updated_by) values ('reminders-file-shadow', 'assist', 'user:ops')");
      const chosen = (await run({ event, with: { offsets: "24h, 1h", send: "auto", run: made[0]!.id } }, settings)) as { candidate: Record<string, unknown> };
      assert.equal(chosen.candidate.sent, true, "the console's choice wins over the file's mode, as in the engine");
      assert.deepEqual(sentMail, ["casey@mail.example"]);
      await createReminderStore(t.db).release({ panelKey: key, audience: "candidate", offsetMinutes: 60, start: p.sessions[0]!.start });
      sentMail.length = 0;
      const approve = (await run({ event, with: { offsets: "24h, 1h", send: "approve" } }, settings)) as { candidate: Record<string, unknown> };
      assert.equal(sentMail.length, 0);
      assert.equal(approve.candidate.due, true, "left to the workflow's notify step, which waits for a person");
      await assert.rejects(run({ event, with: { offsets: "1h", send: "sometimes" } }, settings), /settings\.send is "sometimes"/);
    });

    it("a reminder that could not be sent is not counted as sent: the run says why, and the next run sends it", async () => {
      const key = "opp-6:onsite";
      const p = {
        ...params(),
        opportunityId: "opp-6",
        panelKey: key,
        sessions: [{ ...params().sessions[0]!, interviewers: [{ leverUserId: "u6", email: "hm6@example.com" }] }],
      };
      const bookings = createBookingStore(t.db);
      await bookings.hold({ panelKey: key, connectionId: "default", opportunityId: "opp-6", paramsHash: "h6", params: p }, [
        { interviewer: "hm6@example.com", sessionId: "hm", start: p.sessions[0]!.start, end: p.sessions[0]!.end },
      ]);
      await bookings.recordPanel(key, "panel-6");
      await bookings.setStatus(key, "booked");
      const event = { panelId: "panel-6", interviewId: "int-6", opportunityId: "opp-6" };
      clock = Date.parse(START) - 3_600_000;
      const down: ReminderTaskSettings = {
        notify: async () => {
          throw new StepFailure("e-mail is not configured on this server");
        },
      };
      await assert.rejects(run({ event, with: { offsets: "24h, 1h" } }, down), (e: Error) => e instanceof StepFailure && /not configured/.test(e.message));
      const sentMail: string[] = [];
      const up = (await run({ event, with: { offsets: "24h, 1h" } }, { notify: async (_c, to) => void sentMail.push(to) })) as {
        candidate: Record<string, unknown>;
      };
      assert.equal(up.candidate.sent, true);
      assert.deepEqual(sentMail, ["casey@mail.example"]);
    });
  });
}
