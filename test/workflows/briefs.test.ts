import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { testEngines } from "../../src/store/testing.ts";
import { listProposals } from "../../src/engine/proposals/index.ts";
import { resumeFor, startHarness, type Harness } from "./harness.ts";

function apply(h: Harness, name: string): string {
  const posting = [...h.sandbox.state.postings.values()].find((p) => p.state === "published" && p.content.lists.length > 0)!;
  return h.sandbox.actions.applyToPosting(posting.id, {
    name,
    email: `${name.toLowerCase().replace(/\W+/g, ".")}@example.net`,
    resume: { name: "resume.txt", contentType: "text/plain", bytes: resumeFor(posting.content) },
  }).opportunityId;
}

const stageId = (h: Harness, text: string) => h.sandbox.state.stages.find((s) => s.text === text)!.id;
const notesOf = (h: Harness, opp: string) =>
  [...h.sandbox.state.notes.values()].filter((n) => (n as { opportunityId?: string }).opportunityId === opp).map((n) => JSON.stringify(n));

for (const e of await testEngines()) {
  describe(`interview packet, approval brief and nurture end to end on ${e.kind}`, { skip: e.skip }, () => {
    let h: Harness;
    before(async () => {
      h = await startHarness(e.kind);
    });
    after(async () => h?.close());

    it("posts an interview packet when a candidate enters an interview stage, and not for other stages", async () => {
      const opp = apply(h, "Packet Person");
      await h.deliver(["applicationCreated"]);
      await h.settle();
      const before = notesOf(h, opp).length;
      h.sandbox.actions.moveStage(opp, stageId(h, "Recruiter Screen"));
      h.sandbox.actions.moveStage(opp, stageId(h, "Phone Screen"));
      await h.deliver(["candidateStageChange"]);
      await h.settle();
      const packets = (await listProposals(h.t.db, { workflowId: "interview-packet", limit: 50 })).filter((p) => p.opportunityId === opp);
      assert.equal(packets.length, 1, "one packet: only the interview stage starts the workflow");
      assert.equal(packets[0]!.status, "applied");
      assert.match(String(packets[0]!.action.body), /Interview packet for Phone Screen/);
      assert.match(String(packets[0]!.action.body), /Competencies to score:/);
      assert.equal(notesOf(h, opp).length, before + 1);
    });

    it("writes an approval brief at the offer stage with checks and missing data", async () => {
      const opp = apply(h, "Offer Person");
      h.sandbox.actions.moveStage(opp, "offer");
      await h.deliver(["candidateStageChange"]);
      await h.settle();
      const [brief] = (await listProposals(h.t.db, { workflowId: "approval-brief", limit: 50 })).filter((p) => p.opportunityId === opp);
      assert.ok(brief, "a brief proposal exists");
      assert.match(String(brief.action.body), /Approval brief: Offer Person/);
      assert.match(String(brief.action.body), /Checks:/);
      assert.ok(brief.flags.includes("missing-data"), "no feedback yet is reported as missing");
      assert.equal(brief.status, "pending", "a brief with missing data waits for a person");
      const run = await h.t.db.query<{ status: string }>("select status from workflow_runs where id = $1", [brief.runId]);
      assert.equal(run.rows[0]!.status, "waiting");
    });

    it("tags a candidate archived for a non-hired reason and drafts an e-mail that is never sent by itself", async () => {
      const opp = apply(h, "Nurture Person");
      await h.deliver();
      await h.settle();
      const reason = h.sandbox.state.archiveReasons.find((r) => r.type !== "hired")!;
      h.sandbox.triggerArchive(opp, reason.id);
      await h.deliver(["candidateArchiveChange"]);
      await h.settle();
      const ps = (await listProposals(h.t.db, { workflowId: "talent-pool-nurture", limit: 50 })).filter((p) => p.opportunityId === opp);
      const by = Object.fromEntries(ps.map((p) => [p.stepId, p]));
      assert.equal(by.tags?.status, "applied");
      assert.ok(h.sandbox.state.opportunities.get(opp)!.tags.includes("talent-pool"));
      assert.equal(by.note?.status, "applied");
      assert.equal(by.email?.status, "pending", "the e-mail waits for a person even though the workflow runs in auto");
      assert.equal(by.email?.mode, "assist");
      assert.equal(by.email?.action.to, "nurture.person@example.net");
      assert.ok(String(by.email?.action.message).length > 20);
    });

    it("does not nurture a candidate who was hired", async () => {
      const opp = apply(h, "Hired Person");
      h.sandbox.actions.hire(opp);
      await h.deliver();
      await h.settle();
      const ps = (await listProposals(h.t.db, { workflowId: "talent-pool-nurture", limit: 50 })).filter((p) => p.opportunityId === opp);
      assert.equal(ps.length, 0);
    });
  });
}
