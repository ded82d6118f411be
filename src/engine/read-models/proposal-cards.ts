/**
 * What the console's decision cards are made of — one card per candidate and run — read a page of
 * runs at a time: the runs (newest first, by run id) with proposals the filter keeps, those runs'
 * proposals, the step each workflow step is `because` of, and that step's score and bar. Who may
 * see which posting is the caller's business: the filter takes the postings to keep, already
 * decided. Every query is bounded by the page's runs; only the totals and the filter choices read
 * all the proposals of the status.
 */
import type { Queryable } from "../../store/index.ts";
import { LABEL_COLUMNS } from "./candidate-labels.ts";

/** Ages a list may keep, measured from the proposal's creation. */
export const CARD_AGES = ["hour", "day", "older", "week"] as const;
/** Confidence bands a list may keep: under 0.5, 0.5 to 0.8, 0.8 and up. */
export const CARD_CONFIDENCES = ["low", "mid", "high"] as const;

export interface ProposalCardFilter {
  status?: string | undefined;
  /** Only proposals on these postings (a hiring manager's); every posting when absent. */
  postingIds?: readonly string[] | undefined;
  workflowId?: string | undefined;
  /** A posting id, or its title as the run's Lever context names it. */
  posting?: string | undefined;
  stage?: string | undefined;
  age?: (typeof CARD_AGES)[number] | undefined;
  confidence?: (typeof CARD_CONFIDENCES)[number] | undefined;
}

/** A proposal with its run's candidate, posting and stage, and what locates its basis. */
export interface ProposalCardRow {
  id: string | number;
  run_id: string | number;
  step_id: string;
  generation: number;
  workflow_id: string;
  kind: string;
  summary: string;
  status: string;
  posting_id: string | null;
  opportunity_id: string | null;
  confidence: number | null;
  flags: unknown;
  policy: unknown;
  created_at: Date | string;
  candidate_name: string | null;
  posting_title: string | null;
  stage: string | null;
}

/** A workflow step of a run as the run started, with the step it is `because` of, and the run's confidence guard. */
export interface ProposalCardBecauseRow {
  run_id: string | number;
  min_confidence: unknown;
  step_id: string | null;
  because: string | null;
}

/** The few fields of a basis step's input and output a card shows (an output can hold a whole note). */
export interface ProposalCardBasisRow {
  run_id: string | number;
  step_id: string;
  generation: number;
  b_score: unknown;
  b_recommendation: unknown;
  b_recommendation_reason: unknown;
  b_triage_tag: unknown;
  b_advance_at: unknown;
  b_reject_below: unknown;
  b_triage: unknown;
}

export interface ProposalCardTotals {
  proposals: number;
  cards: number;
}

/** What a list may filter by, among the proposals of the status (not narrowed by the other filters). */
export interface ProposalCardFacets {
  workflows: string[];
  postings: { id: string; title: string | null }[];
  stages: string[];
}

const STAGE = `case jsonb_typeof(r.context->'opportunity'->'stage')
    when 'object' then r.context->'opportunity'->'stage'->>'text'
    when 'string' then r.context->'opportunity'->>'stage'
  end`;

const AGE_SQL: Record<(typeof CARD_AGES)[number], string> = {
  hour: "p.created_at > now() - interval '1 hour'",
  day: "p.created_at > now() - interval '1 day'",
  older: "p.created_at <= now() - interval '1 day'",
  week: "p.created_at <= now() - interval '7 days'",
};
const CONFIDENCE_SQL: Record<(typeof CARD_CONFIDENCES)[number], string> = {
  low: "p.confidence < 0.5",
  mid: "p.confidence >= 0.5 and p.confidence < 0.8",
  high: "p.confidence >= 0.8",
};

/** The where clause for a filter, the parameters it numbers from `params`, and whether it needs the run joined. */
function whereOf(filter: ProposalCardFilter, params: unknown[]): { sql: string; joinsRun: boolean } {
  const where: string[] = [];
  let joinsRun = false;
  const param = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  if (filter.status) where.push(`p.status = ${param(filter.status)}`);
  if (filter.postingIds) where.push(`p.posting_id = any(${param(filter.postingIds)}::text[])`);
  if (filter.workflowId) where.push(`p.workflow_id = ${param(filter.workflowId)}`);
  if (filter.posting) {
    const n = param(filter.posting);
    where.push(`(p.posting_id = ${n} or r.context->'posting'->>'text' = ${n})`);
    joinsRun = true;
  }
  if (filter.stage) {
    where.push(`(${STAGE}) = ${param(filter.stage)}`);
    joinsRun = true;
  }
  if (filter.age) where.push(AGE_SQL[filter.age]);
  if (filter.confidence) where.push(CONFIDENCE_SQL[filter.confidence]);
  return { sql: where.join(" and "), joinsRun };
}

const fromOf = (joinsRun: boolean) => `from proposals p${joinsRun ? " join workflow_runs r on r.id = p.run_id" : ""}`;

/**
 * A page of runs with proposals the filter keeps, newest run first: at most `limit`, each older
 * than `before` (a run id) when given. Walks the proposals in run order (`proposals_status_run`, or
 * the `(run_id, step_id, generation)` key for every status) and stops at the page's end.
 */
export async function proposalCardRunIds(db: Queryable, filter: ProposalCardFilter, page: { limit: number; before?: string | undefined }): Promise<string[]> {
  const params: unknown[] = [];
  const { sql, joinsRun } = whereOf(filter, params);
  const where = sql ? [sql] : [];
  if (page.before !== undefined) {
    params.push(page.before);
    where.push(`p.run_id < $${params.length}::bigint`);
  }
  params.push(page.limit);
  const { rows } = await db.query<{ run_id: string | number }>(
    `select distinct p.run_id ${fromOf(joinsRun)} ${where.length ? `where ${where.join(" and ")}` : ""} order by p.run_id desc limit $${params.length}`,
    params,
  );
  return rows.map((r) => String(r.run_id));
}

/** The proposals of these runs the filter keeps, with their run's candidate, posting and stage. */
export async function proposalCardRows(db: Queryable, runIds: readonly string[], filter: ProposalCardFilter): Promise<ProposalCardRow[]> {
  if (runIds.length === 0) return [];
  const params: unknown[] = [runIds];
  const { sql } = whereOf(filter, params);
  const { rows } = await db.query<ProposalCardRow>(
    `select p.id, p.run_id, p.step_id, p.generation, p.workflow_id, p.kind, p.summary, p.status, p.posting_id, p.opportunity_id, p.confidence, p.flags, p.policy, p.created_at,
       ${LABEL_COLUMNS}
     from proposals p join workflow_runs r on r.id = p.run_id
     where p.run_id = any($1::bigint[]) ${sql ? `and ${sql}` : ""}
     order by p.id desc`,
    params,
  );
  return rows;
}

/** Each workflow step of these runs (the workflow as the run started) with the step it is `because` of. */
export async function proposalCardBecause(db: Queryable, runIds: readonly string[]): Promise<ProposalCardBecauseRow[]> {
  if (runIds.length === 0) return [];
  const { rows } = await db.query<ProposalCardBecauseRow>(
    `select r.id as run_id, r.workflow->'guards'->'minConfidence' as min_confidence, s->>'id' as step_id, s->>'because' as because
     from workflow_runs r cross join lateral jsonb_array_elements(case jsonb_typeof(r.workflow->'steps') when 'array' then r.workflow->'steps' else '[]'::jsonb end) s
     where r.id = any($1::bigint[])`,
    [runIds],
  );
  return rows;
}

/** Every generation of these runs' basis steps, with only the fields a card shows. */
export async function proposalCardBases(db: Queryable, runIds: readonly string[], stepIds: readonly string[]): Promise<ProposalCardBasisRow[]> {
  if (runIds.length === 0 || stepIds.length === 0) return [];
  const { rows } = await db.query<ProposalCardBasisRow>(
    `select ws.run_id, ws.step_id, ws.generation,
       ws.output->'score' as b_score, ws.output->'recommendation' as b_recommendation, ws.output->'recommendationReason' as b_recommendation_reason,
       ws.output->'triageTag' as b_triage_tag, ws.input->'advanceAt' as b_advance_at, ws.input->'rejectBelow' as b_reject_below, ws.input->'triage' as b_triage
     from workflow_steps ws where ws.run_id = any($1::bigint[]) and ws.step_id = any($2::text[])`,
    [runIds, stepIds],
  );
  return rows;
}

/** How many proposals the filter keeps, and in how many runs (cards). */
export async function proposalCardTotals(db: Queryable, filter: ProposalCardFilter): Promise<ProposalCardTotals> {
  const params: unknown[] = [];
  const { sql, joinsRun } = whereOf(filter, params);
  const { rows } = await db.query<{ proposals: string | number; cards: string | number }>(
    `select count(*) as proposals, count(distinct p.run_id) as cards ${fromOf(joinsRun)} ${sql ? `where ${sql}` : ""}`,
    params,
  );
  return { proposals: Number(rows[0]?.proposals ?? 0), cards: Number(rows[0]?.cards ?? 0) };
}

/** The workflows, postings and stages among the proposals of a status (and the caller's postings). */
export async function proposalCardFacets(db: Queryable, filter: Pick<ProposalCardFilter, "status" | "postingIds">): Promise<ProposalCardFacets> {
  const params: unknown[] = [];
  const { sql } = whereOf({ status: filter.status, postingIds: filter.postingIds }, params);
  // One row per run first: a run's context is read once, not once per proposal.
  const { rows } = await db.query<{ workflow_id: string; posting_id: string | null; posting_title: string | null; stage: string | null }>(
    `select distinct p.workflow_id, p.posting_id, r.context->'posting'->>'text' as posting_title, ${STAGE} as stage
     from (select distinct p.run_id, p.workflow_id, p.posting_id from proposals p ${sql ? `where ${sql}` : ""}) p
     join workflow_runs r on r.id = p.run_id`,
    params,
  );
  const sorted = (xs: Iterable<string | null>) => [...new Set([...xs].filter((x): x is string => Boolean(x)))].sort();
  const titles = new Map<string, string | null>();
  for (const r of rows) if (r.posting_id && !titles.get(r.posting_id)) titles.set(r.posting_id, r.posting_title);
  return {
    workflows: sorted(rows.map((r) => r.workflow_id)),
    postings: [...titles].map(([id, title]) => ({ id, title })).sort((a, b) => (a.title ?? a.id).localeCompare(b.title ?? b.id)),
    stages: sorted(rows.map((r) => r.stage)),
  };
}
