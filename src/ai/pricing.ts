/**
 * Approximate prices, in US dollars per million tokens, to show what AI steps cost. They are list
 * prices as published by the providers in 2025 and change often: treat every cost Fulcrum shows as
 * an estimate, and unknown models (self-hosted ones especially) as costing nothing we can know.
 */

export interface ModelPrice {
  inputPerMTok: number;
  outputPerMTok: number;
}

export const MODEL_PRICES: Record<string, ModelPrice> = {
  "gpt-4.1": { inputPerMTok: 2.0, outputPerMTok: 8.0 },
  "gpt-4.1-mini": { inputPerMTok: 0.4, outputPerMTok: 1.6 },
  "gpt-4.1-nano": { inputPerMTok: 0.1, outputPerMTok: 0.4 },
  "gpt-4o": { inputPerMTok: 2.5, outputPerMTok: 10.0 },
  "gpt-4o-mini": { inputPerMTok: 0.15, outputPerMTok: 0.6 },
  "gpt-5": { inputPerMTok: 1.25, outputPerMTok: 10.0 },
  "gpt-5-mini": { inputPerMTok: 0.25, outputPerMTok: 2.0 },
  "claude-sonnet-4-5": { inputPerMTok: 3.0, outputPerMTok: 15.0 },
  "claude-sonnet-4": { inputPerMTok: 3.0, outputPerMTok: 15.0 },
  "claude-haiku-4-5": { inputPerMTok: 1.0, outputPerMTok: 5.0 },
  "claude-3-5-haiku": { inputPerMTok: 0.8, outputPerMTok: 4.0 },
  "claude-opus-4-1": { inputPerMTok: 15.0, outputPerMTok: 75.0 },
};

/** The price of a model id, matching dated ids ("gpt-4.1-mini-2025-04-14") by their stem. */
export function priceOf(model: string): ModelPrice | undefined {
  if (MODEL_PRICES[model]) return MODEL_PRICES[model];
  const stem = Object.keys(MODEL_PRICES)
    .filter((k) => model.startsWith(`${k}-`) || model.startsWith(`${k}@`))
    .sort((a, b) => b.length - a.length)[0];
  return stem ? MODEL_PRICES[stem] : undefined;
}

/** Estimated cost in US dollars, or null when the model's price is unknown. */
export function estimateCostUsd(model: string, inputTokens: number, outputTokens: number): number | null {
  const price = priceOf(model);
  if (!price) return null;
  return Math.round(((inputTokens * price.inputPerMTok + outputTokens * price.outputPerMTok) / 1_000_000) * 1e6) / 1e6;
}
