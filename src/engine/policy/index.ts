/** Policy: shadow / assist / auto decisions for proposed actions. */
export { decide, capMode, type Decision, type GuardInput, type Mode } from "./decide.ts";
export { createModeCeiling, isMode, type ModeCeiling, type ModeCeilingOptions, type ModeCeilingState } from "./mode-ceiling.ts";
