/**
 * The console endpoints that put people and postings where ids used to be: the sign-in status
 * (200 whether or not anyone is signed in), names for recorded actors, the candidate and posting
 * of runs, and a hiring manager's postings checked against Lever's list.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { Hono } from "hono";
import { createAuditTrail } from "../../governance/index.ts";
import { silentLogger } from "../../observability/index.ts";
import { openTestDatabase, testEngines, type TestDatabase } from "../../store/testing.ts";
import { cachedPostings, createConsole, createUser, findUserByEmail, type PostingChoice } from "./index.ts";

const ENGINES = await testEngines();
const COST = { N: 1024, r: 8, p: 1 };
const ORIGIN = "http://console.test";

for (const engine of ENGINES) {
  describe(`people and postings in the console on ${engine.kind}`, { skip: engine.skip }, () => {
    let t: TestDatabase;
    let app: Hono;
    let adminId: string;
    let postings: PostingChoice[] | Error = [];

    before(async () => {
      t = await openTestDatabase(engine.kind);
      const audit = createAuditTrail(t.db);
      const parts = createConsole({
        db: t.db,
        logger: silentLogger,
        scryptCost: COST,
        services: {
          audit: { search: (q) => audit.search(q), verify: () => audit.verify() },
          postings: async () => {
            if (postings instanceof Error) throw postings;
            return postings;
          },
        },
      });
      app = new Hono();
      app.use("/api/*", parts.apiGuard);
      app.route("/", parts.routes);
      adminId = (await createUser(t.db, { email: "admin@example.com", name: "Ada Admin", role: "admin", password: "admin password 1" }, COST)).id;
      await createUser(t.db, { email: "rec@example.com", role: "recruiter", password: "recruiter password" }, COST);
    });
    after(async () => t?.drop());

    async function send(cookie: string | undefined, method: string, path: string, body?: unknown, csrf?: string) {
      const headers: Record<string, string> = { origin: ORIGIN };
      if (cookie) headers.cookie = cookie;
      if (csrf) headers["x-csrf-token"] = csrf;
      if (body !== undefined) headers["content-type"] = "application/json";
      return app.request(
        `${ORIGIN}${path}`,
        { method, headers, body: body === undefined ? undefined : JSON.stringify(body) },
        { incoming: { socket: { remoteAddress: "10.0.0.9" } } },
      );
    }

    async function signIn(email: string, password: string): Promise<{ cookie: string; csrf: string }> {
      const res = await send(undefined, "POST", "/console/api/login", { email, password });
      assert.equal(res.status, 200);
      const cookie = res.headers
        .getSetCookie()
        .map((l) => l.split(";")[0]!)
        .join("; ");
      return { cookie, csrf: ((await res.json()) as { csrfToken: string }).csrfToken };
    }

    it("answers the sign-in status with 200 when no one is signed in, saying single sign-on is not configured", async () => {
      const res = await send(undefined, "GET", "/console/api/status");
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), { signedIn: false, user: null, sso: null, sandbox: false });
    });

    it("answers the sign-in status with the person and the CSRF token when signed in", async () => {
      const s = await signIn("rec@example.com", "recruiter password");
      const body = (await (await send(s.cookie, "GET", "/console/api/status")).json()) as { signedIn: boolean; user: { email: string }; csrfToken: string };
      assert.equal(body.signedIn, true);
      assert.equal(body.user.email, "rec@example.com");
      assert.equal(body.csrfToken, s.csrf);
    });

    it("names recorded actors by account id or e-mail and leaves other actors out", async () => {
      const s = await signIn("rec@example.com", "recruiter password");
      const q = ["user:" + adminId, "user:REC@example.com", "user:00000000-0000-0000-0000-000000000000", "token:abc", "workflow:screening"]
        .map((a) => `actor=${encodeURIComponent(a)}`)
        .join("&");
      const res = await send(s.cookie, "GET", `/console/api/people?${q}`);
      assert.equal(res.status, 200);
      assert.deepEqual(((await res.json()) as { people: unknown }).people, { ["user:" + adminId]: "Ada Admin", "user:REC@example.com": "rec@example.com" });
      assert.equal((await send(undefined, "GET", `/console/api/people?${q}`)).status, 401);
    });

    it("gives audit search results with the names of the people who acted", async () => {
      // A candidate id (Lever's are UUIDs): the search takes anything else as a name.
      const candidateId = "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0";
      await createAuditTrail(t.db).append({ kind: "settings.four_eyes", actor: `user:${adminId}`, subject: { candidateId }, data: { required: false } });
      const s = await signIn("admin@example.com", "admin password 1");
      const body = (await (await send(s.cookie, "GET", `/console/api/audit?candidate=${candidateId}`)).json()) as {
        records: { actor: string }[];
        people: Record<string, string>;
      };
      assert.equal(body.records[0]!.actor, `user:${adminId}`);
      assert.equal(body.people[`user:${adminId}`], "Ada Admin");
    });

    it("labels runs with their candidate and posting, ignoring ids that are not numbers", async () => {
      const { rows } = await t.db.query<{ id: number }>(
        `insert into workflow_runs (run_key, workflow_id, workflow_hash, workflow, connection_id, event, trace_id, status, deadline_at, context)
         values ('labels:1', 'application-screening', 'h', '{}', 'default', '{"name":"applicationCreated"}', 'trace-labels', 'succeeded', now(),
                 '{"opportunity":{"name":"Cleo Candidate"},"posting":{"text":"Data Engineer"}}') returning id`,
      );
      const s = await signIn("rec@example.com", "recruiter password");
      const res = await send(s.cookie, "GET", `/console/api/run-labels?ids=${rows[0]!.id},nope,999999`);
      assert.deepEqual(((await res.json()) as { labels: unknown }).labels, {
        [String(rows[0]!.id)]: { candidateName: "Cleo Candidate", postingTitle: "Data Engineer" },
      });
    });

    it("lists Lever's postings for admins only", async () => {
      postings = [{ id: "post-1", title: "Data Engineer", state: "published", connectionId: "default" }];
      const admin = await signIn("admin@example.com", "admin password 1");
      const res = await send(admin.cookie, "GET", "/console/api/postings");
      assert.deepEqual(((await res.json()) as { postings: unknown }).postings, postings);
      const rec = await signIn("rec@example.com", "recruiter password");
      assert.equal((await send(rec.cookie, "GET", "/console/api/postings")).status, 403);
    });

    it("refuses a hiring manager with a posting id Lever does not have, naming it, and stores nothing", async () => {
      postings = [{ id: "post-1", title: "Data Engineer", state: "published", connectionId: "default" }];
      const admin = await signIn("admin@example.com", "admin password 1");
      const body = { email: "hm@example.com", role: "hiring_manager", password: "a manager password", postingIds: ["post-1", "post-typo"] };
      const res = await send(admin.cookie, "POST", "/console/api/users", body, admin.csrf);
      assert.equal(res.status, 400);
      assert.match(((await res.json()) as { error: { message: string } }).error.message, /^postingIds: no posting "post-typo" in Lever/);
      assert.equal(await findUserByEmail(t.db, "hm@example.com"), undefined);
      const ok = await send(admin.cookie, "POST", "/console/api/users", { ...body, postingIds: ["post-1"] }, admin.csrf);
      assert.equal(ok.status, 201);
      const id = ((await ok.json()) as { user: { id: string } }).user.id;
      const changed = await send(admin.cookie, "PATCH", `/console/api/users/${id}`, { postingIds: ["post-gone"] }, admin.csrf);
      assert.equal(changed.status, 400);
      assert.deepEqual((await findUserByEmail(t.db, "hm@example.com"))!.postingIds, ["post-1"]);
    });

    it("refuses posting ids it cannot check because Lever does not answer, saving nothing", async () => {
      postings = new Error("Lever answered 503");
      const admin = await signIn("admin@example.com", "admin password 1");
      const res = await send(
        admin.cookie,
        "POST",
        "/console/api/users",
        { email: "hm2@example.com", role: "hiring_manager", password: "a manager password", postingIds: ["post-1"] },
        admin.csrf,
      );
      assert.equal(res.status, 502);
      assert.match(((await res.json()) as { error: { message: string } }).error.message, /could not check them against Lever \(Lever answered 503\)/);
      assert.equal(await findUserByEmail(t.db, "hm2@example.com"), undefined);
    });
  });
}

describe("cached postings", () => {
  it("asks Lever once a minute, and again at once after a failure", async () => {
    let calls = 0;
    let fail = true;
    let now = 0;
    const list = cachedPostings(
      async () => {
        calls++;
        if (fail) throw new Error("down");
        return [];
      },
      60_000,
      () => now,
    );
    await assert.rejects(list(), /down/);
    await new Promise((r) => setImmediate(r));
    fail = false;
    await list();
    await list();
    assert.equal(calls, 2);
    now = 61_000;
    await list();
    assert.equal(calls, 3);
  });
});
