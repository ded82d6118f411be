/**
 * The AI layer's front: `createAi(...)` gives `generate()` (one prompt, one schema-validated
 * output) and `runAiStep()` (a built-in step type: input validated, untrusted text fenced, names
 * and contact details redacted, output checked by code). A model is used when one is configured
 * and its circuit allows; otherwise — or when the workflow says to fall back — the step's
 * deterministic local engine answers, labelled `engine: "local"`. Every call can be recorded in
 * the audit trail with its redacted input.
 */
import { createHash } from "node:crypto";
import { APICallError, generateText, NoObjectGeneratedError, Output, type LanguageModel } from "ai";
import { z } from "zod";
import type { AiConfig, AiProviderName, Config } from "../config/index.ts";
import type { Logger } from "../observability/index.ts";
import { CircuitBreaker } from "./circuit-breaker.ts";
import { NonRetriableError, RetryAfterError } from "./errors.ts";
import { aiCalls, aiCircuitOpen, aiCostUsd, aiLatency, aiTokens } from "./metrics.ts";
import { estimateCostUsd } from "./pricing.ts";
import { loadPrompts, type Prompt, type PromptRegistry } from "./prompt-registry.ts";
import { DEFAULT_MODELS, modelFactoryFor, type ModelFactory, type ModelProviderName } from "./providers.ts";
import { createRedactor, restoreDeep } from "./redaction.ts";
import { builtInSteps, type AiStepDefinition, type AuditText, type UntrustedText } from "./steps/index.ts";
import { DEFAULT_MAX_UNTRUSTED_CHARS, fenceUntrusted, UNTRUSTED_DATA_INSTRUCTION } from "./untrusted-text.ts";

/** What to do when the provider's circuit is open or its call failed. */
export type OnOpen = "wait" | "fallback";

/** Where AI calls are recorded; the governance audit trail satisfies it. */
export interface AiCallRecorder {
  append(record: {
    kind: string;
    traceId?: string | undefined;
    actor: string;
    subject?: Record<string, string | undefined> | undefined;
    data?: unknown;
  }): Promise<unknown>;
}

export interface AiCallContext {
  traceId?: string | undefined;
  /** Who asked, e.g. `workflow:screening`. */
  actor?: string | undefined;
  subject?: Record<string, string | undefined> | undefined;
}

export interface AiMeta {
  engine: "model" | "local";
  provider: AiProviderName;
  model: string | null;
  /** `name@version` of the prompt. */
  prompt: string;
  promptSha256: string;
  /** sha256 of the canonical input (prompt id, trusted input, untrusted texts), before redaction. */
  inputHash: string;
  tokens: { input: number; output: number; total: number } | null;
  /** Approximate, from a small price table; null when unknown or local. */
  costUsd: number | null;
  latencyMs: number;
  /** Model calls made (0 for local; 2 after one retry on a schema miss). */
  attempts: number;
  /** Why a local engine answered although a provider was chosen. */
  fallbackReason?: string;
  /** How many values were replaced by placeholders before the prompt. */
  redactions: number;
}

export interface GenerateResult<O> {
  output: O;
  meta: AiMeta;
}

export interface GenerateRequest<O> {
  /** `name` (latest version) or `name@version`. */
  prompt: string;
  /** Trusted input, shown to the model as JSON. */
  input: unknown;
  schema: z.ZodType<O>;
  untrusted?: readonly UntrustedText[] | undefined;
  /** People's names to redact (when name redaction is on). */
  names?: readonly string[] | undefined;
  provider?: AiProviderName | undefined;
  model?: string | undefined;
  onOpen?: OnOpen | undefined;
  /** The local engine for this call; defaults to the one registered for the prompt's step type. */
  local?: (() => O | Promise<O>) | undefined;
  /** Checks applied to any output before it is returned and recorded. */
  finish?: ((output: O) => O) | undefined;
  context?: AiCallContext | undefined;
  timeoutMs?: number | undefined;
  abortSignal?: AbortSignal | undefined;
  /** `hash`: the audit trail records the prompt's and the answer's sha256 and length, not their text. */
  auditText?: AuditText | undefined;
}

export interface RunAiStepOptions {
  /** A prompt version other than the latest, e.g. `resume-evidence@v1`. */
  prompt?: string | undefined;
  provider?: AiProviderName | undefined;
  model?: string | undefined;
  onOpen?: OnOpen | undefined;
  context?: AiCallContext | undefined;
  timeoutMs?: number | undefined;
  abortSignal?: AbortSignal | undefined;
}

export interface Ai {
  generate<O>(request: GenerateRequest<O>): Promise<GenerateResult<O>>;
  /** Runs a built-in (or registered) step type on `input`. */
  runAiStep<O = unknown>(stepType: string, input: unknown, options?: RunAiStepOptions): Promise<GenerateResult<O>>;
  /** Replaces the local engine of a step type, or adds one used by `generate` for prompts of that output. */
  registerLocalEngine(stepType: string, fn: (input: unknown) => unknown): void;
  registerStep(definition: AiStepDefinition<any, any>): void;
  prompts: PromptRegistry;
  /** The breaker of a provider (created on first use). */
  breaker(provider: ModelProviderName): CircuitBreaker;
  /** The configured provider and model, and the state of every breaker used so far. */
  status(): AiStatus;
  /**
   * Makes one tiny structured call to check a provider answers (settings page, doctor). Never
   * throws; does not touch the circuit breaker.
   */
  probe(provider?: AiProviderName, model?: string): Promise<ProbeResult>;
}

export interface AiStatus {
  provider: AiProviderName;
  model: string | null;
  breakers: { provider: ModelProviderName; state: "closed" | "open" | "half-open"; retryAt: string | null }[];
}

export interface ProbeResult {
  ok: boolean;
  provider: AiProviderName;
  model: string | null;
  latencyMs: number;
  /** What went wrong, without secrets. */
  error?: string;
}

export interface CreateAiOptions {
  config: Pick<Config, "ai">;
  logger?: Logger | undefined;
  /** The audit trail (or anything with its `append`). */
  audit?: AiCallRecorder | undefined;
  /** Prompt folders; the built-in one by default. */
  promptDirs?: readonly string[] | undefined;
  /** Model factories by provider, replacing the real ones (tests use the AI SDK's mock models). */
  models?: Partial<Record<ModelProviderName, ModelFactory>> | undefined;
  fetch?: typeof fetch | undefined;
  /** Step types beyond the built-in ones (their prompts must exist in `promptDirs`). */
  steps?: readonly AiStepDefinition<any, any>[] | undefined;
  now?: () => number;
}

/** Settings used when the configuration has no `ai` block. */
export const DEFAULT_AI_CONFIG: AiConfig = {
  provider: "none",
  azure: {},
  timeoutMs: 60_000,
  breaker: { failureThreshold: 3, cooldownMs: 60_000 },
  onOpen: "fallback",
  redactNames: true,
  maxUntrustedChars: DEFAULT_MAX_UNTRUSTED_CHARS,
};

function canonical(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  return `{${Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`)
    .join(",")}}`;
}

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

interface CallFailure {
  reason: string;
  retriable: boolean;
  retryAt?: Date;
}

function classify(error: unknown, now: number): CallFailure {
  if (APICallError.isInstance(error)) {
    const status = error.statusCode;
    const retryAfter = Number(error.responseHeaders?.["retry-after"]);
    const retriable = error.isRetryable || status === undefined || status === 429 || status >= 500;
    return {
      reason: `provider answered ${status ?? "without a status"}: ${error.message.slice(0, 200)}`,
      retriable,
      ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAt: new Date(now + retryAfter * 1000) } : {}),
    };
  }
  if (NoObjectGeneratedError.isInstance(error)) return { reason: "the model's output did not match the schema twice", retriable: true };
  const e = error as { name?: string; message?: string };
  if (e?.name === "TimeoutError" || e?.name === "AbortError") return { reason: "the model call timed out", retriable: true };
  return { reason: `the model call failed: ${String(e?.message ?? error).slice(0, 200)}`, retriable: true };
}

/** Local engines registered for every Ai instance of this process (an instance's own win). */
const sharedLocalEngines = new Map<string, (input: unknown) => unknown>();

/**
 * Registers a deterministic local engine for a step type (or a prompt's output name) in every Ai
 * instance: it replaces the built-in one, or serves `generate()` calls for prompts without one.
 *
 * @example
 * const unregister = registerLocalEngine("language-check", (input) => myLexiconCheck(input));
 * @returns a function that undoes the registration
 */
export function registerLocalEngine(stepType: string, fn: (input: unknown) => unknown): () => void {
  const previous = sharedLocalEngines.get(stepType);
  sharedLocalEngines.set(stepType, fn);
  /** Undoes the registration. */
  return () => {
    if (previous) sharedLocalEngines.set(stepType, previous);
    else sharedLocalEngines.delete(stepType);
  };
}

/**
 * Builds the AI layer for one process: prompts loaded and validated, one circuit breaker per
 * provider, local engines for every built-in step type.
 *
 * @example
 * const ai = createAi({ config: loadConfig(), logger, audit: createAuditTrail(db) });
 * const { output, meta } = await ai.runAiStep("language-check", { text: note, source: "note" }, {
 *   onOpen: "fallback",
 *   context: { traceId, actor: "workflow:language-check", subject: { opportunityId } },
 * });
 * // meta.engine is "model" or "local"; meta.prompt is "language-check@v1"
 */
export function createAi(options: CreateAiOptions): Ai {
  const ai = options.config.ai ?? DEFAULT_AI_CONFIG;
  const now = options.now ?? Date.now;
  const steps = new Map<string, AiStepDefinition<any, any>>([...builtInSteps, ...(options.steps ?? [])].map((s) => [s.type, s]));
  const localEngines = new Map<string, (input: unknown) => unknown>();
  const prompts = loadPrompts(options.promptDirs, new Set([...steps.keys()]));
  const breakers = new Map<ModelProviderName, CircuitBreaker>();
  const factories = new Map<ModelProviderName, ModelFactory>();

  function breaker(provider: ModelProviderName): CircuitBreaker {
    let b = breakers.get(provider);
    if (!b) {
      b = new CircuitBreaker({
        failureThreshold: ai.breaker.failureThreshold,
        cooldownMs: ai.breaker.cooldownMs,
        now,
        onStateChange: (state) => {
          aiCircuitOpen.set({ provider }, state === "closed" ? 0 : 1);
          options.logger?.warn({ provider, state }, "AI provider circuit changed state");
        },
      });
      breakers.set(provider, b);
    }
    return b;
  }

  function modelFor(provider: ModelProviderName, modelId: string): LanguageModel {
    let factory = factories.get(provider) ?? options.models?.[provider];
    if (!factory) {
      factory = modelFactoryFor(ai, provider, options.fetch);
      factories.set(provider, factory);
    }
    return factory(modelId);
  }

  /** The model the configuration names for `provider` (Azure's is its deployment), when it is the configured provider. */
  function configuredModel(provider: ModelProviderName): string | undefined {
    if (provider !== ai.provider) return undefined;
    return provider === "azure" ? (ai.azure.deployment ?? ai.model) : ai.model;
  }

  function modelIdFor(provider: ModelProviderName, prompt: Prompt, requested: string | undefined): string {
    const id = requested ?? configuredModel(provider) ?? prompt.models[provider] ?? DEFAULT_MODELS[provider];
    if (!id) throw new NonRetriableError(`no model for provider "${provider}": set FULCRUM_AI_MODEL or name a model in the step`);
    return id;
  }

  async function generate<O>(req: GenerateRequest<O>): Promise<GenerateResult<O>> {
    const started = now();
    let prompt: Prompt;
    try {
      prompt = prompts.get(req.prompt);
    } catch (error) {
      throw new NonRetriableError((error as Error).message, { cause: error });
    }
    const untrusted = (req.untrusted ?? []).filter((u) => u.text.trim() !== "");
    const inputHash = sha256(canonical({ prompt: prompt.id, input: req.input, untrusted }));
    const provider = req.provider ?? ai.provider;
    const onOpen = req.onOpen ?? ai.onOpen;
    const redactor = createRedactor({ names: req.names, redactNames: ai.redactNames });
    const maxChars = ai.maxUntrustedChars;
    // Values are redacted one by one (never the JSON text), so keys and structure stay intact.
    const trustedJson = JSON.stringify(restoreDeep(JSON.parse(JSON.stringify(req.input ?? {})) as unknown, redactor.redact), null, 2);
    const fenced = untrusted.map((u) => fenceUntrusted(u.label, redactor.redact(u.text), { maxChars }));
    const userMessage = [`Task input (trusted, JSON):\n${trustedJson}`, ...(fenced.length ? ["Untrusted data to analyse:", ...fenced] : [])].join("\n\n");
    const jsonSchema = JSON.stringify(z.toJSONSchema(req.schema, { io: "output", unrepresentable: "any" }));
    const instructions = `${prompt.instructions}\n\n${UNTRUSTED_DATA_INSTRUCTION}\n\nReply with a single JSON object that matches this JSON Schema:\n${jsonSchema}`;
    const context = req.context ?? {};

    const record = async (result: GenerateResult<O>, extra: Record<string, unknown>) => {
      aiCalls.inc({ step: prompt.name, provider: result.meta.provider, engine: result.meta.engine, outcome: result.meta.fallbackReason ? "fallback" : "ok" });
      aiLatency.observe({ engine: result.meta.engine }, result.meta.latencyMs / 1000);
      if (!options.audit) return;
      // The audit keeps the prompt as sent (redacted) and the output with placeholders, so no
      // contact detail or name enters the trail.
      const redactedOutput = restoreDeep(JSON.parse(JSON.stringify(result.output ?? null)) as unknown, redactor.redact);
      // An input that must be erasable (a transcript) cannot enter a trail that is never edited: its hash and length can.
      const kept = (value: string) => (req.auditText === "hash" ? { sha256: sha256(value), chars: value.length } : value);
      await options.audit.append({
        kind: "ai.call",
        traceId: context.traceId,
        actor: context.actor ?? "system",
        subject: context.subject,
        data: {
          ...result.meta,
          // Reference §5.6: when the call started and ended, what the model saw, what it said.
          startedAt: new Date(started).toISOString(),
          finishedAt: new Date(started + result.meta.latencyMs).toISOString(),
          redactedInput: kept(userMessage),
          output: req.auditText === "hash" ? kept(JSON.stringify(redactedOutput)) : redactedOutput,
          ...extra,
        },
      });
    };

    const runLocal = async (fallbackReason: string | undefined, extra: Record<string, unknown> = {}): Promise<GenerateResult<O>> => {
      const registered = localEngines.get(prompt.output) ?? sharedLocalEngines.get(prompt.output);
      const engine = req.local ?? (registered ? () => registered(req.input) as O : undefined);
      if (!engine)
        throw new NonRetriableError(
          `no AI provider ${fallbackReason ? "available" : "configured"} and no local engine for "${prompt.output}"${fallbackReason ? ` (${fallbackReason})` : ""}`,
        );
      const raw = await engine();
      const output = req.finish ? req.finish(raw) : raw;
      const result: GenerateResult<O> = {
        output,
        meta: {
          engine: "local",
          provider,
          model: null,
          prompt: prompt.id,
          promptSha256: prompt.sha256,
          inputHash,
          tokens: null,
          costUsd: null,
          latencyMs: now() - started,
          attempts: 0,
          ...(fallbackReason ? { fallbackReason } : {}),
          redactions: redactor.replacements.size,
        },
      };
      await record(result, extra);
      return result;
    };

    if (provider === "none") return runLocal(undefined);

    const modelId = modelIdFor(provider, prompt, req.model);
    const model = modelFor(provider, modelId);
    const b = breaker(provider);
    const decision = b.request();
    if (!decision.allowed) {
      aiCalls.inc({ step: prompt.name, provider, engine: "model", outcome: "circuit_open" });
      if (onOpen === "fallback") return runLocal(`the ${provider} circuit is open until ${decision.retryAt.toISOString()}`);
      throw new RetryAfterError(`AI provider ${provider} is unavailable (circuit open); retry after ${decision.retryAt.toISOString()}`, decision.retryAt);
    }

    let inputTokens = 0;
    let outputTokens = 0;
    let attempts = 0;
    const errors: string[] = [];
    const addUsage = (u: { inputTokens: number | undefined; outputTokens: number | undefined } | undefined) => {
      inputTokens += u?.inputTokens ?? 0;
      outputTokens += u?.outputTokens ?? 0;
    };
    let lastError: unknown;
    let output: O | undefined;
    // One retry, and only on a schema miss: transport failures are the engine's to retry (with
    // the circuit breaker watching), so retry layers never multiply.
    for (let attempt = 1; attempt <= 2 && output === undefined; attempt++) {
      attempts = attempt;
      const retryNote =
        attempt === 2 ? `\n\nYour previous reply was not valid JSON for the schema (${errors.at(-1)}). Reply again with only the JSON object.` : "";
      try {
        const result = await generateText({
          model,
          instructions,
          prompt: userMessage + retryNote,
          output: Output.object({ schema: req.schema }),
          temperature: prompt.temperature,
          ...(prompt.maxOutputTokens ? { maxOutputTokens: prompt.maxOutputTokens } : {}),
          maxRetries: 0,
          timeout: req.timeoutMs ?? ai.timeoutMs,
          ...(req.abortSignal ? { abortSignal: req.abortSignal } : {}),
        });
        addUsage(result.totalUsage ?? result.usage);
        output = result.output as O;
      } catch (error) {
        lastError = error;
        if (NoObjectGeneratedError.isInstance(error)) {
          addUsage(error.usage);
          errors.push(`schema miss: ${String((error.cause as Error | undefined)?.message ?? error.message).slice(0, 300)}`);
          continue;
        }
        errors.push(classify(error, now()).reason);
        break;
      }
    }

    const tokens = { input: inputTokens, output: outputTokens, total: inputTokens + outputTokens };
    const costUsd = estimateCostUsd(modelId, inputTokens, outputTokens);
    aiTokens.inc({ provider, model: modelId, direction: "input" }, inputTokens);
    aiTokens.inc({ provider, model: modelId, direction: "output" }, outputTokens);
    if (costUsd) aiCostUsd.inc({ provider, model: modelId }, costUsd);

    if (output === undefined) {
      b.recordFailure();
      const failure = classify(lastError, now());
      options.logger?.warn({ provider, model: modelId, prompt: prompt.id, attempts, reason: failure.reason }, "AI call failed");
      const extra = { modelAttempt: { provider, model: modelId, attempts, tokens, costUsd, errors } };
      if (onOpen === "fallback") return runLocal(failure.reason, extra);
      if (!failure.retriable) throw new NonRetriableError(`AI provider ${provider} refused the call: ${failure.reason}`, { cause: lastError });
      const retryAt = b.state === "closed" ? (failure.retryAt ?? new Date(now() + 30_000)) : b.retryAt;
      throw new RetryAfterError(`AI call to ${provider} failed (${failure.reason}); retry after ${retryAt.toISOString()}`, retryAt, { cause: lastError });
    }
    b.recordSuccess();
    const restored = restoreDeep(output, redactor.restore);
    const finished = req.finish ? req.finish(restored) : restored;
    const result: GenerateResult<O> = {
      output: finished,
      meta: {
        engine: "model",
        provider,
        model: modelId,
        prompt: prompt.id,
        promptSha256: prompt.sha256,
        inputHash,
        tokens,
        costUsd,
        latencyMs: now() - started,
        attempts,
        redactions: redactor.replacements.size,
      },
    };
    await record(result, errors.length ? { errors } : {});
    return result;
  }

  async function runAiStep<O>(stepType: string, input: unknown, opts: RunAiStepOptions = {}): Promise<GenerateResult<O>> {
    const def = steps.get(stepType) as AiStepDefinition<unknown, O> | undefined;
    if (!def) throw new NonRetriableError(`unknown AI step type "${stepType}"; known: ${[...steps.keys()].join(", ")}`);
    const parsed = def.input.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new NonRetriableError(`${stepType} input: ${issue.path.map(String).join(".") || "(root)"}: ${issue.message}`);
    }
    const value = parsed.data;
    const promptRef = opts.prompt ?? def.type;
    const prompt = (() => {
      try {
        return prompts.get(promptRef);
      } catch (error) {
        throw new NonRetriableError((error as Error).message, { cause: error });
      }
    })();
    if (prompt.output !== def.type) throw new NonRetriableError(`prompt ${prompt.id} produces "${prompt.output}", not "${def.type}"`);
    const override = localEngines.get(def.type) ?? sharedLocalEngines.get(def.type);
    return generate<O>({
      prompt: prompt.id,
      input: def.trusted(value),
      schema: def.output,
      untrusted: def.untrusted(value),
      names: def.names(value),
      provider: opts.provider,
      model: opts.model,
      onOpen: opts.onOpen,
      local: () => (override ? (override(value) as O) : def.local(value)),
      finish: (o) => def.output.parse(def.finish ? def.finish(o, value) : o),
      context: opts.context,
      timeoutMs: opts.timeoutMs,
      abortSignal: opts.abortSignal,
      auditText: def.auditText,
    });
  }

  function status(): AiStatus {
    return {
      provider: ai.provider,
      model: ai.provider === "none" ? null : (configuredModel(ai.provider) ?? DEFAULT_MODELS[ai.provider] ?? null),
      breakers: [...breakers.entries()].map(([provider, b]) => ({ provider, state: b.state, retryAt: b.state === "closed" ? null : b.retryAt.toISOString() })),
    };
  }

  async function probe(provider: AiProviderName = ai.provider, model?: string): Promise<ProbeResult> {
    const started = now();
    if (provider === "none") return { ok: true, provider, model: null, latencyMs: 0 };
    let modelId: string | null = null;
    try {
      modelId = model ?? configuredModel(provider) ?? DEFAULT_MODELS[provider] ?? null;
      if (!modelId) throw new NonRetriableError(`no model for provider "${provider}": set FULCRUM_AI_MODEL`);
      const result = await generateText({
        model: modelFor(provider, modelId),
        instructions: 'You are a connectivity check. Reply with the JSON object {"ok": true}.',
        prompt: "Reply now.",
        output: Output.object({ schema: z.object({ ok: z.boolean() }) }),
        maxRetries: 0,
        timeout: Math.min(ai.timeoutMs, 20_000),
      });
      return {
        ok: result.output.ok === true,
        provider,
        model: modelId,
        latencyMs: now() - started,
        ...(result.output.ok === true ? {} : { error: "the model answered, but not as asked" }),
      };
    } catch (error) {
      const reason = error instanceof NonRetriableError ? error.message : classify(error, now()).reason;
      return { ok: false, provider, model: modelId, latencyMs: now() - started, error: reason };
    }
  }

  return {
    generate,
    runAiStep,
    status,
    probe,
    registerLocalEngine(stepType, fn) {
      localEngines.set(stepType, fn);
    },
    registerStep(definition) {
      steps.set(definition.type, definition);
    },
    prompts,
    breaker,
  };
}
