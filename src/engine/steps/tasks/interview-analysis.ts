/**
 * Recorded interviews, from a tool's `interview.completed` event to a secret Lever note.
 *
 * `interview.intake` finds the candidate's opportunity (the id the event names, the opportunity a
 * tool's earlier result went to, or the candidate's e-mail in Lever), the question set, rubric and
 * triage thresholds configured for the posting and stage, and checks the media URL against the
 * tool's `mediaHosts` before anything is fetched. `interview.transcribe` uses the platform's
 * transcript as it is (given in the event, or fetched from `transcriptUrl` under the same rules as
 * media), else fetches the recording under the tool's fetch rules, transcribes it with
 * the configured engine (pocketsphinx by default) and deletes it; the transcript is stored in
 * `interview_transcripts` until its retention ends. `interview.analyze` analyses it against the
 * question set — with Fulcrum's local matcher, or with the AI provider when
 * `interviews.analysisEngine` is `ai` (quotes verified against the transcript, the local engine
 * answering when the provider fails) — and writes the note's text: the summary, each question's
 * answer with its time (a link to that moment when the platform gave a player URL) and the rubric
 * evidence.
 *
 * The recording's URL is read from the event in each step and never copied into a step's output:
 * media URLs are often signed, and outputs are shown in the console. What cannot be used (a blocked
 * URL, corrupt media, silence, no question set, an analysis that found none of the set's questions)
 * ends the run with the status word and a message; only failures that may pass (a timeout, a server
 * error) are retried.
 *
 * The event body: `{ event: "interview.completed", id?, opportunityId?, candidate?: { id?, email? },
 * posting?, stage?, interview: { mediaUrl?, transcript?, transcriptUrl?, transcriptFilename?, playerUrl? } }`
 * (the interview fields may also sit at the top level).
 */
import { tmpdir } from "node:os";
import type { InterviewPostingConfig, InterviewsConfig, InterviewTriage } from "../../../config/index.ts";
import {
  analyzeInterview,
  analyzeInterviewWithProvider,
  checkMediaUrl,
  deleteTranscriptsExpiredBy,
  forgetCandidateTranscripts,
  inconsistencyNote,
  postingInconsistencies,
  InterviewAnalysisError,
  InterviewMediaError,
  nothingMatched,
  openAiCompatibleEngine,
  pocketsphinxEngine,
  transcriptForRecording,
  transcriptSchema,
  whisperCppEngine,
  windowCharsFor,
  type InterviewAi,
  type InconsistentQuestionFlag,
  type InterviewAnalysis,
  type InterviewQuestion,
  type InterviewRubric,
  type MediaFetchPolicy,
  type Transcript,
  type TranscriptionEngine,
} from "../../../interviews/index.ts";
import type { Queryable } from "../../../store/index.ts";
import { StepFailure } from "../../errors.ts";
import type { AiStepRunner, TaskHandler } from "../../ports.ts";
import type { OpportunityLike } from "../../workflows/index.ts";
import { postingIdOf } from "../context.ts";
import type { ToolSettings } from "./tool-results.ts";

/** What the interview tasks are built with (the config's `tools:` and `interviews:` blocks). */
export interface InterviewTaskOptions {
  tools?: ToolSettings | undefined;
  interviews?: InterviewsConfig | undefined;
  /** Hosts exempt from https-only and public-address rules (still allow-listed): tests and local development only. */
  insecureHosts?: readonly string[] | undefined;
  /** The transcription engine; by default the one `interviews.engine` names. */
  engine?: TranscriptionEngine | undefined;
  /** The AI layer's cap on untrusted text (`ai.maxUntrustedChars`): the provider path's windows stay under it. */
  maxUntrustedChars?: number | undefined;
}

const DEFAULTS: InterviewsConfig = { engine: "pocketsphinx", analysisEngine: "local", maxMinutes: 240, retentionDays: 180, postings: [] };

/**
 * The engine's AI step runner as the interviews module's AI: the one place the two interfaces
 * meet. The provider is asked with `onUnavailable: local`, so an open circuit answers locally
 * (with its reason) rather than parking the run.
 */
function interviewAiOf(run: AiStepRunner, traceId: string): InterviewAi {
  return {
    runAiStep: async <O>(stepType: string, input: unknown) => {
      const r = await run({ prompt: stepType, input: input as Record<string, unknown>, onUnavailable: "local", traceId });
      return { output: r.output as O, meta: { engine: r.meta.engine, fallbackReason: r.meta.fallbackReason, prompt: r.meta.prompt } };
    },
  };
}

/**
 * The analysis with the AI provider when the configuration asks for it and the engine has an AI
 * layer, else the local engine; a provider path that throws (a bad answer, an unknown step, an
 * outage) ends in the local engine with the reason kept in `summary.fallbackReason`.
 */
async function analyzeWith(
  config: InterviewsConfig,
  maxUntrustedChars: number | undefined,
  ai: AiStepRunner | undefined,
  traceId: string,
  transcript: Transcript,
  questions: InterviewQuestion[],
  rubric: InterviewRubric | undefined,
): Promise<InterviewAnalysis> {
  const local = (fallbackReason?: string): InterviewAnalysis => {
    const a = analyzeInterview(transcript, questions, { rubric });
    return fallbackReason ? { ...a, summary: { ...a.summary, fallbackReason } } : a;
  };
  if (config.analysisEngine !== "ai") return local();
  if (!ai) return local("no AI layer is available to this worker");
  try {
    return await analyzeInterviewWithProvider(interviewAiOf(ai, traceId), transcript, questions, {
      rubric,
      traceId,
      windowChars: windowCharsFor(maxUntrustedChars),
    });
  } catch (error) {
    // A bad transcript or question set is the input's fault: the local engine refuses it too.
    if (error instanceof InterviewAnalysisError) throw error;
    return local(`the AI provider failed: ${String((error as Error)?.message ?? error).slice(0, 300)}`);
  }
}

const str = (v: unknown, max = 2000): string => (typeof v === "string" ? v.trim().slice(0, max) : "");
const idOf = (v: unknown): string =>
  typeof v === "string" ? v : v && typeof v === "object" && typeof (v as { id?: unknown }).id === "string" ? (v as { id: string }).id : "";

/** The recording as the event carries it (under `interview`, or at the top level). */
function recordingOf(event: Record<string, unknown>) {
  const nested = event.interview && typeof event.interview === "object" && !Array.isArray(event.interview) ? (event.interview as Record<string, unknown>) : {};
  const pick = (key: string, max?: number) => str(nested[key], max) || str(event[key], max);
  const transcript = typeof nested.transcript === "string" ? nested.transcript : typeof event.transcript === "string" ? event.transcript : "";
  return {
    mediaUrl: pick("mediaUrl"),
    transcript,
    transcriptUrl: pick("transcriptUrl"),
    transcriptFilename: pick("transcriptFilename", 200),
    playerUrl: pick("playerUrl"),
  };
}

/** Why a step cannot go on, as a failure the engine does not retry, led by the status word. */
function stepFailureOf(error: unknown): Error {
  if (error instanceof InterviewAnalysisError) return new StepFailure(`${error.status}: ${error.message}`);
  if (error instanceof InterviewMediaError) {
    // A timeout or a server error may pass: the queue retries it. Everything else is the input's fault.
    return error.retriable ? new Error(`${error.status}: ${error.message}`, { cause: error }) : new StepFailure(`${error.status}: ${error.message}`);
  }
  return error as Error;
}

function fetchPolicyOf(tool: string, options: InterviewTaskOptions): MediaFetchPolicy {
  return { allowedHosts: options.tools?.[tool]?.mediaHosts ?? [], insecureHosts: options.insecureHosts };
}

/** The configured engine: pocketsphinx (offline) unless `interviews.engine` says otherwise. */
export function transcriptionEngineOf(config: InterviewsConfig, env: NodeJS.ProcessEnv = process.env): TranscriptionEngine {
  switch (config.engine) {
    case "openai":
      return openAiCompatibleEngine({
        baseUrl: config.baseUrl ?? env.FULCRUM_TRANSCRIBE_BASE_URL ?? "https://api.openai.com/v1",
        apiKey: env.FULCRUM_TRANSCRIBE_API_KEY ?? env.OPENAI_API_KEY,
        model: config.model ?? "whisper-1",
      });
    case "whisper-cpp":
      if (!config.model) throw new StepFailure("model-missing: interviews.engine is whisper-cpp but interviews.model names no ggml model file");
      return whisperCppEngine({ modelPath: config.model });
    default:
      return pocketsphinxEngine({ modelDir: config.modelDir });
  }
}

const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/**
 * The configured set for a posting (id or title) and stage (id or name): the stage's own, else
 * the posting's stage-less one, else null.
 */
export function interviewSetFor(
  postings: readonly InterviewPostingConfig[],
  posting: { id: string; text?: string | undefined },
  stage: { id: string; text?: string | undefined } | null,
): InterviewPostingConfig | null {
  const forPosting = postings.filter((p) => same(p.posting, posting.id) || (posting.text !== undefined && same(p.posting, posting.text)));
  const forStage = stage
    ? forPosting.find((p) => p.stage !== undefined && (same(p.stage, stage.id) || (stage.text !== undefined && same(p.stage, stage.text))))
    : undefined;
  return forStage ?? forPosting.find((p) => p.stage === undefined) ?? null;
}

/** The opportunity a tool's earlier result went to, by the tool's id for the candidate. */
async function knownOpportunity(db: Queryable, connectionId: string, tool: string, toolCandidateId: string): Promise<string | null> {
  const { rows } = await db.query<{ opportunity_id: string | null }>(
    "select opportunity_id from tool_candidates where connection_id = $1 and tool = $2 and tool_candidate_id = $3",
    [connectionId, tool, toolCandidateId],
  );
  return rows[0]?.opportunity_id ?? null;
}

/**
 * Deletes transcripts whose retention has ended; returns how many went. The intake runs it before
 * each new interview, so an instance that processes interviews never holds expired ones for long.
 */
export async function purgeExpiredInterviewTranscripts(db: Queryable, now: Date = new Date()): Promise<number> {
  return (await deleteTranscriptsExpiredBy(db, now)).length;
}

/**
 * Deletes the transcripts and analyses of one opportunity (Lever deleted the candidate), with
 * what their runs hold of them; returns how many transcripts went.
 */
export async function forgetInterviewTranscripts(db: Queryable, connectionId: string, opportunityId: string): Promise<number> {
  return (await forgetCandidateTranscripts(db, opportunityId, connectionId)).length;
}

/** A forgotten interview's event no longer holds the recording; a run of it must say so rather than fetch anything. */
function refuseForgotten(event: Record<string, unknown>): void {
  if (event.forgotten === true)
    throw new StepFailure("forgotten: this interview was deleted at the candidate's request or when its retention ended; it is not fetched or analysed again");
}

/** `interview.intake`: see the file's comment. */
export function interviewIntakeTask(options: InterviewTaskOptions = {}): TaskHandler {
  const config = options.interviews ?? DEFAULTS;
  return async ({ with: params, event, db, connectionId, lever, fetch, dryRun, setOpportunity }) => {
    refuseForgotten(event);
    const tool = str(params.tool, 63);
    if (!tool) throw new StepFailure("interview.intake needs with.tool (the tool's id, e.g. {{ event.tool }})");
    const recording = recordingOf(event);
    if (!recording.mediaUrl && !recording.transcript.trim() && !recording.transcriptUrl) {
      throw new StepFailure(
        "transcript-invalid: the event carries neither a media URL nor a transcript (interview.mediaUrl, interview.transcript or interview.transcriptUrl)",
      );
    }
    // Without an inline transcript, at least one URL must pass the fetch rules before any network use;
    // with one, the URLs are only fallbacks.
    if (!recording.transcript.trim()) {
      if (!options.tools?.[tool]?.mediaHosts?.length) {
        throw new StepFailure(
          `blocked: tool "${tool}" has no mediaHosts in the config file, so its media and transcript URLs are refused; add tools.${tool}.mediaHosts`,
        );
      }
      const urls: [string, string][] = [];
      if (recording.transcriptUrl) urls.push([recording.transcriptUrl, "transcript"]);
      if (recording.mediaUrl) urls.push([recording.mediaUrl, "media"]);
      const refusals: unknown[] = [];
      for (const [url, noun] of urls) {
        try {
          checkMediaUrl(url, fetchPolicyOf(tool, options), noun);
        } catch (error) {
          refusals.push(error);
        }
      }
      if (refusals.length === urls.length) throw stepFailureOf(refusals[0]);
    }

    // The candidate's opportunity: named by the event, else where this tool's results went, else by e-mail.
    const candidate = (event.candidate && typeof event.candidate === "object" ? event.candidate : {}) as Record<string, unknown>;
    const toolCandidateId = typeof candidate.id === "number" ? String(candidate.id) : str(candidate.id, 200);
    let opportunity: OpportunityLike | null = null;
    let foundBy = "";
    const named = str(event.opportunityId, 200);
    if (named) {
      opportunity = await lever.getOpportunity(named).catch(() => null);
      if (!opportunity) throw new StepFailure(`the event names opportunity ${named}, which Lever does not have`);
      foundBy = "the event names it";
    }
    if (!opportunity && toolCandidateId) {
      const known = await knownOpportunity(db, connectionId, tool, toolCandidateId);
      if (known) {
        opportunity = await lever.getOpportunity(known);
        foundBy = `${tool} sent this candidate before`;
      }
    }
    const email = str(candidate.email, 200).toLowerCase();
    if (!opportunity && /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) {
      const found = await lever.findOpportunityByEmail(email);
      // Read whole: a search result may lack the applications that name the posting.
      if (found) {
        opportunity = await lever.getOpportunity(found.id);
        foundBy = "the candidate's e-mail";
      }
    }
    if (!opportunity)
      throw new StepFailure(
        "no opportunity in Lever for this interview: the event names no opportunityId, the tool never sent this candidate.id, and no candidate has its candidate.email",
      );

    const postingId = str(event.posting, 200) || postingIdOf(opportunity) || "";
    if (!postingId) throw new StepFailure(`questions-empty: opportunity ${opportunity.id} has no posting, so no question set applies`);
    const posting = await lever.getPosting(postingId).catch(() => ({ id: postingId }) as { id: string; text?: string });
    const ctx = await fetch(["stages"]);
    const stageId = str(event.stage, 200) || idOf(opportunity.stage);
    const stageRef = stageId ? (ctx.stages?.find((s) => s.id === stageId || same(s.text, stageId)) ?? { id: stageId }) : null;
    const set = interviewSetFor(config.postings, { id: posting.id, text: typeof posting.text === "string" ? posting.text : undefined }, stageRef);
    const postingName = typeof posting.text === "string" ? `"${posting.text}"` : posting.id;
    const stageName = stageRef ? ` at stage "${"text" in stageRef ? stageRef.text : stageRef.id}"` : "";
    if (!set) {
      throw new StepFailure(
        `questions-empty: no question set is configured for posting ${postingName}${stageName}; add one under interviews.postings in the config file`,
      );
    }
    if (!dryRun) await purgeExpiredInterviewTranscripts(db);
    // The event may not have named it: the run takes the opportunity found, for the runs list and fairness.
    setOpportunity?.(opportunity.id);
    // Into the run's context too, so the run and its proposals carry the posting: a hiring manager
    // sees the interviews of the postings they may see, and the fairness report counts them.
    await fetch(["opportunity"]);
    const playerUrl = /^https:\/\//i.test(recording.playerUrl) ? recording.playerUrl : "";
    return {
      opportunityId: opportunity.id,
      postingId: posting.id,
      stageId: stageRef?.id ?? "",
      tool,
      toolCandidateId,
      questions: set.questions,
      rubric: set.rubric ?? null,
      triage: set.triage ?? null,
      playerUrl,
      reasons: [`opportunity found because ${foundBy}; ${set.questions.length} questions configured for posting ${postingName}${stageName}`],
    };
  };
}

/**
 * Another attempt of the same step holds the interview's transcription lease: the engine parks the
 * step until `retryAt` (the run waits) instead of failing it or transcribing a second time.
 */
export class TranscriptionInProgress extends Error {
  override readonly name = "TranscriptionInProgress";
  readonly retryAt: Date;
  constructor(retryAt: Date) {
    super("in-progress: another attempt is transcribing this interview; this one waits for its transcript");
    this.retryAt = retryAt;
  }
}

/** How long a lease lasts without renewal (a crashed attempt's lapses this soon), and how often a live attempt renews it. */
const LEASE_SECONDS = 90;
const RENEW_MS = 30_000;

/**
 * How long one attempt may download and transcribe: 15 minutes for the download (its own cap)
 * plus the longest recording accepted, transcribed no slower than it plays.
 */
export const transcriptionDeadlineMs = (config: InterviewsConfig): number => (15 + config.maxMinutes) * 60_000;

/**
 * Takes the interview's transcription lease (see migration 0108) for this attempt, or throws
 * `TranscriptionInProgress` while another attempt's lease is live. Renews it while held; aborts the
 * returned signal when the deadline passes or another attempt took the lease over (this one
 * stalled past its lease), so a superseded attempt stops rather than finishing a second transcript.
 */
async function takeTranscriptionLease(db: Queryable, connectionId: string, traceId: string, deadlineMs: number) {
  const attempt = crypto.randomUUID();
  const { rows } = await db.query(
    `insert into interview_transcriptions (connection_id, trace_id, attempt, leased_until) values ($1, $2, $3, now() + make_interval(secs => $4))
     on conflict (connection_id, trace_id) do update set attempt = excluded.attempt, leased_until = excluded.leased_until
       where interview_transcriptions.leased_until < now()
     returning attempt`,
    [connectionId, traceId, attempt, LEASE_SECONDS],
  );
  if (rows.length === 0) throw new TranscriptionInProgress(new Date(Date.now() + RENEW_MS));
  const controller = new AbortController();
  let why = "";
  const stop = (reason: string) => {
    if (controller.signal.aborted) return;
    why = reason;
    controller.abort(new Error(reason));
  };
  const deadline = setTimeout(() => stop("deadline"), deadlineMs);
  const renew = setInterval(() => {
    db.query(
      "update interview_transcriptions set leased_until = now() + make_interval(secs => $4) where connection_id = $1 and trace_id = $2 and attempt = $3 returning 1",
      [connectionId, traceId, attempt, LEASE_SECONDS],
    )
      .then((r) => r.rows.length === 0 && stop("superseded"))
      .catch(() => undefined);
  }, RENEW_MS);
  deadline.unref?.();
  renew.unref?.();
  return {
    signal: controller.signal,
    /** Why the signal was aborted ("" when it was not). */
    abortedFor: () => why,
    async release() {
      clearTimeout(deadline);
      clearInterval(renew);
      await db.query("delete from interview_transcriptions where connection_id = $1 and trace_id = $2 and attempt = $3", [connectionId, traceId, attempt]);
    },
  };
}

/** `interview.transcribe`: see the file's comment. */
export function interviewTranscribeTask(options: InterviewTaskOptions = {}): TaskHandler {
  const config = options.interviews ?? DEFAULTS;
  return async ({ with: params, event, db, connectionId, traceId, dryRun }) => {
    refuseForgotten(event);
    const tool = str(params.tool, 63);
    const opportunityId = str(params.opportunityId, 200);
    if (!tool || !opportunityId) throw new StepFailure("interview.transcribe needs with.tool and with.opportunityId (from the intake step)");
    // One attempt at a time transcribes an interview (a step job can run again while an earlier
    // attempt still works); the lease is taken before looking for a stored transcript, so an
    // attempt that just finished cannot be missed. A dry run stores nothing and takes no lease.
    const lease = dryRun ? null : await takeTranscriptionLease(db, connectionId, traceId, transcriptionDeadlineMs(config));
    try {
      return await transcribeOnce(params, event, db, connectionId, traceId, dryRun, tool, opportunityId, lease?.signal);
    } catch (error) {
      if (lease?.abortedFor() === "superseded") throw new TranscriptionInProgress(new Date(Date.now() + RENEW_MS));
      if (lease?.abortedFor() === "deadline") {
        throw new StepFailure(
          `too-slow: the transcription did not finish within ${Math.round(transcriptionDeadlineMs(config) / 60_000)} minutes (15 for the download plus interviews.maxMinutes); it was stopped`,
        );
      }
      throw error;
    } finally {
      await lease?.release();
    }
  };

  async function transcribeOnce(
    params: Record<string, unknown>,
    event: Record<string, unknown>,
    db: Queryable,
    connectionId: string,
    traceId: string,
    dryRun: boolean,
    tool: string,
    opportunityId: string,
    signal: AbortSignal | undefined,
  ): Promise<Record<string, unknown>> {
    if (!dryRun) {
      // A step that ran again after its transcript was stored does not transcribe twice.
      const { rows } = await db.query<{ id: string; source: string; engine: string; language: string; duration_seconds: number; segments: number }>(
        "select id, source, engine, language, duration_seconds, jsonb_array_length(transcript->'segments') as segments from interview_transcripts where connection_id = $1 and trace_id = $2",
        [connectionId, traceId],
      );
      const had = rows[0];
      if (had)
        return {
          recordId: String(had.id),
          source: had.source,
          engine: had.engine,
          language: had.language,
          durationSeconds: had.duration_seconds,
          segments: had.segments,
          reasons: ["transcript stored by an earlier attempt"],
        };
    }
    const recording = recordingOf(event);
    let result;
    try {
      result = await transcriptForRecording(
        {
          mediaUrl: recording.mediaUrl || undefined,
          transcript: recording.transcript || undefined,
          transcriptUrl: recording.transcriptUrl || undefined,
          transcriptFilename: recording.transcriptFilename || undefined,
        },
        {
          fetchPolicy: fetchPolicyOf(tool, options),
          engine: options.engine ?? transcriptionEngineOf(config),
          maxDurationSeconds: config.maxMinutes * 60,
          workDir: config.workDir ?? tmpdir(),
          signal,
        },
      );
    } catch (error) {
      throw stepFailureOf(error);
    }
    const t = result.transcript;
    const summary = {
      source: result.source,
      engine: t.engine,
      language: t.language,
      durationSeconds: t.durationSeconds,
      segments: t.segments.length,
      ...(result.transcriptProblem ? { transcriptProblem: result.transcriptProblem } : {}),
      reasons: [
        result.source === "media"
          ? `recording transcribed with ${t.engine} (${Math.round(t.durationSeconds)} s); the recording was deleted`
          : result.transcriptFrom
            ? `the platform's transcript, fetched from ${result.transcriptFrom} and used as it is`
            : "the platform's transcript, used as it is",
        ...(result.transcriptProblem
          ? [`the platform's transcript could not be read (${result.transcriptProblem}); the recording was transcribed instead`]
          : []),
      ],
    };
    // A dry run stores nothing: the transcript travels in the output to the analysis.
    if (dryRun) return { ...summary, transcript: t };
    const { rows } = await db.query<{ id: string }>(
      `insert into interview_transcripts (connection_id, opportunity_id, tool, tool_candidate_id, trace_id, posting_id, stage_id, source, engine, language, duration_seconds, transcript, expires_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::jsonb, now() + make_interval(days => $13::int))
       on conflict (connection_id, trace_id) do update set transcript = excluded.transcript
       returning id`,
      [
        connectionId,
        opportunityId,
        tool,
        str(params.toolCandidateId, 200) || null,
        traceId,
        str(params.postingId, 200) || null,
        str(params.stageId, 200) || null,
        result.source,
        t.engine,
        t.language,
        t.durationSeconds,
        JSON.stringify(t),
        config.retentionDays,
      ],
    );
    return { recordId: String(rows[0]!.id), ...summary };
  }
}

/** `0:07`, `12:03`, `1:02:09`. */
export function clockTime(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(mm).padStart(2, "0")}:${ss}` : `${mm}:${ss}`;
}

/** The player URL opened at `seconds` (`t=<whole seconds>`), or "" without a player URL. */
export function momentLink(playerUrl: string, seconds: number): string {
  if (!playerUrl) return "";
  try {
    const u = new URL(playerUrl);
    u.searchParams.set("t", String(Math.max(0, Math.floor(seconds))));
    return u.href;
  } catch {
    return "";
  }
}

const MAX_QUOTE = 600;
const quoted = (q: string) => `"${q.length > MAX_QUOTE ? `${q.slice(0, MAX_QUOTE)}…` : q}"`;

/**
 * The secret note's text: the summary, each question with the answer's time and quote (a link to
 * that moment when a player URL is given), the rubric evidence and the advisory score. The
 * interviewer check stays out: it is for the recruiter, not the candidate's record.
 */
export function interviewNote(analysis: InterviewAnalysis, o: { tool: string; playerUrl?: string | undefined; source: string }): string {
  const at = (seconds: number) => {
    const link = momentLink(o.playerUrl ?? "", seconds);
    return link ? `${clockTime(seconds)} (${link})` : clockTime(seconds);
  };
  const lines = [
    `Interview analysis from ${o.tool} (advisory; ${analysis.summary.engine === "local" ? "Fulcrum's local engine" : "an AI model"}; ${o.source === "media" ? "transcribed by Fulcrum" : "the platform's transcript"})`,
    "",
    analysis.summary.text,
    "",
    "Questions:",
  ];
  analysis.questions.forEach((q, i) => {
    lines.push(`${i + 1}. ${q.text}`);
    if (!q.asked) lines.push("   Not asked.");
    else if (!q.answer) lines.push(`   Asked at ${at(q.asked.start)}; no answer found.`);
    else lines.push(`   Answer at ${at(q.answer.start)}–${clockTime(q.answer.end)}: ${quoted(q.answer.quote)}`);
  });
  if (analysis.evidence) {
    lines.push("", "Rubric evidence:");
    for (const c of analysis.evidence.competencies) {
      lines.push(`- ${c.label}: ${c.status}`);
      for (const q of c.quotes) lines.push(`  ${at(q.start)} ${quoted(q.quote)}`);
    }
    if (analysis.evidence.score)
      lines.push("", `Advisory score: ${analysis.evidence.score.value}/100 (${analysis.evidence.score.tier}). ${analysis.evidence.score.note}`);
  }
  const c = analysis.metrics.speakers.candidate;
  const pace = c.wordsPerMinute === null ? "" : ` at ${Math.round(c.wordsPerMinute)} words per minute`;
  lines.push(
    "",
    `Descriptive only: the candidate spoke for ${Math.round(c.talkSeconds)} s (${Math.round(c.talkShare * 100)} % of the talk)${pace}. No emotion, face or voice analysis.`,
  );
  return lines.join("\n");
}

/** The triage tag for an advisory score under the posting's thresholds, or "" when either is missing. */
export function triageTag(score: number | undefined, triage: InterviewTriage | null | undefined): string {
  if (score === undefined || !triage) return "";
  const band = score >= triage.strongAt ? "strong" : score < triage.weakBelow ? "weak" : "review";
  return `${triage.tagPrefix}-${band}`;
}

/** The stored interview an analysis belongs to. */
interface StoredInterview {
  source: string;
  opportunity_id: string;
  posting_id: string | null;
  stage_id: string | null;
}

/** The proposal's reason for the inconsistency flags, without naming the other candidates. */
function inconsistencyReason(flags: InconsistentQuestionFlag[], ref: string): string {
  const each = flags.map((f) => {
    const n = inconsistencyNote(f, ref);
    const others = `${n.others} other candidate${n.others === 1 ? "" : "s"}`;
    return `"${f.text}" (${n.askedHere ? `asked here; not to ${others}` : `not asked here; asked to ${others}`})`;
  });
  return `${flags.length} question${flags.length === 1 ? "" : "s"} of the set asked to some candidates of this posting and not others: ${each.join(", ")}; shown here for the recruiter, not written to Lever`;
}

/**
 * Refuses an analysis that found none of the set's questions asked (`nothingMatched`). It fails the
 * step with the status word, as no-speech and corrupt do, rather than proposing a note without a
 * Lever action: the console already shows a failed run's status and message on the runs page, the
 * run reaches no action step in any mode (so nothing goes to Lever, even in auto), and the analysis
 * is not stored, so no other interview of the posting is compared with it.
 */
function refuseNothingMatched(analysis: InterviewAnalysis): void {
  const why = nothingMatched(analysis);
  if (why) throw new StepFailure(`nothing-matched: ${why}`);
}

/** `interview.analyze`: see the file's comment. */
export const interviewAnalyzeTask =
  (options: InterviewTaskOptions = {}): TaskHandler =>
  async ({ with: params, db, connectionId, dryRun, ai, traceId }) => {
    const questions = params.questions as InterviewQuestion[] | undefined;
    if (!Array.isArray(questions) || questions.length === 0)
      throw new StepFailure("questions-empty: the question set is empty: give at least one { id, text }");
    let transcript: Transcript;
    let source = str(params.source, 40);
    const recordId = str(params.recordId, 40);
    let stored: StoredInterview | undefined;
    if (recordId) {
      const { rows } = await db.query<{ transcript: unknown } & StoredInterview>(
        "select transcript, source, opportunity_id, posting_id, stage_id from interview_transcripts where id = $1 and connection_id = $2",
        [recordId, connectionId],
      );
      if (!rows[0]) throw new StepFailure(`interview transcript ${recordId} is gone (retention ended or the candidate was forgotten)`);
      transcript = transcriptSchema.parse(rows[0].transcript);
      source = rows[0].source;
      stored = rows[0];
    } else {
      const parsed = transcriptSchema.safeParse(params.transcript);
      if (!parsed.success) throw new StepFailure("interview.analyze needs with.recordId (or, in a dry run, with.transcript)");
      transcript = parsed.data;
    }
    let analysis: InterviewAnalysis;
    try {
      analysis = await analyzeWith(
        options.interviews ?? DEFAULTS,
        options.maxUntrustedChars,
        ai,
        traceId,
        transcript,
        questions,
        (params.rubric as InterviewRubric | null) ?? undefined,
      );
    } catch (error) {
      throw stepFailureOf(error);
    }
    refuseNothingMatched(analysis);
    if (stored && !dryRun) {
      // Against the posting's other candidates as they stand now; the console recomputes it when shown.
      analysis.flags.push(
        ...(await postingInconsistencies(db, {
          connectionId,
          recordId,
          opportunityId: stored.opportunity_id,
          postingId: stored.posting_id,
          stageId: stored.stage_id,
          questions: analysis.questions,
        })),
      );
      await db.query("update interview_transcripts set analysis = $2::jsonb, analyzed_at = now() where id = $1", [recordId, JSON.stringify(analysis)]);
    }
    const toolId = str(params.tool, 63);
    const tool = options.tools?.[toolId]?.name || toolId || "the interview platform";
    const playerUrl = str(params.playerUrl);
    const score = analysis.evidence?.score?.value;
    const tag = triageTag(score, params.triage as InterviewTriage | null);
    const improper = analysis.flags.filter((f) => f.kind === "improper-question");
    const unverified = analysis.flags.filter((f) => f.kind === "unverified-quote");
    const inconsistent = analysis.flags.filter((f) => f.kind === "inconsistent-question");
    const fallback = analysis.summary.fallbackReason;
    return {
      note: interviewNote(analysis, { tool, playerUrl, source }),
      triageTag: tag,
      ...(score !== undefined ? { score } : {}),
      asked: analysis.summary.asked,
      notAsked: analysis.summary.notAsked,
      // For the recruiter in the console, never written to Lever.
      interviewerCheck: analysis.flags,
      reasons: [
        analysis.summary.text.split("\n")[0] ?? "",
        ...(score !== undefined ? [`advisory score ${score}/100 from the rubric evidence${tag ? ` → tag ${tag}` : ""}; it moves no stage`] : []),
        ...(fallback ? [`answers found by Fulcrum's local engine because ${fallback}`] : []),
        ...(unverified.length
          ? [
              `${unverified.length} answer${unverified.length === 1 ? "" : "s"} from the AI model quoted words the transcript does not hold there: dropped, and found by the local engine instead`,
            ]
          : []),
        ...(improper.length
          ? [
              `${improper.length} question${improper.length === 1 ? "" : "s"} the interviewer should not have asked: shown here for the recruiter, not written to Lever`,
            ]
          : []),
        ...(inconsistent.length && stored ? [inconsistencyReason(inconsistent, stored.opportunity_id)] : []),
      ].filter(Boolean),
      evidence: analysis.questions.filter((q) => q.answer).map((q) => ({ question: q.id, start: q.answer!.start, end: q.answer!.end, quote: q.answer!.quote })),
      // Improper questions, and a model that invented quotes, keep the note from being applied without a person, whatever the mode.
      flags: [...(improper.length ? ["interviewer-check"] : []), ...(unverified.length ? ["unverified-quotes"] : [])],
      meta: { engine: analysis.summary.engine, ...(fallback ? { fallbackReason: fallback } : {}) },
    };
  };
