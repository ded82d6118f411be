import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Hono } from "hono";
import { BUILT_IN_PROMPTS_DIR, loadPrompts } from "../../ai/index.ts";
import { silentLogger } from "../../observability/index.ts";
import { openTestDatabase, testEngines, type TestDatabase } from "../../store/testing.ts";
import { createConsole, createUser, setFourEyes } from "./index.ts";

const ENGINES = await testEngines();
const COST = { N: 1024, r: 8, p: 1 };
const ORIGIN = "http://console.test";

for (const engine of ENGINES) {
  describe(`prompt versions need a second person's approval on ${engine.kind}`, { skip: engine.skip }, () => {
    let t: TestDatabase;
    let app: Hono;
    let dir: string;
    const sessions = new Map<string, { cookie: string; csrf: string; userId: string }>();

    before(async () => {
      t = await openTestDatabase(engine.kind);
      dir = mkdtempSync(join(tmpdir(), "fulcrum-prompts-"));
      cpSync(join(BUILT_IN_PROMPTS_DIR, "resume-evidence"), join(dir, "resume-evidence"), { recursive: true });
      app = new Hono();
      app.route("/", createConsole({ db: t.db, logger: silentLogger, scryptCost: COST, services: { promptsDir: dir } }).routes);
      for (const email of ["ana@example.com", "ben@example.com"]) {
        const user = await createUser(t.db, { email, role: "admin", password: "plum orchard kettle 42" }, COST);
        const res = await app.request(`${ORIGIN}/console/api/login`, {
          method: "POST",
          headers: { origin: ORIGIN, "content-type": "application/json" },
          body: JSON.stringify({ email, password: "plum orchard kettle 42" }),
        });
        assert.equal(res.status, 200);
        const cookie = res.headers
          .getSetCookie()
          .map((c) => c.split(";")[0])
          .join("; ");
        sessions.set(email, { cookie, csrf: ((await res.json()) as { csrfToken: string }).csrfToken, userId: user.id });
      }
    });
    after(async () => {
      await t?.drop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    async function as(email: string, method: string, path: string, body?: unknown) {
      const s = sessions.get(email)!;
      const res = await app.request(`${ORIGIN}/console/api${path}`, {
        method,
        headers: { origin: ORIGIN, cookie: s.cookie, "x-csrf-token": s.csrf, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, json: (await res.json()) as Record<string, any> };
    }

    const edited = (words: string) =>
      readFileSync(join(dir, "resume-evidence", "v1.md"), "utf8").replace("You help a recruiter", `You ${words} help a recruiter`);
    const kinds = async () =>
      (
        await t.db.query<{ kind: string; actor: string; data: unknown }>("select kind, actor, data from audit_records where kind like 'prompt.%' order by seq")
      ).rows.map((r) => {
        const stored = (typeof r.data === "string" ? JSON.parse(r.data) : r.data) as { data: Record<string, unknown> };
        return [r.kind, r.actor, stored.data];
      });

    it("saves an edited prompt as a pending version that runs nowhere but can be replayed by name@version", async () => {
      const saved = await as("ana@example.com", "POST", "/prompts", { name: "resume-evidence", text: edited("carefully") });
      assert.equal(saved.status, 201, JSON.stringify(saved.json));
      assert.deepEqual(saved.json.prompt, { name: "resume-evidence", version: "v2", status: "pending" });
      const registry = loadPrompts([dir]);
      assert.equal(registry.get("resume-evidence").version, "v1", "the live version stays v1 until approved");
      assert.match(registry.get("resume-evidence@v2").instructions, /carefully/);
      const listed = await as("ben@example.com", "GET", "/prompts");
      const entry = (listed.json.prompts as { name: string; versions: string[]; pending: { version: string; author: string }[] }[]).find(
        (p) => p.name === "resume-evidence",
      )!;
      assert.deepEqual(entry.versions, ["v1", "v2"]);
      assert.deepEqual(
        entry.pending.map((p) => [p.version, p.author]),
        [["v2", `user:${sessions.get("ana@example.com")!.userId}`]],
      );
    });

    it("refuses the author's own approval with 403 and a clear message, and changes nothing", async () => {
      const own = await as("ana@example.com", "POST", "/prompts/resume-evidence/v2/approve");
      assert.equal(own.status, 403);
      assert.match(own.json.error.message, /You wrote prompt resume-evidence@v2, so someone else must approve it/);
      assert.equal(loadPrompts([dir]).get("resume-evidence").version, "v1");
    });

    it("lets another person approve it, after which it is the live version, audited with both names", async () => {
      const approved = await as("ben@example.com", "POST", "/prompts/resume-evidence/v2/approve");
      assert.equal(approved.status, 200, JSON.stringify(approved.json));
      assert.equal(loadPrompts([dir]).get("resume-evidence").version, "v2");
      assert.equal(existsSync(join(dir, "resume-evidence", "v2.pending")), false);
      assert.equal((await as("ben@example.com", "POST", "/prompts/resume-evidence/v2/approve")).status, 409);
      assert.equal((await as("ben@example.com", "POST", "/prompts/resume-evidence/v7/approve")).status, 404);
      const ana = `user:${sessions.get("ana@example.com")!.userId}`;
      const ben = `user:${sessions.get("ben@example.com")!.userId}`;
      assert.deepEqual(await kinds(), [
        ["prompt.saved", ana, { name: "resume-evidence", version: "v2" }],
        ["prompt.approved", ben, { name: "resume-evidence", version: "v2", author: ana }],
      ]);
    });

    it("lets the author approve once an admin turned four eyes off, marking it self-approved", async () => {
      await setFourEyes(t.db, false, `user:${sessions.get("ben@example.com")!.userId}`);
      try {
        const saved = await as("ana@example.com", "POST", "/prompts", { name: "resume-evidence", text: edited("gently") });
        assert.equal(saved.json.prompt.version, "v3");
        const own = await as("ana@example.com", "POST", "/prompts/resume-evidence/v3/approve");
        assert.equal(own.status, 200, JSON.stringify(own.json));
        assert.equal(loadPrompts([dir]).get("resume-evidence").version, "v3");
        const last = (await kinds()).at(-1)!;
        assert.equal(last[0], "prompt.approved");
        assert.equal((last[2] as { selfApproved?: boolean }).selfApproved, true);
      } finally {
        await setFourEyes(t.db, true, "user:test");
      }
    });
  });
}
