/**
 * The candidate a proposal or run is about — name, posting, stage, and the resume or transcript
 * text its evidence was quoted from — read from the context the engine kept with the run, so no
 * caller asks Lever again. Who may see which posting is the caller's business: these read models
 * take the postings to keep, already decided.
 */
import type { Queryable } from "../../store/index.ts";

export interface CandidateLabelRow {
  candidate_name: string | null;
  posting_title: string | null;
  stage: string | null;
}

// A run's opportunity stage is an object ({ id, text }) from a fetch and a bare id in some events.
export const LABEL_COLUMNS = `r.context->'opportunity'->>'name' as candidate_name,
  r.context->'posting'->>'text' as posting_title,
  case jsonb_typeof(r.context->'opportunity'->'stage')
    when 'object' then r.context->'opportunity'->'stage'->>'text'
    when 'string' then r.context->'opportunity'->>'stage'
  end as stage`;

export interface ProposalLabelFilter {
  status?: string | undefined;
  /** Only proposals on these postings (a hiring manager's); every posting when absent. */
  postingIds?: readonly string[] | undefined;
  /** At most this many, newest first (1 to 10,000; default 10,000). */
  limit?: number | undefined;
}

/** Candidate labels of the newest proposals, by proposal id. */
export async function proposalLabelRows(db: Queryable, filter: ProposalLabelFilter): Promise<(CandidateLabelRow & { id: number })[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.status) {
    params.push(filter.status);
    where.push(`p.status = $${params.length}`);
  }
  if (filter.postingIds) {
    params.push(filter.postingIds);
    where.push(`p.posting_id = any($${params.length}::text[])`);
  }
  params.push(Math.min(Math.max(filter.limit ?? 10_000, 1), 10_000));
  const { rows } = await db.query<CandidateLabelRow & { id: number }>(
    `select p.id, ${LABEL_COLUMNS} from proposals p join workflow_runs r on r.id = p.run_id
     ${where.length ? `where ${where.join(" and ")}` : ""} order by p.id desc limit $${params.length}`,
    params,
  );
  return rows;
}

/** Candidate labels of these runs (the stage column is there but callers may ignore it). */
export async function runLabelRows(db: Queryable, runIds: readonly number[]): Promise<(Omit<CandidateLabelRow, "stage"> & { id: number })[]> {
  if (runIds.length === 0) return [];
  const { rows } = await db.query<Omit<CandidateLabelRow, "stage"> & { id: number }>(
    `select r.id, ${LABEL_COLUMNS} from workflow_runs r where r.id = any($1::bigint[])`,
    [runIds],
  );
  return rows;
}

export interface ProposalContextRow extends CandidateLabelRow {
  posting_id: string | null;
  opportunity_id: string | null;
  /** Untrusted text, as fetched. */
  resume_text: string | null;
  transcript_text: string | null;
}

/** One proposal's candidate, posting and source text; undefined when there is no such proposal. */
export async function proposalContextRow(db: Queryable, proposalId: number): Promise<ProposalContextRow | undefined> {
  const { rows } = await db.query<ProposalContextRow>(
    `select p.posting_id, p.opportunity_id, ${LABEL_COLUMNS},
       r.context->'resume'->>'text' as resume_text,
       coalesce(r.context->'transcript'->>'text', r.context->>'transcript') as transcript_text
     from proposals p join workflow_runs r on r.id = p.run_id where p.id = $1`,
    [proposalId],
  );
  return rows[0];
}

/** The posting of a proposal as the engine stored it; undefined for an unknown id. */
export async function proposalPostingId(db: Queryable, proposalId: number): Promise<string | null | undefined> {
  const { rows } = await db.query<{ posting_id: string | null }>("select posting_id from proposals where id = $1", [proposalId]);
  return rows[0]?.posting_id;
}
