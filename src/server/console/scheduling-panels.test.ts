/**
 * The console's scheduling endpoints: the list of upcoming panels with their state (from proposals
 * and booking rows), seen by whoever may see proposals (a hiring manager: their postings' only), and
 * a scheduling proposal's options with the calendars its solver saw.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { Hono } from "hono";
import { silentLogger } from "../../observability/index.ts";
import { openTestDatabase, testEngines, type TestDatabase } from "../../store/testing.ts";
import { createConsole, createUser } from "./index.ts";
import { panelState, type ScheduledPanel } from "./scheduling-panels.ts";
import { seedSchedulingProposal } from "./scheduling-testing.ts";
import { scheduledPanelListSchema, schedulingContextReplySchema } from "../../contract/console-api.ts";

const ENGINES = await testEngines();
const COST = { N: 1024, r: 8, p: 1 };
const ORIGIN = "http://console.test";
const ZONE = "Europe/Lisbon";
const users = [
  { id: "u-hm", name: "Hana Manager", email: "hana@example.com" },
  { id: "u-a", name: "Ana Alves", email: "ana@example.com" },
  { id: "u-b", name: "Ben Brandt", email: "ben@example.com" },
];
const panel = {
  panels: [
    {
      stage: "On-site Interview",
      sessions: [
        { title: "Design", minutes: 60, pool: ["u-a", "u-b"] },
        { title: "Manager", minutes: 30, pool: ["hiringManager"] },
      ],
    },
  ],
};
const posting = (id: string) => ({ id, text: `Posting ${id}`, hiringManager: "u-hm" });

for (const engine of ENGINES) {
  describe(`scheduling in the console on ${engine.kind}`, { skip: engine.skip }, () => {
    let t: TestDatabase;
    let app: Hono;
    const ids: Record<string, string> = {};

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
      const now = Date.now();
      const base = { users, panel, zone: ZONE, now };
      // Waiting for a person; another already booked; one where nothing fits (Ana and Ben away for weeks); one long past.
      ids.proposed = (
        await seedSchedulingProposal(t.db, {
          ...base,
          candidateName: "Pia Proposed",
          opportunityId: "opp-p",
          posting: posting("p-mine"),
          items: { "u-a": [{ start: "2026-01-01", end: "2026-01-02", status: "busy", allDay: true, title: "Old" }] },
        })
      ).proposalId;
      const booked = await seedSchedulingProposal(t.db, { ...base, candidateName: "Bo Booked", opportunityId: "opp-b", posting: posting("p-other") });
      ids.booked = booked.proposalId;
      await t.db.query("update proposals set status = 'applied' where id = $1", [booked.proposalId]);
      await t.db.query(
        "insert into scheduling_bookings (panel_key, connection_id, opportunity_id, status, params_hash, params) values ($1, 'default', 'opp-b', 'booked', 'h', $2)",
        [booked.proposal.booking!.panelKey, JSON.stringify(booked.proposal.booking)],
      );
      const away = (id: string) => [
        {
          start: new Date(now - 7 * 86_400_000).toISOString().slice(0, 10),
          end: new Date(now + 40 * 86_400_000).toISOString().slice(0, 10),
          status: "oof" as const,
          allDay: true,
          title: `Leave ${id}`,
        },
      ];
      ids.escalated = (
        await seedSchedulingProposal(t.db, {
          ...base,
          candidateName: "Eli Escalated",
          opportunityId: "opp-e",
          posting: posting("p-other"),
          items: { "u-a": away("a"), "u-b": away("b") },
        })
      ).proposalId;
      ids.past = (
        await seedSchedulingProposal(t.db, {
          ...base,
          now: now - 60 * 86_400_000,
          candidateName: "Pat Past",
          opportunityId: "opp-old",
          posting: posting("p-other"),
        })
      ).proposalId;
      await t.db.query("update proposals set status = 'applied' where id = $1", [ids.past]);
    });
    after(async () => t?.drop());

    async function send(cookie: string | undefined, path: string) {
      const headers: Record<string, string> = { origin: ORIGIN };
      if (cookie) headers.cookie = cookie;
      return app.request(`${ORIGIN}${path}`, { method: "GET", headers }, { incoming: { socket: { remoteAddress: "10.0.0.7" } } });
    }
    async function signIn(email: string): Promise<string> {
      const res = await app.request(
        `${ORIGIN}/console/api/login`,
        { method: "POST", headers: { origin: ORIGIN, "content-type": "application/json" }, body: JSON.stringify({ email, password: "a long password 1" }) },
        { incoming: { socket: { remoteAddress: "10.0.0.7" } } },
      );
      assert.equal(res.status, 200);
      return res.headers
        .getSetCookie()
        .map((l) => l.split(";")[0]!)
        .join("; ");
    }
    const panels = async (cookie: string, query = "") => {
      const res = await send(cookie, `/console/api/scheduling/panels${query}`);
      assert.equal(res.status, 200);
      const body: unknown = await res.json();
      // Checked against the console's contract, then read with the server's own type.
      scheduledPanelListSchema.parse(body);
      return (body as { panels: ScheduledPanel[] }).panels;
    };

    it("lists upcoming panels with their state, candidate, posting, times and interviewers by name, those with no time first", async () => {
      const list = await panels(await signIn("rec@example.com"));
      assert.deepEqual(
        list.map((p) => [p.candidateName, p.state]),
        [
          ["Eli Escalated", "escalated"],
          ...(list[1]!.candidateName === "Pia Proposed"
            ? [
                ["Pia Proposed", "proposed"],
                ["Bo Booked", "booked"],
              ]
            : [
                ["Bo Booked", "booked"],
                ["Pia Proposed", "proposed"],
              ]),
        ],
      );
      const pia = list.find((p) => p.candidateName === "Pia Proposed")!;
      assert.equal(pia.postingTitle, "Posting p-mine");
      assert.equal(pia.stage, "On-site Interview");
      assert.equal(pia.candidateTimezone, ZONE);
      assert.deepEqual(
        pia.sessions.map((s) => s.title),
        ["Design", "Manager"],
      );
      assert.ok(
        pia.sessions.every((s) => s.interviewers.every((n) => users.some((u) => u.name === n))),
        JSON.stringify(pia.sessions),
      );
      assert.ok(Date.parse(pia.firstStart!) > Date.now());
      const eli = list.find((p) => p.candidateName === "Eli Escalated")!;
      assert.deepEqual(eli.sessions, []);
      assert.match(eli.detail!, /no time in the window/);
      assert.doesNotMatch(JSON.stringify(list), /@mail\.example|@example\.com/, "no e-mail addresses of candidates or interviewers");
    });

    it("shows panels that have ended only when asked, and refuses a bad switch naming it", async () => {
      const cookie = await signIn("aud@example.com");
      assert.ok(!(await panels(cookie)).some((p) => p.candidateName === "Pat Past"));
      const all = await panels(cookie, "?past=true");
      assert.equal(all.find((p) => p.candidateName === "Pat Past")?.state, "booked");
      const bad = await send(cookie, "/console/api/scheduling/panels?past=yes");
      assert.equal(bad.status, 400);
      assert.match(((await bad.json()) as { error: { message: string } }).error.message, /^past:/);
    });

    it("shows a booked panel an interviewer declined as declined", async () => {
      const cookie = await signIn("rec@example.com");
      await t.db.query("update scheduling_bookings set state = 'declined' where opportunity_id = 'opp-b'");
      try {
        assert.equal((await panels(cookie)).find((p) => p.candidateName === "Bo Booked")?.state, "declined");
      } finally {
        await t.db.query("update scheduling_bookings set state = 'booked' where opportunity_id = 'opp-b'");
      }
    });

    it("shows a hiring manager only their postings' panels, and asks a stranger to sign in", async () => {
      const list = await panels(await signIn("hm@example.com"));
      assert.deepEqual(
        list.map((p) => p.candidateName),
        ["Pia Proposed"],
      );
      assert.equal((await send(undefined, "/console/api/scheduling/panels")).status, 401);
    });

    it("gives a scheduling proposal's options and the calendars its solver saw; nothing for a hiring manager's other postings", async () => {
      const res = await send(await signIn("rec@example.com"), `/console/api/proposals/${ids.proposed}/scheduling`);
      assert.equal(res.status, 200);
      schedulingContextReplySchema.parse(await res.clone().json());
      const { scheduling } = (await res.json()) as {
        scheduling: {
          feasible: boolean;
          candidateTimezone: string;
          options: { booking: unknown }[];
          calendars: { name: string; working: unknown[] }[];
          window: { days: string[] };
        };
      };
      assert.equal(scheduling.feasible, true);
      assert.equal(scheduling.candidateTimezone, ZONE);
      assert.equal(scheduling.options.length, 3);
      assert.deepEqual(scheduling.calendars.map((c) => c.name).sort(), ["Ana Alves", "Ben Brandt", "Hana Manager"]);
      assert.equal(scheduling.calendars[0]!.working.length, scheduling.window.days.length);
      const hm = await signIn("hm@example.com");
      assert.equal((await send(hm, `/console/api/proposals/${ids.booked}/scheduling`)).status, 404);
      assert.equal((await send(hm, `/console/api/proposals/${ids.proposed}/scheduling`)).status, 200);
      assert.equal((await send(hm, "/console/api/proposals/abc/scheduling")).status, 404);
    });
  });
}

describe("a panel's state", () => {
  it("comes from the booking row when there is one, passing through states the row names that the list does not know", () => {
    assert.equal(panelState({ kind: "scheduling.book", status: "applied", escalated: false, bookingStatus: "writing" }), "booking");
    assert.equal(panelState({ kind: "scheduling.book", status: "applied", escalated: false, bookingStatus: "declined" }), "declined");
    assert.equal(
      panelState({ kind: "scheduling.book", status: "applied", escalated: false, bookingStatus: "booked", bookingState: "rescheduling" }),
      "rescheduling",
    );
    assert.equal(panelState({ kind: "scheduling.book", status: "applied", escalated: false, bookingStatus: "booked", bookingState: "booked" }), "booked");
    assert.equal(panelState({ kind: "scheduling.book", status: "pending", escalated: true, bookingStatus: null }), "escalated");
    assert.equal(panelState({ kind: "scheduling.book", status: "approved", escalated: false, bookingStatus: null }), "booking");
    assert.equal(panelState({ kind: "approval", status: "approved", escalated: false, bookingStatus: null }), "closed");
  });
});
