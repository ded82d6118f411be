/**
 * Prometheus metrics of the AI layer, on the shared registry.
 */
import { Counter, Gauge, Histogram } from "prom-client";
import { registry } from "../observability/index.ts";

export const aiCalls = new Counter({
  name: "fulcrum_ai_calls_total",
  help: "AI step calls by step type, provider, engine (model or local) and outcome.",
  labelNames: ["step", "provider", "engine", "outcome"] as const,
  registers: [registry],
});

export const aiTokens = new Counter({
  name: "fulcrum_ai_tokens_total",
  help: "Tokens used by model calls, by provider, model and direction (input or output).",
  labelNames: ["provider", "model", "direction"] as const,
  registers: [registry],
});

export const aiCostUsd = new Counter({
  name: "fulcrum_ai_cost_usd_total",
  help: "Estimated cost of model calls in US dollars (approximate list prices).",
  labelNames: ["provider", "model"] as const,
  registers: [registry],
});

export const aiLatency = new Histogram({
  name: "fulcrum_ai_call_seconds",
  help: "Duration of AI step calls, by engine.",
  labelNames: ["engine"] as const,
  buckets: [0.005, 0.05, 0.25, 1, 2.5, 5, 10, 30, 60, 120],
  registers: [registry],
});

export const aiCircuitOpen = new Gauge({
  name: "fulcrum_ai_circuit_open",
  help: "1 while a provider's circuit breaker is open or half-open in this process.",
  labelNames: ["provider"] as const,
  registers: [registry],
});
