import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { testEngines } from "../../src/store/testing.ts";
import { listProposals } from "../../src/engine/proposals/index.ts";
import { resumeFor, startHarness, type Harness } from "./harness.ts";

for (const e of await testEngines()) {
  describe(`language check end to end on ${e.kind}`, { skip: e.skip }, () => {
    let h: Harness;
    before(async () => {
      h = await startHarness(e.kind);
    });
    after(async () => h?.close());

    function candidate(name: string): string {
      const posting = [...h.sandbox.state.postings.values()].find((p) => p.state === "published" && p.content.lists.length > 0)!;
      return h.sandbox.actions.applyToPosting(posting.id, {
        name,
        email: `${name.toLowerCase().replace(/\W+/g, ".")}@example.net`,
        resume: { name: "resume.txt", contentType: "text/plain", bytes: resumeFor(posting.content) },
      }).opportunityId;
    }
    const stage = (text: string) => h.sandbox.state.stages.find((s) => s.text === text)!.id;

    it("flags biased wording in a recent note for review and never changes the note", async () => {
      const opp = candidate("Language Case");
      const NOTE = "Strong coder, but she has young kids so travel may be hard. Seems too old for a fast startup.";
      h.sandbox.actions.addNote(opp, { value: NOTE }, h.adminUserId, null);
      h.sandbox.actions.moveStage(opp, stage("Recruiter Screen"));
      const notesBefore = JSON.stringify([...h.sandbox.state.notes.values()].filter((n) => (n as { opportunityId?: string }).opportunityId === opp));
      await h.deliver(["candidateStageChange"]);
      await h.settle();
      const [review] = (await listProposals(h.t.db, { workflowId: "language-check", limit: 50 })).filter((p) => p.opportunityId === opp);
      assert.ok(review, "a review item exists");
      assert.equal(review.kind, "approval");
      assert.equal(review.status, "pending");
      const categories = review.evidence.map((x) => (x as { category: string }).category);
      assert.ok(categories.includes("family") && categories.includes("age"), JSON.stringify(review.evidence));
      assert.equal(review.engine, "local");
      const notesAfter = JSON.stringify([...h.sandbox.state.notes.values()].filter((n) => (n as { opportunityId?: string }).opportunityId === opp));
      assert.equal(notesAfter, notesBefore, "nobody's words are edited and nothing is written");
    });

    it("raises nothing for neutral notes", async () => {
      const opp = candidate("Neutral Case");
      h.sandbox.actions.addNote(opp, { value: "Clear explanations of the payment ledger design; asked good questions about on-call." }, h.adminUserId, null);
      h.sandbox.actions.moveStage(opp, stage("Recruiter Screen"));
      await h.deliver(["candidateStageChange"]);
      await h.settle();
      const ps = (await listProposals(h.t.db, { workflowId: "language-check", limit: 50 })).filter((p) => p.opportunityId === opp);
      assert.deepEqual(ps, []);
      const runs = await h.t.db.query<{ status: string }>("select status from workflow_runs where workflow_id = 'language-check' and opportunity_id = $1", [
        opp,
      ]);
      assert.deepEqual(runs.rows, [{ status: "succeeded" }]);
    });
  });
}
