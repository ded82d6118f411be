import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { openTestDatabase, testEngines, type TestDatabase } from "../../store/testing.ts";
import { markNoShow, NoShowRefused } from "./mark-no-show.ts";

/** Booked panels as the panel booker leaves them (a cancelled one has given its seats back). */
async function book(db: TestDatabase["db"], p: { panelKey: string; opportunity: string; start: string; state?: string }) {
  await db.query(
    `insert into scheduling_bookings (panel_key, connection_id, opportunity_id, status, params_hash, params, state) values ($1, 'default', $2, 'booked', 'h', $3, $4)`,
    [p.panelKey, p.opportunity, JSON.stringify({ sessions: [{ id: "s1", start: p.start }] }), p.state ?? "booked"],
  );
  if (p.state === "cancelled") return;
  await db.query(
    "insert into scheduling_holds (panel_key, interviewer, session_id, start_at, end_at) values ($1, 'ivy@example.com', 's1', $2, $2::timestamptz + interval '1 hour')",
    [p.panelKey, p.start],
  );
}

const refused = (reason: string, message: RegExp) => (error: unknown) =>
  error instanceof NoShowRefused && error.reason === reason && message.test(error.message);

for (const engine of await testEngines()) {
  describe(`marking a no-show on ${engine.kind}`, { skip: engine.skip }, () => {
    let t: TestDatabase;
    before(async () => {
      t = await openTestDatabase(engine.kind);
      await book(t.db, { panelKey: "panel-a", opportunity: "opp-1", start: "2027-01-13T10:00:00Z" });
      await book(t.db, { panelKey: "panel-b", opportunity: "opp-2", start: "2027-01-13T10:00:00Z" });
      await book(t.db, { panelKey: "panel-c", opportunity: "opp-2", start: "2027-01-20T10:00:00Z" });
      await book(t.db, { panelKey: "panel-d", opportunity: "opp-3", start: "2027-01-13T10:00:00Z", state: "cancelled" });
    });
    after(() => t?.drop());
    const states = async () => (await t.db.query<{ state: string }>("select state from scheduling_bookings order by panel_key")).rows.map((r) => r.state);

    it("refuses before the first session has started, naming when it starts, and changes nothing", async () => {
      await assert.rejects(
        markNoShow(t.db, "opp-1", "user:1", new Date("2027-01-13T09:59:59Z")),
        refused("not-started", /panel-a has not started yet: its first session starts at 2027-01-13T10:00:00.000Z/),
      );
      assert.deepEqual(await states(), ["booked", "booked", "booked", "cancelled"]);
    });

    it("marks a started panel by opportunity once; a second mark says who marked it when", async () => {
      const marked = await markNoShow(t.db, "opp-1", "user:1", new Date("2027-01-13T10:15:00Z"));
      assert.deepEqual(marked, {
        panelKey: "panel-a",
        connectionId: "default",
        opportunityId: "opp-1",
        firstStart: "2027-01-13T10:00:00.000Z",
        at: "2027-01-13T10:15:00.000Z",
      });
      await assert.rejects(
        markNoShow(t.db, "panel-a", "user:2", new Date("2027-01-13T11:00:00Z")),
        refused("already-marked", /already marked a no-show at 2027-01-13T10:15:00.000Z by user:1/),
      );
    });

    it("asks for the booking key when several panels of the opportunity have started, and takes the only started one otherwise", async () => {
      await assert.rejects(
        markNoShow(t.db, "opp-2", "user:1", new Date("2027-01-21T00:00:00Z")),
        refused("ambiguous", /opp-2 has 2 panels that have started; name one by its booking key: panel-c .*, panel-b/),
      );
      const only = await markNoShow(t.db, "opp-2", "user:1", new Date("2027-01-14T00:00:00Z"));
      assert.equal(only.panelKey, "panel-b", "panel-c has not started by then");
    });

    it("refuses a cancelled panel and an unknown one", async () => {
      await assert.rejects(markNoShow(t.db, "opp-3", "user:1", new Date("2027-02-01T00:00:00Z")), refused("cancelled", /panel-d was cancelled/));
      await assert.rejects(markNoShow(t.db, "opp-404", "user:1", new Date()), refused("unknown", /no panel Fulcrum booked matches "opp-404"/));
      await assert.rejects(markNoShow(t.db, "  ", "user:1", new Date()), refused("unknown", /name the panel/));
      assert.deepEqual(await states(), ["no-show", "no-show", "booked", "cancelled"]);
    });
  });
}
