/**
 * `tool.result`: a result from another hiring tool (assessment or interview platform), normalised
 * for the Lever actions that follow: who the candidate is (or a stable pseudonym for anonymous
 * interviews), pass or fail, and the note text. The tool's words are data: they are quoted in the
 * note, never acted on.
 *
 * The event body the tools send: `{ event, id?, candidate: { name, email }, posting?, result:
 * { passed?, score?, maxScore?, summary?, url? } }`.
 */
import { createHash } from "node:crypto";
import type { TaskHandler } from "../../runs/ports.ts";

const text = (v: unknown, max: number) => (typeof v === "string" ? v.slice(0, max) : "");

export const toolResultTask: TaskHandler = async ({ with: params, event }) => {
  const candidate = (event.candidate ?? {}) as Record<string, unknown>;
  const result = (event.result ?? {}) as Record<string, unknown>;
  const email = text(candidate.email, 200).trim().toLowerCase();
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) throw Object.assign(new Error("the tool's event has no valid candidate.email"), { retryable: false });
  const tool = String(params.tool ?? "the hiring tool");
  const pseudonym = params.pseudonym === true || params.pseudonym === "true";
  const name = pseudonym ? `Candidate ${createHash("sha256").update(email).digest("hex").slice(0, 8)}` : text(candidate.name, 200).trim() || email;
  const score = typeof result.score === "number" ? result.score : null;
  const max = typeof result.maxScore === "number" ? result.maxScore : null;
  const threshold = typeof params.passScore === "number" ? params.passScore : Number(params.passScore);
  const passed = typeof result.passed === "boolean" ? result.passed : score !== null && Number.isFinite(threshold) ? score >= threshold : null;
  const url = text(result.url, 500);
  const note = [
    `${tool} result: ${passed === null ? "no verdict" : passed ? "PASS" : "FAIL"}${score !== null ? ` (${score}${max !== null ? `/${max}` : ""})` : ""}`,
    ...(text(result.summary, 4000) ? ["", `Summary from ${tool}: "${text(result.summary, 4000)}"`] : []),
    ...(url.startsWith("https://") ? ["", `Full report: ${url}`] : []),
  ].join("\n");
  const posting = text(event.posting, 100);
  return {
    candidate: {
      name,
      emails: [email],
      ...(posting ? { postings: [posting] } : {}),
      stage: String(params.defaultStage ?? "lead-new"),
      sources: [tool],
      origin: "sourced",
      tags: pseudonym ? ["anonymous-interview"] : [],
    },
    passed,
    resultTag: `${String(params.tagPrefix ?? "assessment")}-${passed === null ? "no-verdict" : passed ? "pass" : "fail"}`,
    note,
    reasons: [note.split("\n")[0]!],
  };
};
