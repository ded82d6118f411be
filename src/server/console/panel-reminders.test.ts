/**
 * A booked panel's reminders as the Scheduling page lists them, from what the reminder task, the
 * engine and its timers wrote: one sent, one withdrawn when the panel moved, one skipped with the
 * task's reason, one armed timer still to fire — and a cancelled panel's timer shown as withdrawn.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createBookingStore, createReminderStore } from "../../store/index.ts";
import { openTestDatabase, testEngines, type TestDatabase } from "../../store/testing.ts";
import { panelReminders } from "./panel-reminders.ts";

const START = "2027-03-02T14:00:00Z";
const NOW = Date.parse(START) - 20 * 3_600_000;
const HOUR = 3_600_000;

for (const engine of await testEngines()) {
  describe(`a panel's reminders on ${engine.kind}`, { skip: engine.skip }, () => {
    let t: TestDatabase;
    before(async () => {
      t = await openTestDatabase(engine.kind);
    });
    after(async () => t?.drop());

    async function book(key: string, panelId: string) {
      const bookings = createBookingStore(t.db);
      const params = {
        opportunityId: "opp-r",
        panelKey: key,
        candidate: { name: "Casey Candidate", email: "casey@mail.example", timezone: "Europe/Lisbon" },
        sessions: [{ id: "s", title: "Interview", start: START, end: "2027-03-02T15:00:00Z", interviewers: [{ leverUserId: "u1", email: "i@example.com" }] }],
      };
      await bookings.hold({ panelKey: key, connectionId: "default", opportunityId: "opp-r", paramsHash: key, params }, []);
      await bookings.recordPanel(key, panelId);
      await bookings.setStatus(key, "booked");
    }
    async function timer(interviewId: string, panelId: string, trigger: number, fireAt: number) {
      await t.db.query(
        `insert into inbox_events (connection_id, event, dedupe_key, trace_id, payload) values ('default', 'interviewCreated', $1, 'trace', $2::jsonb)`,
        [`created-${interviewId}-${trigger}`, JSON.stringify({ event: "interviewCreated", data: { interviewId, panelId, opportunityId: "opp-r" } })],
      );
      await t.db.query("insert into workflow_timers (key, workflow_id, fire_at) values ($1, 'interview-reminders', $2)", [
        `interview-reminders:${trigger}:${interviewId}`,
        new Date(fireAt),
      ]);
    }
    async function remindRun(key: string, output: Record<string, unknown>, proposal?: { stepId: string; status: string; reason: string }) {
      const { rows } = await t.db.query<{ id: string }>(
        `insert into workflow_runs (run_key, workflow_id, workflow_hash, workflow, connection_id, event, trace_id, deadline_at)
         values ($1, 'interview-reminders', 'h', '{}'::jsonb, 'default', '{}'::jsonb, 'trace', now()) returning id`,
        [`run-${key}-${String(output.offsetMinutes)}-${Math.random()}`],
      );
      const run = rows[0]!.id;
      await t.db.query(
        `insert into workflow_steps (run_id, step_id, position, type, generation, status, input, output, finished_at)
         values ($1, 'remind', 0, 'task', 1, 'succeeded', $2::jsonb, $3::jsonb, $4)`,
        [run, JSON.stringify({ offsets: "24h, 1h", interviewerOffset: "24h" }), JSON.stringify({ panelKey: key, ...output }), new Date(NOW - HOUR)],
      );
      if (proposal)
        await t.db.query(
          `insert into proposals (run_id, step_id, generation, workflow_id, connection_id, kind, action, summary, mode, status, decision_reason, trace_id)
           values ($1, $2, 1, 'interview-reminders', 'default', 'notify', '{}'::jsonb, 'Remind', 'assist', $3, $4, 'trace')`,
          [run, proposal.stepId, proposal.status, proposal.reason],
        );
    }

    it("lists who, when and each state: sent, withdrawn with the reason, skipped with the reason, armed", async () => {
      await book("opp-r:panel", "panel-r");
      // The 24 h reminder went to the candidate.
      const sentAt = Date.parse(START) - 24 * HOUR;
      await createReminderStore(t.db).claim({ panelKey: "opp-r:panel", audience: "candidate", offsetMinutes: 1440, start: START, recipients: 1 });
      await t.db.query("update scheduling_reminders set sent_at = $2 where panel_key = $1", ["opp-r:panel", new Date(sentAt)]);
      // The interviewers had all accepted at 24 h: skipped, with the reason.
      await remindRun("opp-r:panel", {
        offsetMinutes: 1440,
        start: START,
        candidate: { due: false, sent: true },
        interviewers: { due: false, reason: "every interviewer accepted the invite" },
      });
      // A reminder for the earlier time waited for approval and was withdrawn when the panel moved.
      await remindRun(
        "opp-r:panel",
        {
          offsetMinutes: 60,
          start: "2027-03-01T10:00:00Z",
          candidate: { due: true },
          interviewers: { due: false, reason: "interviewers are reminded 24 hours before only" },
        },
        { stepId: "candidate", status: "expired", reason: "the interview was moved" },
      );
      // The 1 h timer is still to fire; one that already fired, and a stranger's panel, are not listed.
      await timer("int-r", "panel-r", 1, Date.parse(START) - HOUR);
      await timer("int-old", "panel-r", 0, NOW - 2 * HOUR);
      await timer("int-other", "panel-other", 1, Date.parse(START) - HOUR);

      const lists = await panelReminders(t.db, [{ panelKey: "opp-r:panel", panelId: "panel-r", start: START, state: "booked" }], NOW);
      assert.deepEqual(lists.get("opp-r:panel"), [
        { who: "candidate", at: new Date(sentAt).toISOString(), state: "sent", reason: null },
        { who: "interviewers", at: new Date(NOW - HOUR).toISOString(), state: "skipped", reason: "every interviewer accepted the invite" },
        { who: "candidate", at: new Date(NOW - HOUR).toISOString(), state: "withdrawn", reason: "the interview was moved" },
        { who: "candidate", at: new Date(Date.parse(START) - HOUR).toISOString(), state: "armed", reason: null },
      ]);
    });

    it("shows a cancelled panel's timers as withdrawn, and a panel with nothing as an empty list", async () => {
      await book("opp-r:cancelled", "panel-c");
      await timer("int-c", "panel-c", 0, Date.parse(START) - 24 * HOUR);
      const lists = await panelReminders(
        t.db,
        [
          { panelKey: "opp-r:cancelled", panelId: "panel-c", start: START, state: "cancelled" },
          { panelKey: "opp-r:quiet", panelId: null, start: START, state: "booked" },
        ],
        NOW - 10 * HOUR,
      );
      assert.deepEqual(lists.get("opp-r:cancelled"), [
        {
          who: "candidate and interviewers",
          at: new Date(Date.parse(START) - 24 * HOUR).toISOString(),
          state: "withdrawn",
          reason: "the panel was cancelled: the timer will find nothing to send",
        },
      ]);
      assert.deepEqual(lists.get("opp-r:quiet"), []);
    });
  });
}
