/**
 * The screening of one application, whoever asks for it (the engine's `screening.screen` step is a
 * thin adapter around it). The resume is parsed by the screening module, the requirements come from
 * the posting (or the team's approved override), the model (or the local engine) proposes evidence
 * quotes, and the screening code verifies them and computes the score. The model never gives a
 * number, and text found in the resume is never an instruction. Nothing is written to Lever here:
 * the note, tags and recommendation are proposals.
 */
import type { ResumeEvidenceOutput } from "../ai/index.ts";
import type { LeverOpportunity } from "../lever/index.ts";
import type { Queryable } from "../store/index.ts";
import { answersFromCustomQuestions, type ProposedEvidence } from "./evidence.ts";
import { evidenceFromStepOutput, stepCriteria, type StepCriterion } from "./model-evidence.ts";
import type { ParsedResume } from "./parse-resume.ts";
import type { YearMonth } from "./profile/dates.ts";
import { recommend, type RecommendationBars } from "./recommendation.ts";
import { dataProtectionBlock } from "./rediscovery.ts";
import { extractRequirements, type PostingInput } from "./requirements.ts";
import type { Rubric } from "./rubric.ts";
import { scoreResume } from "./score.ts";
import { activeRubric, recordScore, saveRubricVersion, upsertProfile } from "./store.ts";

/** The parts of a Lever opportunity the screening reads. */
export type ScreeningOpportunity = Pick<LeverOpportunity, "id"> &
  Partial<Pick<LeverOpportunity, "applications" | "contact" | "archived" | "dataProtection" | "isAnonymized">>;

/** The candidate's newest resume as the engine fetched it; `parsed` is the screening parser's result. */
export interface ScreeningResume {
  id: string;
  filename: string;
  /** The reader's status (`parsed`, `partial`, …), or `unprocessable` when Lever could not process the file. */
  status: string;
  sha256?: string | undefined;
  parsed?: ParsedResume | undefined;
}

/** Runs the AI layer's `resume-evidence` step (a model, or its local engine), which validated and shaped its output. */
export type ResumeEvidenceRunner = (input: {
  rubric: { criteria: StepCriterion[] };
  resumeText: string;
}) => Promise<{ output: ResumeEvidenceOutput; meta: Record<string, unknown> }>;

export interface ScreenApplicationInput {
  db: Queryable;
  connectionId: string;
  posting: PostingInput | undefined;
  opportunity: ScreeningOpportunity | undefined;
  resume: ScreeningResume | null | undefined;
  /** Gathers evidence with a model; without it the local engine decides alone. */
  evidence?: ResumeEvidenceRunner | undefined;
  bars?: RecommendationBars | undefined;
  /** Record nothing: no rubric version, no score, no profile. */
  dryRun?: boolean | undefined;
  /** The month years of experience are counted up to (default: this month). */
  asOf?: YearMonth | undefined;
}

/** A posting that yields no requirements: a score against its title alone would mean nothing. */
export class NoRequirementsError extends Error {
  override readonly name = "NoRequirementsError";
}

const MARK = { met: "✓", partly: "~", missing: "✗" } as const;

/**
 * Screens the candidate against the posting and recommends advance, hold or reject (`review` when
 * it cannot score): `bars.advanceAt` (default 75) is the bar for advancing, `bars.rejectBelow`
 * (default 40) the score under which it recommends rejecting. Throws `NoRequirementsError` when
 * the posting has nothing to screen against.
 */
export async function screenApplication(input: ScreenApplicationInput): Promise<Record<string, unknown>> {
  const { db, connectionId, posting, resume, dryRun = false } = input;
  const parsed = resume?.parsed;
  if (!posting) {
    return review("The application has no posting to screen against.", ["no-posting"]);
  }
  // The team's approved override wins; otherwise the requirements are read from the posting. A
  // posting that yields none (no content, or no requirement list and no skills in its description)
  // fails the step: a score against the title alone would look like a screening and mean nothing.
  const postingId = String(posting.id);
  let rubric: (Rubric & { version?: number }) | undefined = await activeRubric(db, connectionId, postingId);
  const extracted = rubric ? undefined : extractRequirements(posting);
  if (extracted && titleOnly(extracted, posting)) {
    throw new NoRequirementsError(
      `posting ${postingId}${posting.text ? ` ("${String(posting.text).slice(0, 80)}")` : ""} has no requirements to screen against: ` +
        (posting.content ? "its content has no requirement list and its description names no skills" : "Lever returned it without content") +
        ". Add requirements to the posting in Lever, or approve a rubric for it in Fulcrum, then replay the run.",
    );
  }
  if (!resume || !parsed || !["parsed", "partial"].includes(parsed.status)) {
    const why = !resume
      ? "The candidate has no resume."
      : resume.status === "unprocessable"
        ? `Lever could not process the resume file ${resume.filename}, so it cannot be downloaded.`
        : `The resume could not be read (${resume.status}).`;
    return review(why, [!resume ? "no-resume" : `resume-${resume.status}`]);
  }
  // Text read but not understood (no positions, no skills) is not a weak candidate: a person reads it.
  if (parsed.status === "partial" && parsed.profile.positions.length === 0 && parsed.profile.skills.length === 0) {
    return review(`Resume ${resume.filename}: ${parsed.message ?? "no positions or skills were found."}`, ["resume-unreadable-layout"]);
  }
  // Requirements read from the posting are saved once as a version the team can review and
  // approve (a dry run saves nothing).
  if (!rubric) {
    rubric = extracted!;
    if (!dryRun) rubric = { ...rubric, version: await saveRubricVersion(db, connectionId, rubric, "fulcrum") };
  }
  let evidence: ProposedEvidence[] | undefined;
  let rejectedQuotes = 0;
  let meta: Record<string, unknown> = { engine: "local", prompt: null, model: null };
  const criteria = stepCriteria(rubric);
  if (input.evidence && criteria.length > 0) {
    const r = await input.evidence({ rubric: { criteria }, resumeText: parsed.text });
    // Quotes the AI layer could not find in the resume never reach the scorer as evidence; only
    // their count does, so made-up evidence lowers the confidence and is flagged in the proposal.
    ({ evidence, rejectedQuotes } = evidenceFromStepOutput(r.output));
    meta = { ...r.meta };
  }
  const opportunity = input.opportunity;
  const app = opportunity?.applications?.[0];
  const answers = answersFromCustomQuestions(typeof app === "object" ? app.customQuestions : undefined);
  const result = scoreResume(parsed, rubric, { ...(evidence ? { evidence, rejectedQuotes } : {}), answers, ...(input.asOf ? { asOf: input.asOf } : {}) });
  const flags = [...new Set([...result.flags, ...parsed.flags.filter((f) => f === "hidden-text" || f === "prompt-injection")])];
  const opportunityId = opportunity?.id ? String(opportunity.id) : undefined;
  if (!dryRun && opportunity && opportunityId) {
    // Scores per posting feed fairness monitoring; the profile joins the rediscovery index unless
    // the candidate's data-protection settings forbid storing or contacting them.
    await recordScore(db, { connectionId, postingId, opportunityId, result });
    if (!dataProtectionBlock(opportunity)) {
      await upsertProfile(db, {
        connectionId,
        opportunityId,
        contactId: typeof opportunity.contact === "string" ? opportunity.contact : undefined,
        resumeId: resume.id,
        fileSha256: resume.sha256,
        archived: Boolean(opportunity.archived),
        postingIds: [postingId],
        parsed,
      });
    }
  }
  const reasons = result.criteria.map((c) => `${MARK[c.status]} ${c.label}${c.must ? " (must-have)" : ""}: ${c.reason}`);
  // Advance, hold or reject (see recommendation.ts); archiving on a reject still waits for a person.
  const { recommendation, why } = recommend(result, input.bars);
  const lines = [
    `Fulcrum screening: ${result.score}/100 (${result.tier}) for ${posting.text ?? "this posting"}`,
    `Recommendation: ${recommendation} (${why}).`,
    `Confidence ${Math.round(result.confidence * 100)}%${result.confidenceReasons.length ? ` (${result.confidenceReasons.join("; ")})` : ""}.`,
    "",
    ...result.criteria.map((c) => {
      const quote = c.quotes[0] ? ` — "${c.quotes[0].slice(0, 160)}"` : "";
      return `${MARK[c.status]} ${c.label}${c.must ? " (must-have)" : ""}${quote}`;
    }),
    ...(result.missingMustHaves.length ? ["", `Missing must-haves: ${result.missingMustHaves.join("; ")}`] : []),
    ...(flags.length ? ["", `Flags for review: ${flags.join(", ")}`] : []),
    "",
    `Evidence from the ${meta.engine === "model" ? `model ${String(meta.model ?? "")}` : "local engine"}; scored by Fulcrum's code (rubric ${result.rubricHash.slice(0, 8)}).`,
  ];
  return {
    score: result.score,
    tier: result.tier,
    confidence: result.confidence,
    recommendation,
    recommendationReason: why,
    promptVersion: promptVersionOf(meta),
    missingMustHaves: result.missingMustHaves,
    reasons,
    evidence: result.criteria.filter((c) => c.quotes.length > 0).map((c) => ({ criterion: c.label, status: c.status, quotes: c.quotes.slice(0, 3) })),
    flags,
    tags: [`fulcrum-screen-${result.tier}`, `fulcrum-recommend-${recommendation}`, ...(flags.length ? ["fulcrum-review"] : [])],
    note: lines.join("\n"),
    rubricHash: result.rubricHash,
    rubricVersion: rubric.version ?? null,
    rubricSource: rubric.source,
    meta,
  };

  function review(why: string, reviewFlags: string[]) {
    return {
      score: null,
      tier: "unscored",
      confidence: 0,
      recommendation: "review",
      recommendationReason: why,
      promptVersion: null,
      missingMustHaves: [],
      reasons: [why],
      evidence: [],
      flags: reviewFlags,
      tags: ["fulcrum-review"],
      note: `Fulcrum screening: not scored. ${why} A person should review this application.`,
      meta: { engine: "local" },
    };
  }
}

/** `name@version` of the prompt that gathered the evidence, or `local engine` when none did. */
function promptVersionOf(meta: Record<string, unknown>): string {
  return typeof meta.prompt === "string" && meta.prompt !== "" ? meta.prompt : "local engine";
}

/** True when `extractRequirements` found nothing and fell back to the posting's title as the only criterion. */
function titleOnly(rubric: Rubric, posting: PostingInput): boolean {
  const [only, ...rest] = rubric.criteria;
  return rest.length === 0 && !!only && only.kind === "text" && only.label === (posting.text ?? "the role");
}
