import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, loadConfig } from "../config/index.ts";

const base = { FULCRUM_CONFIG: undefined } as NodeJS.ProcessEnv;

describe("AI configuration", () => {
  it("defaults to no provider (local engines), fallback on an open circuit, names redacted", () => {
    const ai = loadConfig({ ...base }).ai!;
    assert.equal(ai.provider, "none");
    assert.equal(ai.onOpen, "fallback");
    assert.equal(ai.redactNames, true);
    assert.deepEqual(ai.breaker, { failureThreshold: 3, cooldownMs: 60_000 });
  });

  it("reads an OpenAI-compatible server from FULCRUM_AI_BASE_URL and FULCRUM_AI_MODEL", () => {
    const ai = loadConfig({
      ...base,
      FULCRUM_AI_PROVIDER: "openai-compatible",
      FULCRUM_AI_BASE_URL: "http://127.0.0.1:11434/v1",
      FULCRUM_AI_MODEL: "llama3.1:8b",
      FULCRUM_AI_ON_OPEN: "wait",
    }).ai!;
    assert.equal(ai.baseUrl, "http://127.0.0.1:11434/v1");
    assert.equal(ai.model, "llama3.1:8b");
    assert.equal(ai.onOpen, "wait");
  });

  it("reads the embedding model from FULCRUM_AI_EMBEDDING_MODEL, unset by default", () => {
    assert.equal(loadConfig({ ...base }).ai!.embeddingModel, undefined);
    const ai = loadConfig({
      ...base,
      FULCRUM_AI_PROVIDER: "openai-compatible",
      FULCRUM_AI_BASE_URL: "http://127.0.0.1:11434/v1",
      FULCRUM_AI_MODEL: "llama3.1:8b",
      FULCRUM_AI_EMBEDDING_MODEL: "nomic-embed-text",
    }).ai!;
    assert.equal(ai.embeddingModel, "nomic-embed-text");
  });

  it("names the missing variable when the chosen provider lacks its key", () => {
    assert.throws(
      () => loadConfig({ ...base, FULCRUM_AI_PROVIDER: "anthropic" }),
      (e: unknown) => e instanceof ConfigError && e.key === "ANTHROPIC_API_KEY",
    );
    assert.throws(
      () => loadConfig({ ...base, FULCRUM_AI_PROVIDER: "openai-compatible", FULCRUM_AI_BASE_URL: "http://x:1/v1" }),
      (e: unknown) => e instanceof ConfigError && e.key === "FULCRUM_AI_MODEL",
    );
    assert.throws(
      () => loadConfig({ ...base, FULCRUM_AI_PROVIDER: "azure", AZURE_OPENAI_API_KEY: "k", AZURE_OPENAI_RESOURCE_NAME: "res" }),
      (e: unknown) => e instanceof ConfigError && e.key === "AZURE_OPENAI_DEPLOYMENT",
    );
  });

  it("rejects an unknown provider and a bad timeout with the variable and the fix", () => {
    assert.throws(
      () => loadConfig({ ...base, FULCRUM_AI_PROVIDER: "gpt" }),
      (e: unknown) => e instanceof ConfigError && e.key === "FULCRUM_AI_PROVIDER" && /none, openai, anthropic, azure or openai-compatible/.test(e.fix),
    );
    assert.throws(
      () => loadConfig({ ...base, FULCRUM_AI_TIMEOUT_MS: "10" }),
      (e: unknown) => e instanceof ConfigError && e.key === "FULCRUM_AI_TIMEOUT_MS",
    );
    assert.throws(
      () => loadConfig({ ...base, FULCRUM_AI_ON_OPEN: "retry" }),
      (e: unknown) => e instanceof ConfigError && e.key === "FULCRUM_AI_ON_OPEN",
    );
  });

  it("never echoes an API key in an error", () => {
    try {
      loadConfig({ ...base, FULCRUM_AI_PROVIDER: "openai", OPENAI_API_KEY: "sk-very-secret", FULCRUM_AI_BASE_URL: "not a url" });
      assert.fail("should throw");
    } catch (e) {
      assert.ok(e instanceof ConfigError);
      assert.equal(e.key, "FULCRUM_AI_BASE_URL");
      assert.ok(!e.message.includes("sk-very-secret"));
    }
  });

  it("reads an ai: block from the config file, with the environment winning", () => {
    const file = join(mkdtempSync(join(tmpdir(), "ai-config-")), "fulcrum.config.yaml");
    writeFileSync(
      file,
      "ai:\n  provider: openai-compatible\n  baseUrl: http://127.0.0.1:8000/v1\n  model: qwen2.5\n  breaker:\n    failureThreshold: 5\n  onOpen: wait\n",
    );
    const ai = loadConfig({ FULCRUM_CONFIG: file, FULCRUM_AI_MODEL: "llama3.1:8b" }).ai!;
    assert.deepEqual(
      [ai.provider, ai.baseUrl, ai.model, ai.breaker.failureThreshold, ai.breaker.cooldownMs, ai.onOpen],
      ["openai-compatible", "http://127.0.0.1:8000/v1", "llama3.1:8b", 5, 60_000, "wait"],
    );
  });
});
