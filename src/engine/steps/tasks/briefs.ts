/**
 * Tasks that gather a run's Lever data into an AI step's input and turn its structured output into
 * text a person reads in Lever: the interview packet, the approval brief, and the nurture draft's
 * input. The AI layer does the writing (model or local engine); these only assemble and format.
 */
import type { RunContext, TaskHandler } from "../../ports.ts";

function htmlToText(html: string): string {
  return html
    .replace(/<li>/g, "\n- ")
    .replace(/<[^>]+>/g, " ")
    .replace(/&amp;/g, "&")
    .replace(/&nbsp;/g, " ")
    .replace(/[ \t]+/g, " ")
    .trim();
}

function postingText(ctx: RunContext): string {
  const c = (ctx.posting?.content ?? {}) as { description?: string; lists?: { text?: string; content?: string }[] };
  return [c.description ?? "", ...(c.lists ?? []).map((l) => `${l.text ?? ""}\n${htmlToText(l.content ?? "")}`)].join("\n\n").slice(0, 100_000);
}

/** Competencies to score: from `with.competencies`, else the posting's requirement list items. */
function competencies(ctx: RunContext, given: unknown): string[] {
  if (Array.isArray(given) && given.length) return given.map(String).slice(0, 12);
  const lists = ((ctx.posting?.content ?? {}) as { lists?: { text?: string; content?: string }[] }).lists ?? [];
  const req = lists.find((l) => /requirement|qualification|looking for|you have|about you/i.test(l.text ?? "")) ?? lists[0];
  return [...(req?.content ?? "").matchAll(/<li>(.*?)<\/li>/g)].map((m) => htmlToText(m[1]!).slice(0, 120)).slice(0, 8);
}

function stageName(ctx: RunContext, id: unknown): string | undefined {
  if (typeof id !== "string") return undefined;
  return ctx.stages?.find((s) => s.id === id)?.text ?? id;
}

function engineLine(meta: Record<string, unknown>): string {
  return meta.engine === "model"
    ? `Written with ${String(meta.model ?? "a model")} (${String(meta.prompt ?? "")}).`
    : `Written by Fulcrum's local engine (${String(meta.prompt ?? "")}), no model used.`;
}

/** `interview.packet`: a guide for the interviewers of the stage the candidate entered. */
export const interviewPacketTask: TaskHandler = async ({ with: params, fetch, ai, traceId, event }) => {
  if (!ai) throw Object.assign(new Error("the interview packet needs the AI layer"), { retryable: false });
  const ctx = await fetch(["opportunity", "posting", "resume", "feedback", "stages"]);
  const input = {
    posting: { title: ctx.posting?.text ?? "the role", text: postingText(ctx), competencies: competencies(ctx, params.competencies) },
    stage: stageName(ctx, event.toStageId),
    candidateName: typeof ctx.opportunity?.name === "string" ? ctx.opportunity.name : undefined,
    resumeText: ctx.resume?.text ?? "",
    feedback: (ctx.feedback ?? []).slice(0, 20),
  };
  const { output, meta } = await ai({ prompt: String(params.prompt ?? "interview-packet"), input, onUnavailable: "local", traceId });
  const o = output as {
    summary: string;
    competencies: { name: string; questions: string[]; lookFor: string }[];
    probes: { topic: string; reason: string; quote?: string }[];
  };
  const note = [
    `Interview packet${input.stage ? ` for ${input.stage}` : ""}: ${input.posting.title}`,
    "",
    o.summary,
    "",
    "Competencies to score:",
    ...o.competencies.flatMap((c) => [`• ${c.name} — look for: ${c.lookFor}`, ...c.questions.map((q) => `   – ${q}`)]),
    ...(o.probes.length ? ["", "Points to probe:", ...o.probes.map((p) => `• ${p.topic}: ${p.reason}${p.quote ? ` ("${p.quote.slice(0, 200)}")` : ""}`)] : []),
    "",
    engineLine(meta),
  ].join("\n");
  return {
    ...o,
    note,
    reasons: o.probes.map((p) => `${p.topic}: ${p.reason}`),
    evidence: o.probes.filter((p) => p.quote).map((p) => ({ quote: p.quote, topic: p.topic })),
    meta,
  };
};

/** `approval.brief`: candidate summary, feedback synthesis, missing data and compliance checks. */
export const approvalBriefTask: TaskHandler = async ({ with: params, fetch, ai, traceId }) => {
  if (!ai) throw Object.assign(new Error("the approval brief needs the AI layer"), { retryable: false });
  const ctx = await fetch(["opportunity", "posting", "resume", "feedback", "interviews"]);
  const interviewers = [
    ...new Set(
      (ctx.interviews ?? []).flatMap((i) => ((i as { interviewers?: { name?: string; id?: string }[] }).interviewers ?? []).map((x) => x.name ?? x.id ?? "")),
    ),
  ].filter(Boolean);
  const cats = (ctx.posting?.categories ?? {}) as { department?: string };
  const input = {
    candidate: {
      name: typeof ctx.opportunity?.name === "string" ? ctx.opportunity.name : undefined,
      headline: typeof ctx.opportunity?.headline === "string" ? ctx.opportunity.headline : undefined,
    },
    posting: {
      title: ctx.posting?.text ?? "the role",
      ...(cats.department ? { department: cats.department } : {}),
      competencies: competencies(ctx, params.competencies),
    },
    resumeText: ctx.resume?.text ?? "",
    feedback: (ctx.feedback ?? []).slice(0, 30),
    expectedInterviewers: interviewers,
    offer: (params.offer ?? {}) as Record<string, unknown>,
    requiredOfferFields: Array.isArray(params.requiredOfferFields) ? params.requiredOfferFields.map(String) : [],
  };
  const { output, meta } = await ai({ prompt: String(params.prompt ?? "approval-brief"), input, onUnavailable: "local", traceId });
  const o = output as {
    summary: string;
    feedback: { summary: string; overallAverage: number | null; scorecards: number };
    strengths: string[];
    concerns: string[];
    missingData: string[];
    complianceChecks: { check: string; status: string; detail: string }[];
  };
  const mark = { pass: "✓", warn: "!", fail: "✗" } as Record<string, string>;
  const note = [
    `Approval brief: ${input.candidate.name ?? "candidate"} for ${input.posting.title}`,
    "",
    o.summary,
    "",
    `Feedback (${o.feedback.scorecards} scorecard(s)${o.feedback.overallAverage !== null ? `, average ${o.feedback.overallAverage.toFixed(1)}/4` : ""}): ${o.feedback.summary}`,
    ...(o.strengths.length ? ["", "Strengths:", ...o.strengths.map((s) => `• ${s}`)] : []),
    ...(o.concerns.length ? ["", "Concerns:", ...o.concerns.map((s) => `• ${s}`)] : []),
    ...(o.missingData.length ? ["", "Missing:", ...o.missingData.map((s) => `• ${s}`)] : []),
    "",
    "Checks:",
    ...o.complianceChecks.map((c) => `${mark[c.status] ?? "?"} ${c.check}: ${c.detail}`),
    "",
    engineLine(meta),
  ].join("\n");
  const flags = [
    ...o.complianceChecks.filter((c) => c.status === "fail").map((c) => `check-failed:${c.check}`),
    ...(o.missingData.length ? ["missing-data"] : []),
  ];
  return {
    ...o,
    note,
    summaryText: `${input.candidate.name ?? "A candidate"} for ${input.posting.title}: ${o.summary.slice(0, 600)}`,
    reasons: [...o.strengths, ...o.concerns].slice(0, 20),
    flags,
    meta,
  };
};

/** `nurture.prepare`: the nurture e-mail step's input from the archived candidate's data. */
export const nurturePrepareTask: TaskHandler = async ({ with: params, fetch }) => {
  const ctx = await fetch(["opportunity", "posting", "resume", "archiveReasons"]);
  const name = typeof ctx.opportunity?.name === "string" && ctx.opportunity.name.trim() ? ctx.opportunity.name.trim() : "there";
  const profile = (ctx.resume?.profile ?? {}) as { skills?: ({ name?: string } | string)[] };
  const skills = [...new Set((profile.skills ?? []).map((s) => (typeof s === "string" ? s : (s.name ?? ""))).filter(Boolean))].slice(0, 12);
  const reasonId = ctx.opportunity?.archived?.reason;
  const reason = ctx.archiveReasons?.find((r) => r.id === reasonId)?.text;
  const cats = (ctx.posting?.categories ?? {}) as { team?: string };
  return {
    input: {
      candidate: { firstName: name.split(/\s+/)[0]!, name },
      posting: { title: ctx.posting?.text ?? "the role", ...(cats.team ? { team: cats.team } : {}) },
      company: String(params.company ?? "our company"),
      recruiter: { name: String(params.recruiter ?? "The recruiting team") },
      skills,
      ...(reason ? { archiveReason: reason } : {}),
      futureRoles: Array.isArray(params.futureRoles) ? params.futureRoles.map(String) : [],
    },
    skillTags: skills.slice(0, 6).map((s) => `skill:${s.toLowerCase()}`),
    email: Array.isArray(ctx.opportunity?.emails) ? ((ctx.opportunity.emails as string[])[0] ?? null) : null,
  };
};
