/**
 * The score: 0–100, computed by code from per-criterion evidence and the rubric's weights. Met
 * counts fully, partly met half, missing nothing. A missing must-have caps the score below the
 * "strong" band; a failed knock-out caps it near zero. Confidence falls with weak parsing, short
 * or ambiguous resumes, dropped quotes, hidden text and injection attempts.
 */
import { tierOf, type ScoreTier } from "../ai/index.ts";
import { findEvidenceLocally, verifyProposedEvidence, type CriterionEvidence, type KnockoutAnswer, type ProposedEvidence } from "./evidence.ts";
import type { ParsedResume } from "./parse-resume.ts";
import type { YearMonth } from "./profile/dates.ts";
import { rubricHash, type Rubric } from "./rubric.ts";
import { toScoringView, type ScoringView } from "./scoring-view.ts";

export interface ScoredCriterion extends CriterionEvidence {
  label: string;
  kind: string;
  must: boolean;
  weight: number;
}

export interface ScoreResult {
  score: number;
  /** `strong` ≥ 75, `possible` 50–74, `weak` < 50. */
  tier: ScoreTier;
  criteria: ScoredCriterion[];
  missingMustHaves: string[];
  confidence: number;
  confidenceReasons: string[];
  /** `hidden-text`, `prompt-injection`, `knockout-failed`, `unverified-quotes`, … for the proposal. */
  flags: string[];
  engine: "local" | "model";
  rubricHash: string;
}

export interface ScoreOptions {
  /** Evidence proposed by a model; verified and merged with the local engine's. */
  evidence?: ProposedEvidence[];
  /**
   * Quotes the evidence's source already rejected as not in the resume (the AI layer's check).
   * They are never evidence; they count with the quotes dropped here, lowering the confidence.
   */
  rejectedQuotes?: number;
  answers?: KnockoutAnswer[];
  asOf?: YearMonth;
}

const VALUE = { met: 1, partly: 0.5, missing: 0 } as const;
export const MUST_HAVE_CAP = 60;
export const KNOCKOUT_CAP = 10;

function isView(input: ParsedResume | ScoringView): input is ScoringView {
  return "parse" in input && "positions" in input;
}

/**
 * Scores a resume against a rubric. Takes a parsed resume (or its scoring view) — the scorer only
 * ever reads the view, which carries no name, pronouns, contact details, age proxies or address.
 *
 * @example
 * const result = scoreResume(await parseResume(bytes), extractRequirements(posting));
 * result.score; // 0..100
 */
export function scoreResume(input: ParsedResume | ScoringView, rubric: Rubric, options: ScoreOptions = {}): ScoreResult {
  const view = isView(input) ? input : toScoringView(input);
  const local = findEvidenceLocally(view, rubric, {
    ...(options.asOf ? { asOf: options.asOf } : {}),
    ...(options.answers ? { answers: options.answers } : {}),
  });
  let evidence = local;
  let droppedQuotes = 0;
  const flags: string[] = [];
  if (options.evidence) {
    const merged = verifyProposedEvidence(options.evidence, local, view, rubric);
    evidence = merged.evidence;
    droppedQuotes = merged.droppedQuotes + (options.rejectedQuotes ?? 0);
    if (droppedQuotes > 0) flags.push("unverified-quotes");
  }
  const criteria: ScoredCriterion[] = [];
  let total = 0;
  let got = 0;
  const missingMustHaves: string[] = [];
  let knockoutFailed = false;
  for (const [i, c] of rubric.criteria.entries()) {
    const e = evidence[i]!;
    // An unanswered knock-out (scoring from a file, without an application) neither helps nor hurts.
    const unanswered = c.kind === "knockout" && e.reason === "unanswered";
    criteria.push({ ...e, label: c.label, kind: c.kind, must: c.must, weight: unanswered ? 0 : c.weight });
    if (unanswered) {
      flags.push("knockout-unanswered");
      continue;
    }
    total += c.weight;
    got += c.weight * VALUE[e.status];
    if (c.must && e.status === "missing") {
      missingMustHaves.push(c.label);
      if (c.kind === "knockout") knockoutFailed = true;
    }
  }
  let score = total > 0 ? Math.round((got / total) * 100) : 0;
  if (missingMustHaves.length > 0) score = Math.min(score, MUST_HAVE_CAP - 1);
  if (knockoutFailed) {
    score = Math.min(score, KNOCKOUT_CAP);
    flags.push("knockout-failed");
  }
  const reasons: string[] = [];
  let confidence = 1;
  const lower = (by: number, why: string) => {
    confidence -= by;
    reasons.push(why);
  };
  if (view.parse.status === "partial") lower(0.2, "the file was only partly read");
  if (view.parse.ocr) lower(0.2, "text came from OCR");
  if (view.parse.words < 120) lower(0.25, "the resume is very short");
  if (view.positions.length === 0) lower(0.2, "no dated work history was found");
  if (view.parse.hiddenText) {
    lower(0.1, "the file holds hidden text");
    flags.push("hidden-text");
  }
  if (view.parse.injection) {
    lower(0.1, "the file holds instructions aimed at an AI reviewer");
    flags.push("prompt-injection");
  }
  if (droppedQuotes > 0) lower(Math.min(0.2, droppedQuotes * 0.05), `${droppedQuotes} proposed quote(s) were not found in the resume`);
  confidence = Math.max(0.1, Math.round(confidence * 100) / 100);
  return {
    score,
    tier: tierOf(score),
    criteria,
    missingMustHaves,
    confidence,
    confidenceReasons: reasons,
    flags: [...new Set(flags)],
    engine: options.evidence ? "model" : "local",
    rubricHash: rubricHash(rubric),
  };
}

export type { ScoringView };

/**
 * Scores with evidence from a provider (a model): the provider sees the scrubbed visible text —
 * flagged instructions included, as a reader would see them — and proposes quotes; code verifies
 * them against the text without the instructions and computes the score. When the provider
 * fails, the local engine's evidence is used and the result says so.
 */
export async function scoreResumeWithProvider(
  parsed: ParsedResume,
  rubric: Rubric,
  provider: (input: { rubric: Rubric; text: string }) => Promise<ProposedEvidence[]>,
  options: Omit<ScoreOptions, "evidence"> = {},
): Promise<ScoreResult> {
  const view = toScoringView(parsed);
  const text = [view.text, ...parsed.visibleInjections].join("\n");
  try {
    const evidence = await provider({ rubric, text });
    return scoreResume(view, rubric, { ...options, evidence });
  } catch (error) {
    const result = scoreResume(view, rubric, options);
    return {
      ...result,
      flags: [...result.flags, "model-failed"],
      confidenceReasons: [...result.confidenceReasons, `the model failed (${(error as Error).message}); local evidence used`],
    };
  }
}
