/**
 * Talent rediscovery as engine steps.
 *
 * - `rediscovery.find` looks for past candidates who fit a posting: the one in `with.postingId`
 *   (a manual run, the API), or — on a schedule — every posting published since the last look
 *   (Lever sends no webhook for new postings). Each candidate found starts one run of the outreach
 *   workflow (`with.outreachWorkflow`, default `rediscovery-outreach`), once per posting ×
 *   candidate, so a person approves the tag and the note there like any other proposal.
 * - `rediscovery.explain` is that outreach run's first step: it scores the candidate's indexed
 *   profile against the posting again (the index may have changed since), re-checks Lever's
 *   data-protection settings, and drafts the tag and the note with the reasons.
 *
 * Candidates whose data protection forbids storing or contacting, or who are anonymised, are never
 * in the index and are checked once more before anything is proposed.
 */
import type { Queryable } from "../../../store/index.ts";
import {
  activeRubric,
  dataProtectionBlock,
  extractRequirements,
  indexedProfile,
  rediscoverForPosting,
  rediscoveryProposal,
  scoreResume,
} from "../../../screening/index.ts";
import type { LeverGateway, TaskHandler } from "../../ports.ts";
import { StepFailure } from "../../errors.ts";

/** Postings one scheduled run rediscovers at most; the rest wait for the next tick. */
const MAX_POSTINGS_PER_RUN = 5;

function text(v: unknown): string | undefined {
  return typeof v === "string" && v.trim() !== "" ? v.trim() : undefined;
}

function whole(v: unknown, fallback: number, min: number, max: number): number {
  const n = typeof v === "number" ? v : typeof v === "string" && /^\d+$/.test(v) ? Number(v) : fallback;
  return Math.min(max, Math.max(min, Math.floor(n)));
}

function getPosting(lever: LeverGateway) {
  return (id: string) => lever.getPosting(id);
}

/**
 * The postings a scheduled run should rediscover: published ones not yet looked at. The first look
 * at a connection remembers what exists as a baseline and rediscovers none of it.
 */
async function newPostings(db: Queryable, lever: LeverGateway, connectionId: string, dryRun: boolean): Promise<{ id: string; title: string }[]> {
  const published = (await lever.listPostings({ state: "published" })).map((p) => ({ id: String(p.id), title: String(p.text ?? p.id) }));
  const { rows: known } = await db.query<{ posting_id: string; baseline: boolean; rediscovered_at: Date | null }>(
    "select posting_id, baseline, rediscovered_at from rediscovery_postings where connection_id = $1",
    [connectionId],
  );
  const firstLook = known.length === 0;
  if (dryRun) {
    const seen = new Set(known.map((k) => k.posting_id));
    return firstLook ? [] : published.filter((p) => !seen.has(p.id)).slice(0, MAX_POSTINGS_PER_RUN);
  }
  // The first look is remembered even when the account has no published posting yet (the "*"
  // row), so that its first postings later count as new.
  for (const p of firstLook ? [...published, { id: "*", title: "first look" }] : published) {
    await db.query(
      "insert into rediscovery_postings (connection_id, posting_id, title, baseline) values ($1, $2, $3, $4) on conflict (connection_id, posting_id) do nothing",
      [connectionId, p.id, p.title.slice(0, 500), firstLook],
    );
  }
  const { rows } = await db.query<{ posting_id: string; title: string | null }>(
    `select posting_id, title from rediscovery_postings
     where connection_id = $1 and not baseline and rediscovered_at is null and posting_id = any($2::text[])
     order by seen_at, posting_id limit $3`,
    [connectionId, published.map((p) => p.id), MAX_POSTINGS_PER_RUN],
  );
  return rows.map((r) => ({ id: r.posting_id, title: r.title ?? r.posting_id }));
}

/** Finds past candidates for one posting (or for new postings) and starts an outreach run for each. */
export const rediscoveryFindTask: TaskHandler = async ({ with: params, lever, db, connectionId, dryRun, startWorkflow }) => {
  const outreach = text(params.outreachWorkflow) ?? "rediscovery-outreach";
  const limit = whole(params.limit, 10, 1, 100);
  const archivedOnly = params.includeActive !== true;
  const asked = text(params.postingId);
  if (asked !== undefined && !/^[\w-]{1,100}$/.test(asked)) throw new StepFailure(`with.postingId "${asked.slice(0, 40)}" is not a Lever posting id`);
  const postings = asked ? [{ id: asked, title: asked }] : await newPostings(db, lever, connectionId, dryRun);

  const results: {
    postingId: string;
    title: string;
    candidates: { opportunityId: string; score: number; tier: string; runId: number | null }[];
    semantic: unknown;
  }[] = [];
  for (const p of postings) {
    const found = await rediscoverForPosting(db, { connectionId, postingId: p.id, getPosting: getPosting(lever), limit, archivedOnly });
    const candidates = [];
    for (const c of found.proposals) {
      const runId = await startWorkflow(outreach, { key: `rediscovery:${p.id}:${c.opportunityId}`, opportunityId: c.opportunityId, data: { postingId: p.id } });
      candidates.push({ opportunityId: c.opportunityId, score: c.score, tier: c.tier, runId });
    }
    if (!dryRun) {
      await db.query(
        `insert into rediscovery_postings (connection_id, posting_id, title, rediscovered_at, candidates) values ($1, $2, $3, now(), $4)
         on conflict (connection_id, posting_id) do update set title = excluded.title, rediscovered_at = now(), candidates = excluded.candidates`,
        [connectionId, p.id, String(found.posting.text ?? p.id).slice(0, 500), candidates.length],
      );
    }
    results.push({ postingId: p.id, title: String(found.posting.text ?? p.id), candidates, semantic: found.semantic });
  }
  const count = results.reduce((n, r) => n + r.candidates.length, 0);
  return {
    postings: results,
    candidates: count,
    summary:
      postings.length === 0 ? "No new posting to rediscover for." : `${count} past candidate(s) proposed for ${results.map((r) => `"${r.title}"`).join(", ")}.`,
  };
};

/** Scores the run's candidate for `with.postingId` and drafts the tag and the outreach note. */
export const rediscoveryExplainTask: TaskHandler = async ({ with: params, fetch, lever, db, connectionId }) => {
  const postingId = text(params.postingId);
  if (!postingId) throw new StepFailure("with.postingId is missing: start this workflow with data.postingId");
  const ctx = await fetch(["opportunity"]);
  const opportunity = ctx.opportunity;
  if (!opportunity?.id) throw new StepFailure("the run has no opportunity: start it with an opportunityId");
  const skip = (why: string) => ({ proceed: false, reasons: [why], tags: [], note: "", question: "", confidence: 0 });
  const blocked = dataProtectionBlock(opportunity);
  if (blocked) return skip(`Not proposed: the candidate's data protection says ${blocked}.`);
  const profile = await indexedProfile(db, connectionId, String(opportunity.id));
  if (!profile) return skip("Not proposed: the candidate has no readable resume in the rediscovery index.");
  const posting = await lever.getPosting(postingId);
  const rubric = (await activeRubric(db, connectionId, postingId)) ?? extractRequirements(posting);
  const result = scoreResume(profile.view, rubric);
  const proposal = rediscoveryProposal(posting, { opportunityId: String(opportunity.id), skills: profile.skills }, result, rubric);
  const tags = proposal.actions.flatMap((a) => (a.type === "addTags" ? a.tags : []));
  const note = proposal.actions.find((a) => a.type === "addNote")?.value ?? "";
  return {
    proceed: result.tier !== "weak",
    postingId,
    score: result.score,
    tier: result.tier,
    confidence: result.confidence,
    reasons: proposal.reasons,
    evidence: result.criteria.filter((c) => c.quotes.length > 0).map((c) => ({ criterion: c.label, status: c.status, quotes: c.quotes.slice(0, 3) })),
    matchedSkills: proposal.matchedSkills,
    flags: [],
    tags,
    note,
    question: `Put this past candidate forward for "${String(posting.text ?? postingId)}"? Score ${result.score}/100 (${result.tier}) from the resume on file. Approving tags them and adds a note with the reasons; nothing is sent to them.`,
    meta: { engine: "local" },
  };
};
