/**
 * Calls Fulcrum makes to other hiring tools: the status callback (a candidate the tool sent moved
 * stage or was archived) and the assessment invitation. Both are signed POSTs to the URL the admin
 * configured for the tool (`tools.<id>.statusUrl` / `inviteUrl`), with the tool's own secret
 * (FULCRUM_TOOL_SECRET_<ID>, the one its inbound events are signed with), through the SSRF guard.
 * Each carries an id that stays the same when the job queue retries, in the body and in
 * `X-Fulcrum-Event-Id`, so the tool can drop repeats.
 */
import { z } from "zod";
import type { ToolConfig } from "../../config/index.ts";
import { OutboundBlockedError } from "../../notify/index.ts";
import type { LeverGateway } from "../ports.ts";
import { StepFailure } from "../errors.ts";
import { signedCall } from "./signed-http.ts";

/** The environment variable that holds a tool's secret, e.g. FULCRUM_TOOL_SECRET_CODILITY. */
export function toolSecretName(tool: string): string {
  return `FULCRUM_TOOL_SECRET_${tool.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`;
}

export interface ToolCallDeps {
  tools?: Readonly<Record<string, ToolConfig>> | undefined;
  env: NodeJS.ProcessEnv;
  allowHosts?: readonly string[] | undefined;
}

function toolOf(tool: string, field: "statusUrl" | "inviteUrl", deps: ToolCallDeps): { url: string; secret: string; config: ToolConfig } {
  const config = deps.tools && Object.hasOwn(deps.tools, tool) ? deps.tools[tool] : undefined;
  if (!config) throw new StepFailure(`no tool "${tool}" is configured (add tools.${tool} to the config file)`);
  const url = config[field];
  if (!url) throw new StepFailure(`tool "${tool}" has no ${field} (set tools.${tool}.${field} in the config file)`);
  const secret = deps.env[toolSecretName(tool)];
  if (!secret || secret.length < 16) throw new StepFailure(`tool "${tool}" has no signing secret (set ${toolSecretName(tool)}, at least 16 characters)`);
  return { url, secret, config };
}

async function post(url: string, body: Record<string, unknown>, id: string, secret: string, deps: ToolCallDeps) {
  try {
    return await signedCall(url, body, { secret, allowHosts: deps.allowHosts, headers: { "x-fulcrum-event-id": id } });
  } catch (error) {
    // A refused address will not become acceptable on a retry.
    if (error instanceof OutboundBlockedError) throw new StepFailure(error.message);
    throw error;
  }
}

/** The status callback's body: exactly these fields, so a proposal can carry nothing else to the tool. */
const statusBodySchema = z.strictObject({
  event: z.string().max(100),
  candidateId: z.string().max(200).nullable(),
  opportunityId: z.string().max(200).nullable(),
  stage: z.strictObject({ id: z.string().max(200), text: z.string().max(500) }).nullable(),
  archived: z.strictObject({ reason: z.string().max(500) }).nullable(),
  occurredAt: z.string().max(40),
});
const callbacksSchema = z.array(z.strictObject({ tool: z.string().min(1).max(63), body: statusBodySchema })).max(20);

/** Sends each status callback (`tool.status` action); `key` is the step's idempotency key. */
export async function sendToolStatus(callbacks: unknown, key: string, deps: ToolCallDeps): Promise<Record<string, unknown>> {
  const parsed = callbacksSchema.safeParse(callbacks ?? []);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new StepFailure(`callbacks${issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("")}: ${issue.message}`);
  }
  const sent: { tool: string; status: number }[] = [];
  for (const cb of parsed.data) {
    const { url, secret } = toolOf(cb.tool, "statusUrl", deps);
    const id = `${key}:${cb.tool}`;
    const r = await post(url, { id, ...cb.body }, id, secret, deps);
    sent.push({ tool: cb.tool, status: r.status });
  }
  return { sent };
}

/** What a tool answers to an invitation: the link the candidate opens. */
const inviteReplySchema = z
  .object({
    url: z.string().optional(),
    invitationUrl: z.string().optional(),
    link: z.string().optional(),
    candidateId: z.union([z.string(), z.number()]).optional(),
  })
  .transform((r) => ({ url: r.url ?? r.invitationUrl ?? r.link, candidateId: r.candidateId === undefined ? undefined : String(r.candidateId) }));

/**
 * Sends an assessment (`assessment.send` action): reads the candidate's e-mail from Lever, asks the
 * tool for an invitation, and writes the link back to the opportunity as a Lever link and a note.
 * The e-mail goes to this tool only; nothing else about the candidate does.
 */
export async function sendAssessment(
  input: { opportunityId: string; tool: string; assessment: string },
  key: string,
  deps: ToolCallDeps & { lever: LeverGateway },
): Promise<Record<string, unknown>> {
  const { url, secret, config } = toolOf(input.tool, "inviteUrl", deps);
  if (!input.assessment.trim()) throw new StepFailure("assessment.send needs the tool's assessment id (with.assessment)");
  const opp = await deps.lever.getOpportunity(input.opportunityId);
  const emails = Array.isArray(opp.emails) ? opp.emails.filter((e): e is string => typeof e === "string" && /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(e)) : [];
  if (emails.length === 0)
    throw new StepFailure(
      `opportunity ${input.opportunityId} has no e-mail address in Lever (a pseudonymous candidate has none), so no assessment can be sent`,
    );
  const reply = await post(
    url,
    { id: key, event: "assessment.invite", assessment: input.assessment, opportunityId: input.opportunityId, candidate: { email: emails[0] } },
    key,
    secret,
    deps,
  );
  let body: unknown;
  try {
    body = JSON.parse(reply.body);
  } catch {
    throw new StepFailure(`${input.tool} answered the invitation with something that is not JSON`);
  }
  const parsed = inviteReplySchema.safeParse(body);
  const link = parsed.success ? parsed.data.url : undefined;
  if (!link || !/^https:\/\/[^\s]+$/.test(link) || link.length > 2000) {
    throw new StepFailure(`${input.tool} answered the invitation without an https link (expected {"url": "https://…"})`);
  }
  const name = config.name ?? input.tool;
  await deps.lever.addLinks(input.opportunityId, [link], { key: `${key}:link` });
  const note = await deps.lever.addNote(
    input.opportunityId,
    { value: `${name}: assessment "${input.assessment}" sent to the candidate.\nInvitation: ${link}` },
    { key: `${key}:note` },
  );
  return {
    sent: true,
    tool: input.tool,
    assessment: input.assessment,
    link,
    noteId: note.id ?? null,
    ...(parsed.data?.candidateId ? { toolCandidateId: parsed.data.candidateId } : {}),
  };
}
