import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { testEngines } from "../../src/store/testing.ts";
import { listProposals } from "../../src/engine/proposals/index.ts";
import { resumeFor, startHarness, type Harness } from "./harness.ts";

for (const e of await testEngines()) {
  describe(`feedback nudges and synthesis end to end on ${e.kind}`, { skip: e.skip }, () => {
    let h: Harness;
    before(async () => {
      h = await startHarness(e.kind);
    });
    after(async () => h?.close());

    async function waitFor<T>(fn: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
      const until = Date.now() + ms;
      for (;;) {
        const v = await fn();
        if (v !== undefined) return v;
        if (Date.now() > until) throw new Error("timed out waiting");
        await new Promise((r) => setTimeout(r, 100));
      }
    }

    it("an hour after an interview ends, mentions the interviewers whose feedback is missing", async () => {
      const posting = [...h.sandbox.state.postings.values()].find((p) => p.state === "published" && p.content.lists.length > 0)!;
      const opp = h.sandbox.actions.applyToPosting(posting.id, {
        name: "Interviewed Person",
        email: "interviewed@example.net",
        resume: { name: "cv.txt", contentType: "text/plain", bytes: resumeFor(posting.content) },
      }).opportunityId;
      const rafael = h.sandbox.demo!.userIdsByName.get("Rafael Ortiz")!;
      const hannah = h.sandbox.demo!.userIdsByName.get("Hannah Kowalski")!;
      // An interview that ended two hours ago: the "1 h after it ends" timer is already due.
      const start = Date.now() - 3 * 3_600_000;
      const panel = h.sandbox.actions.createPanel(
        opp,
        { timezone: "Europe/Berlin", interviews: [{ subject: "Technical", interviewers: [{ id: rafael }, { id: hannah }], date: start, duration: 60 }] },
        h.adminUserId,
      );
      const template = [...h.sandbox.state.feedbackTemplates.values()].find((t) => t.id !== "no-feedback")!;
      h.sandbox.actions.createFeedback(
        opp,
        { baseTemplateId: template.id, panel: panel.id, interview: panel.interviews[0]!.id, completedAt: Date.now() - 3_600_000 },
        rafael,
      );
      await h.deliver(["interviewCreated"]);
      const nudge = await waitFor(async () =>
        (await listProposals(h.t.db, { workflowId: "feedback-follow-up", limit: 50 })).find((p) => p.opportunityId === opp && p.stepId === "nudge"),
      );
      await h.settle();
      const after = (await listProposals(h.t.db, { workflowId: "feedback-follow-up", limit: 50 })).find((p) => p.id === nudge.id)!;
      assert.equal(after.status, "applied");
      const hannahUser = h.sandbox.state.users.get(hannah)!;
      assert.match(String(after.action.body), new RegExp(`@${hannahUser.email.split("@")[0]}`));
      assert.doesNotMatch(String(after.action.body), new RegExp(`@${h.sandbox.state.users.get(rafael)!.email.split("@")[0]}\\b`));
      assert.ok(
        !(await listProposals(h.t.db, { workflowId: "feedback-follow-up", limit: 50 })).some((p) => p.opportunityId === opp && p.stepId === "synthesis"),
      );
    });

    it("still nudges when the interviewCreated delivery names only the interview and the contact (Lever's fields are unconfirmed)", async () => {
      const posting = [...h.sandbox.state.postings.values()].find((p) => p.state === "published" && p.content.lists.length > 0)!;
      const opp = h.sandbox.actions.applyToPosting(posting.id, {
        name: "Sparse Payload",
        email: "sparse@example.net",
        resume: { name: "cv.txt", contentType: "text/plain", bytes: resumeFor(posting.content) },
      }).opportunityId;
      const hannah = h.sandbox.demo!.userIdsByName.get("Hannah Kowalski")!;
      const panel = h.sandbox.actions.createPanel(
        opp,
        { timezone: "UTC", interviews: [{ subject: "Technical", interviewers: [{ id: hannah }], date: Date.now() - 3 * 3_600_000, duration: 30 }] },
        h.adminUserId,
      );
      // As if Lever sent only these two ids: no opportunityId, no panelId.
      const fired = h.sandbox.events.filter((e) => e.event === "interviewCreated" && e.data.interviewId === panel.interviews[0]!.id);
      assert.equal(fired.length, 1);
      delete fired[0]!.data.opportunityId;
      delete fired[0]!.data.panelId;
      await h.deliver(["interviewCreated"]);
      const nudge = await waitFor(async () =>
        (await listProposals(h.t.db, { workflowId: "feedback-follow-up", limit: 50 })).find((p) => p.opportunityId === opp && p.stepId === "nudge"),
      );
      await h.settle();
      const hannahUser = h.sandbox.state.users.get(hannah)!;
      assert.match(String(nudge.action.body), new RegExp(`@${hannahUser.email.split("@")[0]}`));
    });

    it("when every interviewer has submitted, posts a synthesis instead of a reminder", async () => {
      const posting = [...h.sandbox.state.postings.values()].find((p) => p.state === "published" && p.content.lists.length > 0)!;
      const opp = h.sandbox.actions.applyToPosting(posting.id, {
        name: "Fully Reviewed",
        email: "reviewed@example.net",
        resume: { name: "cv.txt", contentType: "text/plain", bytes: resumeFor(posting.content) },
      }).opportunityId;
      const rafael = h.sandbox.demo!.userIdsByName.get("Rafael Ortiz")!;
      const panel = h.sandbox.actions.createPanel(
        opp,
        { timezone: "UTC", interviews: [{ subject: "Technical", interviewers: [{ id: rafael }], date: Date.now() - 3 * 3_600_000, duration: 45 }] },
        h.adminUserId,
      );
      const template = [...h.sandbox.state.feedbackTemplates.values()].find((t) => t.id !== "no-feedback")!;
      h.sandbox.actions.createFeedback(
        opp,
        { baseTemplateId: template.id, panel: panel.id, interview: panel.interviews[0]!.id, completedAt: Date.now() - 3_600_000 },
        rafael,
      );
      await h.deliver(["interviewCreated"]);
      const synthesis = await waitFor(async () =>
        (await listProposals(h.t.db, { workflowId: "feedback-follow-up", limit: 50 })).find((p) => p.opportunityId === opp && p.stepId === "synthesis"),
      );
      await h.settle();
      assert.match(String(synthesis.action.body), /Feedback synthesis for/);
      assert.ok(!(await listProposals(h.t.db, { workflowId: "feedback-follow-up", limit: 50 })).some((p) => p.opportunityId === opp && p.stepId === "nudge"));
    });
  });
}
