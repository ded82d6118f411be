import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { EventEmitter } from "node:events";
import { Hono } from "hono";
import { silentLogger } from "../../observability/index.ts";
import { openTestDatabase, testEngines, type TestDatabase } from "../../store/testing.ts";
import {
  createConsole,
  createUser,
  ensureFirstAdmin,
  getCaller,
  hashPassword,
  passwordProblem,
  setPassword,
  signIn,
  verifyPassword,
  type Console,
  type ThrottlePolicy,
} from "./index.ts";

// Awaited before any test is registered: under --test-force-exit a file exits once the tests it
// knows have run, so tests registered after a later top-level await would be dropped unreported.
const ENGINES = await testEngines();

const COST = { N: 1024, r: 8, p: 1 };
const ORIGIN = "http://console.test";

/** Small numbers so the tests stay short: 3 free failures per account, 8 per address, then 1 s, 2 s, 4 s… */
const TEST_THROTTLE: ThrottlePolicy = {
  account: { freeFailures: 3, baseDelayMs: 1000, maxDelayMs: 60_000, forgetAfterMs: 3_600_000 },
  ip: { freeFailures: 8, baseDelayMs: 1000, maxDelayMs: 60_000, forgetAfterMs: 3_600_000 },
};

describe("password hashing", () => {
  it("verifies the right password and refuses a wrong one, with a fresh salt each time", async () => {
    const a = await hashPassword("correct horse battery", COST);
    const b = await hashPassword("correct horse battery", COST);
    assert.notEqual(a, b);
    assert.match(a, /^scrypt\$1024\$8\$1\$/);
    assert.equal(await verifyPassword("correct horse battery", a), true);
    assert.equal(await verifyPassword("correct horse batterY", a), false);
    assert.equal(await verifyPassword("anything", "not-a-hash"), false);
  });
});

interface Browser {
  cookies: Map<string, string>;
  csrf?: string;
}

function cookieHeader(b: Browser): string {
  return [...b.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
}

function keepCookies(b: Browser, res: Response): void {
  for (const line of res.headers.getSetCookie()) {
    const [pair] = line.split(";");
    const eq = pair!.indexOf("=");
    const name = pair!.slice(0, eq);
    const value = pair!.slice(eq + 1);
    if (/max-age=0/i.test(line) || value === "") b.cookies.delete(name);
    else b.cookies.set(name, value);
  }
}

for (const engine of ENGINES) {
  describe(`console sign-in, sessions, CSRF and roles on ${engine.kind}`, { skip: engine.skip }, () => {
    let t: TestDatabase;
    let app: Hono;
    let consoleParts: Console;
    const events = new EventEmitter();
    const postings: Record<string, string> = { "p-own": "posting-a", "p-other": "posting-b" };

    before(async () => {
      t = await openTestDatabase(engine.kind);
      consoleParts = createConsole({
        db: t.db,
        logger: silentLogger,
        engineEvents: events,
        scryptCost: COST,
        proposalPosting: async (id) => postings[id],
        throttle: TEST_THROTTLE,
      });
      app = new Hono();
      app.use("/api/*", consoleParts.apiGuard);
      // A stand-in API route behind the guard: it answers with whom the guard let through.
      app.all("/api/*", (c) => c.json({ reached: true, caller: getCaller(c) ?? null }));
      app.route("/", consoleParts.routes);
      await createUser(t.db, { email: "admin@example.com", role: "admin", password: "admin password 1" }, COST);
      await createUser(t.db, { email: "rec@example.com", role: "recruiter", password: "recruiter password" }, COST);
      await createUser(t.db, { email: "hm@example.com", role: "hiring_manager", password: "manager password", postingIds: ["posting-a"] }, COST);
      await createUser(t.db, { email: "aud@example.com", role: "auditor", password: "auditor password" }, COST);
      await createUser(t.db, { email: "lock@example.com", role: "recruiter", password: "lockable password" }, COST);
    });
    after(async () => t?.drop());

    async function send(b: Browser, method: string, path: string, options: { body?: unknown; headers?: Record<string, string>; ip?: string } = {}) {
      const headers: Record<string, string> = { origin: ORIGIN, ...options.headers };
      if (b.cookies.size) headers.cookie = cookieHeader(b);
      if (options.body !== undefined) headers["content-type"] = "application/json";
      const res = await app.request(
        `${ORIGIN}${path}`,
        { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) },
        { incoming: { socket: { remoteAddress: options.ip ?? "10.0.0.1" } } },
      );
      keepCookies(b, res);
      return res;
    }

    async function signedIn(email: string, password: string, ip = "10.0.0.1"): Promise<Browser> {
      const b: Browser = { cookies: new Map() };
      const res = await send(b, "POST", "/console/api/login", { body: { email, password }, ip });
      assert.equal(res.status, 200, await res.clone().text());
      b.csrf = ((await res.json()) as { csrfToken: string }).csrfToken;
      return b;
    }

    it("signs in with an HttpOnly SameSite session cookie and a readable CSRF cookie", async () => {
      const b: Browser = { cookies: new Map() };
      const res = await send(b, "POST", "/console/api/login", { body: { email: "ADMIN@example.com", password: "admin password 1" } });
      assert.equal(res.status, 200);
      const cookies = res.headers.getSetCookie();
      const session = cookies.find((c) => c.startsWith("fulcrum_session="))!;
      assert.match(session, /HttpOnly/);
      assert.match(session, /SameSite=Lax/);
      assert.match(cookies.find((c) => c.startsWith("fulcrum_csrf="))!, /SameSite=Strict/);
      const me = await send(b, "GET", "/console/api/session");
      assert.equal(me.status, 200);
      assert.equal(((await me.json()) as { user: { role: string } }).user.role, "admin");
    });

    it("answers a wrong password and an unknown e-mail with the same message", async () => {
      const b: Browser = { cookies: new Map() };
      const wrong = await send(b, "POST", "/console/api/login", { body: { email: "rec@example.com", password: "not the password" }, ip: "10.0.9.1" });
      const unknown = await send(b, "POST", "/console/api/login", { body: { email: "nobody@example.com", password: "not the password" }, ip: "10.0.9.1" });
      assert.equal(wrong.status, 401);
      assert.equal(unknown.status, 401);
      assert.equal(
        ((await wrong.json()) as { error: { message: string } }).error.message,
        ((await unknown.json()) as { error: { message: string } }).error.message,
      );
      assert.equal(b.cookies.size, 0);
    });

    it("gives a new session id at sign-in and ends the one the browser arrived with (session fixation)", async () => {
      const victim = await signedIn("rec@example.com", "recruiter password");
      const planted = victim.cookies.get("fulcrum_session")!;
      // The attacker plants a session id of their own in a browser, which then signs in as admin.
      const browser: Browser = { cookies: new Map([["fulcrum_session", planted]]) };
      const res = await send(browser, "POST", "/console/api/login", { body: { email: "admin@example.com", password: "admin password 1" } });
      assert.equal(res.status, 200);
      assert.notEqual(browser.cookies.get("fulcrum_session"), planted);
      const attacker: Browser = { cookies: new Map([["fulcrum_session", planted]]) };
      assert.equal((await send(attacker, "GET", "/console/api/session")).status, 401);
      assert.equal((await send(browser, "GET", "/console/api/session")).status, 200);
    });

    it("refuses a state-changing API request without the CSRF token", async () => {
      const b = await signedIn("rec@example.com", "recruiter password");
      const res = await send(b, "POST", "/api/proposals/p-own/approve", { body: {} });
      assert.equal(res.status, 403);
      assert.match(((await res.json()) as { error: { message: string } }).error.message, /x-csrf-token/);
    });

    it("refuses a state-changing API request with a token from another session", async () => {
      const b = await signedIn("rec@example.com", "recruiter password");
      const other = await signedIn("admin@example.com", "admin password 1");
      const res = await send(b, "POST", "/api/proposals/p-own/approve", { body: {}, headers: { "x-csrf-token": other.csrf! } });
      assert.equal(res.status, 403);
    });

    it("refuses a state-changing API request from another origin even with the right token", async () => {
      const b = await signedIn("rec@example.com", "recruiter password");
      const res = await send(b, "POST", "/api/proposals/p-own/approve", { body: {}, headers: { origin: "https://evil.example", "x-csrf-token": b.csrf! } });
      assert.equal(res.status, 403);
      assert.match(((await res.json()) as { error: { message: string } }).error.message, /evil\.example/);
      const viaReferer = await send(b, "POST", "/api/proposals/p-own/approve", {
        body: {},
        headers: { origin: "", referer: "https://evil.example/page", "x-csrf-token": b.csrf! },
      });
      assert.equal(viaReferer.status, 403);
    });

    it("lets a same-origin request with the session's token through, with the caller resolved", async () => {
      const b = await signedIn("rec@example.com", "recruiter password");
      const res = await send(b, "POST", "/api/proposals/p-own/approve", { body: {}, headers: { "x-csrf-token": b.csrf! } });
      assert.equal(res.status, 200);
      const body = (await res.json()) as { reached: boolean; caller: { role: string } };
      assert.equal(body.caller.role, "recruiter");
    });

    it("refuses a sign-in posted from another site (login CSRF)", async () => {
      const b: Browser = { cookies: new Map() };
      const res = await send(b, "POST", "/console/api/login", {
        body: { email: "admin@example.com", password: "admin password 1" },
        headers: { origin: "https://evil.example" },
      });
      assert.equal(res.status, 403);
      assert.equal(b.cookies.size, 0);
    });

    it("refuses the API without a session and passes bearer-token requests on to the API's own check", async () => {
      const anonymous: Browser = { cookies: new Map() };
      assert.equal((await send(anonymous, "GET", "/api/proposals")).status, 401);
      const bearer = await send(anonymous, "GET", "/api/proposals", { headers: { authorization: "Bearer some-token" } });
      assert.equal(bearer.status, 200);
      assert.equal(((await bearer.json()) as { caller: unknown }).caller, null);
    });

    it("lets a hiring manager decide proposals of their own posting only, on the server", async () => {
      const hm = await signedIn("hm@example.com", "manager password");
      const own = await send(hm, "POST", "/api/proposals/p-own/approve", { body: {}, headers: { "x-csrf-token": hm.csrf! } });
      assert.equal(own.status, 200);
      const other = await send(hm, "POST", "/api/proposals/p-other/approve", { body: {}, headers: { "x-csrf-token": hm.csrf! } });
      assert.equal(other.status, 403);
      assert.match(((await other.json()) as { error: { message: string } }).error.message, /posting you do not manage/);
      assert.equal((await send(hm, "GET", "/api/proposals/p-other")).status, 403);
      assert.equal((await send(hm, "GET", "/api/workflows")).status, 403);
    });

    it("keeps an auditor read-only and out of workflow changes", async () => {
      const aud = await signedIn("aud@example.com", "auditor password");
      assert.equal((await send(aud, "GET", "/api/proposals")).status, 200);
      assert.equal((await send(aud, "POST", "/api/proposals/p-own/approve", { body: {}, headers: { "x-csrf-token": aud.csrf! } })).status, 403);
      assert.equal((await send(aud, "PATCH", "/api/workflows/screening", { body: { mode: "auto" }, headers: { "x-csrf-token": aud.csrf! } })).status, 403);
    });

    it("lets only an admin reach the mode ceiling switch, and only with the session's CSRF token", async () => {
      const admin = await signedIn("admin@example.com", "admin password 1");
      const noToken = await send(admin, "PUT", "/api/settings/mode-ceiling", { body: { mode: "shadow" } });
      assert.equal(noToken.status, 403);
      assert.match(((await noToken.json()) as { error: { message: string } }).error.message, /cross-site/);
      const rec = await signedIn("rec@example.com", "recruiter password");
      assert.equal((await send(rec, "PUT", "/api/settings/mode-ceiling", { body: { mode: "shadow" }, headers: { "x-csrf-token": rec.csrf! } })).status, 403);
      assert.equal((await send(rec, "GET", "/api/settings/mode-ceiling")).status, 403);
      const ok = await send(admin, "PUT", "/api/settings/mode-ceiling", { body: { mode: "shadow" }, headers: { "x-csrf-token": admin.csrf! } });
      assert.equal(ok.status, 200);
      assert.equal(((await ok.json()) as { caller: { role: string } }).caller.role, "admin");
    });

    it("lets only an admin manage accounts", async () => {
      const rec = await signedIn("rec@example.com", "recruiter password");
      assert.equal((await send(rec, "GET", "/console/api/users")).status, 403);
      const admin = await signedIn("admin@example.com", "admin password 1");
      const created = await send(admin, "POST", "/console/api/users", {
        body: { email: "new@example.com", role: "auditor", password: "a long enough password" },
        headers: { "x-csrf-token": admin.csrf! },
      });
      assert.equal(created.status, 201);
      const weak = await send(admin, "POST", "/console/api/users", {
        body: { email: "weak@example.com", role: "auditor", password: "short" },
        headers: { "x-csrf-token": admin.csrf! },
      });
      assert.equal(weak.status, 400);
      assert.match(((await weak.json()) as { error: { message: string } }).error.message, /12 characters/);
      const guessable = await send(admin, "POST", "/console/api/users", {
        body: { email: "guessable@example.com", role: "auditor", password: "password1234" },
        headers: { "x-csrf-token": admin.csrf! },
      });
      assert.equal(guessable.status, 400);
      assert.match(
        ((await guessable.json()) as { error: { message: string } }).error.message,
        /too easy to guess: this is similar to a commonly used password/i,
      );
      const changed = await send(admin, "PATCH", `/console/api/users/${((await created.json()) as { user: { id: string } }).user.id}`, {
        body: { password: "123456789012" },
        headers: { "x-csrf-token": admin.csrf! },
      });
      assert.equal(changed.status, 400);
      assert.match(((await changed.json()) as { error: { message: string } }).error.message, /too easy to guess/);
    });

    it("lets only an admin turn four eyes off, with the session's CSRF token, and audits the change", async () => {
      const admin = await signedIn("admin@example.com", "admin password 1");
      const before = await send(admin, "GET", "/console/api/settings/four-eyes");
      assert.equal(before.status, 200);
      assert.equal(((await before.json()) as { fourEyes: { required: boolean } }).fourEyes.required, true);
      const rec = await signedIn("rec@example.com", "recruiter password");
      assert.equal(
        (await send(rec, "PUT", "/console/api/settings/four-eyes", { body: { required: false }, headers: { "x-csrf-token": rec.csrf! } })).status,
        403,
      );
      assert.equal((await send(admin, "PUT", "/console/api/settings/four-eyes", { body: { required: false } })).status, 403);
      const bad = await send(admin, "PUT", "/console/api/settings/four-eyes", { body: { required: "no" }, headers: { "x-csrf-token": admin.csrf! } });
      assert.equal(bad.status, 400);
      assert.match(((await bad.json()) as { error: { message: string } }).error.message, /^required: /);
      const off = await send(admin, "PUT", "/console/api/settings/four-eyes", { body: { required: false }, headers: { "x-csrf-token": admin.csrf! } });
      assert.equal(off.status, 200, await off.clone().text());
      const state = ((await off.json()) as { fourEyes: { required: boolean; updatedBy: string } }).fourEyes;
      assert.equal(state.required, false);
      const adminId = ((await (await send(admin, "GET", "/console/api/session")).json()) as { user: { id: string } }).user.id;
      assert.equal(state.updatedBy, `user:${adminId}`);
      const { rows } = await t.db.query<{ actor: string; data: unknown }>(
        "select actor, data from audit_records where kind = 'settings.four_eyes' order by seq",
      );
      const data = rows.map((r) => ((typeof r.data === "string" ? JSON.parse(r.data) : r.data) as { data: { before: boolean; required: boolean } }).data);
      assert.deepEqual(
        rows.map((r) => r.actor),
        [`user:${adminId}`],
      );
      assert.deepEqual(data, [{ before: true, required: false }]);
      assert.equal(
        (await send(admin, "PUT", "/console/api/settings/four-eyes", { body: { required: true }, headers: { "x-csrf-token": admin.csrf! } })).status,
        200,
      );
    });

    it("throttles an account after repeated wrong passwords, refusing even the right one for a while", async () => {
      const b: Browser = { cookies: new Map() };
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) {
        statuses.push(
          (await send(b, "POST", "/console/api/login", { body: { email: "lock@example.com", password: `guess number ${i}` }, ip: `10.1.0.${i}` })).status,
        );
      }
      assert.deepEqual(statuses, [401, 401, 401]);
      const right = await send(b, "POST", "/console/api/login", { body: { email: "lock@example.com", password: "lockable password" }, ip: "10.1.0.9" });
      assert.equal(right.status, 429);
      assert.ok(Number(right.headers.get("retry-after")) > 0);
      assert.equal(b.cookies.size, 0);
    });

    it("throttles an address that keeps failing, across accounts", async () => {
      const b: Browser = { cookies: new Map() };
      let last: Response | undefined;
      for (let i = 0; i < 9; i++) {
        last = await send(b, "POST", "/console/api/login", { body: { email: `user${i}@example.com`, password: "wrong password" }, ip: "10.2.0.1" });
      }
      assert.equal(last!.status, 429);
      assert.ok(Number(last!.headers.get("retry-after")) > 0);
      // Another address is not affected.
      assert.equal(
        (await send(b, "POST", "/console/api/login", { body: { email: "admin@example.com", password: "admin password 1" }, ip: "10.2.0.2" })).status,
        200,
      );
    });

    it("ends the session at sign-out", async () => {
      const b = await signedIn("rec@example.com", "recruiter password");
      const session = b.cookies.get("fulcrum_session")!;
      assert.equal((await send(b, "POST", "/console/api/logout", { headers: { "x-csrf-token": b.csrf! } })).status, 204);
      const again: Browser = { cookies: new Map([["fulcrum_session", session]]) };
      assert.equal((await send(again, "GET", "/console/api/session")).status, 401);
    });

    it("streams engine events to the console, only a hiring manager's own postings to them", async () => {
      const hm = await signedIn("hm@example.com", "manager password");
      const res = await send(hm, "GET", "/console/events");
      assert.equal(res.headers.get("content-type"), "text/event-stream");
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      let text = "";
      const readUntil = async (needle: string) => {
        while (!text.includes(needle)) {
          const { value, done } = await reader.read();
          if (done) break;
          text += decoder.decode(value);
        }
      };
      await readUntil("event: ready");
      events.emit("proposal.created", { proposal: { id: "x1", postingId: "posting-b" } });
      events.emit("proposal.created", { proposal: { id: "x2", postingId: "posting-a" } });
      await readUntil("x2");
      await reader.cancel();
      assert.match(text, /"x2"/);
      assert.doesNotMatch(text, /"x1"/);
    });

    it("serves the page with a content security policy that forbids inline and foreign scripts", async () => {
      const res = await send({ cookies: new Map() }, "GET", "/proposals", { headers: { accept: "text/html" } });
      const csp = res.headers.get("content-security-policy") ?? "";
      assert.match(csp, /script-src 'self'(;|$)/);
      assert.match(csp, /frame-ancestors 'none'/);
      assert.equal(res.headers.get("x-content-type-options"), "nosniff");
    });

    it("creates one first admin with a random password only when there is no account", async () => {
      assert.equal(await ensureFirstAdmin(t.db, COST), undefined);
    });
  });
}

for (const engine of ENGINES) {
  describe(`sign-in guessing on ${engine.kind}`, { skip: engine.skip }, () => {
    let t: TestDatabase;
    let app: Hono;
    before(async () => {
      t = await openTestDatabase(engine.kind);
      app = new Hono();
      // Waits of a minute and more: on a loaded machine a burst of 60 sign-ins can outlast a 1 s wait,
      // which would let more passwords be checked than the throttle means to.
      const slowWaits: ThrottlePolicy = {
        account: { ...TEST_THROTTLE.account, baseDelayMs: 60_000, maxDelayMs: 3_600_000 },
        ip: { ...TEST_THROTTLE.ip, baseDelayMs: 60_000, maxDelayMs: 3_600_000 },
      };
      app.route("/", createConsole({ db: t.db, logger: silentLogger, scryptCost: COST, throttle: slowWaits }).routes);
    });
    after(async () => t?.drop());

    const login = (email: string, password: string, ip: string) =>
      app.request(
        `${ORIGIN}/console/api/login`,
        { method: "POST", headers: { origin: ORIGIN, "content-type": "application/json" }, body: JSON.stringify({ email, password }) },
        { incoming: { socket: { remoteAddress: ip } } },
      );
    /** How many passwords were actually checked for an address (one row per check). */
    const checked = async (email: string) =>
      (await t.db.query<{ n: number }>("select count(*)::int as n from console_login_attempts where lower(email) = lower($1)", [email])).rows[0]!.n;

    it("checks only a few passwords of 60 concurrent wrong sign-ins from one address, and refuses the right one after them", async () => {
      await createUser(t.db, { email: "burst@example.com", role: "admin", password: "plum orchard kettle 42" }, COST);
      const burst = await Promise.all(Array.from({ length: 60 }, (_, i) => login("burst@example.com", `wrong guess ${i}`, "10.7.0.1")));
      assert.ok((await checked("burst@example.com")) <= 5, `checked ${await checked("burst@example.com")} passwords`);
      assert.ok(burst.filter((r) => r.status === 429).length >= 55);
      const right = await login("burst@example.com", "plum orchard kettle 42", "10.7.0.1");
      assert.equal(right.status, 429);
      assert.ok(Number(right.headers.get("retry-after")) >= 1);
      assert.equal(right.headers.getSetCookie().length, 0);
    });

    it("counts an account's failures across addresses, so a burst from 60 addresses checks only a few passwords", async () => {
      await createUser(t.db, { email: "spread@example.com", role: "recruiter", password: "plum orchard kettle 42" }, COST);
      const burst = await Promise.all(Array.from({ length: 60 }, (_, i) => login("spread@example.com", `wrong guess ${i}`, `10.8.${i}.1`)));
      assert.ok((await checked("spread@example.com")) <= 5, `checked ${await checked("spread@example.com")} passwords`);
      const right = await login("spread@example.com", "plum orchard kettle 42", "10.8.99.1");
      assert.equal(right.status, 429);
      assert.equal(((await right.json()) as { error: { code: string } }).error.code, "throttled");
      assert.ok(burst.every((r) => r.status === 401 || r.status === 429));
    });

    it("counts IPv6 clients per /64, so hopping addresses within one network does not reset the count", async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 9; i++) statuses.push((await login(`v6-${i}@example.com`, "wrong password", `2001:db8:7:1::${(i + 1).toString(16)}`)).status);
      assert.deepEqual(statuses, [401, 401, 401, 401, 401, 401, 401, 401, 429]);
      assert.equal((await login("v6-x@example.com", "wrong password", "2001:db8:7:2::1")).status, 401, "another /64 has its own count");
    });

    it("throttles an unknown address the same way as a known one (no hint which accounts exist)", async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await login("nobody-here@example.com", `guess ${i}`, `10.9.0.${i}`)).status);
      assert.deepEqual(statuses, [401, 401, 401, 429, 429]);
    });

    it("makes each further failure wait twice as long, and lets the right password in once the wait is over", async () => {
      await createUser(t.db, { email: "slow@example.com", role: "recruiter", password: "plum orchard kettle 42" }, COST);
      let clock = Date.parse("2030-01-01T00:00:00Z");
      let n = 1; // a new address each time: this is the account's own backoff
      const attempt = (password: string) =>
        signIn(t.db, { email: "slow@example.com", password, ip: `10.10.0.${n++}` }, { scryptCost: COST, throttle: TEST_THROTTLE, now: () => new Date(clock) });
      for (let i = 0; i < 3; i++) assert.equal((await attempt(`wrong ${i}`)).ok, false);
      const waits: number[] = [];
      for (let i = 0; i < 4; i++) {
        const refused = await attempt("plum orchard kettle 42");
        assert.equal(refused.ok, false);
        assert.equal(!refused.ok && refused.reason, "throttled");
        waits.push(!refused.ok ? (refused.retryAfterSeconds ?? 0) : 0);
        clock += waits.at(-1)! * 1000;
        assert.equal((await attempt(`wrong again ${i}`)).ok, false);
      }
      assert.deepEqual(waits, [1, 2, 4, 8]);
      clock += 16_000;
      assert.equal((await attempt("plum orchard kettle 42")).ok, true);
    });

    it("keeps the failures counted before a successful sign-in", async () => {
      await createUser(t.db, { email: "keep@example.com", role: "recruiter", password: "plum orchard kettle 42" }, COST);
      const clock = Date.parse("2030-02-01T00:00:00Z");
      const attempt = (password: string) =>
        signIn(t.db, { email: "keep@example.com", password, ip: "10.11.0.1" }, { scryptCost: COST, throttle: TEST_THROTTLE, now: () => new Date(clock) });
      assert.equal((await attempt("wrong 1")).ok, false);
      assert.equal((await attempt("wrong 2")).ok, false);
      assert.equal((await attempt("plum orchard kettle 42")).ok, true);
      // The third failure reaches the allowance: the next attempt, even with the right password, waits.
      assert.equal((await attempt("wrong 3")).ok, false);
      const right = await attempt("plum orchard kettle 42");
      assert.equal(!right.ok && right.reason, "throttled");
    });

    it("lets an admin's password reset lift an account's throttle", async () => {
      const user = await createUser(t.db, { email: "reset@example.com", role: "recruiter", password: "plum orchard kettle 42" }, COST);
      for (let i = 0; i < 4; i++) await login("reset@example.com", `wrong ${i}`, `10.12.0.${i}`);
      assert.equal((await login("reset@example.com", "plum orchard kettle 42", "10.12.0.9")).status, 429);
      await setPassword(t.db, user.id, "violet harbour lantern 7", COST);
      assert.equal((await login("reset@example.com", "violet harbour lantern 7", "10.12.0.9")).status, 200);
    });

    it("gives the first admin a generated address, not a well-known one, or the configured one", async () => {
      const empty = await openTestDatabase(engine.kind);
      try {
        const first = await ensureFirstAdmin(empty.db, COST);
        assert.ok(first);
        assert.notEqual(first.email, "admin@fulcrum.local");
        assert.match(first.email, /^admin-[a-z0-9]{8,}@/);
      } finally {
        await empty.drop();
      }
      const configured = await openTestDatabase(engine.kind);
      try {
        const first = await ensureFirstAdmin(configured.db, COST, { email: "ops@example.com" });
        assert.equal(first?.email, "ops@example.com");
      } finally {
        await configured.drop();
      }
    });
  });
}

describe("password strength", () => {
  for (const weak of ["aaaaaaaaaaaa", "123456789012", "password1234"]) {
    it(`refuses "${weak}" and says why`, async () => {
      const problem = await passwordProblem(weak);
      assert.ok(problem, `${weak} was accepted`);
      assert.match(problem, /too easy to guess/);
      assert.match(problem, /(repeated|common|similar)/i);
    });
  }

  it("accepts a long passphrase of uncommon words", async () => {
    assert.equal(await passwordProblem("plum orchard kettle 42"), undefined);
  });

  it("refuses a password built from the person's own e-mail address", async () => {
    assert.match((await passwordProblem("margaret.hamilton", ["margaret.hamilton@example.com"])) ?? "", /too easy to guess/);
  });
});
