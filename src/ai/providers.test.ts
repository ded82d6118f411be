import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createAi, DEFAULT_AI_CONFIG } from "./ai.ts";
import type { AiConfig } from "../config/index.ts";

const INPUT = { text: "Reach me at cand@example.com. Strong accent but great SQL.", source: "note" as const };

/** Stands in for the network: records each request the real provider package makes and answers 503. */
function unavailable() {
  const requests: { url: string; headers: Headers; body: string }[] = [];
  const fetchStub: typeof fetch = async (input, init) => {
    requests.push({ url: String(input instanceof Request ? input.url : input), headers: new Headers(init?.headers), body: String(init?.body ?? "") });
    return new Response(JSON.stringify({ error: { message: "overloaded", type: "overloaded_error" } }), {
      status: 503,
      headers: { "content-type": "application/json" },
    });
  };
  return { requests, fetchStub };
}

const CASES: { provider: AiConfig["provider"]; ai: Partial<AiConfig>; host: RegExp; auth: [string, RegExp] }[] = [
  { provider: "openai", ai: { openaiApiKey: "sk-openai-test" }, host: /^https:\/\/api\.openai\.com\/v1\//, auth: ["authorization", /^Bearer sk-openai-test$/] },
  { provider: "anthropic", ai: { anthropicApiKey: "sk-ant-test" }, host: /^https:\/\/api\.anthropic\.com\/v1\/messages/, auth: ["x-api-key", /^sk-ant-test$/] },
  {
    provider: "azure",
    ai: { azure: { apiKey: "az-key", resourceName: "fulcrum-res", deployment: "gpt4o-prod" } },
    host: /^https:\/\/fulcrum-res\.openai\.azure\.com\/openai\//,
    auth: ["api-key", /^az-key$/],
  },
];

describe("real provider packages, wired from configuration", () => {
  for (const c of CASES) {
    it(`${c.provider}: calls the provider's endpoint with its key, redacted text, and falls back when it fails`, async () => {
      const { requests, fetchStub } = unavailable();
      const ai = createAi({ config: { ai: { ...DEFAULT_AI_CONFIG, provider: c.provider, ...c.ai } }, fetch: fetchStub });
      const { output, meta } = await ai.runAiStep<{ flags: { category: string }[] }>("language-check", INPUT);
      assert.equal(requests.length, 1, "no hidden retries: maxRetries is 0");
      const req = requests[0]!;
      assert.match(req.url, c.host);
      assert.match(req.headers.get(c.auth[0]) ?? "", c.auth[1]);
      assert.ok(!req.body.includes("cand@example.com"), "the e-mail never leaves");
      assert.match(req.body, /\[EMAIL_1\]/);
      if (c.provider === "azure") assert.match(req.body, /gpt4o-prod/, "the deployment is the model");
      assert.equal(meta.engine, "local");
      assert.match(meta.fallbackReason ?? "", /503/);
      assert.deepEqual(
        output.flags.map((f) => f.category),
        ["origin"],
      );
    });
  }
});
