/**
 * Model providers through the Vercel AI SDK: OpenAI, Anthropic, Azure OpenAI and any
 * OpenAI-compatible server (Ollama, vLLM, LM Studio). Each step may name its provider; the
 * credentials come from configuration.
 */
import { createAnthropic } from "@ai-sdk/anthropic";
import { createAzure, type AzureOpenAIProvider } from "@ai-sdk/azure";
import { createOpenAI } from "@ai-sdk/openai";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import type { LanguageModel } from "ai";
import type { AiConfig, AiProviderName } from "../config/index.ts";
import { NonRetriableError } from "./errors.ts";

export type ModelProviderName = Exclude<AiProviderName, "none">;

/** Used when neither the step, the configuration nor the prompt names a model. */
export const DEFAULT_MODELS: Partial<Record<ModelProviderName, string>> = {
  openai: "gpt-4.1-mini",
  anthropic: "claude-sonnet-4-5",
};

/** A factory of language models for one provider, by model id (tests pass mock models here). */
export type ModelFactory = (modelId: string) => LanguageModel;

/** Whether the configuration holds what `provider` needs. */
export function providerConfigured(ai: AiConfig, provider: ModelProviderName): boolean {
  switch (provider) {
    case "openai":
      return Boolean(ai.openaiApiKey);
    case "anthropic":
      return Boolean(ai.anthropicApiKey);
    case "azure":
      return Boolean(ai.azure.apiKey && (ai.azure.resourceName || ai.azure.baseUrl));
    case "openai-compatible":
      return Boolean(ai.baseUrl);
  }
}

/**
 * The Azure OpenAI provider from the configuration: its own base URL when one is set, else the
 * resource name. Language and embedding models both come from it.
 */
export function azureProvider(ai: AiConfig, fetchImpl?: typeof fetch): AzureOpenAIProvider {
  return createAzure({
    apiKey: ai.azure.apiKey,
    ...(ai.azure.baseUrl ? { baseURL: ai.azure.baseUrl } : { resourceName: ai.azure.resourceName }),
    ...(ai.azure.apiVersion ? { apiVersion: ai.azure.apiVersion } : {}),
    ...(fetchImpl ? { fetch: fetchImpl } : {}),
  });
}

/** The model factory for `provider`, or a NonRetriableError saying which setting is missing. */
export function modelFactoryFor(ai: AiConfig, provider: ModelProviderName, fetchImpl?: typeof fetch): ModelFactory {
  if (!providerConfigured(ai, provider)) {
    throw new NonRetriableError(`AI provider "${provider}" is named by a step but not configured; set its key (see README, Configuration)`);
  }
  const common = fetchImpl ? { fetch: fetchImpl } : {};
  switch (provider) {
    case "openai": {
      const p = createOpenAI({ apiKey: ai.openaiApiKey, ...(ai.provider === "openai" && ai.baseUrl ? { baseURL: ai.baseUrl } : {}), ...common });
      return (id) => p(id);
    }
    case "anthropic": {
      const p = createAnthropic({ apiKey: ai.anthropicApiKey, ...(ai.provider === "anthropic" && ai.baseUrl ? { baseURL: ai.baseUrl } : {}), ...common });
      return (id) => p(id);
    }
    case "azure": {
      const p = azureProvider(ai, fetchImpl);
      return (id) => p(id);
    }
    case "openai-compatible": {
      const p = createOpenAICompatible({
        name: "openai-compatible",
        baseURL: ai.baseUrl!,
        ...(ai.compatibleApiKey ? { apiKey: ai.compatibleApiKey } : {}),
        includeUsage: true,
        ...common,
      });
      return (id) => p(id);
    }
  }
}
