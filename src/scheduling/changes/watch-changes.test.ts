/**
 * Which booked panels the calendar watcher follows, on the embedded database: every one with a seat
 * still ahead, however many there are (read a page at a time), and none that was cancelled.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createBookingStore, createSchedulingChangeStore } from "../../store/index.ts";
import { openTestDatabase, type TestDatabase } from "../../store/testing.ts";
import { watchedPanels } from "./watch-changes.ts";

const NOW = Date.parse("2026-05-04T08:00:00Z");

describe("the panels the calendar watcher follows", () => {
  let t: TestDatabase;
  before(async () => {
    t = await openTestDatabase("pglite");
    const bookings = createBookingStore(t.db);
    for (let n = 0; n < 7; n++) {
      const panelKey = `opp-${n}:onsite:2026-05-0${5 + (n % 3)}`;
      const start = new Date(NOW + (n + 1) * 3_600_000).toISOString();
      const end = new Date(NOW + (n + 2) * 3_600_000).toISOString();
      await bookings.hold({ panelKey, connectionId: "default", opportunityId: `opp-${n}`, paramsHash: `h${n}`, params: { panelKey } }, [
        { interviewer: `person${n}@example.com`, sessionId: "s", start, end },
      ]);
      await bookings.setStatus(panelKey, "booked");
    }
    // One finished long ago, one cancelled: neither is watched.
    await t.db.query("update scheduling_holds set start_at = $2, end_at = $2 where panel_key = $1", [
      "opp-6:onsite:2026-05-05",
      new Date(NOW - 3 * 86_400_000),
    ]);
    await createSchedulingChangeStore(t.db).setState("opp-5:onsite:2026-05-07", "cancelled");
  });
  after(() => t?.drop());

  it("reads every upcoming panel, a page at a time, each once", async () => {
    for (const pageSize of [1, 2, 5, 500]) {
      const keys = (await watchedPanels(t.db, NOW, pageSize)).map((p) => p.panelKey);
      assert.deepEqual(
        keys,
        ["opp-0:onsite:2026-05-05", "opp-1:onsite:2026-05-06", "opp-2:onsite:2026-05-07", "opp-3:onsite:2026-05-05", "opp-4:onsite:2026-05-06"],
        `page size ${pageSize}`,
      );
    }
  });
});
