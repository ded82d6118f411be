/**
 * Screening's tables: the profile index (what rediscovery searches), rubric versions with their
 * approval, and scores per posting. The index holds only the scrubbed scoring view of a resume —
 * no name, contact details or address — because Lever stays the system of record.
 */
import type { Queryable } from "../store/index.ts";
import type { ParsedResume } from "./parse-resume.ts";
import { isUsable, rubricHash, rubricSchema, type Rubric } from "./rubric.ts";
import type { ScoreResult } from "./score.ts";
import { toScoringView, type ScoringView } from "./scoring-view.ts";

/** Bumped when parsing changes enough that stored profiles should be rebuilt. */
export const PARSER_VERSION = "screening-1";

export interface ProfileRecord {
  connectionId: string;
  opportunityId: string;
  contactId?: string | undefined;
  resumeId?: string | undefined;
  fileSha256?: string | undefined;
  archived: boolean;
  postingIds: string[];
  parsed: ParsedResume;
}

/** Stores (or replaces) an opportunity's profile in the rediscovery index. */
export async function upsertProfile(db: Queryable, record: ProfileRecord): Promise<void> {
  const view = toScoringView(record.parsed);
  const skills = view.skills.map((s) => s.toLowerCase());
  const headline = view.positions[0]?.title ?? null;
  const searchText = [view.text, view.positions.map((p) => p.title).join(" "), view.skills.join(" ")].join("\n").slice(0, 200_000);
  await db.query(
    `insert into screening_profiles (connection_id, opportunity_id, contact_id, resume_id, file_sha256, status, archived, excluded,
       excluded_reason, headline, total_years, skills, profile, search, posting_ids, parser_version, updated_at)
     values ($1, $2, $3, $4, $5, $6, $7, false, null, $8, $9, $10, $11, to_tsvector('english', $12), $13, $14, now())
     on conflict (connection_id, opportunity_id) do update set
       contact_id = excluded.contact_id, resume_id = excluded.resume_id, file_sha256 = excluded.file_sha256, status = excluded.status,
       archived = excluded.archived, excluded = false, excluded_reason = null, headline = excluded.headline,
       total_years = excluded.total_years, skills = excluded.skills, profile = excluded.profile, search = excluded.search,
       posting_ids = excluded.posting_ids, parser_version = excluded.parser_version, updated_at = now()`,
    [
      record.connectionId,
      record.opportunityId,
      record.contactId ?? null,
      record.resumeId ?? null,
      record.fileSha256 ?? null,
      record.parsed.status,
      record.archived,
      headline,
      Math.min(99.9, record.parsed.profile.totalYears),
      skills,
      JSON.stringify(view),
      searchText,
      record.postingIds,
      PARSER_VERSION,
    ],
  );
}

/** Updates what changes without a new resume: archived state and postings. */
export async function updateProfileState(
  db: Queryable,
  connectionId: string,
  opportunityId: string,
  state: { archived: boolean; postingIds: string[] },
): Promise<boolean> {
  const r = await db.query(
    "update screening_profiles set archived = $3, posting_ids = $4, updated_at = now() where connection_id = $1 and opportunity_id = $2",
    [connectionId, opportunityId, state.archived, state.postingIds],
  );
  return r.rowCount > 0;
}

/** The resume id and file hash of an opportunity's indexed profile, when the current parser made it. */
export async function indexedResume(
  db: Queryable,
  connectionId: string,
  opportunityId: string,
): Promise<{ resumeId: string | null; sha256: string | null } | undefined> {
  const r = await db.query<{ resume_id: string | null; file_sha256: string | null; parser_version: string }>(
    "select resume_id, file_sha256, parser_version from screening_profiles where connection_id = $1 and opportunity_id = $2 and not excluded",
    [connectionId, opportunityId],
  );
  const row = r.rows[0];
  return row && row.parser_version === PARSER_VERSION ? { resumeId: row.resume_id, sha256: row.file_sha256 } : undefined;
}

/**
 * Forgets an opportunity: its profile and its scores. Used when Lever deletes the candidate and
 * when data protection no longer allows storing.
 */
export async function forgetOpportunity(db: Queryable, connectionId: string, opportunityId: string): Promise<void> {
  await db.query("delete from screening_profiles where connection_id = $1 and opportunity_id = $2", [connectionId, opportunityId]);
  await db.query("delete from screening_scores where connection_id = $1 and opportunity_id = $2", [connectionId, opportunityId]);
}

/** One opportunity's indexed profile (undefined when it is not indexed or is excluded). */
export async function indexedProfile(
  db: Queryable,
  connectionId: string,
  opportunityId: string,
): Promise<{ view: ScoringView; skills: string[]; archived: boolean } | undefined> {
  const r = await db.query<{ profile: ScoringView | string; skills: string[]; archived: boolean }>(
    "select profile, skills, archived from screening_profiles where connection_id = $1 and opportunity_id = $2 and not excluded and profile is not null",
    [connectionId, opportunityId],
  );
  const row = r.rows[0];
  if (!row) return undefined;
  return { view: typeof row.profile === "string" ? (JSON.parse(row.profile) as ScoringView) : row.profile, skills: row.skills, archived: row.archived };
}

export interface IndexedCandidate {
  opportunityId: string;
  headline: string | null;
  totalYears: number;
  skills: string[];
  view: ScoringView;
  textRank: number;
  overlap: number;
}

/**
 * Candidates whose profiles share skills with `skills` or match `terms` in full text, best first
 * by skills overlap then text rank (the `alsoIds` candidates come first, so the limit never drops them). Excluded rows and candidates already on the posting are left out.
 */
export async function searchProfiles(
  db: Queryable,
  query: {
    connectionId: string;
    skills: string[];
    terms: string[];
    excludePostingId?: string;
    archivedOnly?: boolean;
    limit: number;
    /** Candidates to include even without shared skills or words (e.g. close semantic matches), under the same exclusions. */
    alsoIds?: readonly string[];
  },
): Promise<IndexedCandidate[]> {
  const skills = query.skills.map((s) => s.toLowerCase());
  // Only letters and digits reach to_tsquery: resume-derived words never become query syntax.
  const terms = [...new Set(query.terms.flatMap((t) => t.toLowerCase().split(/[^a-z0-9]+/)).filter((t) => t.length > 1))].slice(0, 40);
  const tsquery = terms.join(" | ");
  const r = await db.query<{
    opportunity_id: string;
    headline: string | null;
    total_years: string | number | null;
    skills: string[];
    profile: ScoringView | string;
    text_rank: number;
    overlap: number;
  }>(
    `select opportunity_id, headline, total_years, skills, profile,
       case when $3 = '' then 0 else ts_rank(search, to_tsquery('english', $3)) end as text_rank,
       cardinality(array(select unnest(skills) intersect select unnest($2::text[]))) as overlap
     from screening_profiles
     where connection_id = $1 and not excluded and profile is not null
       and ($4::text is null or not ($4::text = any(posting_ids)))
       and ($5::boolean = false or archived)
       and (skills && $2::text[] or ($3 <> '' and search @@ to_tsquery('english', $3)) or opportunity_id = any($7::text[]))
     order by opportunity_id = any($7::text[]) desc, overlap desc, text_rank desc, opportunity_id
     limit $6`,
    [
      query.connectionId,
      skills,
      tsquery,
      query.excludePostingId ?? null,
      query.archivedOnly ?? false,
      query.limit + (query.alsoIds?.length ?? 0),
      [...(query.alsoIds ?? [])],
    ],
  );
  return r.rows.map((row) => ({
    opportunityId: row.opportunity_id,
    headline: row.headline,
    totalYears: Number(row.total_years ?? 0),
    skills: row.skills,
    view: typeof row.profile === "string" ? (JSON.parse(row.profile) as ScoringView) : row.profile,
    textRank: Number(row.text_rank),
    overlap: Number(row.overlap),
  }));
}

/** Records a score for fairness monitoring and audit. */
export async function recordScore(
  db: Queryable,
  entry: { connectionId: string; postingId: string; opportunityId: string; result: ScoreResult },
): Promise<number> {
  const { result } = entry;
  const r = await db.query<{ id: number }>(
    `insert into screening_scores (connection_id, posting_id, opportunity_id, score, tier, confidence, engine, rubric_hash, parser_version, criteria, missing_must_haves, flags)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) returning id`,
    [
      entry.connectionId,
      entry.postingId,
      entry.opportunityId,
      result.score,
      result.tier,
      result.confidence,
      result.engine,
      result.rubricHash,
      PARSER_VERSION,
      JSON.stringify(result.criteria.map((c) => ({ id: c.criterionId, status: c.status, must: c.must, weight: c.weight, source: c.source }))),
      JSON.stringify(result.missingMustHaves),
      result.flags,
    ],
  );
  return Number(r.rows[0]!.id);
}

export interface ScoreRow {
  opportunityId: string;
  score: number;
  tier: string;
  engine: string;
  rubricHash: string;
  createdAt: string;
}

/** Scores recorded for a posting, oldest first (the input of selection and scoring rates). */
export async function scoresForPosting(db: Queryable, connectionId: string, postingId: string): Promise<ScoreRow[]> {
  const r = await db.query<{ opportunity_id: string; score: number; tier: string; engine: string; rubric_hash: string; created_at: Date | string }>(
    "select opportunity_id, score, tier, engine, rubric_hash, created_at from screening_scores where connection_id = $1 and posting_id = $2 order by created_at, id",
    [connectionId, postingId],
  );
  return r.rows.map((row) => ({
    opportunityId: row.opportunity_id,
    score: row.score,
    tier: row.tier,
    engine: row.engine,
    rubricHash: row.rubric_hash,
    createdAt: new Date(row.created_at).toISOString(),
  }));
}

/** Saves a new rubric version for a posting; returns its version number. */
export async function saveRubricVersion(db: Queryable, connectionId: string, rubric: Rubric, createdBy?: string): Promise<number> {
  const r = await db.query<{ version: number }>(
    `insert into screening_rubrics (connection_id, posting_id, version, source, rubric, rubric_hash, created_by)
     values ($1, $2, coalesce((select max(version) from screening_rubrics where connection_id = $1 and posting_id = $2), 0) + 1, $3, $4, $5, $6)
     returning version`,
    [connectionId, rubric.postingId, rubric.source, JSON.stringify(rubric), rubricHash(rubric), createdBy ?? null],
  );
  return Number(r.rows[0]!.version);
}

/** Approves a rubric version; an approved version cannot be approved again by someone else. */
export async function approveRubricVersion(db: Queryable, connectionId: string, postingId: string, version: number, approvedBy: string): Promise<boolean> {
  const r = await db.query(
    "update screening_rubrics set approved_by = $4, approved_at = now() where connection_id = $1 and posting_id = $2 and version = $3 and approved_at is null",
    [connectionId, postingId, version, approvedBy],
  );
  return r.rowCount > 0;
}

/**
 * The rubric to score a posting by: the newest approved override, or else the newest version
 * taken from the posting. Undefined when neither exists (the caller extracts one from the posting).
 */
export async function activeRubric(db: Queryable, connectionId: string, postingId: string): Promise<(Rubric & { version: number }) | undefined> {
  const r = await db.query<{ version: number; rubric: unknown; approved_by: string | null; approved_at: Date | string | null }>(
    "select version, rubric, approved_by, approved_at from screening_rubrics where connection_id = $1 and posting_id = $2 order by version desc",
    [connectionId, postingId],
  );
  const rows = r.rows.map((row) => {
    const raw = typeof row.rubric === "string" ? JSON.parse(row.rubric) : row.rubric;
    const rubric = rubricSchema.parse({
      ...(raw as object),
      ...(row.approved_by ? { approvedBy: row.approved_by, approvedAt: new Date(row.approved_at!).toISOString() } : {}),
    });
    return { ...rubric, version: Number(row.version) };
  });
  return rows.find((x) => x.source === "override" && isUsable(x)) ?? rows.find((x) => x.source === "posting");
}
