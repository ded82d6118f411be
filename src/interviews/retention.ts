/**
 * Candidate rights over recorded interviews: forgetting one candidate's transcripts and analyses
 * on request, and the retention sweep. Both also clear recordings a crashed transcription left in
 * the work folder: a recording is meant to live only while it is transcribed.
 *
 * A transcript is not only in `interview_transcripts`: the event that brought it (inbox and run)
 * carries the platform's transcript and the candidate's e-mail, the analysis run's steps hold the
 * note, the quotes and the interviewer check (a dry run, the whole transcript), and its proposals
 * the note's body and evidence. All of it goes in the same transaction as the transcript row.
 */
import { readdir, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import type { Database, Queryable } from "../store/index.ts";

/** Runs `fn` in a transaction of its own when `db` is the database, else in the caller's transaction. */
function inTransaction<T>(db: Queryable | Database, fn: (tx: Queryable) => Promise<T>): Promise<T> {
  return "transaction" in db && typeof db.transaction === "function" ? db.transaction(fn) : fn(db);
}

/** One deleted transcript row, as the audit trail names it (no transcript text). */
export interface ForgottenTranscript {
  id: string;
  connectionId: string;
  opportunityId: string;
  tool: string;
}

type Row = { id: string | number; connection_id: string; opportunity_id: string; tool: string };
const toForgotten = (r: Row): ForgottenTranscript => ({ id: String(r.id), connectionId: r.connection_id, opportunityId: r.opportunity_id, tool: r.tool });

/** What a forgotten proposal's note says instead of the analysis; its id, status and decisions stay for the audit. */
export const FORGOTTEN_NOTE_BODY = "(removed: this interview's transcript and analysis were deleted)";

/**
 * The fields of an interview event that carry the recording, the transcript or the candidate's
 * contact details (nested under `interview`, or at the top level).
 */
const EVENT_PATHS = ["{interview}", "{transcript}", "{mediaUrl}", "{transcriptUrl}", "{transcriptFilename}", "{playerUrl}", "{candidate,email}"];
const stripped = (expr: string, prefix: string) => EVENT_PATHS.reduce((e, path) => `${e} #- '{${prefix}${path.slice(1, -1)}}'`, expr);

/**
 * Which interview runs go with the deleted transcripts: the runs of the deleted rows' traces, and
 * runs of a workflow that transcribes interviews that stored no transcript (a dry run, or one that
 * failed first) for the same candidate or, in the sweep, as old as the retention period.
 */
interface RunsToScrub {
  traces: readonly { connection_id: string; trace_id: string }[];
  candidate?: { id: string; connectionId: string | null };
  createdBefore?: Date;
}

/**
 * Removes the interview from the runs, steps, proposals and inbox events that hold it, and marks
 * those events forgotten so the run is never re-run to fetch the recording again.
 */
async function scrubInterviewRuns(tx: Queryable, o: RunsToScrub): Promise<void> {
  // Runs of a workflow with an interview.transcribe step are interview runs, whatever the copy of the workflow is called.
  const { rows: runs } = await tx.query<{ id: string; inbox_event_id: string | null }>(
    `select r.id, r.inbox_event_id from workflow_runs r
      where exists (select 1 from unnest($1::text[], $2::text[]) t(connection_id, trace_id) where r.connection_id = t.connection_id and r.trace_id = t.trace_id)
         or (r.workflow->'steps' @> '[{"task": "interview.transcribe"}]'
             and (($3::text is not null and ($4::text is null or r.connection_id = $4) and (r.opportunity_id = $3 or r.event->'data'->'candidate'->>'id' = $3))
               or ($5::timestamptz is not null and r.created_at <= $5 and (r.event->'data'->'forgotten') is null)))`,
    [
      o.traces.map((t) => t.connection_id),
      o.traces.map((t) => t.trace_id),
      o.candidate?.id ?? null,
      o.candidate?.connectionId ?? null,
      o.createdBefore ?? null,
    ],
  );
  if (runs.length === 0) return;
  const ids = runs.map((r) => r.id);
  await tx.query("update workflow_steps set input = null, output = null where run_id = any($1::bigint[])", [ids]);
  await tx.query("update proposal_decisions set edits = null where proposal_id in (select id from proposals where run_id = any($1::bigint[]))", [ids]);
  await tx.query(
    `update proposals set evidence = '[]'::jsonb, result = null,
        action = case when action ? 'body' then jsonb_set(action, '{body}', to_jsonb($2::text)) else action end
      where run_id = any($1::bigint[])`,
    [ids, FORGOTTEN_NOTE_BODY],
  );
  await tx.query(
    `update workflow_runs set event = jsonb_set(${stripped("event", "data,")}, '{data,forgotten}', 'true'), updated_at = now() where id = any($1::bigint[])`,
    [ids],
  );
  // The inbox holds the webhook's body as it came: its event by id, or by the run's trace.
  await tx.query(
    `update inbox_events i set payload = jsonb_set(${stripped("i.payload", "")}, '{forgotten}', 'true')
      where i.id = any($1::bigint[])
         or exists (select 1 from workflow_runs r where r.id = any($2::bigint[]) and r.connection_id = i.connection_id and r.trace_id = i.trace_id)`,
    [runs.map((r) => r.inbox_event_id).filter((x) => x !== null), ids],
  );
}

/**
 * Deletes every transcript and analysis of a candidate, named by their Lever opportunity id or the
 * hiring tool's candidate id, in one connection or all, with what the runs of those interviews
 * hold of them (see the file's comment). Running it again deletes nothing more.
 */
export async function forgetCandidateTranscripts(db: Queryable | Database, candidate: string, connectionId?: string): Promise<ForgottenTranscript[]> {
  return inTransaction(db, async (tx) => {
    const { rows } = await tx.query<Row & { trace_id: string }>(
      `delete from interview_transcripts
        where (opportunity_id = $1 or tool_candidate_id = $1) and ($2::text is null or connection_id = $2)
        returning id, connection_id, opportunity_id, tool, trace_id`,
      [candidate, connectionId ?? null],
    );
    await scrubInterviewRuns(tx, { traces: rows, candidate: { id: candidate, connectionId: connectionId ?? null } });
    return rows.map(toForgotten);
  });
}

/**
 * Deletes transcripts whose retention has ended: past the expiry set when they were stored, or
 * older than the period configured now, so shortening the period applies to what is already kept.
 */
export async function sweepExpiredTranscripts(db: Queryable | Database, retentionDays: number, now: Date = new Date()): Promise<ForgottenTranscript[]> {
  if (!Number.isInteger(retentionDays) || retentionDays < 1)
    throw new RangeError(`retentionDays must be a whole number of days, at least 1 (got ${retentionDays})`);
  return deleteTranscriptsExpiredBy(db, now, new Date(now.getTime() - retentionDays * 86_400_000));
}

/**
 * Deletes transcripts past the expiry set when they were stored (and, given `cutoff`, any stored
 * before it), with what their runs hold of them.
 */
export async function deleteTranscriptsExpiredBy(db: Queryable | Database, now: Date, cutoff?: Date): Promise<ForgottenTranscript[]> {
  return inTransaction(db, async (tx) => {
    const { rows } = await tx.query<Row & { trace_id: string }>(
      "delete from interview_transcripts where expires_at <= $1 or created_at <= $2 returning id, connection_id, opportunity_id, tool, trace_id",
      [now, cutoff ?? null],
    );
    await scrubInterviewRuns(tx, { traces: rows, ...(cutoff ? { createdBefore: cutoff } : {}) });
    return rows.map(toForgotten);
  });
}

/**
 * The prefixes of the folders holding a candidate's recording or words while they are processed:
 * a fetched recording or transcript (`fulcrum-media-`, `fulcrum-transcript-`, intake/fetch-media.ts)
 * and the audio extracted for transcription (`fulcrum-transcribe-`, transcribe/transcribe-media.ts).
 */
export const WORK_FOLDER_PREFIXES = ["fulcrum-media-", "fulcrum-transcript-", "fulcrum-transcribe-"] as const;

/**
 * Removes download folders of recordings left in `workDir` by a transcription that crashed, when
 * older than `minAgeMs` (so one being transcribed right now is left alone); returns their names.
 */
export async function removeLeftoverMedia(workDir: string, minAgeMs: number, now: Date = new Date()): Promise<string[]> {
  let names: string[];
  try {
    names = (await readdir(workDir)).filter((n) => WORK_FOLDER_PREFIXES.some((p) => n.startsWith(p)));
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
