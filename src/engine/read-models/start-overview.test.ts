import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { openTestDatabase, testEngines, type TestDatabase } from "../../store/testing.ts";
import { countWebhookRefusal } from "../inbox/webhook-refusals.ts";
import { startCounts, webhookHours } from "./start-overview.ts";

const NOW = new Date("2025-03-10T15:40:00Z");
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000);

async function run(db: TestDatabase["db"], key: string, o: { status: string; at: Date; dryRun?: boolean }): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `insert into workflow_runs (run_key, workflow_id, workflow_hash, workflow, connection_id, event, trace_id, status, dry_run, deadline_at, created_at)
     values ($1, 'application-screening', 'h', '{}', 'default', '{}', $1, $2, $3, now(), $4) returning id`,
    [key, o.status, o.dryRun ?? false, o.at.toISOString()],
  );
  return rows[0]!.id;
}

let step = 0;
async function proposal(db: TestDatabase["db"], runId: number, status: string, postingId: string): Promise<void> {
  await db.query(
    `insert into proposals (run_id, step_id, generation, workflow_id, connection_id, posting_id, kind, action, summary, mode, status, trace_id)
     values ($1, $4, 1, 'application-screening', 'default', $2, 'note', '{}', 's', 'assist', $3, 't')`,
    [runId, postingId, status, `note-${++step}`],
  );
}

async function delivery(db: TestDatabase["db"], key: string, at: Date, status = "processed"): Promise<void> {
  await db.query(
    `insert into inbox_events (connection_id, source, event, dedupe_key, trace_id, payload, status, received_at)
     values ('default', 'lever', 'applicationCreated', $1, $1, '{}', $2, $3)`,
    [key, status, at.toISOString()],
  );
}

for (const engine of await testEngines()) {
  describe(`Start's counts and webhook hours on ${engine.kind}`, { skip: engine.skip }, () => {
    let t: TestDatabase;

    before(async () => {
      t = await openTestDatabase(engine.kind);
      // Given three runs today (one failed, one a dry run), one yesterday, and proposals on two postings.
      const today = await run(t.db, "r1", { status: "waiting", at: hoursAgo(1) });
      await run(t.db, "r2", { status: "failed", at: hoursAgo(2) });
      await run(t.db, "r3", { status: "failed", at: hoursAgo(3), dryRun: true });
      const old = await run(t.db, "r4", { status: "failed", at: hoursAgo(30) });
      await proposal(t.db, today, "pending", "posting-a");
      await proposal(t.db, today, "pending", "posting-b");
      await proposal(t.db, old, "pending", "posting-a");
      await proposal(t.db, old, "rejected", "posting-a");
      // Deliveries: two this hour (one failed), one five hours ago, one 30 hours ago (outside).
      await delivery(t.db, "d1", new Date("2025-03-10T15:05:00Z"));
      await delivery(t.db, "d2", new Date("2025-03-10T15:30:00Z"), "failed");
      await delivery(t.db, "d3", new Date("2025-03-10T10:59:59Z"));
      await delivery(t.db, "d4", hoursAgo(30));
      await countWebhookRefusal(t.db, { connectionId: "default", source: "lever", code: "signature_invalid", at: new Date("2025-03-10T15:10:00Z") });
      await countWebhookRefusal(t.db, { connectionId: "default", source: "lever", code: "signature_invalid", at: new Date("2025-03-10T15:20:00Z") });
      await countWebhookRefusal(t.db, { connectionId: "default", source: "lever", code: "envelope_invalid", at: new Date("2025-03-10T10:00:00Z") });
    });
    after(() => t?.drop());

    it("counts waiting proposals, and runs and failed runs since the start of the day, leaving dry runs out", async () => {
      const since = new Date("2025-03-10T00:00:00Z");
      assert.deepEqual(await startCounts(t.db, { since }), { waitingProposals: 3, runsToday: 2, failedRunsToday: 1 });
    });

    it("counts only a hiring manager's postings' proposals, and none when they have no postings", async () => {
      const since = new Date("2025-03-10T00:00:00Z");
      assert.equal((await startCounts(t.db, { since, postingIds: ["posting-b"] })).waitingProposals, 1);
      assert.equal((await startCounts(t.db, { since, postingIds: [] })).waitingProposals, 0);
    });

    it("gives 24 hours oldest first, zeros included, with processing failures and refusals in their hours", async () => {
      const hours = await webhookHours(t.db, { now: NOW, hours: 24 });
      assert.equal(hours.length, 24);
      assert.equal(hours[0]!.hour, "2025-03-09T16:00:00.000Z");
      assert.deepEqual(hours[23], { hour: "2025-03-10T15:00:00.000Z", deliveries: 2, failed: 1, refused: 2 });
      assert.deepEqual(hours[18], { hour: "2025-03-10T10:00:00.000Z", deliveries: 1, failed: 0, refused: 1 });
      assert.equal(
        hours.reduce((n, h) => n + h.deliveries, 0),
        3,
        "the delivery 30 hours ago is outside the window",
      );
    });

    it("keeps one counter row per hour and code however many refusals arrive", async () => {
      const at = new Date("2025-03-10T12:00:01Z");
      for (let i = 0; i < 5; i++) await countWebhookRefusal(t.db, { connectionId: "default", source: "lever", code: "signature_invalid", at });
      const { rows } = await t.db.query<{ refusals: number }>("select refusals from webhook_refusals where hour = '2025-03-10T12:00:00Z'");
      assert.deepEqual(rows, [{ refusals: 5 }]);
    });
  });
}
