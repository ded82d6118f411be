/**
 * `screening.screen`: the screening capability as an engine step. A thin adapter: it fetches the
 * run's opportunity, posting and resume, hands the AI port to the screening module as its evidence
 * gatherer, and turns a posting without requirements into a failed step. The screening itself
 * (rubric, evidence, score, recommendation, note) lives in `screenApplication`.
 */
import type { ResumeEvidenceOutput } from "../../../ai/index.ts";
import { NoRequirementsError, barsFrom, parseResume, screenApplication, type ParsedResume } from "../../../screening/index.ts";
import { StepFailure } from "../../errors.ts";
import type { ResumeReader, TaskHandler } from "../../ports.ts";

/**
 * Screens the run's candidate against its posting and recommends advance, hold or reject (`review`
 * when it cannot score): `with.advanceAt` (default 75) is the bar for advancing, `with.rejectBelow`
 * (default 40) the score under which it recommends rejecting.
 */
export const screenTask: TaskHandler = async ({ with: params, fetch, ai, traceId, db, connectionId, dryRun }) => {
  const ctx = await fetch(["opportunity", "posting", "resume"]);
  const resume = ctx.resume ? { ...ctx.resume, parsed: ctx.resume.parsed as ParsedResume | undefined } : ctx.resume;
  try {
    return await screenApplication({
      db,
      connectionId,
      posting: ctx.posting,
      opportunity: ctx.opportunity,
      resume,
      bars: barsFrom(params),
      dryRun,
      evidence: ai
        ? async (input) => {
            const r = await ai({ prompt: "resume-evidence", input, onUnavailable: "local", traceId });
            // The AI port is untyped across prompts; the AI layer validated this output against the
            // resume-evidence step's schema before it returned.
            return { output: r.output as ResumeEvidenceOutput, meta: r.meta };
          }
        : undefined,
    });
  } catch (error) {
    if (error instanceof NoRequirementsError) throw new StepFailure(error.message);
    throw error;
  }
};

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
