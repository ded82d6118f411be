/** Policy: shadow / assist / auto decisions for proposed actions. */
export { decide, capMode, type Decision, type GuardInput, type Mode } from "./decide.ts";
export { createModeCeiling, isMode, type ModeCeiling, type ModeCeilingOptions, type ModeCeilingState } from "./mode-ceiling.ts";
export {
  actionModes,
  ARCHIVE_LAYER_SOURCE,
  ceilingSource,
  lowestMode,
  modeLimits,
  stepMode,
  type ActionMode,
  type EffectiveMode,
  type ModeInputs,
  type ModeLayer,
  type ModeLimit,
} from "./effective-mode.ts";
