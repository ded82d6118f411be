/**
 * Talent rediscovery: past and archived candidates whose parsed profiles fit a posting. The index
 * is kept current from webhooks (`indexOpportunity`, `forgetOpportunity`) and a backfill
 * (`backfillProfiles`) through the Lever client; candidates whose Lever data protection forbids
 * storing or contacting, or who are anonymised, are never indexed or proposed. Results are plain
 * proposal objects (tag them, add a note) for the workflow engine to turn into proposals.
 */
import { createHash } from "node:crypto";
import type { Embedder } from "../ai/index.ts";
import { isUnprocessableFile, newestResumeWithFile, type LeverClient, type LeverOpportunity, type LeverResume } from "../lever/index.ts";
import type { Queryable } from "../store/index.ts";
import { parseResume, type ParsedResume } from "./parse-resume.ts";
import type { YearMonth } from "./profile/dates.ts";
import { extractRequirements, type PostingInput } from "./requirements.ts";
import type { Rubric } from "./rubric.ts";
import { scoreResume, type ScoreResult } from "./score.ts";
import { postingEmbeddingText, refreshProfileEmbeddings, similarProfiles } from "./embeddings.ts";
import { activeRubric, forgetOpportunity, indexedResume, searchProfiles, updateProfileState, upsertProfile } from "./store.ts";

/** Why a candidate may not be stored or contacted, or undefined when they may. */
export function dataProtectionBlock(opportunity: Pick<LeverOpportunity, "dataProtection" | "isAnonymized">, now = Date.now()): string | undefined {
  if (opportunity.isAnonymized) return "anonymised";
  const dp = opportunity.dataProtection as Record<string, { allowed?: unknown; expiresAt?: unknown } | null | undefined> | null | undefined;
  for (const key of ["store", "contact"] as const) {
    const entry = dp?.[key];
    if (!entry) continue;
    if (entry.allowed === false) return `${key} not allowed`;
    const expires = typeof entry.expiresAt === "number" ? entry.expiresAt : typeof entry.expiresAt === "string" ? Date.parse(entry.expiresAt) : NaN;
    if (Number.isFinite(expires) && expires < now) return `${key} permission expired`;
  }
  return undefined;
}

function postingIdsOf(opportunity: LeverOpportunity): string[] {
  const apps = (opportunity.applications ?? []) as unknown[];
  const ids: string[] = [];
  for (const a of apps) {
    if (typeof a === "object" && a && "posting" in a) {
      const p = (a as { posting?: unknown }).posting;
      if (typeof p === "string") ids.push(p);
      else if (p && typeof p === "object" && "id" in p) ids.push(String((p as { id: unknown }).id));
    }
  }
  return ids;
}

/**
 * Lever's own parse fills in when ours found no dated positions (a scan read badly, an odd
 * template): its `parsedData.positions` become the profile's positions.
 */
export function withLeverParsedData(parsed: ParsedResume, resume: Pick<LeverResume, "parsedData">): ParsedResume {
  let out = parsed;
  const schools = resume.parsedData?.schools ?? [];
  if (parsed.profile.education.length === 0 && schools.length > 0) {
    const education = schools
      .filter((s) => s?.org || s?.degree)
      .map((s) => ({ school: s.org ?? "", ...(s.degree ? { degree: s.degree, degreeText: s.degree } : {}), ...(s.field ? { field: s.field } : {}) }));
    out = { ...out, profile: { ...out.profile, education }, flags: [...out.flags, "lever-parsed-schools"] };
  }
  const positions = resume.parsedData?.positions ?? [];
  if (out.profile.positions.length > 0 || positions.length === 0) return out;
  parsed = out;
  const mapped = positions
    .filter((p) => p?.start?.year)
    .map((p) => {
      const start = { year: Number(p.start!.year), month: Number(p.start!.month ?? 1) };
      const end = p.end?.year ? { year: Number(p.end.year), month: Number(p.end.month ?? 12) } : null;
      return {
        org: p.org ?? "",
        title: p.title ?? "",
        start,
        end,
        current: end === null,
        details: p.summary ? [p.summary] : [],
        dateLine: [p.title, p.org].filter(Boolean).join(", "),
      };
    });
  return { ...parsed, profile: { ...parsed.profile, positions: mapped }, flags: [...parsed.flags, "lever-parsed-positions"] };
}

export interface IndexOutcome {
  opportunityId: string;
  outcome: "indexed" | "unchanged" | "excluded" | "no-resume" | "unreadable";
  detail?: string;
}

/**
 * Brings one opportunity's entry in the index up to date: fetches its newest resume through the
 * API (never the web-app download URL), parses it unless the file is unchanged, and stores the
 * scrubbed profile — or forgets the candidate when data protection says so. Call it on
 * `candidateArchiveChange`, `candidateStageChange` and `applicationCreated` webhooks.
 */
export async function indexOpportunity(
  db: Queryable,
  lever: Pick<LeverClient, "getOpportunity" | "listResumes" | "downloadResume">,
  connectionId: string,
  opportunityOrId: string | LeverOpportunity,
  options: {
    asOf?: YearMonth /** Also embeds the profile when it is new or changed (a failure leaves it for the next refresh). */;
    embedder?: Embedder | undefined;
  } = {},
): Promise<IndexOutcome> {
  const opportunity = typeof opportunityOrId === "string" ? await lever.getOpportunity(opportunityOrId, { expand: ["applications"] }) : opportunityOrId;
  const id = opportunity.id;
  const block = dataProtectionBlock(opportunity);
  if (block) {
    await forgetOpportunity(db, connectionId, id);
    return { opportunityId: id, outcome: "excluded", detail: block };
  }
  const resumes: LeverResume[] = [];
  for await (const r of lever.listResumes(id)) resumes.push(r);
  const latest = newestResumeWithFile(resumes);
  if (!latest) return { opportunityId: id, outcome: "no-resume" };
  const archived = Boolean(opportunity.archived);
  const postingIds = postingIdsOf(opportunity);
  // Lever gives a new upload a new resume id: the same id already indexed means the same file, so
  // a stage or archive change costs no download.
  const known = await indexedResume(db, connectionId, id);
  if (known?.resumeId === latest.id && known.sha256) {
    await updateProfileState(db, connectionId, id, { archived, postingIds });
    return { opportunityId: id, outcome: "unchanged", ...(await embedOne(db, options.embedder, connectionId, id)) };
  }
  let file: Awaited<ReturnType<typeof lever.downloadResume>>;
  try {
    file = await lever.downloadResume(id, latest.id);
  } catch (error) {
    // Lever answers 422 for a file it could not process: nothing to read, nothing to retry.
    if (isUnprocessableFile(error)) return { opportunityId: id, outcome: "unreadable", detail: "Lever could not process the file (422)" };
    throw error;
  }
  const sha = createHash("sha256").update(file.bytes).digest("hex");
  if (known?.sha256 === sha) {
    await updateProfileState(db, connectionId, id, { archived, postingIds });
    return { opportunityId: id, outcome: "unchanged", ...(await embedOne(db, options.embedder, connectionId, id)) };
  }
  const parsed = withLeverParsedData(
    await parseResume(file.bytes, {
      filename: file.filename ?? latest.file?.name ?? "",
      mime: file.contentType ?? "",
      ...(options.asOf ? { asOf: options.asOf } : {}),
    }),
    latest,
  );
  if (parsed.status !== "parsed" && parsed.status !== "partial")
    return { opportunityId: id, outcome: "unreadable", detail: `${parsed.status}: ${parsed.message ?? ""}` };
  await upsertProfile(db, {
    connectionId,
    opportunityId: id,
    contactId: typeof opportunity.contact === "string" ? opportunity.contact : undefined,
    resumeId: latest.id,
    fileSha256: sha,
    archived,
    postingIds,
    parsed,
  });
  return { opportunityId: id, outcome: "indexed", ...(await embedOne(db, options.embedder, connectionId, id)) };
}

/** Embeds one profile if needed; a provider failure becomes a detail, never a failed indexing. */
async function embedOne(db: Queryable, embedder: Embedder | undefined, connectionId: string, opportunityId: string): Promise<{ detail?: string }> {
  if (!embedder) return {};
  try {
    await refreshProfileEmbeddings(db, embedder, connectionId, { opportunityIds: [opportunityId] });
    return {};
  } catch (error) {
    return { detail: `not embedded (retried on the next refresh): ${String((error as Error).message).slice(0, 200)}` };
  }
}

export interface BackfillReport {
  seen: number;
  indexed: number;
  unchanged: number;
  excluded: number;
  noResume: number;
  unreadable: number;
  failed: { opportunityId: string; error: string }[];
  /** Profiles embedded after the run, or why not ("no embedding provider is configured"). */
  embeddings: { model: string; embedded: number; unchanged: number } | { skipped: string };
}

/** Indexes every opportunity updated since `since` (a full run when omitted), one at a time. */
export async function backfillProfiles(
  db: Queryable,
  lever: Pick<LeverClient, "listOpportunities" | "getOpportunity" | "listResumes" | "downloadResume">,
  connectionId: string,
  options: {
    since?: Date;
    asOf?: YearMonth;
    onProgress?: (o: IndexOutcome) => void;
    /** Needs a key with confidential access. */
    includeConfidential?: boolean;
    /** Embeds new and changed profiles in batches after the run. */
    embedder?: Embedder | undefined;
    /** Why there is no embedder, for the report. */
    embedderUnavailable?: string | undefined;
  } = {},
): Promise<BackfillReport> {
  const report: BackfillReport = {
    seen: 0,
    indexed: 0,
    unchanged: 0,
    excluded: 0,
    noResume: 0,
    unreadable: 0,
    failed: [],
    embeddings: { skipped: options.embedderUnavailable ?? "no embedding provider is configured" },
  };
  const filters: Record<string, string | number> = { expand: "applications" };
  if (options.since) filters.updated_at_start = options.since.getTime();
  // Lever lists only non-confidential opportunities unless asked (and the key is allowed).
  if (options.includeConfidential) filters.confidentiality = "all";
  for await (const opportunity of lever.listOpportunities(filters)) {
    report.seen++;
    try {
      const o = await indexOpportunity(db, lever, connectionId, opportunity, options.asOf ? { asOf: options.asOf } : {});
      options.onProgress?.(o);
      if (o.outcome === "indexed") report.indexed++;
      else if (o.outcome === "unchanged") report.unchanged++;
      else if (o.outcome === "excluded") report.excluded++;
      else if (o.outcome === "no-resume") report.noResume++;
      else report.unreadable++;
    } catch (error) {
      // One bad candidate never stops the run; the report lists it.
      report.failed.push({ opportunityId: opportunity.id, error: (error as Error).message });
    }
  }
  if (options.embedder) {
    try {
      report.embeddings = await refreshProfileEmbeddings(db, options.embedder, connectionId);
    } catch (error) {
      // The index itself is complete; vectors stored so far stay and the next run continues.
      report.embeddings = { skipped: `embedding failed: ${String((error as Error).message).slice(0, 200)}` };
    }
  }
  return report;
}

/** A proposal for the workflow engine: tag a rediscovered candidate and leave a note for outreach. */
export interface RediscoveryProposal {
  kind: "rediscovery";
  postingId: string;
  opportunityId: string;
  /** The code's rubric score (semantic similarity only changes the order, never this number). */
  score: number;
  tier: ScoreResult["tier"];
  confidence: number;
  reasons: string[];
  matchedSkills: string[];
  /** Cosine similarity of profile and posting embeddings, when semantic matching was on. */
  semanticMatch?: number;
  actions: ({ type: "addTags"; tags: string[] } | { type: "addNote"; value: string })[];
}

/** Whether semantic matching took part in a rediscovery run, and why not when it did not. */
export interface SemanticStatus {
  used: boolean;
  model?: string;
  /** Why it was off: no embedder, the posting could not be embedded, or no profile has an embedding yet. */
  reason?: string;
}

/** How much semantic similarity weighs in the order, beside the rubric score (0..1). */
export const SEMANTIC_WEIGHT = 0.25;
/** Similarity from which "similar background" is given as a reason. */
export const SEMANTIC_REASON_MIN = 0.5;

export interface RediscoverInput {
  connectionId: string;
  posting: PostingInput;
  rubric?: Rubric;
  limit?: number;
  archivedOnly?: boolean;
  asOf?: YearMonth;
  /**
   * The configured provider's embedder (`createEmbedder` from the AI layer). When given and the
   * profiles have embeddings (`refreshProfileEmbeddings`), semantic similarity joins the ranking.
   */
  embedder?: Embedder | undefined;
  /** Why there is no embedder (passed on into the status), e.g. from `createEmbedder`. */
  embedderUnavailable?: string | undefined;
}

/**
 * The best past candidates for a posting, with reasons. Search narrows by skills overlap and full
 * text (and, with an embedder, the closest profiles by embedding); each candidate is then scored
 * by code against the posting's rubric from their stored profile, and the top `limit` with at
 * least a "possible" tier are proposed. With semantic matching on, the order blends the score with
 * the similarity (`SEMANTIC_WEIGHT`); without it the order is the score alone.
 */
export async function rediscover(db: Queryable, input: RediscoverInput): Promise<RediscoveryProposal[]> {
  return (await rediscoverWithStatus(db, input)).proposals;
}

/** `rediscover`, also saying whether semantic matching was used (for the CLI and console to show). */
export async function rediscoverWithStatus(db: Queryable, input: RediscoverInput): Promise<{ proposals: RediscoveryProposal[]; semantic: SemanticStatus }> {
  const rubric = input.rubric ?? extractRequirements(input.posting);
  const limit = input.limit ?? 10;
  const archivedOnly = input.archivedOnly ?? true;
  const skills = [...new Set(rubric.criteria.flatMap((c) => c.skills ?? []))];
  const terms = [input.posting.text ?? "", ...rubric.criteria.flatMap((c) => c.keywords ?? [])];

  let semantic: SemanticStatus = { used: false, reason: input.embedderUnavailable ?? "no embedding provider is configured" };
  const similarity = new Map<string, number>();
  if (input.embedder) {
    const model = input.embedder.model;
    try {
      const [vector] = await input.embedder.embed([postingEmbeddingText(input.posting)]);
      if (!vector || vector.length === 0) throw new Error("the model returned no vector");
      const close = await similarProfiles(db, {
        connectionId: input.connectionId,
        model,
        vector,
        excludePostingId: input.posting.id,
        archivedOnly,
        limit: limit * 5,
      });
      for (const c of close) similarity.set(c.opportunityId, c.similarity);
      semantic = close.length > 0 ? { used: true, model } : { used: false, model, reason: `no indexed profile has an embedding from "${model}" yet` };
    } catch (error) {
      // Rediscovery still works on skills and full text when the provider is down.
      semantic = { used: false, model, reason: `the posting could not be embedded: ${String((error as Error).message).slice(0, 200)}` };
    }
  }

  const candidates = await searchProfiles(db, {
    connectionId: input.connectionId,
    skills,
    terms,
    excludePostingId: input.posting.id,
    archivedOnly,
    limit: limit * 5,
    alsoIds: [...similarity.keys()],
  });
  const scored = candidates.map((c) => {
    const result = scoreResume(c.view, rubric, input.asOf ? { asOf: input.asOf } : {});
    const sim = similarity.get(c.opportunityId);
    const rank = semantic.used ? (1 - SEMANTIC_WEIGHT) * result.score + SEMANTIC_WEIGHT * 100 * Math.max(0, sim ?? 0) : result.score;
    return { c, result, sim, rank };
  });
  scored.sort((a, b) => b.rank - a.rank || b.result.score - a.result.score || b.c.overlap - a.c.overlap || a.c.opportunityId.localeCompare(b.c.opportunityId));
  const proposals = scored
    .filter((s) => s.result.tier !== "weak")
    .slice(0, limit)
    .map(({ c, result, sim }) =>
      rediscoveryProposal(input.posting, { opportunityId: c.opportunityId, skills: c.skills }, result, rubric, semantic.used ? sim : undefined),
    );
  return { proposals, semantic };
}

/**
 * Rediscovery for a posting by id, as the CLI, the API and the workflow step run it: the posting
 * with its content, scored by the team's approved rubric override when there is one (else the
 * requirements read from the posting), then `rediscoverWithStatus`.
 */
export async function rediscoverForPosting(
  db: Queryable,
  input: Omit<RediscoverInput, "posting" | "rubric"> & { postingId: string; getPosting(id: string): Promise<PostingInput> },
): Promise<{ posting: PostingInput; rubric: Rubric; proposals: RediscoveryProposal[]; semantic: SemanticStatus }> {
  const { postingId, getPosting, ...rest } = input;
  const posting = await getPosting(postingId);
  const rubric = (await activeRubric(db, input.connectionId, posting.id)) ?? extractRequirements(posting);
  const { proposals, semantic } = await rediscoverWithStatus(db, { ...rest, posting, rubric });
  return { posting, rubric, proposals, semantic };
}

/**
 * One candidate's proposal for a posting: the reasons (criteria met or partly met, with a quote),
 * what is missing, the tag and the outreach note. `similarity` is given when semantic matching ran.
 */
export function rediscoveryProposal(
  posting: PostingInput,
  candidate: { opportunityId: string; skills: readonly string[] },
  result: ScoreResult,
  rubric: Rubric,
  similarity?: number,
): RediscoveryProposal {
  const shown = result.criteria.filter((k) => k.status !== "missing");
  const reasons = shown.map(
    (k) => `${k.status === "met" ? "Meets" : "Partly meets"} "${k.label}": ${k.reason}${k.quotes[0] ? ` ("${k.quotes[0].slice(0, 120)}")` : ""}`,
  );
  if (similarity !== undefined && similarity >= SEMANTIC_REASON_MIN) reasons.push(`Similar background (semantic match ${similarity.toFixed(2)})`);
  if (result.missingMustHaves.length) reasons.push(`Missing: ${result.missingMustHaves.join("; ")}`);
  const wanted = [...new Set(rubric.criteria.flatMap((k) => k.skills ?? []))];
  const have = new Set(candidate.skills.map((x) => x.toLowerCase()));
  const matchedSkills = wanted.filter((x) => have.has(x.toLowerCase()));
  const title = posting.text ?? posting.id;
  return {
    kind: "rediscovery",
    postingId: posting.id,
    opportunityId: candidate.opportunityId,
    score: result.score,
    tier: result.tier,
    confidence: result.confidence,
    reasons,
    matchedSkills,
    ...(similarity !== undefined ? { semanticMatch: Math.round(similarity * 1000) / 1000 } : {}),
    actions: [
      { type: "addTags", tags: [`rediscovered: ${title}`.slice(0, 100)] },
      {
        type: "addNote",
        value: `Possible fit for ${title} (score ${result.score}, ${result.tier}, computed from the resume on file):\n${reasons.map((r) => `- ${r}`).join("\n")}`,
      },
    ],
  };
}

/**
 * Keeps the index current from one Lever webhook: a deleted candidate is forgotten (profile and
 * scores), an archive change, stage change, hire or new application re-indexes the opportunity.
 * Other events are ignored. The engine calls this for every Lever event it processes.
 */
export async function updateIndexFromWebhook(
  db: Queryable,
  lever: Pick<LeverClient, "getOpportunity" | "listResumes" | "downloadResume">,
  connectionId: string,
  event: { event: string; data: { opportunityId?: string | null | undefined } },
  options: { asOf?: YearMonth; embedder?: Embedder | undefined } = {},
): Promise<IndexOutcome | { opportunityId: string; outcome: "forgotten" } | undefined> {
  const opportunityId = event.data.opportunityId;
  if (!opportunityId) return undefined;
  if (event.event === "candidateDeleted") {
    await forgetOpportunity(db, connectionId, opportunityId);
    return { opportunityId, outcome: "forgotten" };
  }
  if (["candidateArchiveChange", "candidateStageChange", "candidateHired", "applicationCreated"].includes(event.event)) {
    return indexOpportunity(db, lever, connectionId, opportunityId, options);
  }
  return undefined;
}
