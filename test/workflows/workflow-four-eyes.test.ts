/**
 * Four eyes for workflow changes: a change that raises what Fulcrum may do without a person
 * (raising a workflow's mode, enabling it) waits until someone other than its author approves it;
 * lowering applies at once; every change, applied or waiting, approved or turned down, is in the
 * audit trail. With the rule turned off by an admin a raise applies at once, marked self-approved.
 */
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import type { Hono } from "hono";
import { testEngines } from "../../src/store/testing.ts";
import { createMemoryConnectionDirectory } from "../../src/engine/sources/index.ts";
import { createApp } from "../../src/server/app.ts";
import { createApiToken } from "../../src/server/api/tokens.ts";
import { setFourEyes } from "../../src/server/console/index.ts";
import { silentLogger } from "../../src/observability/index.ts";
import { candidateEntersPhoneScreen as enterPhoneScreen, notesOf as notesOfIn, startHarness, type Harness } from "./harness.ts";

interface AuditRow {
  kind: string;
  actor: string;
  data: { subject: Record<string, string>; data: Record<string, any> };
}

for (const e of await testEngines()) {
  describe(`four eyes for workflow changes on ${e.kind}`, { skip: e.skip }, () => {
    let h: Harness;
    let app: Hono;
    const tokens: Record<"alice" | "bob", { token: string; actor: string }> = {} as never;

    before(async () => {
      // No mode chosen by anyone: interview-packet runs as its file says (shadow).
      h = await startHarness(e.kind, { workflowModes: {} });
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
      for (const name of ["alice", "bob"] as const) {
        const t = await createApiToken(h.t.db, `${name} (admin)`, "admin");
        tokens[name] = { token: t.token, actor: `user:token:${t.id}` };
      }
    });
    after(async () => {
      await h?.close();
    });
    let auditFrom = 0;
    beforeEach(async () => {
      // Each case starts from the files' values with nothing waiting and the rule on, and reads
      // only the audit records it made (the trail is append-only).
      await h.t.db.exec("delete from workflow_settings; delete from workflow_changes; delete from settings where key = 'four_eyes';");
      auditFrom = (await h.t.db.query<{ seq: number }>("select coalesce(max(seq), 0)::int as seq from audit_records")).rows[0]!.seq;
    });

    async function api(who: "alice" | "bob", method: string, path: string, body?: unknown) {
      const res = await app.request(`/api${path}`, {
        method,
        headers: { authorization: `Bearer ${tokens[who].token}`, "content-type": "application/json" },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: res.status, json: (await res.json()) as Record<string, any> };
    }
    const listed = async (id: string) => ((await api("bob", "GET", "/workflows")).json.workflows as Record<string, any>[]).find((w) => w.id === id)!;
    const auditOf = async (workflowId: string) =>
      (
        await h.t.db.query<AuditRow>("select kind, actor, data from audit_records where kind like 'workflow.%' and seq > $1 order by seq", [auditFrom])
      ).rows.filter((r) => r.data.subject.workflowId === workflowId);
    const notesOf = (opp: string) => notesOfIn(h, opp);
    const candidateEntersPhoneScreen = (name: string) => enterPhoneScreen(h, name);

    it("answers an author raising a workflow to auto with 202 and a pending change; nothing changes and nothing is written to Lever", async () => {
      const r = await api("alice", "PATCH", "/workflows/interview-packet", { mode: "auto" });
      assert.equal(r.status, 202, JSON.stringify(r.json));
      assert.equal(r.json.change.status, "pending");
      assert.equal(r.json.change.mode, "auto");
      assert.equal(r.json.change.author, tokens.alice.actor);
      assert.match(r.json.message, /someone other than .*must approve/i);
      assert.match(r.json.message, new RegExp(`/api/workflows/interview-packet/changes/${r.json.change.id}/approve`));
      assert.equal(r.json.workflow.mode, "shadow");

      const w = await listed("interview-packet");
      assert.equal(w.mode, "shadow");
      assert.equal(w.effectiveMode, "shadow");
      assert.equal(w.pendingChange.id, r.json.change.id);
      const waiting = (await api("bob", "GET", "/workflows/changes")).json.changes as Record<string, any>[];
      assert.deepEqual(
        waiting.map((c) => [c.id, c.workflowId, c.mode]),
        [[r.json.change.id, "interview-packet", "auto"]],
      );

      const { opp, packets } = await candidateEntersPhoneScreen("Waiting Raise");
      assert.equal(packets.length, 1, "the workflow ran");
      assert.equal(packets[0]!.status, "shadow");
      assert.equal(notesOf(opp).length, 0, "no note was written to Lever");

      const audit = await auditOf("interview-packet");
      assert.deepEqual(
        audit.map((a) => [a.kind, a.actor]),
        [["workflow.change_requested", tokens.alice.actor]],
      );
      assert.deepEqual(audit[0]!.data.data.changes, { mode: { from: "shadow", to: "auto" } });
      assert.equal(audit[0]!.data.data.changeId, r.json.change.id);
    });

    it("refuses the author's own approval with 403 and a message that says someone else must approve", async () => {
      const { json } = await api("alice", "PATCH", "/workflows/interview-packet", { mode: "auto" });
      const r = await api("alice", "POST", `/workflows/interview-packet/changes/${json.change.id}/approve`, {});
      assert.equal(r.status, 403, JSON.stringify(r.json));
      assert.match(
        r.json.error.message,
        /You asked for this change to workflow interview-packet \(set its mode to auto\), so someone else must approve it \(four eyes\)/,
      );
      assert.equal((await listed("interview-packet")).mode, "shadow");
      assert.equal((await api("bob", "GET", "/workflows/changes")).json.changes[0].status, "pending");
    });

    it("applies a raise once another person approves it, audits who asked and who approved, and the packet is then written", async () => {
      const { json } = await api("alice", "PATCH", "/workflows/interview-packet", { mode: "auto" });
      const r = await api("bob", "POST", `/workflows/interview-packet/changes/${json.change.id}/approve`, {});
      assert.equal(r.status, 200, JSON.stringify(r.json));
      assert.equal(r.json.change.status, "approved");
      assert.equal(r.json.change.decidedBy, tokens.bob.actor);
      assert.equal(r.json.workflow.mode, "auto");

      const w = await listed("interview-packet");
      assert.equal(w.effectiveMode, "auto");
      assert.equal(w.pendingChange, null);
      const note = (w.actions as Record<string, any>[]).find((a) => a.step === "note")!;
      assert.equal(note.mode, "auto");
      assert.ok(note.reason.endsWith(`the workflow's mode (set by ${tokens.alice.actor}, approved by ${tokens.bob.actor})`), note.reason);

      const { opp, packets } = await candidateEntersPhoneScreen("Approved Raise");
      assert.equal(packets[0]?.status, "applied");
      assert.equal(notesOf(opp).length, 1);

      const audit = await auditOf("interview-packet");
      assert.deepEqual(
        audit.map((a) => [a.kind, a.actor]),
        [
          ["workflow.change_requested", tokens.alice.actor],
          ["workflow.change_approved", tokens.bob.actor],
        ],
      );
      assert.deepEqual(audit[1]!.data.data, { changeId: json.change.id, author: tokens.alice.actor, changes: { mode: { from: "shadow", to: "auto" } } });
      assert.equal(
        (await api("bob", "POST", `/workflows/interview-packet/changes/${json.change.id}/approve`, {})).status,
        409,
        "an approved change is not approved twice",
      );
    });

    it("applies lowering at once — a lower mode or disabling — and audits it", async () => {
      await api("alice", "PATCH", "/workflows/interview-packet", { mode: "auto" });
      const waiting = (await api("bob", "GET", "/workflows/changes")).json.changes[0];
      await api("bob", "POST", `/workflows/interview-packet/changes/${waiting.id}/approve`, {});

      const lower = await api("alice", "PATCH", "/workflows/interview-packet", { mode: "shadow" });
      assert.equal(lower.status, 200, JSON.stringify(lower.json));
      assert.equal(lower.json.workflow.mode, "shadow");
      assert.equal(lower.json.workflow.effectiveMode, "shadow");
      const off = await api("alice", "PATCH", "/workflows/interview-packet", { enabled: false });
      assert.equal(off.status, 200);
      assert.equal(off.json.workflow.enabled, false);

      const audit = (await auditOf("interview-packet")).filter((a) => a.kind === "workflow.changed");
      assert.deepEqual(
        audit.map((a) => [a.actor, a.data.data.changes]),
        [
          [tokens.alice.actor, { mode: { from: "auto", to: "shadow" } }],
          [tokens.alice.actor, { enabled: { from: true, to: false } }],
        ],
      );
    });

    it("treats enabling a disabled workflow as a raise, and applies the lowering half of a mixed request at once", async () => {
      await api("alice", "PATCH", "/workflows/interview-packet", { enabled: false });
      const r = await api("alice", "PATCH", "/workflows/interview-packet", { enabled: true, mode: "shadow" });
      assert.equal(r.status, 202);
      assert.equal(r.json.change.enabled, true);
      assert.equal(r.json.change.mode, null, "shadow is no raise and is not kept for approval");
      const w = await listed("interview-packet");
      assert.equal(w.enabled, false);
    });

    it("lets another person reject a waiting change and its author withdraw one, both audited, and neither applies", async () => {
      const first = (await api("alice", "PATCH", "/workflows/interview-packet", { mode: "assist" })).json.change;
      const rejected = await api("bob", "POST", `/workflows/interview-packet/changes/${first.id}/reject`, { reason: "not before the pilot ends" });
      assert.equal(rejected.status, 200, JSON.stringify(rejected.json));
      assert.equal(rejected.json.change.status, "rejected");
      const second = (await api("alice", "PATCH", "/workflows/interview-packet", { mode: "auto" })).json.change;
      const withdrawn = await api("alice", "POST", `/workflows/interview-packet/changes/${second.id}/reject`, {});
      assert.equal(withdrawn.json.change.status, "withdrawn");
      assert.equal((await listed("interview-packet")).mode, "shadow");
      assert.equal((await api("bob", "POST", `/workflows/interview-packet/changes/${first.id}/approve`, {})).status, 409);
      const audit = await auditOf("interview-packet");
      assert.deepEqual(
        audit.map((a) => a.kind),
        ["workflow.change_requested", "workflow.change_rejected", "workflow.change_requested", "workflow.change_withdrawn"],
      );
      assert.equal(audit[1]!.data.data.reason, "not before the pilot ends");
      assert.equal(audit[1]!.actor, tokens.bob.actor);
    });

    it("answers a change id that belongs to another workflow, or none, with 404", async () => {
      const { json } = await api("alice", "PATCH", "/workflows/interview-packet", { mode: "auto" });
      assert.equal((await api("bob", "POST", `/workflows/application-screening/changes/${json.change.id}/approve`, {})).status, 404);
      assert.equal((await api("bob", "POST", "/workflows/interview-packet/changes/999999/approve", {})).status, 404);
      assert.equal((await api("bob", "POST", "/workflows/interview-packet/changes/abc/approve", {})).status, 400);
    });

    it("with the rule turned off by an admin, applies a raise at once and audits it as self-approved", async () => {
      await setFourEyes(h.t.db, false, "user:admin");
      const r = await api("alice", "PATCH", "/workflows/interview-packet", { mode: "auto" });
      assert.equal(r.status, 200, JSON.stringify(r.json));
      assert.equal(r.json.workflow.mode, "auto");
      assert.equal(r.json.selfApproved, true);
      const audit = await auditOf("interview-packet");
      assert.deepEqual(
        audit.map((a) => [a.kind, a.actor, a.data.data.selfApproved]),
        [["workflow.changed", tokens.alice.actor, true]],
      );
      const { opp } = await candidateEntersPhoneScreen("Self Approved");
      assert.equal(notesOf(opp).length, 1);
    });
  });
}
