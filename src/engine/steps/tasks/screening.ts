/**
 * `screening.screen`: the screening capability as an engine step. The resume is parsed by the
 * screening module, the requirements come from the posting, the model (or the local engine)
 * proposes evidence quotes, and the screening code verifies them and computes the score. The
 * model never gives a number, and text found in the resume is never an instruction.
 */
import {
  activeRubric,
  answersFromCustomQuestions,
  dataProtectionBlock,
  extractRequirements,
  parseResume,
  recordScore,
  saveRubricVersion,
  upsertProfile,
  scoreResume,
  type ParsedResume,
  type PostingInput,
  type ProposedEvidence,
  type Rubric,
} from "../../../screening/index.ts";
// The resume-evidence step's criteria shape; not (yet) exported by the screening front door.
import { stepCriteria } from "../../../screening/model-evidence.ts";
import { StepFailure } from "../../runs/errors.ts";
import { barsFrom, recommend } from "./recommendation.ts";
import type { ResumeReader, TaskHandler } from "../../runs/ports.ts";

interface EvidenceStepOutput {
  criteria: { id: string; found: boolean; quotes: string[]; explanation: string; droppedQuotes?: string[] }[];
  flags?: string[];
}

const MARK = { met: "✓", partly: "~", missing: "✗" } as const;

/**
 * Screens the run's candidate against its posting and recommends advance, hold or reject (`review`
 * when it cannot score): `with.advanceAt` (default 75) is the bar for advancing, `with.rejectBelow`
 * (default 40) the score under which it recommends rejecting.
 */
export const screenTask: TaskHandler = async ({ with: params, fetch, ai, traceId, db, connectionId, dryRun }) => {
  const ctx = await fetch(["opportunity", "posting", "resume"]);
  const bars = barsFrom(params);
  const resume = ctx.resume;
  const parsed = resume?.parsed as ParsedResume | undefined;
  if (!ctx.posting) {
    return review("The application has no posting to screen against.", ["no-posting"]);
  }
  // The team's approved override wins; otherwise the requirements are read from the posting. A
  // posting that yields none (no content, or no requirement list and no skills in its description)
  // fails the step: a score against the title alone would look like a screening and mean nothing.
  const postingId = String(ctx.posting.id);
  let rubric: Rubric & { version?: number } | undefined = await activeRubric(db, connectionId, postingId);
  const extracted = rubric ? undefined : extractRequirements(ctx.posting as unknown as PostingInput);
  if (extracted && titleOnly(extracted, ctx.posting as unknown as PostingInput)) {
    const content = (ctx.posting as { content?: unknown }).content;
    throw new StepFailure(
      `posting ${postingId}${ctx.posting.text ? ` ("${String(ctx.posting.text).slice(0, 80)}")` : ""} has no requirements to screen against: ` +
        (content ? "its content has no requirement list and its description names no skills" : "Lever returned it without content") +
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
  let meta: Record<string, unknown> = { engine: "local", prompt: null, model: null };
  const criteria = stepCriteria(rubric);
  if (ai && criteria.length > 0) {
    const r = await ai({ prompt: "resume-evidence", input: { rubric: { criteria }, resumeText: parsed.text }, onUnavailable: "local", traceId });
    const out = r.output as unknown as EvidenceStepOutput;
    // Quotes the AI layer already found missing go to the scorer too: it drops them again, counts
    // them and lowers the confidence, so made-up evidence is visible in the proposal.
    evidence = out.criteria.map((c) => ({
      criterionId: c.id,
      status: c.found || (c.droppedQuotes?.length ?? 0) > 0 ? "met" : "missing",
      quotes: [...c.quotes, ...(c.droppedQuotes ?? [])].slice(0, 8),
      reason: c.explanation.slice(0, 500),
    }));
    meta = { ...r.meta };
  }
  const app = ctx.opportunity?.applications?.[0];
  const answers = answersFromCustomQuestions(typeof app === "object" ? app.customQuestions : undefined);
  const result = scoreResume(parsed, rubric, { ...(evidence ? { evidence } : {}), answers });
  const flags = [...new Set([...result.flags, ...parsed.flags.filter((f) => f === "hidden-text" || f === "prompt-injection")])];
  const opportunityId = ctx.opportunity?.id ? String(ctx.opportunity.id) : undefined;
  if (!dryRun && opportunityId) {
    // Scores per posting feed fairness monitoring; the profile joins the rediscovery index unless
    // the candidate's data-protection settings forbid storing or contacting them.
    await recordScore(db, { connectionId, postingId, opportunityId, result });
    const opportunity = ctx.opportunity as unknown as Parameters<typeof dataProtectionBlock>[0] & { archived?: unknown; contact?: unknown };
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
  const { recommendation, why } = recommend(result, bars);
  const lines = [
    `Fulcrum screening: ${result.score}/100 (${result.tier}) for ${ctx.posting.text ?? "this posting"}`,
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
};

/** `name@version` of the prompt that gathered the evidence, or `local engine` when none did. */
function promptVersionOf(meta: Record<string, unknown>): string {
  return typeof meta.prompt === "string" && meta.prompt !== "" ? meta.prompt : "local engine";
}

/** True when `extractRequirements` found nothing and fell back to the posting's title as the only criterion. */
function titleOnly(rubric: Rubric, posting: PostingInput): boolean {
  const [only, ...rest] = rubric.criteria;
  return rest.length === 0 && !!only && only.kind === "text" && only.label === (posting.text ?? "the role");
}

/** Reads resume files with the screening module's parser (PDF, DOCX, RTF, HTML, text, OCR). */
export const readResumeWithScreening: ResumeReader = async (bytes, file) => {
  const parsed = await parseResume(bytes, { filename: file.filename, mime: file.mime });
  return {
    status: parsed.status,
    text: parsed.text,
    hiddenText: parsed.hiddenText.map((h) => h.text),
    flags: parsed.flags,
    profile: parsed.profile,
    parsed,
  };
};
