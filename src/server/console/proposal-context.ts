/**
 * The candidate context the console shows beside a proposal — name, posting, stage, the resume or
 * transcript text its evidence was quoted from — read from the run that made the proposal (the
 * engine keeps what it fetched from Lever with the run, so the console asks Lever nothing).
 */
import type { Queryable } from "../../store/index.ts";
import { proposalContextRow, proposalLabelRows, runLabelRows } from "../../engine/index.ts";
import { coversPosting, type Caller } from "./roles.ts";

export interface ProposalLabel {
  candidateName: string | null;
  postingTitle: string | null;
  stage: string | null;
}

const MAX_SOURCE_TEXT = 200_000;

/** Labels for the proposals a list shows, by proposal id; a hiring manager gets only their postings'. */
export async function proposalLabels(
  db: Queryable,
  caller: Caller,
  filter: { status?: string | undefined; limit?: number | undefined },
): Promise<Record<string, ProposalLabel>> {
  const rows = await proposalLabelRows(db, {
    status: filter.status,
    postingIds: caller.role === "hiring_manager" ? (caller.postingIds ?? []) : undefined,
    limit: filter.limit,
  });
  const labels: Record<string, ProposalLabel> = {};
  for (const r of rows) labels[String(r.id)] = { candidateName: r.candidate_name, postingTitle: r.posting_title, stage: r.stage };
  return labels;
}

/** Candidate and posting of the runs a list shows, by run id (ids that are not numbers are left out). */
export async function runLabels(db: Queryable, runIds: readonly string[]): Promise<Record<string, Omit<ProposalLabel, "stage">>> {
  const ids = [...new Set(runIds.filter((id) => /^\d{1,15}$/.test(id)))].slice(0, 1000).map(Number);
  if (ids.length === 0) return {};
  const rows = await runLabelRows(db, ids);
  const labels: Record<string, Omit<ProposalLabel, "stage">> = {};
  for (const r of rows) labels[String(r.id)] = { candidateName: r.candidate_name, postingTitle: r.posting_title };
  return labels;
}

export interface ProposalContext extends ProposalLabel {
  opportunityId: string | null;
  postingId: string | null;
  /** The resume (or transcript) text the evidence quotes come from; untrusted, shown as text. */
  sourceText: string | null;
  sourceKind: "resume" | "transcript" | null;
}

/** The context of one proposal; undefined when it does not exist or the caller may not see it. */
export async function proposalContext(db: Queryable, caller: Caller, proposalId: string): Promise<ProposalContext | undefined> {
  if (!/^\d{1,15}$/.test(proposalId)) return undefined;
  const r = await proposalContextRow(db, Number(proposalId));
  if (!r || !coversPosting(caller, r.posting_id)) return undefined;
  const source = r.resume_text ?? r.transcript_text;
  return {
    candidateName: r.candidate_name,
    postingTitle: r.posting_title,
    stage: r.stage,
    opportunityId: r.opportunity_id,
    postingId: r.posting_id,
    sourceText: source ? source.slice(0, MAX_SOURCE_TEXT) : null,
    sourceKind: r.resume_text ? "resume" : r.transcript_text ? "transcript" : null,
  };
}
