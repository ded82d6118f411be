/**
 * The console's "Copy link" for a self-scheduling link made for the coordinator (`selfSchedule:
 * link`): the proposal says a link is there without giving it; whoever may decide the proposal gets
 * the link on request, audited without it; others, and e-mailed links, get nothing.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { Hono } from "hono";
import { createSecretBox } from "../../engine/index.ts";
import { silentLogger } from "../../observability/index.ts";
import { linkTokenContext } from "../../scheduling/index.ts";
import { createBookingLinkStore } from "../../store/index.ts";
import { openTestDatabase, testEngines, type TestDatabase } from "../../store/testing.ts";
import { createConsole, createUser } from "../console/index.ts";
import { seedSchedulingProposal } from "../console/scheduling-testing.ts";
import { mountBookingLinkReveal } from "./link-reveal.ts";

const COST = { N: 1024, r: 8, p: 1 };
const ORIGIN = "http://console.test";
const PUBLIC = "https://fulcrum.example";
const users = [
  { id: "u-hm", name: "Hana Manager", email: "hana@example.com" },
  { id: "u-a", name: "Ana Alves", email: "ana@example.com" },
];
const panel = { panels: [{ stage: "On-site Interview", sessions: [{ title: "Design", minutes: 60, pool: ["u-a"] }] }] };
const NET = { incoming: { socket: { remoteAddress: "10.0.0.7" } } };

for (const engine of await testEngines()) {
  describe(`copying a self-scheduling link in the console on ${engine.kind}`, { skip: engine.skip }, () => {
    let t: TestDatabase;
    let app: Hono;
    const box = createSecretBox(randomBytes(32));
    const made: Record<string, { proposalId: string; token: string }> = {};

    /** A scheduling proposal whose run made a self-scheduling link in `mode`. */
    async function withLink(opportunityId: string, mode: "link" | "email"): Promise<{ proposalId: string; token: string }> {
      const seeded = await seedSchedulingProposal(t.db, {
        users,
        panel,
        zone: "Europe/Lisbon",
        now: Date.now(),
        candidateName: `Cand ${opportunityId}`,
        opportunityId,
        posting: { id: "p-other", text: "Posting", hiringManager: "u-hm" },
      });
      const requestKey = seeded.proposal.booking!.panelKey;
      const { token } = await createBookingLinkStore(t.db).create({
        connectionId: "default",
        opportunityId,
        requestKey,
        request: { opportunityId },
        expiresAt: new Date(Date.now() + 7 * 86_400_000),
        seal: (tk) => box.seal(tk, linkTokenContext("default", requestKey)),
      });
      await t.db.query("update workflow_steps set output = output || jsonb_build_object('selfSchedule', $2::jsonb) where run_id = $1 and step_id = 'propose'", [
        seeded.runId,
        JSON.stringify({ mode, link: { connectionId: "default", requestKey }, expiresAt: "x" }),
      ]);
      return { proposalId: seeded.proposalId, token: token! };
    }

    before(async () => {
      t = await openTestDatabase(engine.kind);
      const parts = createConsole({
        db: t.db,
        logger: silentLogger,
        scryptCost: COST,
        extend: (api, guard) => mountBookingLinkReveal(api, guard, { db: t.db, box: () => box, publicUrl: PUBLIC }),
      });
      app = new Hono();
      app.route("/", parts.routes);
      for (const [email, role, postingIds] of [
        ["rec@example.com", "recruiter", undefined],
        ["aud@example.com", "auditor", undefined],
        ["hm@example.com", "hiring_manager", ["p-mine"]],
      ] as const) {
        await createUser(t.db, { email, role, password: "a long password 1", ...(postingIds ? { postingIds: [...postingIds] } : {}) }, COST);
      }
      made.link = await withLink("opp-link", "link");
      made.email = await withLink("opp-email", "email");
    });
    after(async () => t?.drop());

    async function ask(email: string, method: "GET" | "POST", proposalId: string) {
      const login = await app.request(
        `${ORIGIN}/console/api/login`,
        { method: "POST", headers: { origin: ORIGIN, "content-type": "application/json" }, body: JSON.stringify({ email, password: "a long password 1" }) },
        NET,
      );
      assert.equal(login.status, 200);
      const cookie = login.headers
        .getSetCookie()
        .map((l) => l.split(";")[0]!)
        .join("; ");
      const csrf = ((await login.json()) as { csrfToken: string }).csrfToken;
      const res = await app.request(
        `${ORIGIN}/console/api/proposals/${proposalId}/booking-link`,
        { method, headers: { origin: ORIGIN, cookie, "x-csrf-token": csrf } },
        NET,
      );
      return { status: res.status, cache: res.headers.get("cache-control"), text: await res.text() };
    }

    it("says a link is there without giving it, and gives it on request to a recruiter, audited without the link", async () => {
      const { proposalId, token } = made.link!;
      const shown = await ask("rec@example.com", "GET", proposalId);
      assert.equal(shown.status, 200, shown.text);
      assert.ok(!shown.text.includes(token), "asking whether there is a link does not give it");
      assert.equal((JSON.parse(shown.text) as { bookingLink: { status: string } }).bookingLink.status, "open");

      const revealed = await ask("rec@example.com", "POST", proposalId);
      assert.equal(revealed.status, 200, revealed.text);
      assert.equal(revealed.cache, "no-store");
      const url = (JSON.parse(revealed.text) as { bookingLink: { url: string } }).bookingLink.url;
      assert.equal(url, `${PUBLIC}/book/${token}`);
      assert.ok(await createBookingLinkStore(t.db).find(token, new Date()), "the link opens the candidate's booking page");

      const { rows } = await t.db.query<{ actor: string; data: string; record: string }>(
        "select actor, data::text as data, a::text as record from audit_records a where kind = 'scheduling.link_revealed'",
      );
      assert.equal(rows.length, 1, "one audit record per reveal");
      assert.match(rows[0]!.actor, /^user:/);
      assert.match(rows[0]!.data, /revealed/);
      assert.ok(!rows[0]!.record.includes(token), "the audit record holds no link");
    });

    it("gives nothing to an auditor, to a hiring manager of another posting, or for an e-mailed link", async () => {
      assert.equal((await ask("aud@example.com", "POST", made.link!.proposalId)).status, 403);
      assert.equal((await ask("aud@example.com", "GET", made.link!.proposalId)).status, 403);
      const hm = await ask("hm@example.com", "POST", made.link!.proposalId);
      assert.equal(hm.status, 404);
      assert.ok(!hm.text.includes(made.link!.token));
      const emailed = await ask("rec@example.com", "POST", made.email!.proposalId);
      assert.equal(emailed.status, 404, "an e-mailed link reaches the candidate by e-mail only");
      assert.ok(!emailed.text.includes(made.email!.token));
      assert.equal((await ask("rec@example.com", "POST", "999999")).status, 404);
    });
  });
}
