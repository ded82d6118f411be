/**
 * The engine's services as the server and CLI see them: narrow views of one workflow engine, so a
 * caller that only decides proposals cannot start runs, and the other way round.
 */
import type { WorkflowEngine } from "./runs/index.ts";

/** Runs: start one per workflow × event, execute a step job, re-run from a step, start by hand. */
export interface RunService {
  /** Starts the runs an event matches (idempotent per workflow × event); their ids. */
  start: WorkflowEngine["handleEvent"];
  /** Executes one step job and settles its outcome (next step, proposal, failure). */
  executeStep: WorkflowEngine["executeStep"];
  /** Runs a run again from one of its steps, in a new generation. */
  rerun: WorkflowEngine["rerunFrom"];
  /** Starts a workflow through its manual trigger. */
  startManual: WorkflowEngine["startManual"];
}

/** Proposals: a person's decision (an approval applies the action), and the timeout check. */
export interface ProposalService {
  decide: WorkflowEngine["decideProposal"];
  check: WorkflowEngine["checkProposal"];
}

/** The engine's services over one engine. */
export function engineServices(engine: WorkflowEngine): { runs: RunService; proposals: ProposalService } {
  return {
    runs: { start: engine.handleEvent, executeStep: engine.executeStep, rerun: engine.rerunFrom, startManual: engine.startManual },
    proposals: { decide: engine.decideProposal, check: engine.checkProposal },
  };
}
