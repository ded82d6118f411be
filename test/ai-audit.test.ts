/**
 * End to end: AI steps recorded in the real hash-chained audit trail, on both database engines —
 * with the local engine and with a model — keeping contact details out of the trail and the chain
 * verifiable, with one trace id from the event to the call.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { MockLanguageModelV4 } from "ai/test";
import { createAi, DEFAULT_AI_CONFIG } from "../src/ai/index.ts";
import { createAuditTrail, type AuditTrail } from "../src/governance/index.ts";
import type { AuditVerifyResult } from "../src/governance/index.ts";
import { openTestDatabase, testEngines, type TestDatabase } from "../src/store/testing.ts";

const NOTE = "Feedback by Ana Silva (ana.silva@acme.test, +1 415 555 0199): strong SQL. She has young kids, so travel may be hard.";

const withoutHead = ({ head: _head, ...rest }: AuditVerifyResult) => rest;

for (const engine of await testEngines()) {
  describe(`AI calls in the audit trail on ${engine.kind}`, { skip: engine.skip }, () => {
    let t: TestDatabase;
    let audit: AuditTrail;
    before(async () => {
      t = await openTestDatabase(engine.kind);
      audit = createAuditTrail(t.db);
    });
    after(async () => t?.drop());

    it("records local and model calls with prompt version, input hash, redacted input and output, in a chain that verifies", async () => {
      await audit.append({
        kind: "event.received",
        traceId: "trace-42",
        actor: "lever",
        subject: { opportunityId: "opp-7" },
        data: { event: "candidateStageChange" },
      });
      const local = createAi({ config: { ai: DEFAULT_AI_CONFIG }, audit });
      const context = { traceId: "trace-42", actor: "workflow:language-check", subject: { opportunityId: "opp-7" } };
      const a = await local.runAiStep("language-check", { text: NOTE, source: "feedback", names: ["Ana Silva"] }, { context });
      assert.equal(a.meta.engine, "local");

      const excerpt = "She has young kids, so travel may be hard.";
      const model = new MockLanguageModelV4({
        doGenerate: {
          content: [{ type: "text", text: JSON.stringify({ flags: [{ category: "family", term: "young kids", excerpt, explanation: "Family situation." }] }) }],
          finishReason: { unified: "stop", raw: undefined },
          usage: {
            inputTokens: { total: 500, noCache: 500, cacheRead: undefined, cacheWrite: undefined },
            outputTokens: { total: 60, text: 60, reasoning: undefined },
          },
          warnings: [],
        },
      });
      const withModel = createAi({
        config: { ai: { ...DEFAULT_AI_CONFIG, provider: "anthropic", anthropicApiKey: "k" } },
        models: { anthropic: () => model },
        audit,
      });
      const b = await withModel.runAiStep("language-check", { text: NOTE, source: "feedback", names: ["Ana Silva"] }, { context });
      assert.equal(b.meta.engine, "model");
      assert.equal(a.meta.inputHash, b.meta.inputHash, "the same input hashes the same whatever the engine");

      const trail = await audit.search({ traceId: "trace-42" });
      assert.deepEqual(
        trail.map((r) => r.kind),
        ["event.received", "ai.call", "ai.call"],
      );
      const [, localCall, modelCall] = trail as [unknown, { data: Record<string, unknown> }, { data: Record<string, unknown> }];
      assert.equal(localCall.data.engine, "local");
      assert.equal(modelCall.data.engine, "model");
      assert.equal(modelCall.data.provider, "anthropic");
      assert.equal(modelCall.data.model, "claude-sonnet-4-5");
      assert.equal(modelCall.data.prompt, "language-check@v1");
      assert.match(String(modelCall.data.inputHash), /^[0-9a-f]{64}$/);
      assert.deepEqual(modelCall.data.tokens, { input: 500, output: 60, total: 560 });
      assert.ok(Date.parse(String(modelCall.data.startedAt)) <= Date.parse(String(modelCall.data.finishedAt)));
      assert.match(String(modelCall.data.redactedInput), /\[NAME_1\] \(\[EMAIL_1\], \[PHONE_1\]\)/);
      const stored = JSON.stringify(trail);
      for (const secret of ["ana.silva@acme.test", "555 0199", "Ana Silva"]) assert.ok(!stored.includes(secret), `audit contains ${secret}`);
      assert.deepEqual(withoutHead(await audit.verify()), { ok: true, checked: 3, problems: [] });
    });
  });
}
