/**
 * The AI layer: providers through the Vercel AI SDK, versioned prompts, redaction, fenced
 * untrusted text, schema-validated output, a circuit breaker per provider, deterministic local
 * engines, and quote verification ("the model gathers evidence; code decides numbers").
 */
export {
  createAi,
  registerLocalEngine,
  DEFAULT_AI_CONFIG,
  type Ai,
  type AiMeta,
  type AiStatus,
  type ProbeResult,
  type AiCallContext,
  type AiCallRecorder,
  type CreateAiOptions,
  type GenerateRequest,
  type GenerateResult,
  type OnOpen,
  type RunAiStepOptions,
} from "./ai.ts";
export { NonRetriableError, RetryAfterError } from "./errors.ts";
export { CircuitBreaker, type CircuitState, type CircuitBreakerOptions, type CircuitDecision } from "./circuit-breaker.ts";
export { redact, createRedactor, restoreDeep, type Redaction, type Redactor, type RedactOptions } from "./redaction.ts";
export { fenceUntrusted, truncateUntrusted, detectInjection, UNTRUSTED_DATA_INSTRUCTION, DEFAULT_MAX_UNTRUSTED_CHARS } from "./untrusted-text.ts";
export { verifyQuotes, normaliseForQuote, type QuoteCheck } from "./verify-quotes.ts";
export { tierOf, type ScoreTier } from "./score-tier.ts";
export { loadPrompts, parsePromptFile, PromptFileError, BUILT_IN_PROMPTS_DIR, savedPromptsDir, type Prompt, type PromptRegistry } from "./prompt-registry.ts";
export { estimateCostUsd, priceOf, MODEL_PRICES } from "./pricing.ts";
export { DEFAULT_MODELS, type ModelFactory, type ModelProviderName } from "./providers.ts";
export {
  createEmbedder,
  cosineSimilarity,
  DEFAULT_EMBEDDING_MODELS,
  MAX_EMBEDDING_CHARS,
  type Embedder,
  type EmbedderChoice,
  type EmbeddingModelFactory,
  type CreateEmbedderOptions,
} from "./embeddings.ts";
export * from "./steps/index.ts";
