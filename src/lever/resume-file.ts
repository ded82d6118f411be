/**
 * Which of an opportunity's resumes Fulcrum reads. Lever keeps a resume for every profile it
 * parsed, and one parsed from LinkedIn or GitHub has no file to download; the newest upload is
 * the one a candidate sent last.
 */
import type { LeverResume } from "./schemas.ts";

/** True when the resume carries a file (an upload), not only data parsed from a profile. */
export function resumeHasFile(resume: LeverResume): boolean {
  const f = resume.file;
  return !!f && !!(f.name || f.ext || f.downloadUrl || f.id);
}

/**
 * The newest resume that has a file, or undefined when none has.
 *
 * @example
 * const resume = newestResumeWithFile(await client.listResumes(opportunityId).toArray());
 */
export function newestResumeWithFile(resumes: readonly LeverResume[]): LeverResume | undefined {
  return resumes.filter(resumeHasFile).sort((a, b) => Number(b.createdAt ?? 0) - Number(a.createdAt ?? 0))[0];
}

/** True when Lever refused a download because it could not process the file (422). */
export function isUnprocessableFile(error: unknown): boolean {
  return (error as { status?: unknown } | null)?.status === 422;
}
