import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { testEngines } from "../../src/store/testing.ts";
import { listProposals } from "../../src/engine/proposals/index.ts";
import { BUILTIN_WORKFLOWS_DIR } from "../../src/engine/workflows/index.ts";
import { signBody } from "../../src/engine/steps/index.ts";
import { resumeFor, startHarness, type Harness } from "./harness.ts";

const SECRET = "hr-signing-secret-for-tests";

for (const e of await testEngines()) {
  describe(`hand-off to HR systems end to end on ${e.kind}`, { skip: e.skip }, () => {
    let h: Harness;
    let server: Server;
    const received: { body: string; signature: string }[] = [];

    before(async () => {
      server = createServer((req, res) => {
        let body = "";
        req.on("data", (c) => (body += c));
        req.on("end", () => {
          received.push({ body, signature: String(req.headers["x-fulcrum-signature"] ?? "") });
          res.writeHead(201).end("{}");
        });
      });
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
      const port = (server.address() as { port: number }).port;
      const dir = mkdtempSync(join(tmpdir(), "hr-wf-"));
      const yaml = readFileSync(join(BUILTIN_WORKFLOWS_DIR, "hr-handoff.yaml"), "utf8")
        .replace('url: ""', `url: "http://127.0.0.1:${port}/hires"`)
        .replace("format: workday", "format: bamboohr");
      writeFileSync(join(dir, "hr-handoff.yaml"), yaml);
      process.env.FULCRUM_HR_SIGNING_SECRET = SECRET;
      h = await startHarness(e.kind, { env: { FULCRUM_WORKFLOWS_DIR: dir }, allowHosts: ["127.0.0.1"] });
    });
    after(async () => {
      await h?.close();
      server?.close();
    });

    it("routes an incomplete hire to a person, then sends the signed BambooHR-style payload once approved", async () => {
      const posting = [...h.sandbox.state.postings.values()].find((p) => p.state === "published" && p.content.lists.length > 0)!;
      const opp = h.sandbox.actions.applyToPosting(posting.id, {
        name: "Hanna Hired",
        email: "hanna.hired@example.net",
        resume: { name: "cv.txt", contentType: "text/plain", bytes: resumeFor(posting.content) },
      }).opportunityId;
      await h.deliver();
      await h.settle();
      h.sandbox.actions.hire(opp);
      await h.deliver(["candidateHired"]);
      await h.settle();
      const gate = (await listProposals(h.t.db, { workflowId: "hr-handoff", limit: 50 })).find((p) => p.opportunityId === opp && p.stepId === "exception");
      assert.ok(gate, "the missing start date goes to a person");
      assert.match(String(gate.action.message), /startDate is missing/);
      assert.equal(received.length, 0, "nothing is sent before a person decides");
      await h.runtime.engine.decideProposal(gate.id, { actor: "user:hr-ops", decision: "approve", reason: "start date follows" });
      await h.settle();
      assert.equal(received.length, 1);
      const payload = JSON.parse(received[0]!.body);
      assert.equal(payload.firstName, "Hanna");
      assert.equal(payload.workEmail, "hanna.hired@example.net");
      assert.equal(payload.jobTitle, posting.text);
      const t = /t=(\d+)/.exec(received[0]!.signature)![1]!;
      assert.equal(received[0]!.signature, signBody(SECRET, received[0]!.body, Number(t)));
      const send = (await listProposals(h.t.db, { workflowId: "hr-handoff", limit: 50 })).find((p) => p.opportunityId === opp && p.stepId === "send")!;
      assert.equal(send.status, "applied");
    });
  });
}
