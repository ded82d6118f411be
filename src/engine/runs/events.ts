/**
 * In-process notifications for live views: the console turns these into server-sent events.
 * Emitted after the change they announce is committed.
 */
import { EventEmitter } from "node:events";

export interface EngineEventMap {
  "run.updated": [{ runId: number; workflowId: string; status: string }];
  "proposal.created": [{ proposalId: number; runId: number; workflowId: string; status: string }];
  "proposal.decided": [{ proposalId: number; runId: number; workflowId: string; status: string; actor: string }];
  /** The console changed the mode ceiling; `effective` is the lower of the environment's and the console's. */
  "settings.modeCeiling": [{ effective: string; override: string | null; environment: string; actor: string }];
}

/** `proposal.created`, `proposal.decided`, `run.updated` and `settings.modeCeiling`. */
export const engineEvents = new EventEmitter<EngineEventMap>();
// Many SSE clients may listen at once; that is not a leak.
engineEvents.setMaxListeners(0);
