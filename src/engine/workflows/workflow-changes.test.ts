import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { openTestDatabase, testEngines, type TestDatabase } from "../../store/testing.ts";
import {
  approveWorkflowChange,
  listWorkflowChanges,
  rejectWorkflowChange,
  requestWorkflowChange,
  splitWorkflowPatch,
  WorkflowChangeError,
} from "./workflow-changes.ts";

const ENGINES = await testEngines();

describe("splitting a workflow change into what lowers and what raises", () => {
  const on = { enabled: true, mode: "assist" } as const;
  it("calls a higher mode a raise and a lower or equal one not", () => {
    assert.deepEqual(splitWorkflowPatch(on, { mode: "auto" }), { lowers: {}, raises: { mode: "auto" } });
    assert.deepEqual(splitWorkflowPatch(on, { mode: "shadow" }), { lowers: { mode: "shadow" }, raises: {} });
    assert.deepEqual(splitWorkflowPatch(on, { mode: "assist" }), { lowers: { mode: "assist" }, raises: {} });
  });
  it("calls enabling a disabled workflow a raise, and disabling or re-enabling an enabled one not", () => {
    assert.deepEqual(splitWorkflowPatch({ enabled: false, mode: "shadow" }, { enabled: true }), { lowers: {}, raises: { enabled: true } });
    assert.deepEqual(splitWorkflowPatch(on, { enabled: false }), { lowers: { enabled: false }, raises: {} });
    assert.deepEqual(splitWorkflowPatch(on, { enabled: true }), { lowers: { enabled: true }, raises: {} });
  });
  it("splits a request that does both", () => {
    assert.deepEqual(splitWorkflowPatch(on, { enabled: false, mode: "auto" }), { lowers: { enabled: false }, raises: { mode: "auto" } });
  });
});

for (const e of ENGINES) {
  describe(`waiting workflow changes on ${e.kind}`, { skip: e.skip }, () => {
    let t: TestDatabase;
    const file = { enabled: true, mode: "shadow" } as const;
    before(async () => {
      t = await openTestDatabase(e.kind);
    });
    after(async () => {
      await t?.drop();
    });

    it("keeps one waiting change per workflow: a newer raise supersedes the older, and the older can no longer be approved", async () => {
      const first = await requestWorkflowChange(t.db, { workflowId: "w1", file, patch: { mode: "assist" }, author: "user:a", fourEyes: true });
      const second = await requestWorkflowChange(t.db, { workflowId: "w1", file, patch: { mode: "auto" }, author: "user:c", fourEyes: true });
      const all = await listWorkflowChanges(t.db, { status: "all", workflowId: "w1" });
      assert.deepEqual(
        all.map((c) => [c.id, c.status]),
        [
          [second.pending!.id, "pending"],
          [first.pending!.id, "superseded"],
        ],
      );
      await assert.rejects(
        approveWorkflowChange(t.db, first.pending!.id, { approver: "user:b", fourEyes: true, file: () => file }),
        (err: unknown) => err instanceof WorkflowChangeError && err.code === "conflict" && !("status" in err),
      );
      const { rows } = await t.db.query<{ data: { data: { supersedes?: number[] } } }>(
        "select data from audit_records where kind = 'workflow.change_requested' order by seq desc limit 1",
      );
      assert.deepEqual(rows[0]!.data.data.supersedes, [first.pending!.id]);
    });

    it("lets a lowering made while a raise waits replace that raise, so approving the older raise cannot undo an emergency shadow", async () => {
      const raise = await requestWorkflowChange(t.db, { workflowId: "w-incident", file, patch: { mode: "auto" }, author: "user:a", fourEyes: true });
      const lowered = await requestWorkflowChange(t.db, { workflowId: "w-incident", file, patch: { mode: "shadow" }, author: "user:b", fourEyes: true });
      assert.equal(lowered.pending, null);
      const [only] = await listWorkflowChanges(t.db, { status: "all", workflowId: "w-incident" });
      assert.deepEqual([only!.id, only!.status], [raise.pending!.id, "superseded"]);
      await assert.rejects(
        approveWorkflowChange(t.db, raise.pending!.id, { approver: "user:c", fourEyes: true, file: () => file }),
        (err: unknown) => err instanceof WorkflowChangeError && err.code === "conflict" && !("status" in err),
      );
      const { rows } = await t.db.query<{ data: { data: { supersedes?: number[] } } }>(
        "select data from audit_records where kind = 'workflow.changed' order by seq desc limit 1",
      );
      assert.deepEqual(rows[0]!.data.data.supersedes, [raise.pending!.id]);
    });

    it("ends raises asked at the same moment as one waiting change, the others superseded", async () => {
      const all = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          requestWorkflowChange(t.db, { workflowId: "w3", file, patch: { mode: i % 2 ? "auto" : "assist" }, author: `user:${i}`, fourEyes: true }),
        ),
      );
      assert.ok(all.every((r) => r.pending));
      const stored = await listWorkflowChanges(t.db, { status: "all", workflowId: "w3" });
      assert.deepEqual(stored.map((c) => c.status).sort(), ["pending", ...Array(7).fill("superseded")]);
    });

    it("refuses to apply a change whose workflow is no longer loaded, and it can still be rejected", async () => {
      const r = await requestWorkflowChange(t.db, { workflowId: "gone", file, patch: { mode: "auto" }, author: "user:a", fourEyes: true });
      await assert.rejects(approveWorkflowChange(t.db, r.pending!.id, { approver: "user:b", fourEyes: true, file: () => undefined }), /no longer loaded/);
      const { rows } = await t.db.query("select 1 from workflow_settings where workflow_id = 'gone'");
      assert.equal(rows.length, 0);
      assert.equal((await rejectWorkflowChange(t.db, r.pending!.id, { actor: "user:b" })).status, "rejected");
    });

    it("lets the author approve a change made while the rule was on once the rule is off, marked self-approved", async () => {
      const r = await requestWorkflowChange(t.db, { workflowId: "w2", file, patch: { mode: "auto" }, author: "user:a", fourEyes: true });
      const approved = await approveWorkflowChange(t.db, r.pending!.id, { approver: "user:a", fourEyes: false, file: () => file });
      assert.equal(approved.selfApproved, true);
      const { rows } = await t.db.query<{ mode: string; updated_by: string }>("select mode, updated_by from workflow_settings where workflow_id = 'w2'");
      assert.deepEqual(rows[0], { mode: "auto", updated_by: "user:a, self-approved (four eyes off)" });
    });
  });
}
