/**
 * The built-in screening with a profile form template chosen (a user copy of the workflow whose
 * `settings.formTemplate` names the sandbox's "Fulcrum screening"): each screened application gets
 * a profile form in Lever with its score, tier, recommendation and prompt version beside the note,
 * and a rejection is proposed as an archive that waits for a person even in auto — unless an admin
 * set FULCRUM_AUTO_ARCHIVE=true, when the archive is applied in auto.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { testEngines } from "../../src/store/testing.ts";
import { listProposals } from "../../src/engine/proposals/index.ts";
import { BUILTIN_WORKFLOWS_DIR } from "../../src/engine/workflows/index.ts";
import { formStore } from "../../src/sandbox/forms.ts";
import { resumeFor, startHarness, type Harness } from "./harness.ts";

/** A user copy of the built-in screening that names the sandbox's form template, in a fresh folder. */
function userWorkflowDir(template = "Fulcrum screening"): string {
  const dir = mkdtempSync(join(tmpdir(), "fulcrum-form-"));
  writeFileSync(
    join(dir, "application-screening.yaml"),
    readFileSync(join(BUILTIN_WORKFLOWS_DIR, "application-screening.yaml"), "utf8").replace('formTemplate: ""', `formTemplate: ${JSON.stringify(template)}`),
  );
  return dir;
}

for (const e of await testEngines()) {
  describe(`screening into a Lever profile form on ${e.kind}`, { skip: e.skip }, () => {
    let h: Harness;
    // One folder per engine: the first engine's after() must not remove the second engine's workflow.
    let dir: string;
    before(async () => {
      dir = userWorkflowDir();
      h = await startHarness(e.kind, { env: { FULCRUM_WORKFLOWS_DIR: dir } });
    });
    after(async () => {
      await h?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    function apply(name: string, resume: Uint8Array): string {
      const posting = [...h.sandbox.state.postings.values()].find((p) => p.state === "published" && p.content.lists.length > 0)!;
      return h.sandbox.actions.applyToPosting(posting.id, {
        name,
        email: `${name.toLowerCase().replace(/\W+/g, ".")}@example.net`,
        resume: { name: "resume.txt", contentType: "text/plain", bytes: resume },
      }).opportunityId;
    }

    it("writes score, tier, recommendation and prompt version to the profile form, keeps the note, and holds a rejection for a person", async () => {
      const posting = [...h.sandbox.state.postings.values()].find((p) => p.state === "published" && p.content.lists.length > 0)!;
      const strong = apply("Form Strong", resumeFor(posting.content));
      const weak = apply(
        "Form Weak",
        new TextEncoder().encode("Sam Sample\nLine cook\n\nExperience\nLine cook, The Diner, 2019 - present\n- Prepared breakfast orders\n"),
      );
      await h.deliver(["applicationCreated"]);
      await h.settle();

      // The form comes after the advance and reject proposals, so it is written once a person has
      // decided them; here the person declines both, and the rejection stays unarchived.
      const waiting = (await listProposals(h.t.db, { workflowId: "application-screening", status: "pending", limit: 500 })).filter(
        (p) => (p.opportunityId === strong || p.opportunityId === weak) && (p.stepId === "advance" || p.stepId === "reject"),
      );
      assert.ok(
        waiting.some((p) => p.opportunityId === weak && p.stepId === "reject"),
        "the rejection is proposed before the form is written",
      );
      for (const p of waiting) await h.runtime.engine.decideProposal(p.id, { actor: "user:recruiter-1", decision: "reject", reason: "kept for the test" });
      await h.settle();

      const proposals = await listProposals(h.t.db, { workflowId: "application-screening", limit: 500 });
      for (const opp of [strong, weak]) {
        const mine = proposals.filter((p) => p.opportunityId === opp);
        const form = mine.find((p) => p.stepId === "form");
        assert.equal(form?.status, "applied", JSON.stringify(mine.map((p) => [p.stepId, p.status])));
        assert.equal(mine.find((p) => p.stepId === "note")?.status, "applied", "the note is kept for the evidence");
        const written = [...formStore(h.sandbox.state).forms.values()].filter((f) => f.opportunityId === opp);
        assert.equal(written.length, 1);
        const values = Object.fromEntries(written[0]!.fields.map((f) => [f.text, f.value]));
        const { rows } = await h.t.db.query<{ output: { score: number; tier: string; recommendation: string; promptVersion: string } }>(
          "select s.output from workflow_steps s join workflow_runs r on r.id = s.run_id where r.opportunity_id = $1 and s.step_id = 'screen'",
          [opp],
        );
        const out = rows[0]!.output;
        assert.equal(values.Score, String(out.score));
        assert.equal(String(values.Tier).toLowerCase(), out.tier);
        assert.equal(String(values.Recommendation).toLowerCase(), out.recommendation);
        assert.equal(values["Prompt version"], out.promptVersion);
      }

      const weakRec = (
        await h.t.db.query<{ r: string }>(
          "select s.output->>'recommendation' as r from workflow_steps s join workflow_runs r on r.id = s.run_id where r.opportunity_id = $1 and s.step_id = 'screen'",
          [weak],
        )
      ).rows[0]!.r;
      assert.equal(weakRec, "reject");
      const reject = proposals.find((p) => p.opportunityId === weak && p.stepId === "reject");
      assert.equal(reject?.decidedBy, "user:recruiter-1", "the archive waited for a person");
      assert.equal(reject?.status, "rejected");
      assert.equal(h.sandbox.state.opportunities.get(weak)!.archived, null);
    });
  });

  describe(`a profile form that cannot be written does not stop the screening's decisions on ${e.kind}`, { skip: e.skip }, () => {
    let h: Harness;
    let dir: string;
    before(async () => {
      dir = userWorkflowDir("No such template");
      h = await startHarness(e.kind, { env: { FULCRUM_WORKFLOWS_DIR: dir, FULCRUM_AUTO_ARCHIVE: "true" } });
    });
    after(async () => {
      await h?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it("archives the rejection before the form step fails, and the run's error names the missing template", async () => {
      const posting = [...h.sandbox.state.postings.values()].find((p) => p.state === "published" && p.content.lists.length > 0)!;
      const weak = h.sandbox.actions.applyToPosting(posting.id, {
        name: "Formless Weak",
        email: "formless.weak@example.net",
        resume: {
          name: "resume.txt",
          contentType: "text/plain",
          bytes: new TextEncoder().encode("Sam Sample\nLine cook\n\nExperience\nLine cook, The Diner, 2019 - present\n- Prepared breakfast orders\n"),
        },
      }).opportunityId;
      await h.deliver(["applicationCreated"]);
      await h.settle();

      const proposals = (await listProposals(h.t.db, { workflowId: "application-screening", limit: 500 })).filter((p) => p.opportunityId === weak);
      assert.equal(proposals.find((p) => p.stepId === "reject")?.status, "applied", JSON.stringify(proposals.map((p) => [p.stepId, p.status])));
      assert.notEqual(h.sandbox.state.opportunities.get(weak)!.archived, null);
      const { rows } = await h.t.db.query<{ status: string; error: string }>(
        "select status, error from workflow_runs where opportunity_id = $1 and workflow_id = 'application-screening'",
        [weak],
      );
      assert.equal(rows[0]?.status, "failed");
      assert.match(rows[0]!.error, /step form: no profile form template "No such template"/);
    });
  });

  describe(`the built-in screening in auto with FULCRUM_AUTO_ARCHIVE=true on ${e.kind}`, { skip: e.skip }, () => {
    let h: Harness;
    before(async () => {
      h = await startHarness(e.kind, { env: { FULCRUM_AUTO_ARCHIVE: "true" } });
    });
    after(async () => h?.close());

    it("archives a rejection in auto, since the admin allowed it and the workflow file does not cap archives", async () => {
      const posting = [...h.sandbox.state.postings.values()].find((p) => p.state === "published" && p.content.lists.length > 0)!;
      const weak = h.sandbox.actions.applyToPosting(posting.id, {
        name: "Auto Weak",
        email: "auto.weak@example.net",
        resume: {
          name: "resume.txt",
          contentType: "text/plain",
          bytes: new TextEncoder().encode("Sam Sample\nLine cook\n\nExperience\nLine cook, The Diner, 2019 - present\n- Prepared breakfast orders\n"),
        },
      }).opportunityId;
      await h.deliver(["applicationCreated"]);
      await h.settle();

      const proposals = await listProposals(h.t.db, { workflowId: "application-screening", limit: 500 });
      const reject = proposals.find((p) => p.opportunityId === weak && p.stepId === "reject");
      assert.equal(reject?.status, "applied", JSON.stringify(proposals.filter((p) => p.opportunityId === weak).map((p) => [p.stepId, p.status])));
      assert.notEqual(h.sandbox.state.opportunities.get(weak)!.archived, null, "the opportunity is archived in Lever");
    });
  });
}
