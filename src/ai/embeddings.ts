/**
 * Text embeddings through the AI SDK's `embedMany`, from the configured provider's embedding
 * model. Contact details are replaced by placeholders before any text leaves the process, and
 * long texts are cut, exactly as for prompts. With no provider (or one without embeddings, such
 * as Anthropic) there is no embedder and callers carry on without semantic matching.
 */
import { createOpenAI } from "@ai-sdk/openai";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { embedMany, type EmbeddingModel } from "ai";
import type { AiConfig, Config } from "../config/index.ts";
import { aiCalls, aiLatency, aiTokens } from "./metrics.ts";
import { azureProvider, providerConfigured, type ModelProviderName } from "./providers.ts";
import { createRedactor } from "./redaction.ts";

/** Used when FULCRUM_AI_EMBEDDING_MODEL is not set and the provider has a well-known default. */
export const DEFAULT_EMBEDDING_MODELS: Partial<Record<ModelProviderName, string>> = {
  openai: "text-embedding-3-small",
};

/** Longest text sent to an embedding model, in characters (the rest is left out). */
export const MAX_EMBEDDING_CHARS = 20_000;

/** A factory of embedding models for one provider, by model id (tests pass mock models here). */
export type EmbeddingModelFactory = (modelId: string) => EmbeddingModel;

/** Turns texts into vectors with one provider's embedding model. */
export interface Embedder {
  provider: ModelProviderName;
  /** The model id; stored beside every vector so vectors of different models are never compared. */
  model: string;
  /**
   * One vector per text, in order. Texts are redacted (e-mails, phones, links, addresses) and cut
   * to the configured untrusted-text limit first.
   */
  embed(texts: readonly string[], options?: { abortSignal?: AbortSignal }): Promise<number[][]>;
}

/** Either an embedder or the reason there is none (shown to users, e.g. "no AI provider is configured"). */
export type EmbedderChoice = { embedder: Embedder; reason?: undefined } | { embedder?: undefined; reason: string };

export interface CreateEmbedderOptions {
  config: Pick<Config, "ai">;
  /** Embedding model factories by provider, replacing the real ones (tests use `MockEmbeddingModelV3`). */
  models?: Partial<Record<ModelProviderName, EmbeddingModelFactory>> | undefined;
  fetch?: typeof fetch | undefined;
}

function realFactory(ai: AiConfig, provider: ModelProviderName, fetchImpl?: typeof fetch): EmbeddingModelFactory | undefined {
  const common = fetchImpl ? { fetch: fetchImpl } : {};
  switch (provider) {
    case "openai": {
      const p = createOpenAI({ apiKey: ai.openaiApiKey, ...(ai.baseUrl ? { baseURL: ai.baseUrl } : {}), ...common });
      return (id) => p.embedding(id);
    }
    case "azure": {
      const p = azureProvider(ai, fetchImpl);
      return (id) => p.embedding(id);
    }
    case "openai-compatible": {
      const p = createOpenAICompatible({
        name: "openai-compatible",
        baseURL: ai.baseUrl!,
        ...(ai.compatibleApiKey ? { apiKey: ai.compatibleApiKey } : {}),
        ...common,
      });
      return (id) => p.embeddingModel(id);
    }
    case "anthropic":
      // Anthropic offers no embedding API.
      return undefined;
  }
}

/**
 * The embedder of the configured provider, or why there is none: no provider, a provider without
 * embeddings, or no embedding model named where the provider has no default (OpenAI-compatible
 * servers and Azure need FULCRUM_AI_EMBEDDING_MODEL).
 *
 * @example
 * const choice = createEmbedder({ config });
 * if (choice.embedder) await choice.embedder.embed(["Senior backend engineer, Go and Kafka"]);
 * else console.log(`semantic match off: ${choice.reason}`);
 */
export function createEmbedder(options: CreateEmbedderOptions): EmbedderChoice {
  const ai = options.config.ai;
  if (!ai || ai.provider === "none") return { reason: "no AI provider is configured (FULCRUM_AI_PROVIDER=none)" };
  const provider = ai.provider;
  if (!options.models?.[provider] && !providerConfigured(ai, provider)) return { reason: `AI provider "${provider}" is not fully configured` };
  const model = ai.embeddingModel ?? DEFAULT_EMBEDDING_MODELS[provider];
  if (!model) {
    return {
      reason: provider === "anthropic" ? "Anthropic offers no embedding models" : `no embedding model for "${provider}": set FULCRUM_AI_EMBEDDING_MODEL`,
    };
  }
  const factory = options.models?.[provider] ?? realFactory(ai, provider, options.fetch);
  if (!factory) return { reason: `AI provider "${provider}" offers no embedding models` };
  const embeddingModel = factory(model);
  // Embedding models take about 8k tokens; cut well below that so a long resume never fails the call.
  const maxChars = Math.min(ai.maxUntrustedChars, MAX_EMBEDDING_CHARS);
  return {
    embedder: {
      provider,
      model,
      async embed(texts, embedOptions = {}) {
        if (texts.length === 0) return [];
        // Contact details never leave the process; each text gets its own redactor (no shared placeholders needed).
        const values = texts.map((t) => createRedactor({ redactNames: false }).redact(t).slice(0, maxChars));
        const signal = embedOptions.abortSignal ?? AbortSignal.timeout(ai.timeoutMs);
        const started = performance.now();
        try {
          const result = await embedMany({ model: embeddingModel, values, maxRetries: 2, abortSignal: signal });
          aiCalls.inc({ step: "embed", provider, engine: "model", outcome: "ok" });
          if (result.usage?.tokens) aiTokens.inc({ provider, model, direction: "input" }, result.usage.tokens);
          return result.embeddings.map((e) => [...e]);
        } catch (error) {
          aiCalls.inc({ step: "embed", provider, engine: "model", outcome: "error" });
          throw error;
        } finally {
          aiLatency.observe({ engine: "model" }, (performance.now() - started) / 1000);
        }
      },
    },
  };
}

/** Cosine similarity of two vectors of the same length; 0 when either is all zeros or lengths differ. */
export function cosineSimilarity(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length || a.length === 0) return 0;
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}
