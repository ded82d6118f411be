/**
 * The proposals inbox as decisions: one card per candidate and run, grouping the run's proposals
 * (note, tags, stage…) with what a person decides on — the recommendation, the score against the
 * bar the workflow used, and why a person is needed, in words. Read from the database only: the
 * proposals, their run's stored Lever context, and the output of the step each proposal is
 * `because` of (the screening or analysis that justified it).
 */
import { DEFAULT_ADVANCE_AT, DEFAULT_REJECT_BELOW } from "../../screening/index.ts";
import type { Queryable } from "../../store/index.ts";
import type { Caller } from "./roles.ts";

/** The bar a score is measured against: the score the workflow needs to recommend going ahead. */
export interface ScoreBar {
  /** At or above this, the workflow recommends going ahead (screening's `advanceAt`, interview triage's `strongAt`). */
  at: number;
  /** Below this, it recommends against (screening's `rejectBelow`, interview triage's `weakBelow`), when it has one. */
  below: number | null;
  /** Where the bar comes from, in words. */
  source: string;
}

export interface ProposalCard {
  runId: string;
  workflowId: string;
  candidateName: string | null;
  postingId: string | null;
  postingTitle: string | null;
  stage: string | null;
  opportunityId: string | null;
  /** The card's proposals, oldest first (the order the workflow made them). */
  proposals: { id: string; kind: string; summary: string; status: string }[];
  /** advance, hold, reject, review (screening), or the interview triage band; null when the run recommends nothing. */
  recommendation: string | null;
  recommendationReason: string | null;
  /** 0–100, computed by code; null when the run has no score. */
  score: number | null;
  bar: ScoreBar | null;
  confidence: number | null;
  /** Why this waits for a person, one sentence each. */
  needsPerson: string[];
  createdAt: string;
}

type BasisColumns = "b_score" | "b_recommendation" | "b_recommendation_reason" | "b_triage_tag" | "b_advance_at" | "b_reject_below" | "b_triage";

interface Row {
  id: string | number;
  run_id: string | number;
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
  min_confidence: unknown;
  b_score: unknown;
  b_recommendation: unknown;
  b_recommendation_reason: unknown;
  b_triage_tag: unknown;
  b_advance_at: unknown;
  b_reject_below: unknown;
  b_triage: unknown;
}

// One statement per kind of row, not a subquery per proposal: each run's workflow (a large jsonb
// value) is read once, and only the few fields a card shows are read from step outputs (an output
// can hold a whole note). A proposal's basis is the output, at or before its generation, of the step
// its workflow step names in `because` (the workflow as the run started is kept with the run).
const PROPOSALS_SQL = `
  select p.id, p.run_id, p.step_id, p.generation, p.workflow_id, p.kind, p.summary, p.status, p.posting_id, p.opportunity_id, p.confidence, p.flags, p.policy, p.created_at,
    r.context->'opportunity'->>'name' as candidate_name,
    r.context->'posting'->>'text' as posting_title,
    case jsonb_typeof(r.context->'opportunity'->'stage')
      when 'object' then r.context->'opportunity'->'stage'->>'text'
      when 'string' then r.context->'opportunity'->>'stage'
    end as stage
  from proposals p join workflow_runs r on r.id = p.run_id`;

const BECAUSE_SQL = `
  select r.id as run_id, r.workflow->'guards'->'minConfidence' as min_confidence, s->>'id' as step_id, s->>'because' as because
  from workflow_runs r cross join lateral jsonb_array_elements(case jsonb_typeof(r.workflow->'steps') when 'array' then r.workflow->'steps' else '[]'::jsonb end) s
  where r.id = any($1::bigint[])`;

const BASIS_SQL = `
  select ws.run_id, ws.step_id, ws.generation,
    ws.output->'score' as b_score, ws.output->'recommendation' as b_recommendation, ws.output->'recommendationReason' as b_recommendation_reason,
    ws.output->'triageTag' as b_triage_tag, ws.input->'advanceAt' as b_advance_at, ws.input->'rejectBelow' as b_reject_below, ws.input->'triage' as b_triage
  from workflow_steps ws where ws.run_id = any($1::bigint[]) and ws.step_id = any($2::text[])`;

const num = (v: unknown): number | null => {
  const n = typeof v === "string" && v.trim() !== "" ? Number(v) : v;
  return typeof n === "number" && Number.isFinite(n) ? n : null;
};
const text = (v: unknown): string | null => (typeof v === "string" && v.trim() !== "" ? v : null);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);
const percent = (n: number) => `${Math.round(n * 100)} %`;

/** What each policy flag means for the person deciding. Unknown flags are spelt out from their name. */
const FLAG_WORDS: Record<string, string> = {
  "unverified-quotes": "Unverified quotes: some quoted words could not be found in the resume or transcript.",
  "hidden-text": "The resume holds hidden text (white or tiny type a reader would not see).",
  "prompt-injection": "The resume contains instructions aimed at an AI; it was screened as text, but a person should look.",
  "interviewer-check": "The interviewer asked a question that should not be asked; it is shown here, not written to Lever.",
  "no-posting": "The application has no posting to screen against.",
  "no-resume": "There is no resume to screen.",
  "layout-not-understood": "The resume's layout could not be read reliably.",
  "knockout-failed": "An answer to a knockout question rules the candidate out.",
  "knockout-unanswered": "A knockout question was not answered.",
};

export function flagInWords(flag: string): string {
  return FLAG_WORDS[flag] ?? `Flagged for review: ${flag.replace(/[-_]+/g, " ")}.`;
}

/**
 * Why a proposal waits for a person, from its policy decision and flags, in words. The mode's own
 * reason ("assist: waits for a person") is given only when nothing more specific applies.
 */
export function needsPersonInWords(p: {
  policy: readonly string[];
  flags: readonly string[];
  confidence: number | null;
  minConfidence: number | null;
  recommendation: string | null;
  recommendationReason: string | null;
}): string[] {
  const out: string[] = [];
  if (p.confidence !== null && p.minConfidence !== null && p.confidence < p.minConfidence) {
    out.push(`Below the confidence threshold: ${percent(p.confidence)}, where the workflow needs ${percent(p.minConfidence)} to act alone.`);
  }
  for (const f of p.flags) out.push(flagInWords(f));
  for (const reason of p.policy) {
    const excluded = /^posting (.+) is excluded from automatic actions$/.exec(reason);
    const ceiling = /^mode ceiling (\w+) caps (\w+)$/.exec(reason);
    if (excluded) out.push("This posting is excluded from automatic actions.");
    else if (ceiling) out.push(`The mode ceiling (${ceiling[1]}) holds back the workflow's ${ceiling[2]} mode.`);
    else if (reason === "approval gate: waits for a person") out.push("The workflow asks a person to approve this step before it goes on.");
  }
  if (p.recommendation === "review") out.push(`Not scored: ${p.recommendationReason ?? "the screening could not recommend anything"}`);
  if (out.length === 0 && p.policy.some((r) => r.startsWith("assist:") || r.includes("fell back to assist"))) {
    out.push("The workflow runs in assist mode: each action waits for a person.");
  }
  return [...new Set(out)];
}

function barOf(r: Row): ScoreBar | null {
  if (r.b_advance_at !== undefined && r.b_advance_at !== null) {
    return { at: num(r.b_advance_at) ?? DEFAULT_ADVANCE_AT, below: num(r.b_reject_below) ?? DEFAULT_REJECT_BELOW, source: "the workflow's advance bar" };
  }
  const triage = r.b_triage as { strongAt?: unknown; weakBelow?: unknown } | null;
  if (triage && typeof triage === "object" && num(triage.strongAt) !== null) {
    return { at: num(triage.strongAt)!, below: num(triage.weakBelow), source: "the posting's interview triage thresholds" };
  }
  // A screening without an explicit bar uses the defaults.
  if (num(r.b_score) !== null && text(r.b_recommendation)) return { at: DEFAULT_ADVANCE_AT, below: DEFAULT_REJECT_BELOW, source: "the default advance bar" };
  return null;
}

/** Groups proposal rows (newest first, as read) into cards, newest card first. */
export function cardsOf(rows: readonly Row[]): ProposalCard[] {
  const byRun = new Map<string, Row[]>();
  for (const r of rows) {
    const key = String(r.run_id);
    const list = byRun.get(key) ?? [];
    list.push(r);
    byRun.set(key, list);
  }
  const cards: ProposalCard[] = [];
  for (const [runId, list] of byRun) {
    const ordered = [...list].sort((a, b) => Number(a.id) - Number(b.id));
    // The basis with a score or a recommendation speaks for the card (every action of a screening shares it).
    const basis = ordered.find((r) => num(r.b_score) !== null || text(r.b_recommendation) || text(r.b_triage_tag)) ?? ordered[0]!;
    const triageTag = text(basis.b_triage_tag);
    const recommendation = text(basis.b_recommendation) ?? (triageTag ? (triageTag.split("-").pop() ?? triageTag) : null);
    const recommendationReason = text(basis.b_recommendation_reason);
    const confidences = ordered.map((r) => num(r.confidence)).filter((c): c is number => c !== null);
    const needs = ordered.flatMap((r) =>
      r.status === "pending"
        ? needsPersonInWords({
            policy: strings(r.policy),
            flags: strings(r.flags),
            confidence: num(r.confidence),
            minConfidence: num(r.min_confidence),
            recommendation,
            recommendationReason,
          })
        : [],
    );
    cards.push({
      runId,
      workflowId: basis.workflow_id,
      candidateName: basis.candidate_name,
      postingId: basis.posting_id,
      postingTitle: basis.posting_title,
      stage: basis.stage,
      opportunityId: basis.opportunity_id,
      proposals: ordered.map((r) => ({ id: String(r.id), kind: r.kind, summary: r.summary, status: r.status })),
      recommendation,
      recommendationReason,
      score: num(basis.b_score),
      bar: barOf(basis),
      confidence: confidences.length ? Math.min(...confidences) : null,
      needsPerson: [...new Set(needs)],
      createdAt: new Date(ordered[0]!.created_at).toISOString(),
    });
  }
  return cards;
}

/**
 * The cards for the proposals a list shows (status `all` or absent: every status), newest first;
 * a hiring manager gets only their postings'. At most `limit` proposals (10,000) are grouped.
 */
export async function proposalCards(
  db: Queryable,
  caller: Caller,
  filter: { status?: string | undefined; limit?: number | undefined } = {},
): Promise<ProposalCard[]> {
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
  const { rows } = await db.query<Omit<Row, BasisColumns> & { step_id: string; generation: number }>(
    `${PROPOSALS_SQL} ${where.length ? `where ${where.join(" and ")}` : ""} order by p.id desc limit $${params.length}`,
    params,
  );
  if (rows.length === 0) return [];
  const runIds = [...new Set(rows.map((r) => String(r.run_id)))];
  const because = await db.query<{ run_id: string | number; min_confidence: unknown; step_id: string | null; because: string | null }>(BECAUSE_SQL, [runIds]);
  const becauseOf = new Map(because.rows.filter((b) => b.because).map((b) => [`${b.run_id}:${b.step_id}`, b.because!]));
  const minConfidenceOf = new Map(because.rows.map((b) => [String(b.run_id), b.min_confidence]));
  const basisSteps = [...new Set(becauseOf.values())];
  const bases = basisSteps.length
    ? (await db.query<Pick<Row, BasisColumns> & { run_id: string | number; step_id: string; generation: number }>(BASIS_SQL, [runIds, basisSteps])).rows
    : [];
  const basesOf = new Map<string, typeof bases>();
  for (const b of bases) {
    const key = `${b.run_id}:${b.step_id}`;
    basesOf.set(key, [...(basesOf.get(key) ?? []), b]);
  }
  const empty: Pick<Row, BasisColumns> = {
    b_score: null,
    b_recommendation: null,
    b_recommendation_reason: null,
    b_triage_tag: null,
    b_advance_at: null,
    b_reject_below: null,
    b_triage: null,
  };
  return cardsOf(
    rows.map((r): Row => {
      const step = becauseOf.get(`${r.run_id}:${r.step_id}`);
      // The latest generation of the basis at or before the proposal's.
      const basis = step
        ? (basesOf.get(`${r.run_id}:${step}`) ?? [])
            .filter((b) => Number(b.generation) <= Number(r.generation))
            .sort((a, b) => Number(b.generation) - Number(a.generation))[0]
        : undefined;
      const { run_id: _run, step_id: _step, generation: _generation, ...fields } = basis ?? { ...empty, run_id: 0, step_id: "", generation: 0 };
      return { ...r, min_confidence: minConfidenceOf.get(String(r.run_id)) ?? null, ...fields };
    }),
  );
}
