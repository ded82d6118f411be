/**
 * "Shadow" means no writes: a workflow a person set to shadow (API or console) records what it
 * would do and writes nothing to Lever, whatever its file's per-action `modes` or `sandbox:` block
 * say; and the workflow list shows the mode each action really runs in, with the reason.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Hono } from "hono";
import { testEngines } from "../../src/store/testing.ts";
import { createMemoryConnectionDirectory } from "../../src/engine/sources/index.ts";
import { createApp } from "../../src/server/app.ts";
import { createApiToken } from "../../src/server/api/tokens.ts";
import { createUser } from "../../src/server/console/index.ts";
import { silentLogger } from "../../src/observability/index.ts";
import { BUILTIN_WORKFLOWS_DIR } from "../../src/engine/workflows/index.ts";
import { candidateEntersPhoneScreen as enterPhoneScreen, notesOf as notesOfIn, startHarness, type Harness } from "./harness.ts";

interface ListedAction {
  step: string;
  type: string;
  mode: string;
  decidedBy: string[];
  reason: string;
  ignored: string[];
}
interface Listed {
  id: string;
  mode: string;
  effectiveMode: string;
  actions: ListedAction[];
}

const ORIGIN = "http://console.test";

/**
 * interview-packet as a team may have written it before: the workflow in shadow, but its notes
 * "auto" and everything "auto" on the sandbox. A user file with the built-in's id replaces it.
 */
function olderStylePacket(): string {
  const dir = mkdtempSync(join(tmpdir(), "fulcrum-shadow-"));
  const text = readFileSync(join(BUILTIN_WORKFLOWS_DIR, "interview-packet.yaml"), "utf8").replace(
    /^mode: shadow\n/m,
    "mode: shadow\nmodes:\n  lever.note: auto\nsandbox:\n  mode: auto\n",
  );
  assert.match(text, /lever\.note: auto/);
  writeFileSync(join(dir, "interview-packet.yaml"), text);
  return dir;
}

for (const e of await testEngines()) {
  describe(`shadow means no writes on ${e.kind}`, { skip: e.skip }, () => {
    let h: Harness;
    let app: Hono;
    let admin: string;
    let secondAdmin: string;
    let userDir: string;

    before(async () => {
      userDir = olderStylePacket();
      // No mode chosen by anyone: every workflow runs as its file says.
      h = await startHarness(e.kind, { workflowModes: {}, env: { FULCRUM_WORKFLOWS_DIR: userDir } });
      app = createApp({
        config: h.config,
        db: h.t.db,
        logger: silentLogger,
        queue: h.queue,
        inbox: h.inbox,
        connections: createMemoryConnectionDirectory({}),
        engine: h.runtime.engine,
        workflows: h.runtime.workflows,
      });
      admin = (await createApiToken(h.t.db, "ops admin", "admin")).token;
      secondAdmin = (await createApiToken(h.t.db, "second admin", "admin")).token;
    });
    after(async () => {
      await h?.close();
      rmSync(userDir, { recursive: true, force: true });
    });

    async function api(method: string, path: string, body?: unknown, token = admin) {
      const res = await app.request(`/api${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: res.status, json: (await res.json()) as Record<string, any> };
    }
    /** Raising a mode waits for a second person (four eyes): the ops admin asks, another admin approves. */
    async function raise(id: string, mode: string) {
      const asked = await api("PATCH", `/workflows/${id}`, { mode });
      if (asked.status === 200) return asked;
      assert.equal(asked.status, 202, JSON.stringify(asked.json));
      return api("POST", `/workflows/${id}/changes/${asked.json.change.id}/approve`, {}, secondAdmin);
    }
    const listed = async (id: string) => ((await api("GET", "/workflows")).json.workflows as Listed[]).find((w) => w.id === id)!;
    const byStep = (w: Listed) => Object.fromEntries(w.actions.map((a) => [a.step, a]));

    const notesOf = (opp: string) => notesOfIn(h, opp);
    const candidateEntersPhoneScreen = (name: string) => enterPhoneScreen(h, name);

    it("lists a workflow whose file says shadow as shadow for every action, and it writes nothing, whatever its modes and sandbox block say", async () => {
      const w = await listed("interview-packet");
      assert.equal(w.effectiveMode, "shadow");
      const note = byStep(w).note!;
      assert.equal(note.mode, "shadow");
      assert.deepEqual(note.decidedBy, ["workflow"]);
      assert.match(note.reason, /the workflow's mode in its file/);
      assert.ok(
        note.ignored.some((i) => /modes\.lever\.note says auto/.test(i)),
        note.ignored.join("; "),
      );

      const { opp, packets } = await candidateEntersPhoneScreen("Shadow By File");
      assert.equal(packets.length, 1, "the workflow ran");
      assert.equal(packets[0]!.status, "shadow");
      assert.equal(packets[0]!.mode, "shadow");
      assert.equal(notesOf(opp).length, 0, "nothing was written to the sandbox");
    });

    it("writes the packet once a person sets the workflow to auto", async () => {
      const r = await raise("interview-packet", "auto");
      assert.equal(r.status, 200);
      assert.equal(r.json.workflow.effectiveMode, "auto");
      assert.equal(byStep(await listed("interview-packet")).note!.mode, "auto");
      const { opp, packets } = await candidateEntersPhoneScreen("Auto Packet");
      assert.equal(packets[0]?.status, "applied");
      assert.equal(notesOf(opp).length, 1);
    });

    it("after PATCH /api/workflows/interview-packet to shadow, records the packet and writes no note", async () => {
      const r = await api("PATCH", "/workflows/interview-packet", { mode: "shadow" });
      assert.equal(r.status, 200);
      assert.equal(r.json.workflow.mode, "shadow");
      assert.ok(
        (r.json.workflow.actions as ListedAction[]).every((a) => a.mode === "shadow"),
        JSON.stringify(r.json.workflow.actions),
      );
      const { opp, packets } = await candidateEntersPhoneScreen("Api Shadowed");
      assert.equal(packets.length, 1);
      assert.equal(packets[0]!.status, "shadow");
      assert.ok(
        packets[0]!.policy.some((p) => /the workflow's mode \(set by user:token:\d+\)/.test(p)),
        packets[0]!.policy.join("; "),
      );
      assert.equal(notesOf(opp).length, 0);
    });

    it("after a signed-in admin sets it to shadow in the console, records the packet and writes no note", async () => {
      await raise("interview-packet", "auto");
      await createUser(h.t.db, { email: "ops@example.com", role: "admin", password: "violet tractor anchors 51" }, { N: 1024, r: 8, p: 1 });
      const login = await app.request(`${ORIGIN}/console/api/login`, {
        method: "POST",
        headers: { origin: ORIGIN, "content-type": "application/json" },
        body: JSON.stringify({ email: "ops@example.com", password: "violet tractor anchors 51" }),
      });
      assert.equal(login.status, 200, await login.clone().text());
      const { csrfToken } = (await login.json()) as { csrfToken: string };
      const cookie = login.headers
        .getSetCookie()
        .map((c) => c.split(";")[0])
        .join("; ");
      // What the console's mode menu sends after the confirmation.
      const res = await app.request(`${ORIGIN}/api/workflows/interview-packet`, {
        method: "PATCH",
        headers: { origin: ORIGIN, cookie, "x-csrf-token": csrfToken, "content-type": "application/json" },
        body: JSON.stringify({ mode: "shadow" }),
      });
      assert.equal(res.status, 200, await res.clone().text());

      const { opp, packets } = await candidateEntersPhoneScreen("Console Shadowed");
      assert.equal(packets[0]?.status, "shadow");
      assert.equal(notesOf(opp).length, 0);
      const note = byStep(await listed("interview-packet")).note!;
      assert.equal(note.mode, "shadow");
      assert.match(note.reason, /the workflow's mode \(set by user:/);
    });

    it("shows a global ceiling lower than the workflow's mode, on each action and the workflow, with the reason", async () => {
      await raise("interview-packet", "auto");
      assert.equal((await api("PUT", "/settings/mode-ceiling", { mode: "assist" })).status, 200);
      try {
        const w = await listed("interview-packet");
        assert.equal(w.mode, "auto");
        assert.equal(w.effectiveMode, "assist");
        const note = byStep(w).note!;
        assert.equal(note.mode, "assist");
        assert.deepEqual(note.decidedBy, ["ceiling"]);
        assert.match(note.reason, /^assist: the mode ceiling \(lowered live from FULCRUM_MODE_CEILING=auto by user:token:\d+\)$/);
      } finally {
        await api("PUT", "/settings/mode-ceiling", { mode: "auto" });
      }
    });
  });
}
