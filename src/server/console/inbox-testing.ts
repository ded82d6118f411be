/**
 * Test seam: runs stored as the engine stores them — the built-in workflow's definition with the
 * run, the justifying step's input and output, and the proposals waiting — for the console's
 * decision cards and transcript view, without Lever or a model.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadWorkflows } from "../../engine/index.ts";
import { analyzeInterview, LABELLED_CORPUS_DIR, parseQuestionFile, parseTranscriptFile, type Transcript } from "../../interviews/index.ts";
import type { Queryable } from "../../store/index.ts";

interface SeedBase {
  candidateName: string;
  opportunityId: string;
  posting: { id: string; text: string };
  stage?: string | undefined;
}

async function insertRun(db: Queryable, workflowId: string, input: SeedBase, traceId: string): Promise<string> {
  const workflow = loadWorkflows().workflows.find((w) => w.workflow.id === workflowId)!.workflow;
  const context = {
    opportunity: { id: input.opportunityId, name: input.candidateName, stage: { id: "st-1", text: input.stage ?? "New applicant" } },
    posting: { id: input.posting.id, text: input.posting.text },
  };
  const { rows } = await db.query<{ id: string }>(
    `insert into workflow_runs (run_key, workflow_id, workflow_hash, workflow, connection_id, event, trace_id, opportunity_id, posting_id, status, context, deadline_at)
     values ($1, $2, 'seeded', $3, 'default', $4, $5, $6, $7, 'waiting', $8, now() + interval '1 day') returning id`,
    [
      `seed:${workflowId}:${traceId}`,
      workflowId,
      JSON.stringify(workflow),
      JSON.stringify({ type: "manual", connectionId: "default", key: traceId, traceId }),
      traceId,
      input.opportunityId,
      input.posting.id,
      JSON.stringify(context),
    ],
  );
  return String(rows[0]!.id);
}

async function insertStep(
  db: Queryable,
  runId: string,
  stepId: string,
  position: number,
  type: string,
  status: string,
  stepInput: unknown,
  output: unknown,
): Promise<void> {
  await db.query(
    "insert into workflow_steps (run_id, step_id, position, type, generation, status, input, output, finished_at) values ($1, $2, $3, $4, 1, $5, $6, $7, now())",
    [runId, stepId, position, type, status, stepInput === null ? null : JSON.stringify(stepInput), output === null ? null : JSON.stringify(output)],
  );
}

async function insertProposal(
  db: Queryable,
  p: {
    runId: string;
    stepId: string;
    workflowId: string;
    opportunityId: string;
    postingId: string;
    kind: string;
    action: unknown;
    summary: string;
    reasons?: string[];
    evidence?: unknown[];
    confidence?: number | null;
    flags?: string[];
    policy: string[];
    traceId: string;
    status?: string;
  },
): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `insert into proposals (run_id, step_id, generation, workflow_id, connection_id, opportunity_id, posting_id, kind, action, summary, reasons, evidence, confidence, flags, mode, policy, status, trace_id)
     values ($1, $2, 1, $3, 'default', $4, $5, $6, $7, $8, $9, $10, $11, $12, 'assist', $13, $14, $15) returning id`,
    [
      p.runId,
      p.stepId,
      p.workflowId,
      p.opportunityId,
      p.postingId,
      p.kind,
      JSON.stringify(p.action),
      p.summary,
      JSON.stringify(p.reasons ?? []),
      JSON.stringify(p.evidence ?? []),
      p.confidence ?? null,
      JSON.stringify(p.flags ?? []),
      JSON.stringify(p.policy),
      p.status ?? "pending",
      p.traceId,
    ],
  );
  return String(rows[0]!.id);
}

export interface SeedScreeningInput extends SeedBase {
  score: number;
  recommendation: "advance" | "hold" | "reject";
  confidence: number;
  flags?: string[] | undefined;
  /** The bar the screen step was given (the workflow's `settings.advanceAt`, rendered as text). */
  advanceAt?: string | undefined;
}

/** An application-screening run whose note, tags and (for advance) stage move wait for a person. */
export async function seedScreeningRun(db: Queryable, input: SeedScreeningInput): Promise<{ runId: string; proposalIds: string[] }> {
  const traceId = `trace-screen-${input.opportunityId}`;
  const runId = await insertRun(db, "application-screening", input, traceId);
  const flags = input.flags ?? [];
  const reasons = [`score ${input.score} against the posting's requirements`];
  await insertStep(
    db,
    runId,
    "screen",
    0,
    "task",
    "succeeded",
    { advanceAt: input.advanceAt ?? "75", rejectBelow: "40" },
    {
      score: input.score,
      tier: input.score >= 75 ? "strong" : input.score >= 50 ? "possible" : "weak",
      confidence: input.confidence,
      recommendation: input.recommendation,
      recommendationReason: `score ${input.score} against the bar`,
      reasons,
      evidence: [{ criterion: "TypeScript", status: "met", quotes: ["Five years of TypeScript"] }],
      flags,
      note: `Fulcrum screening: ${input.score}/100`,
      meta: { engine: "local" },
    },
  );
  const policy = ["mode workflow assist", "assist: waits for a person"];
  const common = {
    runId,
    workflowId: "application-screening",
    opportunityId: input.opportunityId,
    postingId: input.posting.id,
    reasons,
    confidence: input.confidence,
    flags,
    policy,
    traceId,
  };
  const ids = [
    await insertProposal(db, {
      ...common,
      stepId: "note",
      kind: "lever.note",
      action: { type: "lever.note", body: `Fulcrum screening: ${input.score}/100`, secret: true },
      summary: "Add a secret note",
    }),
    await insertProposal(db, {
      ...common,
      stepId: "tags",
      kind: "lever.tags",
      action: { type: "lever.tags", add: [`fulcrum-recommend-${input.recommendation}`] },
      summary: `Add tags: fulcrum-recommend-${input.recommendation}`,
    }),
  ];
  if (input.recommendation === "advance") {
    ids.push(
      await insertProposal(db, {
        ...common,
        stepId: "advance",
        kind: "lever.stage",
        action: { type: "lever.stage", stage: "Recruiter Screen" },
        summary: "Move to stage Recruiter Screen",
      }),
    );
  }
  return { runId, proposalIds: ids };
}

/** The labelled accountant interview (WebVTT with voices) and its question set, analysed by the local engine. */
export function sampleInterview(): { transcript: Transcript; analysis: ReturnType<typeof analyzeInterview> } {
  const read = (name: string) => readFileSync(join(LABELLED_CORPUS_DIR, name), "utf8");
  const transcript = parseTranscriptFile(read("accountant.vtt"), "accountant.vtt");
  const questions = parseQuestionFile(read("accountant.questions.yaml"), "accountant.questions.yaml");
  return { transcript, analysis: analyzeInterview(transcript, questions) };
}

export interface SeedInterviewInput extends SeedBase {
  /** The platform's player URL (https), when it gave one. */
  playerUrl?: string | undefined;
  /** Repeats the transcript's segments this many times (times shifted), to make a long one. */
  repeat?: number | undefined;
  /** Leave the transcript row out, as after its retention ended. */
  forgotten?: boolean | undefined;
}

/** An interview-analysis run whose secret note waits for a person, with its transcript and analysis stored. */
export async function seedInterviewRun(
  db: Queryable,
  input: SeedInterviewInput,
): Promise<{ runId: string; proposalId: string; transcript: Transcript; analysis: ReturnType<typeof analyzeInterview> }> {
  const traceId = `trace-interview-${input.opportunityId}`;
  const runId = await insertRun(db, "interview-analysis", input, traceId);
  const { transcript: one, analysis } = sampleInterview();
  const repeat = Math.max(1, input.repeat ?? 1);
  const segments = Array.from({ length: repeat }, (_, r) =>
    one.segments.map((s) => ({ ...s, start: s.start + r * one.durationSeconds, end: s.end + r * one.durationSeconds })),
  ).flat();
  const transcript: Transcript = { ...one, durationSeconds: one.durationSeconds * repeat, segments };
  let recordId = "0";
  if (!input.forgotten) {
    const { rows } = await db.query<{ id: string }>(
      `insert into interview_transcripts (connection_id, opportunity_id, tool, trace_id, posting_id, source, engine, language, duration_seconds, transcript, analysis, analyzed_at, expires_at)
       values ('default', $1, 'willo', $2, $3, 'platform-transcript', 'transcript', $4, $5, $6, $7, now(), now() + interval '180 days') returning id`,
      [input.opportunityId, traceId, input.posting.id, transcript.language, transcript.durationSeconds, JSON.stringify(transcript), JSON.stringify(analysis)],
    );
    recordId = String(rows[0]!.id);
  }
  await insertStep(
    db,
    runId,
    "intake",
    0,
    "task",
    "succeeded",
    { tool: "willo" },
    { opportunityId: input.opportunityId, postingId: input.posting.id, tool: "willo", playerUrl: input.playerUrl ?? "", questions: [], reasons: [] },
  );
  await insertStep(
    db,
    runId,
    "transcribe",
    1,
    "task",
    "succeeded",
    { tool: "willo" },
    { recordId, source: "platform-transcript", engine: "transcript", segments: segments.length },
  );
  const improper = analysis.flags.filter((f) => f.kind === "improper-question");
  await insertStep(
    db,
    runId,
    "analyze",
    2,
    "task",
    "succeeded",
    { recordId },
    {
      note: analysis.summary.text,
      triageTag: "",
      asked: analysis.summary.asked,
      interviewerCheck: analysis.flags,
      flags: improper.length ? ["interviewer-check"] : [],
      reasons: [analysis.summary.text.split("\n")[0]],
      meta: { engine: "local" },
    },
  );
  const proposalId = await insertProposal(db, {
    runId,
    stepId: "note",
    workflowId: "interview-analysis",
    opportunityId: input.opportunityId,
    postingId: input.posting.id,
    kind: "lever.note",
    action: { type: "lever.note", body: analysis.summary.text, secret: true },
    summary: "Add a secret note with the interview analysis",
    reasons: [analysis.summary.text.split("\n")[0] ?? ""],
    evidence: analysis.questions.filter((q) => q.answer).map((q) => ({ question: q.id, start: q.answer!.start, end: q.answer!.end, quote: q.answer!.quote })),
    flags: improper.length ? ["interviewer-check"] : [],
    policy: ["mode workflow assist", "assist: waits for a person"],
    traceId,
  });
  return { runId, proposalId, transcript, analysis };
}
