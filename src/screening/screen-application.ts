/**
 * The screening step in one call, for the workflow engine: an opportunity's newest resume (through
 * the API), the posting's rubric (an approved override, else the posting's requirements, saved as
 * a version), knock-out answers from the application, the score (with a model's evidence when an
 * evidence provider is given), the score recorded per posting, and a note for the recruiter.
 * Nothing is written to Lever here; the note is a proposal.
 */
import { isUnprocessableFile, newestResumeWithFile, type Download, type LeverClient, type LeverResume } from "../lever/index.ts";
import type { Queryable } from "../store/index.ts";
import { answersFromCustomQuestions, type EvidenceProvider } from "./evidence.ts";
import { parseResume, type ParsedResume } from "./parse-resume.ts";
import type { YearMonth } from "./profile/dates.ts";
import { withLeverParsedData } from "./rediscovery.ts";
import { extractRequirements, type PostingInput } from "./requirements.ts";
import { scoreResume, scoreResumeWithProvider, type ScoreResult } from "./score.ts";
import { activeRubric, recordScore, saveRubricVersion } from "./store.ts";

export interface ScreeningOutcome {
  opportunityId: string;
  postingId: string;
  /** Present when the resume could be read and scored. */
  result?: ScoreResult;
  parse: { status: ParsedResume["status"] | "no-resume" | "unprocessable"; message?: string; flags: string[]; hiddenText: ParsedResume["hiddenText"]; injections: string[] };
  /** The note to propose on the opportunity (plain text). */
  note: string;
  scoreId?: number;
}

function noteFor(result: ScoreResult, parsed: ParsedResume, title: string): string {
  const lines = [`Screening for ${title}: ${result.score}/100 (${result.tier}), confidence ${Math.round(result.confidence * 100)}%. Computed by code from the evidence below.`];
  for (const c of result.criteria) {
    if (c.weight === 0) continue;
    const mark = c.status === "met" ? "✓" : c.status === "partly" ? "~" : "✗";
    lines.push(`${mark} ${c.must ? "[must] " : ""}${c.label} — ${c.reason}${c.quotes[0] ? ` “${c.quotes[0].slice(0, 140)}”` : ""}`);
  }
  if (result.missingMustHaves.length) lines.push(`Missing must-haves: ${result.missingMustHaves.join("; ")}.`);
  if (parsed.hiddenText.length) lines.push(`⚠ Possible manipulation: ${parsed.hiddenText.length} piece(s) of hidden text (${[...new Set(parsed.hiddenText.map((h) => h.reason))].join(", ")}) were ignored.`);
  if (parsed.injections.length) lines.push(`⚠ Possible manipulation: instructions aimed at an AI reviewer were found and ignored: “${parsed.injections[0]!.slice(0, 160)}”.`);
  if (result.confidenceReasons.length) lines.push(`Confidence lowered because ${result.confidenceReasons.join("; ")}.`);
  return lines.join("\n");
}

/**
 * Screens one application. `evidence` plugs in a model (see `createAiEvidenceProvider`); without
 * it the local engine decides alone.
 */
export async function screenApplication(input: {
  db: Queryable;
  lever: Pick<LeverClient, "getOpportunity" | "getPosting" | "listResumes" | "downloadResume">;
  connectionId: string;
  opportunityId: string;
  postingId: string;
  evidence?: EvidenceProvider;
  asOf?: YearMonth;
}): Promise<ScreeningOutcome> {
  const { db, lever, connectionId, opportunityId, postingId } = input;
  const opportunity = await lever.getOpportunity(opportunityId, { expand: ["applications"] });
  const posting = (await lever.getPosting(postingId)) as PostingInput;
  let rubric = await activeRubric(db, connectionId, postingId);
  if (!rubric) {
    const extracted = extractRequirements(posting);
    rubric = { ...extracted, version: await saveRubricVersion(db, connectionId, extracted, "fulcrum") };
  }
  const applications = (opportunity.applications ?? []).filter((a): a is Exclude<typeof a, string> => typeof a === "object");
  const application = applications.find((a) => (typeof a.posting === "string" ? a.posting : a.posting?.id) === postingId) ?? applications[0];
  const answers = answersFromCustomQuestions(application?.customQuestions);

  const resumes: LeverResume[] = [];
  for await (const r of lever.listResumes(opportunityId)) resumes.push(r);
  const latest = newestResumeWithFile(resumes);
  if (!latest) {
    return { opportunityId, postingId, parse: { status: "no-resume", flags: [], hiddenText: [], injections: [] }, note: `Screening for ${posting.text ?? postingId}: no resume on file, nothing scored.` };
  }
  let file: Download;
  try {
    file = await lever.downloadResume(opportunityId, latest.id);
  } catch (error) {
    // Lever answers 422 for a file it could not process: a person reads it, retrying won't help.
    if (!isUnprocessableFile(error)) throw error;
    const message = `Lever could not process ${latest.file?.name ?? "the resume file"} (422)`;
    return { opportunityId, postingId, parse: { status: "unprocessable", message, flags: [], hiddenText: [], injections: [] }, note: `Screening for ${posting.text ?? postingId}: ${message}. Please review it by hand.` };
  }
  const parsed = withLeverParsedData(
    await parseResume(file.bytes, { filename: file.filename ?? latest.file?.name ?? "", mime: file.contentType ?? "", ...(input.asOf ? { asOf: input.asOf } : {}) }),
    latest,
  );
  const parse = { status: parsed.status, ...(parsed.message ? { message: parsed.message } : {}), flags: parsed.flags, hiddenText: parsed.hiddenText, injections: parsed.injections };
  if (parsed.status !== "parsed" && parsed.status !== "partial") {
    return { opportunityId, postingId, parse, note: `Screening for ${posting.text ?? postingId}: the resume could not be read (${parsed.status}: ${parsed.message ?? ""}). Please review it by hand.` };
  }
  const options = { ...(input.asOf ? { asOf: input.asOf } : {}), answers };
  const result = input.evidence ? await scoreResumeWithProvider(parsed, rubric, input.evidence, options) : scoreResume(parsed, rubric, options);
  const scoreId = await recordScore(db, { connectionId, postingId, opportunityId, result });
  return { opportunityId, postingId, result, parse, note: noteFor(result, parsed, posting.text ?? postingId), scoreId };
}
