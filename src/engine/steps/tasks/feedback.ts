/**
 * `feedback.review`: after an interview, who still owes feedback (to nudge them) and, once every
 * interviewer has submitted, a synthesis against the role's competencies (numbers computed in code
 * by the AI layer's feedback-synthesis step, the summary by the model or local engine).
 */
import type { LeverFeedback, LeverInterview } from "../../../lever/index.ts";
import type { TaskHandler } from "../../ports.ts";

/** The interview of the event (or the latest past one) and its feedback status. */
export const feedbackReviewTask: TaskHandler = async ({ with: params, fetch, ai, traceId, event }) => {
  const ctx = await fetch(["opportunity", "posting", "interviews", "feedback"]);
  // The run's context holds what the gateway read from Lever, kept as JSON with the run.
  const interviews = (ctx.interviews ?? []) as LeverInterview[];
  const iv =
    interviews.find((i) => i.id === event.interviewId) ?? interviews.filter((i) => (i.date ?? 0) < Date.now()).sort((a, b) => (b.date ?? 0) - (a.date ?? 0))[0];
  if (!iv || iv.canceledAt) return { interview: null, missing: [], allIn: false, mentions: "", reasons: ["no past interview to follow up"] };
  const feedback = ((ctx.feedback ?? []) as LeverFeedback[]).filter((f) => !f.deletedAt);
  const submittedBy = new Set(
    feedback.filter((f) => f.completedAt && (!f.interview || f.interview === iv.id)).map((f) => (typeof f.user === "string" ? f.user : (f.user?.id ?? ""))),
  );
  const interviewers = iv.interviewers ?? [];
  const missing = interviewers.filter((p) => !submittedBy.has(p.id ?? ""));
  // Lever notifies a user mentioned as @username; usernames come from the e-mail's local part.
  const mentions = missing.map((p) => (p.email ? `@${p.email.split("@")[0]}` : (p.name ?? p.id ?? ""))).join(" ");
  const base = {
    interview: { id: iv.id, date: iv.date ?? null },
    missing: missing.map((p) => ({ id: p.id ?? null, name: p.name ?? null })),
    allIn: interviewers.length > 0 && missing.length === 0,
    mentions,
    reasons: missing.length
      ? [`${missing.length} of ${interviewers.length} interviewer(s) have not submitted feedback`]
      : [`all ${interviewers.length} interviewer(s) submitted feedback`],
  };
  if (!base.allIn || !ai) return base;
  const competencies = Array.isArray(params.competencies) ? params.competencies.map(String) : [];
  const { output, meta } = await ai({
    prompt: "feedback-synthesis",
    input: { competencies, feedback: feedback.slice(0, 100), expectedInterviewers: interviewers.map((p) => p.id ?? p.name ?? "") },
    onUnavailable: "local",
    traceId,
  });
  const o = output as {
    overall: { average: number | null; count: number };
    competencies: { name: string; average: number | null; count: number; disagreement: boolean; quotes: string[] }[];
    summary: string;
  };
  const note = [
    `Feedback synthesis for ${ctx.posting?.text ?? "this role"} (${o.overall.count} scorecard(s)${o.overall.average !== null ? `, average ${o.overall.average.toFixed(1)}/4` : ""})`,
    "",
    o.summary,
    "",
    ...o.competencies.map(
      (c) =>
        `• ${c.name}: ${c.average !== null ? `${c.average.toFixed(1)}/4 from ${c.count}` : "not rated"}${c.disagreement ? " — interviewers disagree, discuss in the debrief" : ""}${c.quotes[0] ? ` ("${c.quotes[0].slice(0, 160)}")` : ""}`,
    ),
    "",
    meta.engine === "model"
      ? `Written with ${String(meta.model ?? "a model")} (${String(meta.prompt ?? "")}).`
      : `Written by Fulcrum's local engine (${String(meta.prompt ?? "")}).`,
  ].join("\n");
  return { ...base, synthesis: o, note, evidence: o.competencies.flatMap((c) => c.quotes.slice(0, 1).map((q) => ({ competency: c.name, quote: q }))), meta };
};
