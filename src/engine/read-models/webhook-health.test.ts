import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { openTestDatabase, testEngines, type TestDatabase } from "../../store/testing.ts";
import { webhookHealth } from "./webhook-health.ts";

async function delivery(db: TestDatabase["db"], o: { key: string; connection: string; event: string; at: string; status?: string }): Promise<void> {
  await db.query(
    `insert into inbox_events (connection_id, source, event, dedupe_key, trace_id, payload, status, received_at)
     values ($1, 'lever', $2, $3, $3, '{}', $4, $5)`,
    [o.connection, o.event, o.key, o.status ?? "processed", o.at],
  );
}

for (const engine of await testEngines()) {
  describe(`a connection's webhook health on ${engine.kind}`, { skip: engine.skip }, () => {
    let t: TestDatabase;

    before(async () => {
      t = await openTestDatabase(engine.kind);
      // Given two kinds of event on one connection (one delivery failed) and one on another connection.
      await delivery(t.db, { key: "a1", connection: "acme", event: "candidateStageChange", at: "2025-03-10T09:00:00Z" });
      await delivery(t.db, { key: "a2", connection: "acme", event: "candidateStageChange", at: "2025-03-10T11:30:00Z", status: "failed" });
      await delivery(t.db, { key: "a3", connection: "acme", event: "applicationCreated", at: "2025-03-09T08:00:00Z" });
      await delivery(t.db, { key: "b1", connection: "other", event: "candidateHired", at: "2025-03-10T12:00:00Z" });
    });
    after(() => t?.drop());

    it("gives each event's last delivery, deliveries and failures, by event name, for that connection only", async () => {
      assert.deepEqual(await webhookHealth(t.db, "acme"), [
        { event: "applicationCreated", lastDeliveryAt: "2025-03-09T08:00:00.000Z", deliveries: 1, failures: 0 },
        { event: "candidateStageChange", lastDeliveryAt: "2025-03-10T11:30:00.000Z", deliveries: 2, failures: 1 },
      ]);
    });

    it("gives nothing for a connection that never received a delivery", async () => {
      assert.deepEqual(await webhookHealth(t.db, "silent"), []);
    });
  });
}
