import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { verifyLeverSignature } from "../lever/index.ts";
import { startSandbox, type Sandbox } from "./index.ts";

describe("the demo organisation's activity", () => {
  let sandbox: Sandbox;
  let server: Server;
  const received: { event: string; body: Record<string, unknown> }[] = [];
  let tokens: Record<string, string>;

  before(async () => {
    server = createServer((req, res) => {
      let raw = "";
      req.on("data", (c) => (raw += c));
      req.on("end", () => {
        const body = JSON.parse(raw) as Record<string, unknown>;
        received.push({ event: String(body.event), body });
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    sandbox = await startSandbox({ seed: 3, rateLimit: false, allowHttpLoopbackWebhooks: true });
    tokens = sandbox.subscribeAllWebhooks(`http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`);
  });
  after(async () => {
    await sandbox.close();
    server.close();
  });

  it("is off until started: a sandbox by itself changes nothing", async () => {
    const before = sandbox.events.length;
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(sandbox.events.length, before);
    assert.equal(sandbox.activity?.everySeconds, null);
  });

  it("a burst adds an application with a readable PDF resume, moves a candidate into an interview stage and books a phone screen with feedback, each as signed webhooks", async () => {
    const opportunitiesBefore = sandbox.state.opportunities.size;
    const burst = await sandbox.activity!.burst();
    await sandbox.deliveriesSettled();

    assert.equal(burst.applications.length, 1);
    assert.equal(sandbox.state.opportunities.size, opportunitiesBefore + 1);
    const newOpp = burst.applications[0]!.opportunityId;
    const resume = [...sandbox.state.resumes.values()].find((r) => r.opportunityId === newOpp)!;
    assert.equal(resume.contentType, "application/pdf");
    assert.equal(Buffer.from((await resume.bytes()).slice(0, 5)).toString(), "%PDF-");
    assert.equal(sandbox.state.postings.get(burst.applications[0]!.postingId)!.state, "published");

    assert.equal(burst.stageMoves.length, 1);
    const move = burst.stageMoves[0]!;
    const toName = sandbox.state.stages.find((s) => s.id === move.toStageId)!.text;
    assert.ok(["Technical Assessment", "On-site Interview"].includes(toName), toName);
    assert.equal(sandbox.state.opportunities.get(move.opportunityId)!.stage, move.toStageId);

    assert.equal(burst.interviews.length, 1);
    assert.equal(burst.feedback.length, 1);
    assert.ok(sandbox.state.feedback.get(burst.feedback[0]!.feedbackId)!.completedAt);

    const events = received.map((r) => r.event);
    for (const e of ["applicationCreated", "candidateStageChange", "interviewCreated"]) assert.ok(events.includes(e), `${e} in ${events.join(", ")}`);
    for (const r of received) {
      assert.ok(verifyLeverSignature(r.body, tokens[r.event]!), `${r.event} is signed`);
    }
  });

  it("the next burst moves candidates along earlier stages, and bursts never add the same person twice", async () => {
    const burst = await sandbox.activity!.burst();
    assert.equal(burst.stageMoves.length, 2);
    for (const move of burst.stageMoves) {
      const toName = sandbox.state.stages.find((s) => s.id === move.toStageId)!.text;
      assert.ok(!["Technical Assessment", "On-site Interview"].includes(toName), toName);
    }
    const emails = [...sandbox.state.contacts.values()].map((c) => c.emails[0]);
    assert.equal(new Set(emails).size, emails.length);
  });

  it("runs on a timer when started and stops when told", async () => {
    const activity = sandbox.activity!;
    const start = activity.bursts;
    activity.start(0.05);
    assert.equal(activity.everySeconds, 0.05);
    const deadline = Date.now() + 10_000;
    while (activity.bursts < start + 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    activity.stop();
    assert.ok(activity.bursts >= start + 3, `${activity.bursts - start} bursts`);
    await new Promise((r) => setTimeout(r, 150));
    const settled = activity.bursts;
    await new Promise((r) => setTimeout(r, 150));
    assert.equal(activity.bursts, settled, "no bursts after stop");
    assert.throws(() => activity.start(0), /everySeconds must be a positive number/);
  });
});
