/**
 * The retention sweep as `fulcrum interview sweep` and the server's daily job both run it: expired
 * transcripts and their analyses deleted, recordings a crashed transcription left removed, and one
 * audit record with ids and counts only, never transcript text.
 */
import { tmpdir } from "node:os";
import type { Database } from "../store/index.ts";
import { removeLeftoverMedia, sweepExpiredTranscripts, type ForgottenTranscript } from "./retention.ts";

/** Download folders younger than this may belong to a transcription still running. */
export const LEFTOVER_MEDIA_AGE_MS = 24 * 3_600_000;

/** Audit kinds of the candidate-rights deletions. */
export const INTERVIEW_AUDIT_KINDS = { forgotten: "interview.forgotten", swept: "interview.swept" } as const;

/** Groups deleted transcripts by connection and opportunity, as the audit trail names them. */
export function byOpportunity(rows: readonly ForgottenTranscript[]): Map<string, ForgottenTranscript[]> {
  const m = new Map<string, ForgottenTranscript[]>();
  for (const r of rows) {
    const key = `${r.connectionId}\u0000${r.opportunityId}`;
    m.set(key, [...(m.get(key) ?? []), r]);
  }
  return m;
}

export interface RetentionSweepOptions {
  /** `interviews.retentionDays`, default 180. */
  retentionDays?: number | undefined;
  /** `interviews.workDir`, default the system's temporary folder. */
  workDir?: string | undefined;
  /** Who swept, for the audit trail (`cli:sweep`, `server:sweep`). */
  actor: string;
  /** The audit trail (governance's `createAuditTrail(db)`, given by the caller: interviews sits below governance). */
  audit: { append(entry: { kind: string; actor: string; data: Record<string, unknown> }): Promise<unknown> };
  now?: Date | undefined;
}

/**
 * Deletes transcripts past the retention period and leftover recordings, and audits what went
 * (nothing is audited when nothing was due, so a daily run does not fill the trail).
 */
export async function runRetentionSweep(
  db: Database,
  o: RetentionSweepOptions,
): Promise<{ retentionDays: number; transcripts: ForgottenTranscript[]; leftoverMedia: string[] }> {
  const now = o.now ?? new Date();
  const retentionDays = o.retentionDays ?? 180;
  const transcripts = await sweepExpiredTranscripts(db, retentionDays, now);
  const leftoverMedia = await removeLeftoverMedia(o.workDir ?? tmpdir(), LEFTOVER_MEDIA_AGE_MS, now);
  if (transcripts.length || leftoverMedia.length) {
    await o.audit.append({
      kind: INTERVIEW_AUDIT_KINDS.swept,
      actor: o.actor,
      data: {
        retentionDays,
        transcripts: transcripts.length,
        opportunities: [...byOpportunity(transcripts).values()].map((g) => ({
          connectionId: g[0]!.connectionId,
          opportunityId: g[0]!.opportunityId,
          transcripts: g.length,
        })),
        leftoverMedia: leftoverMedia.length,
      },
    });
  }
  return { retentionDays, transcripts, leftoverMedia };
}
