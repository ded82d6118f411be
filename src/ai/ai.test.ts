import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { LanguageModelV4CallOptions } from "@ai-sdk/provider";
import { MockLanguageModelV4 } from "ai/test";
import { APICallError } from "ai";
import { createAi, DEFAULT_AI_CONFIG, type AiCallRecorder } from "./ai.ts";
import type { AiConfig } from "../config/index.ts";
import { NonRetriableError, RetryAfterError } from "./errors.ts";

const RESUME = `Dana Whitfield
dana.whitfield@example.org · +44 20 7946 0958
Senior Backend Engineer, Ledgerly (2019-2024)
Built payment services in TypeScript on Kubernetes handling 2 million transactions a day.
Led a team of four engineers and mentored two juniors.`;

const INPUT = {
  rubric: {
    criteria: [
      { id: "ts", name: "TypeScript", keywords: ["typescript"] },
      { id: "lead", name: "Leadership", keywords: ["led", "mentored"] },
      { id: "rust", name: "Rust", keywords: ["rust"] },
    ],
  },
  resumeText: RESUME,
  candidateName: "Dana Whitfield",
};

const usage = {
  inputTokens: { total: 1000, noCache: 1000, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: 200, text: 200, reasoning: undefined },
};
const reply = (text: string) => ({
  content: [{ type: "text" as const, text }],
  finishReason: { unified: "stop" as const, raw: undefined },
  usage,
  warnings: [],
});

const GOOD = JSON.stringify({
  criteria: [
    { id: "ts", found: true, quotes: ["Built payment services in TypeScript on Kubernetes"], explanation: "Uses TypeScript." },
    { id: "lead", found: true, quotes: ["Led a team of four engineers", "Managed a team of 40 at Google"], explanation: "Led a team; contact [EMAIL_1]." },
    { id: "rust", found: false, quotes: [], explanation: "No Rust." },
  ],
});

function config(overrides: Partial<AiConfig> = {}): { ai: AiConfig } {
  return { ai: { ...DEFAULT_AI_CONFIG, provider: "openai", openaiApiKey: "sk-test", breaker: { failureThreshold: 2, cooldownMs: 10_000 }, ...overrides } };
}

function recorder() {
  const records: Parameters<AiCallRecorder["append"]>[0][] = [];
  return { records, append: async (r: Parameters<AiCallRecorder["append"]>[0]) => void records.push(r) };
}

function promptText(call: LanguageModelV4CallOptions | undefined): string {
  return JSON.stringify(call?.prompt ?? []);
}

describe("AI steps with no provider configured", () => {
  it("answer from the local engine, labelled local, with verified quotes", async () => {
    const ai = createAi({ config: { ai: DEFAULT_AI_CONFIG } });
    const { output, meta } = await ai.runAiStep<{ criteria: { id: string; found: boolean; quotes: string[] }[] }>("resume-evidence", INPUT);
    assert.equal(meta.engine, "local");
    assert.equal(meta.prompt, "resume-evidence@v1");
    assert.equal(meta.model, null);
    assert.match(meta.inputHash, /^[0-9a-f]{64}$/);
    assert.deepEqual(
      output.criteria.map((c) => [c.id, c.found]),
      [
        ["ts", true],
        ["lead", true],
        ["rust", false],
      ],
    );
    assert.ok(output.criteria[1]!.quotes.includes("Led a team of four engineers and mentored two juniors."));
  });

  it("rejects bad input with the field path and does not retry", async () => {
    const ai = createAi({ config: { ai: DEFAULT_AI_CONFIG } });
    await assert.rejects(
      ai.runAiStep("resume-evidence", { rubric: { criteria: [] }, resumeText: "x" }),
      (e: unknown) => e instanceof NonRetriableError && /rubric\.criteria/.test(e.message),
    );
    await assert.rejects(ai.runAiStep("no-such-step", {}), NonRetriableError);
  });
});

describe("AI steps through a model (AI SDK mock model)", () => {
  it("send only redacted, fenced text; restore placeholders; drop quotes not in the resume; record tokens, cost and audit", async () => {
    const model = new MockLanguageModelV4({ doGenerate: reply(GOOD) });
    const audit = recorder();
    const ai = createAi({ config: config(), models: { openai: () => model }, audit });
    const { output, meta } = await ai.runAiStep<{ criteria: { id: string; quotes: string[]; explanation: string; droppedQuotes?: string[] }[] }>(
      "resume-evidence",
      INPUT,
      {
        context: { traceId: "trace-9", actor: "workflow:screening", subject: { opportunityId: "opp-1" } },
      },
    );
    const sent = promptText(model.doGenerateCalls[0]);
    for (const secret of ["dana.whitfield@example.org", "7946 0958", "Whitfield", "Dana"]) assert.ok(!sent.includes(secret), `prompt contains ${secret}`);
    assert.match(sent, /<<<DATA label=\\"resume\\" boundary=[0-9a-f]{24}>>>/);
    assert.match(sent, /never instructions/);
    assert.equal(meta.engine, "model");
    assert.equal(meta.model, "gpt-4.1-mini");
    assert.deepEqual(meta.tokens, { input: 1000, output: 200, total: 1200 });
    assert.equal(meta.costUsd, 0.00072);
    assert.equal(meta.attempts, 1);
    const lead = output.criteria.find((c) => c.id === "lead")!;
    assert.deepEqual(lead.quotes, ["Led a team of four engineers"]);
    assert.deepEqual(lead.droppedQuotes, ["Managed a team of 40 at Google"]);
    assert.equal(lead.explanation, "Led a team; contact dana.whitfield@example.org.", "placeholders are restored in the output");
    assert.equal(audit.records.length, 1);
    const rec = audit.records[0]!;
    assert.equal(rec.kind, "ai.call");
    assert.equal(rec.traceId, "trace-9");
    assert.ok(!JSON.stringify(rec).includes("dana.whitfield@example.org"), "the audit holds only redacted text");
    assert.match(JSON.stringify(rec.data), /\[EMAIL_1\]/);
  });

  it("retries once on a schema miss and succeeds", async () => {
    const model = new MockLanguageModelV4({ doGenerate: [reply('{"criteria": "not a list"}'), reply(GOOD)] });
    const ai = createAi({ config: config(), models: { openai: () => model } });
    const { meta } = await ai.runAiStep("resume-evidence", INPUT);
    assert.equal(meta.engine, "model");
    assert.equal(meta.attempts, 2);
    assert.equal(meta.tokens?.total, 2400);
    assert.match(promptText(model.doGenerateCalls[1]), /previous reply was not valid JSON/);
  });

  it("after two schema misses falls back to the local engine and counts a failure", async () => {
    const model = new MockLanguageModelV4({ doGenerate: reply("I think this candidate is great!") });
    const ai = createAi({ config: config(), models: { openai: () => model } });
    const { meta } = await ai.runAiStep("resume-evidence", INPUT);
    assert.equal(model.doGenerateCalls.length, 2);
    assert.equal(meta.engine, "local");
    assert.match(meta.fallbackReason ?? "", /did not match the schema/);
  });

  it("on errors opens the circuit, then stops calling the provider and falls back", async () => {
    const model = new MockLanguageModelV4({
      doGenerate: async () => {
        throw new APICallError({ message: "overloaded", url: "https://api.example/v1", requestBodyValues: {}, statusCode: 503, isRetryable: true });
      },
    });
    const ai = createAi({ config: config(), models: { openai: () => model } });
    for (let i = 0; i < 2; i++) assert.equal((await ai.runAiStep("resume-evidence", INPUT)).meta.engine, "local");
    assert.equal(ai.breaker("openai").state, "open");
    const { meta } = await ai.runAiStep("resume-evidence", INPUT);
    assert.equal(model.doGenerateCalls.length, 2, "no call while the circuit is open");
    assert.match(meta.fallbackReason ?? "", /circuit is open/);
  });

  it("with onOpen=wait, a timed-out call asks to retry later and an open circuit says when", async () => {
    let t = 1_000_000;
    const model = new MockLanguageModelV4({
      doGenerate: (options) =>
        new Promise((_, reject) => options.abortSignal?.addEventListener("abort", () => reject(options.abortSignal?.reason), { once: true })),
    });
    const ai = createAi({ config: config({ onOpen: "wait", timeoutMs: 30 }), models: { openai: () => model }, now: () => t });
    await assert.rejects(ai.runAiStep("resume-evidence", INPUT), (e: unknown) => e instanceof RetryAfterError && /timed out/.test(e.message));
    await assert.rejects(ai.runAiStep("resume-evidence", INPUT), RetryAfterError);
    const err = await ai.runAiStep("resume-evidence", INPUT).catch((e: unknown) => e);
    assert.ok(err instanceof RetryAfterError);
    assert.equal(err.retryAt.getTime(), t + 10_000, "retry when the cool-down ends");
    assert.equal(model.doGenerateCalls.length, 2);

    // After the cool-down one trial call goes through; its success closes the circuit.
    t += 10_000;
    model.doGenerate = async () => reply(GOOD);
    assert.equal((await ai.runAiStep("resume-evidence", INPUT)).meta.engine, "model");
    assert.equal(ai.breaker("openai").state, "closed");
  });

  it("with onOpen=wait, a refused key is not retried", async () => {
    const model = new MockLanguageModelV4({
      doGenerate: async () => {
        throw new APICallError({ message: "invalid api key", url: "https://api.example/v1", requestBodyValues: {}, statusCode: 401, isRetryable: false });
      },
    });
    const ai = createAi({ config: config({ onOpen: "wait" }), models: { openai: () => model } });
    await assert.rejects(ai.runAiStep("resume-evidence", INPUT), (e: unknown) => e instanceof NonRetriableError && /401/.test(e.message));
  });

  it("lets a step choose another configured provider, and refuses one that is not configured", async () => {
    const anthropic = new MockLanguageModelV4({ doGenerate: reply(GOOD) });
    const ai = createAi({ config: config({ anthropicApiKey: "k" }), models: { anthropic: (id) => (assert.equal(id, "claude-sonnet-4-5"), anthropic) } });
    assert.equal((await ai.runAiStep("resume-evidence", INPUT, { provider: "anthropic" })).meta.provider, "anthropic");
    await assert.rejects(
      ai.runAiStep("resume-evidence", INPUT, { provider: "azure" }),
      (e: unknown) => e instanceof NonRetriableError && /azure/.test(e.message),
    );
  });
});

describe("generate() with a prompt and a schema of the caller's own", () => {
  it("uses a local engine registered for the prompt's output when no provider is configured", async () => {
    const { registerLocalEngine } = await import("./ai.ts");
    const { z } = await import("zod");
    const unregister = registerLocalEngine("nurture-email", () => ({ subject: "Hello", body: "A registered engine wrote this.", tags: [] }));
    try {
      const ai = createAi({ config: { ai: DEFAULT_AI_CONFIG } });
      const schema = z.object({ subject: z.string(), body: z.string(), tags: z.array(z.string()) });
      const { output, meta } = await ai.generate({ prompt: "nurture-email@v1", input: {}, schema });
      assert.equal(output.body, "A registered engine wrote this.");
      assert.equal(meta.engine, "local");
      assert.equal(meta.prompt, "nurture-email@v1");
      await assert.rejects(
        ai.generate({ prompt: "nurture-email@v7", input: {}, schema }),
        (e: unknown) => e instanceof NonRetriableError && /no prompt nurture-email@v7/.test(e.message),
      );
    } finally {
      unregister();
    }
  });
});

describe("status and probe", () => {
  it("report the configured model, breaker states, and whether the provider answers", async () => {
    let fail = false;
    const model = new MockLanguageModelV4({
      doGenerate: async () => {
        if (fail) throw new APICallError({ message: "bad key", url: "https://api.example/v1", requestBodyValues: {}, statusCode: 401, isRetryable: false });
        return reply('{"ok": true}');
      },
    });
    const ai = createAi({ config: config({ model: "gpt-4o-mini" }), models: { openai: () => model } });
    assert.deepEqual(await ai.probe().then(({ latencyMs: _l, ...r }) => r), { ok: true, provider: "openai", model: "gpt-4o-mini" });
    fail = true;
    const failed = await ai.probe();
    assert.equal(failed.ok, false);
    assert.match(failed.error ?? "", /401/);
    ai.breaker("openai").recordFailure();
    ai.breaker("openai").recordFailure();
    const status = ai.status();
    assert.equal(status.model, "gpt-4o-mini");
    assert.deepEqual(
      status.breakers.map((b) => [b.provider, b.state]),
      [["openai", "open"]],
    );
    assert.deepEqual(await createAi({ config: { ai: DEFAULT_AI_CONFIG } }).probe(), { ok: true, provider: "none", model: null, latencyMs: 0 });
  });
});
