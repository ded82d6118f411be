/**
 * What the console shows beside an interview-analysis proposal: the transcript (stored in
 * `interview_transcripts` for the run's event), the question list with each answer's quote and
 * time, and the player URL the platform gave (for links to a moment). Long transcripts are sent a
 * page of segments at a time, each page capped in characters, so a three-hour recording never
 * travels whole. Transcript text is untrusted: the console shows it as text.
 */
import { interviewProposalRow } from "../../engine/index.ts";
import { inconsistencyNote, postingInconsistencies } from "../../interviews/index.ts";
import type { Queryable } from "../../store/index.ts";
import { coversPosting, type Caller } from "./roles.ts";

/** Segments per page, and characters per page (whichever comes first). */
export const TRANSCRIPT_PAGE_SEGMENTS = 400;
export const TRANSCRIPT_PAGE_CHARS = 60_000;
/** Characters of one segment or quote sent at most. */
const MAX_SEGMENT_CHARS = 4000;

export interface TranscriptSegment {
  /** Position in the whole transcript (0-based), so pages and links agree. */
  index: number;
  start: number;
  end: number;
  text: string;
  speaker?: string | undefined;
}

export interface TranscriptQuestion {
  id: string;
  text: string;
  asked: { start: number; end: number; quote: string } | null;
  answer: { start: number; end: number; quote: string } | null;
}

export interface InterviewTranscriptView {
  proposalId: string;
  engine: string;
  source: string;
  language: string;
  durationSeconds: number;
  /** https only; times link to `?t=<seconds>` on it. */
  playerUrl: string | null;
  segments: TranscriptSegment[];
  /** Where this page starts, how many segments the whole transcript has, and where the next page starts (null: none). */
  from: number;
  total: number;
  next: number | null;
  /** Said when the page or a segment was cut. */
  note: string | null;
  questions: TranscriptQuestion[];
  /**
   * Questions the interviewer should not have asked, and questions of the set asked to some
   * candidates of the posting and not others (category `inconsistent-question`, no time; on the
   * first page only, `from` 0): for the recruiter, never written to Lever.
   */
  interviewerCheck: { quote: string; start: number | null; category: string | null; why: string | null }[];
  analyzedAt: string | null;
}

/** Why there is no transcript view for a proposal. */
export type TranscriptRefusal = { refused: { kind: "not_found"; message: string } };

const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);
const text = (v: unknown, max = MAX_SEGMENT_CHARS): string => (typeof v === "string" ? (v.length > max ? `${v.slice(0, max)}…` : v) : "");

function timed(v: unknown): TranscriptQuestion["asked"] {
  if (!v || typeof v !== "object") return null;
  const o = v as Record<string, unknown>;
  const start = num(o.start);
  const end = num(o.end);
  if (start === null || end === null) return null;
  return { start, end, quote: text(o.quote) };
}

/**
 * The transcript view of an interview-analysis proposal, segments from `from`; a refusal when the
 * proposal does not exist, the caller may not see it, it is no interview analysis, or its
 * transcript is gone (retention ended, or the candidate was forgotten).
 */
export async function interviewTranscript(db: Queryable, caller: Caller, proposalId: string, from = 0): Promise<InterviewTranscriptView | TranscriptRefusal> {
  const none: TranscriptRefusal = { refused: { kind: "not_found", message: `No proposal ${proposalId} that you may see.` } };
  if (!/^\d{1,15}$/.test(proposalId)) return none;
  const p = await interviewProposalRow(db, Number(proposalId));
  if (!p || !coversPosting(caller, p.posting_id)) return none;
  const t = await db.query<{
    engine: string;
    source: string;
    language: string;
    duration_seconds: number;
    transcript: unknown;
    analysis: unknown;
    analyzed_at: Date | string | null;
    opportunity_id: string;
    id: string | number;
    posting_id: string | null;
    stage_id: string | null;
  }>(
    "select id, engine, source, language, duration_seconds, transcript, analysis, analyzed_at, opportunity_id, posting_id, stage_id from interview_transcripts where connection_id = $1 and trace_id = $2",
    [p.connection_id, p.trace_id],
  );
  const row = t.rows[0];
  if (!row) {
    const message = p.has_steps
      ? `The transcript of proposal ${proposalId} is no longer kept (its retention ended, or the candidate's interview data was deleted).`
      : `Proposal ${proposalId} has no interview transcript.`;
    return { refused: { kind: "not_found", message } };
  }
  const all = Array.isArray((row.transcript as { segments?: unknown })?.segments) ? (row.transcript as { segments: unknown[] }).segments : [];
  const start = Math.max(0, Math.min(Math.floor(from), all.length));
  const segments: TranscriptSegment[] = [];
  let chars = 0;
  let cut = false;
  for (let i = start; i < all.length && segments.length < TRANSCRIPT_PAGE_SEGMENTS; i++) {
    const s = all[i] as Record<string, unknown>;
    const raw = typeof s.text === "string" ? s.text : "";
    if (raw.length > MAX_SEGMENT_CHARS) cut = true;
    const body = text(raw);
    if (segments.length > 0 && chars + body.length > TRANSCRIPT_PAGE_CHARS) break;
    chars += body.length;
    const speaker = typeof s.speaker === "string" && s.speaker ? s.speaker.slice(0, 100) : undefined;
    segments.push({ index: i, start: num(s.start) ?? 0, end: num(s.end) ?? 0, text: body, ...(speaker ? { speaker } : {}) });
  }
  const after = start + segments.length;
  const next = after < all.length ? after : null;
  const notes = [
    ...(next !== null || start > 0 ? [`Showing segments ${start + 1}–${after} of ${all.length}; the transcript is sent a page at a time.`] : []),
    ...(cut ? [`Segments longer than ${MAX_SEGMENT_CHARS} characters are cut.`] : []),
  ];
  const analysis = (row.analysis ?? {}) as { questions?: unknown; flags?: unknown };
  const questions = (Array.isArray(analysis.questions) ? analysis.questions : []).slice(0, 200).map((q): TranscriptQuestion => {
    const o = (q ?? {}) as Record<string, unknown>;
    return { id: text(o.id, 200), text: text(o.text, 1000), asked: timed(o.asked), answer: timed(o.answer) };
  });
  const flags = (Array.isArray(analysis.flags) ? analysis.flags : []).filter((f): f is Record<string, unknown> => !!f && typeof f === "object");
  const interviewerCheck = [
    ...flags
      .filter((f) => f.kind === "improper-question")
      .map((f) => ({ quote: text(f.quote, 1000), start: num(f.start), category: text(f.category, 100) || null, why: text(f.why, 300) || null })),
    // Recomputed against the posting's candidates as they stand now, not as they stood when this
    // interview was analysed: the first candidate's view shows what later interviews revealed, and
    // a forgotten candidate no longer counts. On the first page only (later pages add segments), and
    // only when the caller may see the posting the interview was compared within, which an event
    // may name apart from the proposal's.
    ...(start === 0 && coversPosting(caller, row.posting_id)
      ? await postingInconsistencies(db, {
          connectionId: p.connection_id,
          recordId: String(row.id),
          opportunityId: row.opportunity_id,
          postingId: row.posting_id,
          stageId: row.stage_id,
          questions: questions.map((q) => ({ id: q.id, text: q.text, asked: q.asked })),
        })
      : []
    ).map((f) => ({ quote: text(f.text, 1000), start: null, category: "inconsistent-question", why: inconsistencyNote(f, row.opportunity_id).text })),
  ].slice(0, 50);
  const playerUrl = p.player_url && /^https:\/\//i.test(p.player_url) ? p.player_url : null;
  return {
    proposalId,
    engine: row.engine,
    source: row.source,
    language: row.language,
    durationSeconds: Number(row.duration_seconds),
    playerUrl,
    segments,
    from: start,
    total: all.length,
    next,
    note: notes.length ? notes.join(" ") : null,
    questions,
    interviewerCheck,
    analyzedAt: row.analyzed_at ? new Date(row.analyzed_at).toISOString() : null,
  };
}
