/**
 * The proposals inbox as decisions: one card per candidate and run, grouping the run's proposals
 * (note, tags, stage…) with what a person decides on — the recommendation, the score against the
 * bar the workflow used, and why a person is needed, in words. Read through the engine's read model
 * (`proposalCard*`), a page of runs at a time: the proposals, their run's stored Lever context, and
 * the output of the step each proposal is `because` of (the screening or analysis that justified it).
 */
import { DEFAULT_ADVANCE_AT, DEFAULT_REJECT_BELOW } from "../../screening/index.ts";
import {
  proposalCardBases,
  proposalCardBecause,
  proposalCardFacets,
  proposalCardRows,
  proposalCardRunIds,
  proposalCardTotals,
  type ProposalCardBasisRow,
  type ProposalCardFacets,
  type ProposalCardFilter,
  type ProposalCardRow,
  type ProposalCardTotals,
} from "../../engine/index.ts";
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

type Row = Omit<ProposalCardRow, "step_id" | "generation"> & Omit<ProposalCardBasisRow, "run_id" | "step_id" | "generation"> & { min_confidence: unknown };

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

/** Cards a page holds at most, and by default. */
export const MAX_CARDS = 10_000;
export const DEFAULT_CARDS = 100;

export interface ProposalCardPage {
  cards: ProposalCard[];
  /** The cursor for the next page (`before`), or null on the last. */
  next: string | null;
  /** On the first page: how many proposals and cards the filter keeps, and what else a list may filter by. */
  total?: ProposalCardTotals;
  facets?: ProposalCardFacets;
}

/**
 * A page of cards for the proposals a list shows (status absent: every status), newest run first,
 * each card whole (a run's proposals are never split across pages); a hiring manager gets only
 * their postings'. `limit` cards (default 100, at most 10,000) older than the cursor `before`.
 */
export async function proposalCards(
  db: Queryable,
  caller: Caller,
  filter: Omit<ProposalCardFilter, "postingIds"> & { limit?: number | undefined; before?: string | undefined } = {},
): Promise<ProposalCardPage> {
  const { limit, before, ...rest } = filter;
  const kept: ProposalCardFilter = caller.role === "hiring_manager" ? { ...rest, postingIds: caller.postingIds ?? [] } : rest;
  const size = Math.min(Math.max(limit ?? DEFAULT_CARDS, 1), MAX_CARDS);
  // One more run than the page holds says whether there is a next page.
  const runIds = await proposalCardRunIds(db, kept, { limit: size + 1, before });
  const pageRuns = runIds.slice(0, size);
  const first =
    before === undefined ? await Promise.all([proposalCardTotals(db, kept), proposalCardFacets(db, kept)]).then(([total, facets]) => ({ total, facets })) : {};
  const next = runIds.length > size ? (pageRuns.at(-1) ?? null) : null;
  const rows = await proposalCardRows(db, pageRuns, kept);
  if (rows.length === 0) return { cards: [], next, ...first };
  const because = await proposalCardBecause(db, pageRuns);
  const becauseOf = new Map(because.filter((b) => b.because).map((b) => [`${b.run_id}:${b.step_id}`, b.because!]));
  const minConfidenceOf = new Map(because.map((b) => [String(b.run_id), b.min_confidence]));
  const bases = await proposalCardBases(db, pageRuns, [...new Set(becauseOf.values())]);
  const basesOf = new Map<string, ProposalCardBasisRow[]>();
  for (const b of bases) {
    const key = `${b.run_id}:${b.step_id}`;
    basesOf.set(key, [...(basesOf.get(key) ?? []), b]);
  }
  const empty = {
    b_score: null,
    b_recommendation: null,
    b_recommendation_reason: null,
    b_triage_tag: null,
    b_advance_at: null,
    b_reject_below: null,
    b_triage: null,
  };
  const cards = cardsOf(
    rows.map((r): Row => {
      const step = becauseOf.get(`${r.run_id}:${r.step_id}`);
      // The latest generation of the basis at or before the proposal's.
      const basis = step
        ? (basesOf.get(`${r.run_id}:${step}`) ?? [])
            .filter((b) => Number(b.generation) <= Number(r.generation))
            .sort((a, b) => Number(b.generation) - Number(a.generation))[0]
        : undefined;
      const { run_id: _run, step_id: _step, generation: _generation, ...fields } = basis ?? { ...empty, run_id: 0, step_id: "", generation: 0 };
      const { step_id: _s, generation: _g, ...row } = r;
      return { ...row, min_confidence: minConfidenceOf.get(String(r.run_id)) ?? null, ...fields };
    }),
  );
  // Newest run first, as the page was read.
  const order = new Map(pageRuns.map((id, i) => [id, i]));
  cards.sort((a, b) => (order.get(a.runId) ?? 0) - (order.get(b.runId) ?? 0));
  return { cards, next, ...first };
}
