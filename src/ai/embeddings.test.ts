import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { MockEmbeddingModelV3 } from "ai/test";
import type { AiConfig } from "../config/index.ts";
import { registry } from "../observability/index.ts";
import { DEFAULT_AI_CONFIG } from "./ai.ts";
import { cosineSimilarity, createEmbedder, MAX_EMBEDDING_CHARS } from "./embeddings.ts";

const config = (ai: Partial<AiConfig>) => ({ ai: { ...DEFAULT_AI_CONFIG, ...ai } });

describe("embeddings", () => {
  it("has no embedder without a provider, with Anthropic, or without a model for a compatible server, and says why", () => {
    assert.match(createEmbedder({ config: config({}) }).reason ?? "", /no AI provider is configured/);
    assert.match(createEmbedder({ config: config({ provider: "anthropic", anthropicApiKey: "k" }) }).reason ?? "", /Anthropic offers no embedding models/);
    assert.match(
      createEmbedder({ config: config({ provider: "openai-compatible", baseUrl: "http://127.0.0.1:1/v1", model: "llama" }) }).reason ?? "",
      /FULCRUM_AI_EMBEDDING_MODEL/,
    );
    assert.match(createEmbedder({ config: config({ provider: "openai" }) }).reason ?? "", /not fully configured/);
  });

  it("uses text-embedding-3-small for OpenAI unless FULCRUM_AI_EMBEDDING_MODEL names another", () => {
    assert.equal(createEmbedder({ config: config({ provider: "openai", openaiApiKey: "sk-x" }) }).embedder?.model, "text-embedding-3-small");
    assert.equal(
      createEmbedder({ config: config({ provider: "openai", openaiApiKey: "sk-x", embeddingModel: "text-embedding-3-large" }) }).embedder?.model,
      "text-embedding-3-large",
    );
  });

  it("redacts contact details and cuts long texts before they reach the model, and keeps the order of vectors", async () => {
    const model = new MockEmbeddingModelV3({
      maxEmbeddingsPerCall: 2,
      doEmbed: async ({ values }) => ({ embeddings: values.map((v) => [v.length, 1]), warnings: [] }),
    });
    const { embedder } = createEmbedder({ config: config({ provider: "openai", embeddingModel: "mock-embed" }), models: { openai: () => model } });
    assert.ok(embedder);
    const texts = ["Reach me at mira@example.net or +1 415 555 0100", "x".repeat(MAX_EMBEDDING_CHARS + 500), "Go, Kafka"];
    const vectors = await embedder.embed(texts);
    const sent = model.doEmbedCalls.flatMap((c) => c.values);
    assert.equal(sent.length, 3);
    assert.doesNotMatch(sent.join("\n"), /mira@example\.net|555 0100/);
    assert.match(sent[0]!, /\[EMAIL_1\]/);
    assert.equal(sent[1]!.length, MAX_EMBEDDING_CHARS);
    assert.deepEqual(
      vectors.map((v) => v[0]),
      sent.map((s) => s.length),
    );
    assert.deepEqual(await embedder.embed([]), []);
  });

  it("computes cosine similarity, 0 for zero vectors or different lengths", () => {
    assert.equal(cosineSimilarity([1, 0], [1, 0]), 1);
    assert.equal(cosineSimilarity([1, 0], [0, 1]), 0);
    assert.ok(Math.abs(cosineSimilarity([1, 1], [1, 0]) - Math.SQRT1_2) < 1e-12);
    assert.equal(cosineSimilarity([0, 0], [1, 0]), 0);
    assert.equal(cosineSimilarity([1], [1, 0]), 0);
  });
});

describe("embeddings from an OpenAI-compatible server", () => {
  let server: Server;
  let url: string;
  const requests: { model: string; input: string[] }[] = [];
  before(async () => {
    server = createServer((req, res) => {
      let raw = "";
      req.on("data", (c) => (raw += c));
      req.on("end", () => {
        if (req.url !== "/v1/embeddings") return void res.writeHead(404).end();
        const body = JSON.parse(raw) as { model: string; input: string[] };
        requests.push(body);
        res.writeHead(200, { "content-type": "application/json" }).end(
          JSON.stringify({
            object: "list",
            model: body.model,
            data: body.input.map((t, index) => ({ object: "embedding", index, embedding: [t.length, 0.5, -1] })),
            usage: { prompt_tokens: 3, total_tokens: 3 },
          }),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  after(() => server?.close());

  it("asks the server's /embeddings with the configured embedding model", async () => {
    const { embedder } = createEmbedder({
      config: config({ provider: "openai-compatible", baseUrl: url, model: "llama", embeddingModel: "nomic-embed-text" }),
    });
    assert.ok(embedder);
    const vectors = await embedder.embed(["Backend engineer", "Designer"]);
    assert.deepEqual(vectors, [
      [16, 0.5, -1],
      [8, 0.5, -1],
    ]);
    assert.equal(requests[0]!.model, "nomic-embed-text");
    assert.deepEqual(requests[0]!.input, ["Backend engineer", "Designer"]);
    const calls = (await registry.getSingleMetric("fulcrum_ai_calls_total")!.get()).values;
    assert.ok(calls.some((v) => v.labels.step === "embed" && v.labels.provider === "openai-compatible" && v.labels.outcome === "ok" && v.value >= 1));
  });
});
