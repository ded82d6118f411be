/**
 * The console's no-show action on a booked panel: a recruiter marks it once it has started, audited;
 * refused before it starts and a second time, naming why; an auditor may not, and a hiring manager
 * sees only their postings' panels.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { Hono } from "hono";
import { createAuditTrail } from "../../governance/index.ts";
import { silentLogger } from "../../observability/index.ts";
import { openTestDatabase, testEngines, type TestDatabase } from "../../store/testing.ts";
import { createConsole, createUser } from "./index.ts";
import { seedSchedulingProposal } from "./scheduling-testing.ts";

const COST = { N: 1024, r: 8, p: 1 };
const ORIGIN = "http://console.test";
const users = [
  { id: "u-hm", name: "Hana Manager", email: "hana@example.com" },
  { id: "u-a", name: "Ana Alves", email: "ana@example.com" },
];
const panel = { panels: [{ stage: "On-site Interview", sessions: [{ title: "Design", minutes: 60, pool: ["u-a"] }] }] };

for (const engine of await testEngines()) {
  describe(`marking a no-show in the console on ${engine.kind}`, { skip: engine.skip }, () => {
    let t: TestDatabase;
    let app: Hono;
    const ids: Record<string, string> = {};

    /** A booked panel, from a scheduling proposal seeded `daysAgo` days before now (negative: ahead). */
    async function booked(opportunityId: string, postingId: string, daysAgo: number): Promise<string> {
      const seeded = await seedSchedulingProposal(t.db, {
        users,
        panel,
        zone: "Europe/Lisbon",
        now: Date.now() - daysAgo * 86_400_000,
        candidateName: `Cand ${opportunityId}`,
        opportunityId,
        posting: { id: postingId, text: `Posting ${postingId}`, hiringManager: "u-hm" },
      });
      const booking = seeded.proposal.booking!;
      await t.db.query("update proposals set status = 'applied' where id = $1", [seeded.proposalId]);
      await t.db.query(
        "insert into scheduling_bookings (panel_key, connection_id, opportunity_id, status, params_hash, params) values ($1, 'default', $2, 'booked', 'h', $3)",
        [booking.panelKey, opportunityId, JSON.stringify(booking)],
      );
      for (const s of booking.sessions) {
        for (const i of s.interviewers)
          await t.db.query("insert into scheduling_holds (panel_key, interviewer, session_id, start_at, end_at) values ($1, $2, $3, $4, $5)", [
            booking.panelKey,
            i.email,
            s.id,
            s.start,
            s.end,
          ]);
      }
      return seeded.proposalId;
    }

    before(async () => {
      t = await openTestDatabase(engine.kind);
      const parts = createConsole({ db: t.db, logger: silentLogger, scryptCost: COST });
      app = new Hono();
      app.use("/api/*", parts.apiGuard);
      app.route("/", parts.routes);
      for (const [email, role, postingIds] of [
        ["rec@example.com", "recruiter", undefined],
        ["aud@example.com", "auditor", undefined],
        ["hm@example.com", "hiring_manager", ["p-mine"]],
      ] as const) {
        await createUser(t.db, { email, role, password: "a long password 1", ...(postingIds ? { postingIds: [...postingIds] } : {}) }, COST);
      }
      ids.past = await booked("opp-past", "p-other", 30);
      ids.ahead = await booked("opp-ahead", "p-other", -1);
    });
    after(async () => t?.drop());

    async function signIn(email: string): Promise<{ cookie: string; csrf: string }> {
      const res = await app.request(
        `${ORIGIN}/console/api/login`,
        { method: "POST", headers: { origin: ORIGIN, "content-type": "application/json" }, body: JSON.stringify({ email, password: "a long password 1" }) },
        { incoming: { socket: { remoteAddress: "10.0.0.7" } } },
      );
      assert.equal(res.status, 200);
      return {
        cookie: res.headers
          .getSetCookie()
          .map((l) => l.split(";")[0]!)
          .join("; "),
        csrf: ((await res.json()) as { csrfToken: string }).csrfToken,
      };
    }
    async function noShow(email: string, id: string) {
      const s = await signIn(email);
      const res = await app.request(
        `${ORIGIN}/console/api/scheduling/panels/${id}/no-show`,
        { method: "POST", headers: { origin: ORIGIN, cookie: s.cookie, "x-csrf-token": s.csrf } },
        { incoming: { socket: { remoteAddress: "10.0.0.7" } } },
      );
      return {
        status: res.status,
        body: (await res.json()) as { error?: { code: string; message: string }; noShow?: { panelKey: string; opportunityId: string } },
      };
    }
    const state = async (opportunityId: string) =>
      (await t.db.query<{ state: string }>("select state from scheduling_bookings where opportunity_id = $1", [opportunityId])).rows[0]!.state;

    it("refuses a panel that has not started yet, naming when it starts, and changes nothing", async () => {
      const answer = await noShow("rec@example.com", ids.ahead!);
      assert.equal(answer.status, 409);
      assert.match(answer.body.error!.message, /has not started yet: its first session starts at \d{4}-\d\d-\d\dT/);
      assert.equal(await state("opp-ahead"), "booked");
    });

    it("lets an auditor not mark it, and hides another posting's panel from a hiring manager", async () => {
      assert.equal((await noShow("aud@example.com", ids.past!)).status, 403);
      const hm = await noShow("hm@example.com", ids.past!);
      assert.equal(hm.status, 404);
      assert.equal(await state("opp-past"), "booked");
      assert.equal((await noShow("rec@example.com", "999999")).status, 404);
    });

    it("marks a started panel for a recruiter, audited with who and which panel, and refuses a second mark", async () => {
      const answer = await noShow("rec@example.com", ids.past!);
      assert.equal(answer.status, 200, answer.body.error?.message ?? "");
      assert.equal(answer.body.noShow!.opportunityId, "opp-past");
      assert.equal(await state("opp-past"), "no-show");
      const records = await createAuditTrail(t.db).search({ opportunityId: "opp-past" });
      const record = records.find((r) => r.kind === "scheduling.no_show");
      assert.ok(record, "an audit record of the mark");
      assert.match(record.actor, /^user:/);
      assert.equal((record.data as { panelKey: string }).panelKey, answer.body.noShow!.panelKey);
      const again = await noShow("rec@example.com", ids.past!);
      assert.equal(again.status, 409);
      assert.match(again.body.error!.message, /already marked a no-show at .* by user:/);
    });
  });
}
