import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { EventEmitter } from "node:events";
import { Hono } from "hono";
import { silentLogger } from "../../observability/index.ts";
import { openTestDatabase, testEngines, type TestDatabase } from "../../store/testing.ts";
import { createConsole, createUser, ensureFirstAdmin, getCaller, hashPassword, verifyPassword, type Console } from "./index.ts";

// Awaited before any test is registered: under --test-force-exit a file exits once the tests it
// knows have run, so tests registered after a later top-level await would be dropped unreported.
const ENGINES = await testEngines();

const COST = { N: 1024, r: 8, p: 1 };
const ORIGIN = "http://console.test";

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
        throttle: { ipMaxFailures: 8, ipWindowMs: 60_000, accountMaxFailures: 3, accountLockMs: 60_000 },
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
      assert.equal(((await wrong.json()) as { error: string }).error, ((await unknown.json()) as { error: string }).error);
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
      assert.match(((await res.json()) as { error: string }).error, /x-csrf-token/);
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
      assert.match(((await res.json()) as { error: string }).error, /evil\.example/);
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
      const res = await send(b, "POST", "/console/api/login", { body: { email: "admin@example.com", password: "admin password 1" }, headers: { origin: "https://evil.example" } });
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
      assert.match(((await other.json()) as { error: string }).error, /posting you do not manage/);
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
      assert.match(((await noToken.json()) as { error: string }).error, /cross-site/);
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
      assert.match(((await weak.json()) as { error: string }).error, /12 characters/);
    });

    it("locks an account after repeated wrong passwords, refusing even the right one", async () => {
      const b: Browser = { cookies: new Map() };
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) {
        statuses.push((await send(b, "POST", "/console/api/login", { body: { email: "lock@example.com", password: `guess number ${i}` }, ip: `10.1.0.${i}` })).status);
      }
      assert.deepEqual(statuses, [401, 401, 423]);
      const right = await send(b, "POST", "/console/api/login", { body: { email: "lock@example.com", password: "lockable password" }, ip: "10.1.0.9" });
      assert.equal(right.status, 423);
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
      assert.equal((await send(b, "POST", "/console/api/login", { body: { email: "admin@example.com", password: "admin password 1" }, ip: "10.2.0.2" })).status, 200);
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
