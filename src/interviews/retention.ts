/**
 * Candidate rights over recorded interviews: forgetting one candidate's transcripts and analyses
 * on request, and the retention sweep. Both also clear recordings a crashed transcription left in
 * the work folder: a recording is meant to live only while it is transcribed.
 */
import { readdir, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import type { Queryable } from "../store/index.ts";

/** One deleted transcript row, as the audit trail names it (no transcript text). */
export interface ForgottenTranscript {
  id: string;
  connectionId: string;
  opportunityId: string;
  tool: string;
}

type Row = { id: string | number; connection_id: string; opportunity_id: string; tool: string };
const toForgotten = (r: Row): ForgottenTranscript => ({ id: String(r.id), connectionId: r.connection_id, opportunityId: r.opportunity_id, tool: r.tool });

/**
 * Deletes every transcript and analysis of a candidate, named by their Lever opportunity id or the
 * hiring tool's candidate id, in one connection or all. Running it again deletes nothing more.
 */
export async function forgetCandidateTranscripts(db: Queryable, candidate: string, connectionId?: string): Promise<ForgottenTranscript[]> {
  const { rows } = await db.query<Row>(
    `delete from interview_transcripts
      where (opportunity_id = $1 or tool_candidate_id = $1) and ($2::text is null or connection_id = $2)
      returning id, connection_id, opportunity_id, tool`,
    [candidate, connectionId ?? null],
  );
  return rows.map(toForgotten);
}

/**
 * Deletes transcripts whose retention has ended: past the expiry set when they were stored, or
 * older than the period configured now, so shortening the period applies to what is already kept.
 */
export async function sweepExpiredTranscripts(db: Queryable, retentionDays: number, now: Date = new Date()): Promise<ForgottenTranscript[]> {
  if (!Number.isInteger(retentionDays) || retentionDays < 1) throw new RangeError(`retentionDays must be a whole number of days, at least 1 (got ${retentionDays})`);
  const cutoff = new Date(now.getTime() - retentionDays * 86_400_000);
  const { rows } = await db.query<Row>(
    "delete from interview_transcripts where expires_at <= $1 or created_at <= $2 returning id, connection_id, opportunity_id, tool",
    [now, cutoff],
  );
  return rows.map(toForgotten);
}

/** The prefix of the folders a media fetch downloads into (see intake/fetch-media.ts). */
export const MEDIA_FOLDER_PREFIX = "fulcrum-media-";

/**
 * Removes download folders of recordings left in `workDir` by a transcription that crashed, when
 * older than `minAgeMs` (so one being transcribed right now is left alone); returns their names.
 */
export async function removeLeftoverMedia(workDir: string, minAgeMs: number, now: Date = new Date()): Promise<string[]> {
  let names: string[];
  try {
    names = (await readdir(workDir)).filter((n) => n.startsWith(MEDIA_FOLDER_PREFIX));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const removed: string[] = [];
  for (const name of names) {
    const path = join(workDir, name);
    const info = await stat(path).catch(() => null);
    if (!info || now.getTime() - info.mtimeMs < minAgeMs) continue;
    await rm(path, { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}
