/**
 * The policy: what happens to a proposed action. A pure function, so every combination of mode,
 * guards and ceiling is tested and nothing else in the engine decides whether to write.
 */
import type { Mode } from "../../config/index.ts";

export type { Mode };

const RANK: Record<Mode, number> = { shadow: 0, assist: 1, auto: 2 };

/** The lower of two modes (`shadow` < `assist` < `auto`). */
export function capMode(mode: Mode, ceiling: Mode): Mode {
  return RANK[mode] <= RANK[ceiling] ? mode : ceiling;
}

/** What the guards of an `auto` action look at. */
export interface GuardInput {
  /** The justifying step's confidence, 0..1; undefined when the action has none (not AI-based). */
  confidence?: number | undefined;
  minConfidence: number;
  /** Policy flags raised on the way (hidden text in a resume, quotes not found, injection suspected…). */
  flags: string[];
  postingId?: string | undefined;
  excludedPostings: string[];
}

/** The outcome: `record` (shadow), `propose` (wait for a person) or `apply`, with why. */
export interface Decision {
  outcome: "record" | "propose" | "apply";
  /** The mode in force after the ceiling and guards. */
  mode: Mode;
  reasons: string[];
}

/**
 * Decides one action.
 * @example decide("auto", { confidence: 0.9, minConfidence: 0.8, flags: [], excludedPostings: [] }, "auto") // → apply
 */
export function decide(mode: Mode, guards: GuardInput, ceiling: Mode): Decision {
  const reasons: string[] = [];
  const capped = capMode(mode, ceiling);
  if (capped !== mode) reasons.push(`mode ceiling ${ceiling} caps ${mode}`);
  if (capped === "shadow") return { outcome: "record", mode: "shadow", reasons: [...reasons, "shadow: recorded, nothing written"] };
  if (capped === "assist") return { outcome: "propose", mode: "assist", reasons: [...reasons, "assist: waits for a person"] };
  const failed: string[] = [];
  if (guards.confidence !== undefined && !(guards.confidence >= guards.minConfidence)) {
    failed.push(`confidence ${guards.confidence.toFixed(2)} is below ${guards.minConfidence.toFixed(2)}`);
  }
  if (guards.flags.length > 0) failed.push(`policy flags: ${guards.flags.join(", ")}`);
  if (guards.postingId && guards.excludedPostings.includes(guards.postingId)) failed.push(`posting ${guards.postingId} is excluded from automatic actions`);
  if (failed.length > 0) return { outcome: "propose", mode: "assist", reasons: [...reasons, ...failed, "auto fell back to assist"] };
  return { outcome: "apply", mode: "auto", reasons: [...reasons, "auto: guards passed"] };
}
