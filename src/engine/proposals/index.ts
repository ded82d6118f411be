/**
 * Proposals: what an action would do, why, and what people decided. Deciding goes through the
 * engine (`WorkflowEngine.decideProposal`), which applies approved actions; this module reads.
 */
export { listProposals, getProposal, type ProposalView, type DecisionView, type ListProposalsOptions } from "./queries.ts";
