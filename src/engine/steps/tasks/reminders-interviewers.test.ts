/**
 * Interviewers' reminders have their own offset (`interviewerOffset`, 24 h before by default),
 * independent of the candidate's offsets: a workflow that reminds the candidate only 2 hours before
 * still reminds the interviewers who have not accepted the invite a day before. Real parts: the
 * event and its attendees' answers in Radicale (CalDAV), the booking on PostgreSQL.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { hasRadicale, openProviders, radicaleCalendars, startRadicale, type Radicale } from "../../../scheduling/booking/testing.ts";
import { resolveIdentity } from "../../../calendars/index.ts";
import { createBookingStore } from "../../../store/index.ts";
import { openTestDatabase, testEngines, type TestDatabase } from "../../../store/testing.ts";
import type { LeverGateway, TaskInput } from "../../ports.ts";
import { schedulingReminderTask, type ReminderTaskSettings } from "./reminders.ts";

const postgres = (await testEngines()).find((e) => e.kind === "postgres");
const skip = !hasRadicale ? "radicale is not installed" : postgres?.skip || !postgres ? "PostgreSQL is not reachable" : false;
const START = "2027-02-09T14:00:00Z";
const END = "2027-02-09T15:00:00Z";

describe("interviewer reminders at their own offset", { skip }, () => {
  let t: TestDatabase;
  let radicale: Radicale;
  let settings: ReminderTaskSettings;
  const sent: { to: string; title: string; text: string }[] = [];
  let clock = 0;

  before(async () => {
    t = await openTestDatabase("postgres");
    radicale = await startRadicale();
    const lead = { leverUserId: "u-lead", email: "lead@example.com", calendarUrl: await radicale.makeCalendar("lead"), timezone: "Europe/Berlin" };
    const calendars = radicaleCalendars(radicale.url, [lead]);
    const provider = openProviders(calendars).get("dav")!;
    const organizer = resolveIdentity({ id: lead.leverUserId, email: lead.email }, calendars);
    assert.ok(!("emailOnly" in organizer));
    const key = "opp-io:onsite:self";
    const event = await provider.createEvent(organizer, {
      title: "Interview",
      start: START,
      end: END,
      timezone: "Europe/Berlin",
      attendees: [{ email: "second@example.com" }, { email: "casey@mail.example" }],
      key: `${key}:tech`,
    });
    const params = {
      opportunityId: "opp-io",
      panelKey: key,
      candidate: { name: "Casey Candidate", email: "casey@mail.example", timezone: "Europe/Lisbon" },
      sessions: [
        {
          id: "tech",
          title: "Technical interview",
          start: START,
          end: END,
          interviewers: [
            { leverUserId: "u-lead", email: "lead@example.com" },
            { leverUserId: "u-second", email: "second@example.com" },
          ],
        },
      ],
    };
    const bookings = createBookingStore(t.db);
    await bookings.hold({ panelKey: key, connectionId: "default", opportunityId: "opp-io", paramsHash: "h", params }, [
      { interviewer: "lead@example.com", sessionId: "tech", start: START, end: END },
    ]);
    await bookings.recordEvent(key, `${key}:tech`, { id: event.id, href: event.href, connectionId: "dav", organizer: "lead@example.com", sessions: ["tech"] });
    await bookings.recordPanel(key, "panel-io");
    await bookings.setStatus(key, "booked");
    settings = { calendars, notify: async (_channel, to, m) => void sent.push({ to, ...m }), now: () => clock };
  });
  after(async () => {
    radicale?.stop();
    await t?.drop();
  });

  const run = (w: Record<string, unknown>) =>
    schedulingReminderTask(settings)({
      with: { send: "auto", ...w },
      context: {},
      fetch: async () => ({}),
      ai: undefined,
      lever: {} as LeverGateway,
      traceId: "trace",
      event: { panelId: "panel-io", interviewId: "int-io", opportunityId: "opp-io" },
      connectionId: "default",
      dryRun: false,
      db: t.db,
      startWorkflow: async () => null,
    } satisfies TaskInput) as Promise<{ candidate: Record<string, unknown>; interviewers: Record<string, unknown> }>;

  it("reminds interviewers 24 h before when the candidate is reminded only 2 h before, and the candidate at 2 h only", async () => {
    clock = Date.parse(START) - 24 * 3_600_000 + 60_000;
    const day = await run({ offsets: "2h" });
    assert.equal(day.interviewers.sent, true, JSON.stringify(day.interviewers));
    assert.equal(day.interviewers.count, 1);
    assert.equal(day.candidate.due, false);
    assert.equal(day.candidate.sent, undefined, "no candidate reminder a day before");
    assert.deepEqual(
      sent.map((m) => m.to),
      ["second@example.com"],
      "only the interviewer who has not accepted; the organiser and the candidate are not reminded",
    );
    assert.match(sent[0]!.text, /not accepted the calendar invite/);

    clock = Date.parse(START) - 2 * 3_600_000 + 60_000;
    const soon = await run({ offsets: "2h" });
    assert.equal(soon.candidate.sent, true);
    assert.equal(soon.interviewers.due, false);
    assert.match(String(soon.interviewers.reason), /24 hours before/);
    assert.deepEqual(
      sent.map((m) => m.to),
      ["second@example.com", "casey@mail.example"],
    );
  });

  it("words the interviewers' reminder in settings.interviewerLanguage, whatever the candidate's language", async () => {
    const before = sent.length;
    clock = Date.parse(START) - 3 * 3_600_000 + 60_000;
    const r = await run({ offsets: "2h", interviewerOffset: "3h", interviewerLanguage: "de" });
    assert.equal(r.interviewers.sent, true, JSON.stringify(r.interviewers));
    const mail = sent.slice(before);
    assert.deepEqual(
      mail.map((m) => m.to),
      ["second@example.com"],
    );
    assert.match(mail[0]!.title, /^Bitte beantworten Sie die Interview-Einladung: Di\., 9\. Feb\., 15:00–16:00 \(Mitteleuropäische Zeit\)$/);
    assert.match(mail[0]!.text, /^Sie haben die Kalendereinladung zu einem Interview-Panel in 3 Stunden \(.+\) noch nicht angenommen\.$/m);
    assert.ok(!/You have not|Please|invite|accept/.test(mail[0]!.title + mail[0]!.text), mail[0]!.text);
  });

  it("takes the interviewers' offset from its own setting, and names a bad one", async () => {
    clock = Date.parse(START) - 2 * 3_600_000 + 120_000;
    const r = await run({ offsets: "2h", interviewerOffset: "2h" });
    assert.equal(r.interviewers.sent, true, "due at its own 2 h, a reminder of its own");
    await assert.rejects(run({ offsets: "2h", interviewerOffset: "soon" }), /settings\.interviewerOffset: reminder offset "soon"/);
    await assert.rejects(run({ offsets: "2h", interviewerOffset: "24h, 1h" }), /settings\.interviewerOffset: give one offset/);
  });
});
