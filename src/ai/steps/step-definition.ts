/**
 * What an AI step type is: its input and output schemas, which parts of its input are untrusted
 * text, whose names to redact, its deterministic local engine, and checks every output goes
 * through (model or local) before anyone sees it.
 */
import type { z } from "zod";

export interface UntrustedText {
  /** Shown to the model as the fence label: "resume", "feedback 2", … */
  label: string;
  text: string;
}

export interface AiStepDefinition<I = unknown, O = unknown> {
  /** Also the name of the step's prompt in `prompts/`. */
  type: string;
  description: string;
  input: z.ZodType<I>;
  /** What the model must return (validated; one retry on a miss). */
  output: z.ZodType<O>;
  /** Untrusted texts in the input, fenced as data in the prompt. */
  untrusted(input: I): UntrustedText[];
  /** The rest of the input, shown to the model as JSON. Must not repeat the untrusted texts. */
  trusted(input: I): unknown;
  /** People's names in the input, replaced by placeholders before the prompt. */
  names(input: I): string[];
  /** The deterministic engine used when no model is configured or allowed. */
  local(input: I): O;
  /** Applied to every output: drops unverifiable evidence, adds flags. */
  finish?(output: O, input: I): O;
  /**
   * What the append-only audit trail keeps of the prompt as sent and of the answer: the text
   * (`text`, the default), or only their sha256 and length (`hash`) for inputs that must be
   * erasable later, such as an interview transcript and the quotes taken from it.
   */
  auditText?: AuditText;
}

/** See `AiStepDefinition.auditText`. */
export type AuditText = "text" | "hash";

/** Identity helper that keeps the generic types of a definition. */
export function defineStep<I, O>(definition: AiStepDefinition<I, O>): AiStepDefinition<I, O> {
  return definition;
}
