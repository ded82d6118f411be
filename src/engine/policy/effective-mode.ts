/**
 * The effective mode of each action of a workflow, and why. Every layer that names a mode is an
 * upper limit and the lowest one wins (`shadow` < `assist` < `auto`):
 *
 * - the global mode ceiling (`FULCRUM_MODE_CEILING`, or lower when an admin lowered it live);
 * - the workflow's mode: what a person chose in the console, API or CLI, else the file's `mode`;
 * - the action's own modes: `modes: { <type>: … }` and a step's `mode`;
 * - on the built-in sandbox, the file's `sandbox:` block (`mode` and `modes`);
 * - e-mail to people is drafted for approval, never sent by itself;
 * - archiving a candidate (a rejection) waits for a person unless an admin allows it in auto
 *   (`FULCRUM_AUTO_ARCHIVE=true`, or `policy.autoArchive: true` in the config file).
 *
 * So a per-action mode or a sandbox block can lower an action below the workflow's mode but never
 * raise it above: a person who sets a workflow to shadow gets no writes. One pure function serves
 * the engine (at each decision), the console's workflow list and `fulcrum workflows list`, so what
 * they show is what runs.
 */
import type { Step, Workflow } from "../workflows/index.ts";
import { isActionStep } from "../workflows/index.ts";
import type { Mode } from "./decide.ts";

const RANK: Record<Mode, number> = { shadow: 0, assist: 1, auto: 2 };

/** Where a limit on an action's mode comes from. */
export type ModeLayer = "ceiling" | "workflow" | "step" | "action-type" | "sandbox" | "email" | "archive" | "approval-gate";

/** One limit: a layer, the mode it allows at most, and the words that say where it is set. */
export interface ModeLimit {
  layer: ModeLayer;
  mode: Mode;
  /** e.g. `the mode ceiling (FULCRUM_MODE_CEILING)`, `modes.lever.note in the file`. */
  source: string;
}

/** The mode an action runs in, the layers that decided it, and the limits above it. */
export interface EffectiveMode {
  mode: Mode;
  /** The layers at the lowest mode (more than one when they agree). */
  decidedBy: ModeLayer[];
  /** One sentence: `shadow: the workflow's mode (set by user:ops in the console)`. */
  reason: string;
  /** Per-action or sandbox `auto` entries under a lower workflow mode: they can never take effect. */
  ignored: string[];
}

/** What the engine, console or CLI knows besides the workflow file. */
export interface ModeInputs {
  ceiling: Mode;
  /** Where the ceiling comes from, in words. Default `the mode ceiling`. */
  ceilingSource?: string | undefined;
  /** The mode a person set for the workflow (console, API, CLI), when they set one. */
  chosen?: { mode: Mode; by?: string | null | undefined } | null | undefined;
  /** True when the action runs against the built-in Lever sandbox: the `sandbox:` block applies. */
  sandbox: boolean;
  /**
   * True when an admin allowed archives in auto (config `policy.autoArchive`); otherwise every
   * `lever.archive` is capped at assist by the `archive` layer.
   */
  autoArchive?: boolean | undefined;
}

/** Where the archive layer's words point an admin. */
export const ARCHIVE_LAYER_SOURCE = "archiving waits for a person (an admin allows auto with FULCRUM_AUTO_ARCHIVE=true)";

/** The effective mode of one action step, with why. */
export interface ActionMode extends EffectiveMode {
  step: string;
  type: string;
}

/**
 * The lowest of the limits, named by the layers that set it.
 * @example lowestMode([{ layer: "workflow", mode: "shadow", source: "the workflow's mode" }, { layer: "action-type", mode: "auto", source: "modes.lever.note" }]).mode // → "shadow"
 */
export function lowestMode(limits: readonly ModeLimit[]): EffectiveMode {
  if (limits.length === 0) throw new Error("lowestMode needs at least one limit");
  let mode = limits[0]!.mode;
  for (const l of limits) if (RANK[l.mode] < RANK[mode]) mode = l.mode;
  const deciding = limits.filter((l) => l.mode === mode);
  // A per-action or sandbox "auto" under a lower workflow mode reads like an attempt to raise it
  // (what such entries did before the lowest-wins rule); it can never do anything, so say so.
  const workflow = limits.find((l) => l.layer === "workflow");
  const ignored =
    workflow && workflow.mode !== "auto"
      ? limits
          .filter((l) => ["step", "action-type", "sandbox"].includes(l.layer) && l.mode === "auto")
          .map((l) => `${l.source} says auto, which cannot raise the workflow's ${workflow.mode}`)
      : [];
  // An `auto` ceiling limits nothing, so the sentence names it only when nothing else allows auto.
  const named = mode === "auto" && deciding.length > 1 ? deciding.filter((l) => l.layer !== "ceiling") : deciding;
  return { mode, decidedBy: [...new Set(deciding.map((l) => l.layer))], reason: `${mode}: ${named.map((l) => l.source).join(" and ")}`, ignored };
}

/** The limits that apply to one step of `workflow` (an action or an approval gate). */
export function modeLimits(workflow: Workflow, step: Step, inputs: ModeInputs): ModeLimit[] {
  const limits: ModeLimit[] = [{ layer: "ceiling", mode: inputs.ceiling, source: inputs.ceilingSource ?? "the mode ceiling" }];
  limits.push(
    inputs.chosen
      ? {
          layer: "workflow",
          mode: inputs.chosen.mode,
          source: `the workflow's mode${inputs.chosen.by ? ` (set by ${inputs.chosen.by})` : " (set in the console)"}`,
        }
      : { layer: "workflow", mode: workflow.mode, source: "the workflow's mode in its file" },
  );
  if (step.type === "approval") {
    limits.push({ layer: "approval-gate", mode: "assist", source: "an approval gate waits for a person" });
    return limits;
  }
  if (!isActionStep(step)) return limits;
  if (step.mode) limits.push({ layer: "step", mode: step.mode, source: `step ${step.id}'s mode` });
  const typed = workflow.modes[step.type];
  if (typed) limits.push({ layer: "action-type", mode: typed, source: `modes.${step.type}` });
  if (inputs.sandbox && workflow.sandbox) {
    if (workflow.sandbox.mode) limits.push({ layer: "sandbox", mode: workflow.sandbox.mode, source: "sandbox.mode (on the built-in sandbox)" });
    const sandboxTyped = workflow.sandbox.modes[step.type];
    if (sandboxTyped) limits.push({ layer: "sandbox", mode: sandboxTyped, source: `sandbox.modes.${step.type} (on the built-in sandbox)` });
  }
  if (step.type === "notify" && step.channel === "email") limits.push({ layer: "email", mode: "assist", source: "e-mail is never sent without a person" });
  if (step.type === "lever.archive" && inputs.autoArchive !== true) limits.push({ layer: "archive", mode: "assist", source: ARCHIVE_LAYER_SOURCE });
  return limits;
}

/** The effective mode of one step (an action or an approval gate) of `workflow`. */
export function stepMode(workflow: Workflow, step: Step, inputs: ModeInputs): EffectiveMode {
  return lowestMode(modeLimits(workflow, step, inputs));
}

/**
 * The effective mode of every action of `workflow`, in step order.
 * @example actionModes(workflow, { ceiling: "auto", chosen: { mode: "shadow", by: "user:ops" }, sandbox: true }) // every action: shadow
 */
export function actionModes(workflow: Workflow, inputs: ModeInputs): ActionMode[] {
  return workflow.steps.filter(isActionStep).map((step) => ({ step: step.id, type: step.type, ...stepMode(workflow, step, inputs) }));
}

/** Where the ceiling in force comes from, in the words the reasons use. */
export function ceilingSource(state: { effective: Mode; environment: Mode; updatedBy?: string | null | undefined }): string {
  return state.effective !== state.environment
    ? `the mode ceiling (lowered live from FULCRUM_MODE_CEILING=${state.environment}${state.updatedBy ? ` by ${state.updatedBy}` : ""})`
    : "the mode ceiling (FULCRUM_MODE_CEILING)";
}
