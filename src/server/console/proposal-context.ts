/**
 * The candidate context the console shows beside a proposal — name, posting, stage, the resume or
 * transcript text its evidence was quoted from — read from the run that made the proposal (the
 * engine keeps what it fetched from Lever with the run, so the console asks Lever nothing).
 */
import type { Queryable } from "../../store/index.ts";
import { coversPosting, type Caller } from "./roles.ts";

export interface ProposalLabel {
  candidateName: string | null;
  postingTitle: string | null;
  stage: string | null;
}

const MAX_SOURCE_TEXT = 200_000;

const LABEL_COLUMNS = `r.context->'opportunity'->>'name' as candidate_name,
  r.context->'posting'->>'text' as posting_title,
  case jsonb_typeof(r.context->'opportunity'->'stage')
    when 'object' then r.context->'opportunity'->'stage'->>'text'
    when 'string' then r.context->'opportunity'->>'stage'
  end as stage`;

/** Labels for the proposals a list shows, by proposal id; a hiring manager gets only their postings'. */
export async function proposalLabels(db: Queryable, caller: Caller, filter: { status?: string | undefined; limit?: number | undefined }): Promise<Record<string, ProposalLabel>> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.status) {
    params.push(filter.status);
    where.push(`p.status = $${params.length}`);
  }
  if (caller.role === "hiring_manager") {
    params.push(caller.postingIds ?? []);
    where.push(`p.posting_id = any($${params.length}::text[])`);
  }
  params.push(Math.min(Math.max(filter.limit ?? 10_000, 1), 10_000));
  const { rows } = await db.query<{ id: number; candidate_name: string | null; posting_title: string | null; stage: string | null }>(
    `select p.id, ${LABEL_COLUMNS} from proposals p join workflow_runs r on r.id = p.run_id
     ${where.length ? `where ${where.join(" and ")}` : ""} order by p.id desc limit $${params.length}`,
    params,
  );
  const labels: Record<string, ProposalLabel> = {};
  for (const r of rows) labels[String(r.id)] = { candidateName: r.candidate_name, postingTitle: r.posting_title, stage: r.stage };
  return labels;
}

/** Candidate and posting of the runs a list shows, by run id (ids that are not numbers are left out). */
export async function runLabels(db: Queryable, runIds: readonly string[]): Promise<Record<string, Omit<ProposalLabel, "stage">>> {
  const ids = [...new Set(runIds.filter((id) => /^\d{1,15}$/.test(id)))].slice(0, 1000).map(Number);
  if (ids.length === 0) return {};
  const { rows } = await db.query<{ id: number; candidate_name: string | null; posting_title: string | null }>(
    `select r.id, ${LABEL_COLUMNS} from workflow_runs r where r.id = any($1::bigint[])`,
    [ids],
  );
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
  const { rows } = await db.query<{
    posting_id: string | null;
    opportunity_id: string | null;
    candidate_name: string | null;
    posting_title: string | null;
    stage: string | null;
    resume_text: string | null;
    transcript_text: string | null;
  }>(
    `select p.posting_id, p.opportunity_id, ${LABEL_COLUMNS},
       r.context->'resume'->>'text' as resume_text,
       coalesce(r.context->'transcript'->>'text', r.context->>'transcript') as transcript_text
     from proposals p join workflow_runs r on r.id = p.run_id where p.id = $1`,
    [Number(proposalId)],
  );
  const r = rows[0];
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
