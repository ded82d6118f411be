import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createBookingLinkStore, hashLinkToken, LINK_TOKEN_PATTERN } from "./booking-links.ts";
import { openTestDatabase, testEngines, type TestDatabase } from "./testing.ts";

const DAY = 86_400_000;

for (const engine of await testEngines()) {
  describe(`self-scheduling links on ${engine.kind}`, { skip: engine.skip }, () => {
    let t: TestDatabase;
    before(async () => {
      t = await openTestDatabase(engine.kind);
    });
    after(async () => {
      await t?.drop();
    });
    const now = new Date("2026-03-02T10:00:00Z");
    const input = (requestKey: string, expiresAt = new Date(now.getTime() + 7 * DAY)) => ({
      connectionId: "default",
      opportunityId: "opp-1",
      requestKey,
      request: { panel: requestKey },
      expiresAt,
    });

    it("makes a 256-bit token and stores only its hash", async () => {
      const links = createBookingLinkStore(t.db);
      const { token, link } = await links.create(input("r1"));
      assert.match(token!, LINK_TOKEN_PATTERN);
      assert.equal(link.tokenHash, hashLinkToken(token!));
      const { rows } = await t.db.query<Record<string, unknown>>("select * from booking_links where request_key = 'r1'");
      assert.ok(!JSON.stringify(rows).includes(token!), "the token itself is not stored");
      assert.equal((await links.find(token!, now))?.requestKey, "r1");
    });

    it("answers unknown, malformed and expired tokens alike", async () => {
      const links = createBookingLinkStore(t.db);
      const { token } = await links.create(input("r2", new Date(now.getTime() + DAY)));
      assert.ok(await links.find(token!, now));
      assert.equal(await links.find(token!, new Date(now.getTime() + DAY)), undefined, "expired at its expiry");
      assert.equal(await links.find(`${token!.slice(0, -1)}${token!.endsWith("A") ? "B" : "A"}`, now), undefined, "one character off");
      assert.equal(await links.find("not a token", now), undefined);
      assert.equal(await links.find("", now), undefined);
    });

    it("is bound to one opportunity and one panel request; sending it again replaces the token", async () => {
      const links = createBookingLinkStore(t.db);
      const first = await links.create(input("r3"));
      const again = await links.create({ ...input("r3"), opportunityId: "opp-1" });
      assert.notEqual(first.token, again.token);
      assert.equal(await links.find(first.token!, now), undefined, "the old token no longer works");
      const link = await links.find(again.token!, now);
      assert.equal(link?.opportunityId, "opp-1");
      assert.equal(link?.requestKey, "r3");
      const other = await links.create(input("r4"));
      assert.notEqual((await links.find(other.token!, now))?.tokenHash, link?.tokenHash);
    });

    it("books once; then it is the booking's link until the interview has passed", async () => {
      const links = createBookingLinkStore(t.db);
      const { token, link } = await links.create(input("r5", new Date(now.getTime() + DAY)));
      const interviewEnd = new Date(now.getTime() + 10 * DAY);
      assert.equal(await links.markBooked(link.tokenHash, "panel-5", { at: 1 }, interviewEnd), true);
      assert.equal(await links.markBooked(link.tokenHash, "panel-5b", { at: 2 }, interviewEnd), false, "a second booking is refused");
      const booked = await links.find(token!, new Date(now.getTime() + 5 * DAY));
      assert.equal(booked?.status, "booked");
      assert.equal(booked?.panelKey, "panel-5");
      assert.deepEqual(booked?.booked, { at: 1 });
      // Creating the request's link again does not reopen a booked one.
      const again = await links.create(input("r5"));
      assert.equal(again.token, undefined);
      assert.equal(again.link.status, "booked");
      assert.ok(await links.find(token!, now));
    });

    it("lets one booking attempt at a time claim an open link; a failed attempt gives it back", async () => {
      const links = createBookingLinkStore(t.db);
      const { link } = await links.create(input("r-claim"));
      const claims = await Promise.all([links.claim(link.tokenHash), links.claim(link.tokenHash)]);
      assert.deepEqual(claims.sort(), [false, true], "the second click waits for the first");
      await links.release(link.tokenHash);
      assert.equal(await links.claim(link.tokenHash), true, "released after a failure, the next attempt may book");
      assert.equal(await links.markBooked(link.tokenHash, "panel-claim", { at: 1 }, new Date(now.getTime() + DAY)), true);
      assert.equal(await links.claim(link.tokenHash), false, "a booked link is not claimed for booking again");
      await t.db.query("update booking_links set status = 'open', panel_key = null, claimed_at = now() - interval '1 hour' where token_hash = $1", [
        link.tokenHash,
      ]);
      assert.equal(await links.claim(link.tokenHash), true, "a claim left by a crashed attempt is taken over");
    });

    it("moves only a booked link: one cancelled meanwhile keeps its status and time", async () => {
      const links = createBookingLinkStore(t.db);
      const { token, link } = await links.create(input("r-move"));
      const until = new Date(now.getTime() + 3 * DAY);
      await links.markBooked(link.tokenHash, "panel-move", { at: 1 }, until);
      assert.equal(await links.markRescheduled(link.tokenHash, { at: 2 }, until), true);
      await links.setStatus(link.tokenHash, "cancelled");
      assert.equal(await links.markRescheduled(link.tokenHash, { at: 3 }, until), false);
      const after = await links.find(token!, now);
      assert.equal(after?.status, "cancelled");
      assert.deepEqual(after?.booked, { at: 2 });
    });

    it("counts hits per key and window", async () => {
      const links = createBookingLinkStore(t.db);
      const results = await Promise.all(Array.from({ length: 8 }, () => links.hit("ip:192.0.2.1", 5, 60_000, now)));
      assert.equal(results.filter(Boolean).length, 5);
      assert.equal(await links.hit("ip:192.0.2.1", 5, 60_000, new Date(now.getTime() + 60_000)), true, "a new window starts afresh");
    });
  });
}
