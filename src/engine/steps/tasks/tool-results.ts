/**
 * Results from other hiring tools (assessment and interview platforms), both ways.
 *
 * `tool.result` normalises a tool's result for the Lever actions that follow: who the candidate is
 * (or a pseudonym), pass or fail, and the note text. The tool's words are data: they are quoted in
 * the note, never acted on. Under a pseudonym nothing that identifies the person reaches Lever: no
 * e-mail, phone, links or real name (so Lever's e-mail de-duplication cannot merge the record into
 * the real contact), and the real name and e-mail are cut out of the tool's summary. Fulcrum keeps
 * the pseudonym → tool's candidate id mapping (`tool_candidates`), so a later result for the same
 * candidate goes to the same opportunity.
 *
 * `tool.link` records which opportunity the result went to. `tool.status` finds the tools that sent
 * the candidate a Lever event is about and builds their status callbacks (the `tool.status` action
 * sends them).
 *
 * The event body the tools send: `{ event, id?, candidate: { id?, name, email }, posting?, result:
 * { passed?, score?, maxScore?, summary?, url? } }`.
 */
import { createHash, randomBytes } from "node:crypto";
import { pseudonymModes, type PseudonymMode, type ToolConfig } from "../../../config/index.ts";
import type { Queryable } from "../../../store/index.ts";
import type { TaskHandler } from "../../ports.ts";
import { StepFailure } from "../../errors.ts";

const text = (v: unknown, max: number) => (typeof v === "string" ? v.slice(0, max) : "");
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/** The configured tools by id (the config file's `tools:` block). */
export type ToolSettings = Readonly<Record<string, ToolConfig>>;

/** One row of `tool_candidates`. */
interface ToolCandidate {
  tool: string;
  toolCandidateId: string;
  pseudonym: string | null;
  opportunityId: string | null;
}

const ROW = 'tool, tool_candidate_id as "toolCandidateId", pseudonym, opportunity_id as "opportunityId"';

/** The candidate a tool sent, by the tool's id for them. */
async function findToolCandidate(db: Queryable, connectionId: string, tool: string, toolCandidateId: string): Promise<ToolCandidate | null> {
  const { rows } = await db.query<ToolCandidate>(`select ${ROW} from tool_candidates where connection_id = $1 and tool = $2 and tool_candidate_id = $3`, [
    connectionId,
    tool,
    toolCandidateId,
  ]);
  return rows[0] ?? null;
}

/** Every tool candidate whose results went to this opportunity. */
async function toolCandidatesOf(db: Queryable, connectionId: string, opportunityId: string): Promise<ToolCandidate[]> {
  const { rows } = await db.query<ToolCandidate>(
    `select ${ROW} from tool_candidates where connection_id = $1 and opportunity_id = $2 order by tool, tool_candidate_id`,
    [connectionId, opportunityId],
  );
  return rows;
}

/**
 * Which pseudonym rule applies: the step's `pseudonyms`, else the old `pseudonym: true` (read as
 * `everyone`, with a deprecation message), else the tool's configured setting, else `none`.
 */
export function pseudonymRule(params: Record<string, unknown>, tool: ToolConfig | undefined): { mode: PseudonymMode; deprecation?: string } {
  const given = params.pseudonyms;
  if (given !== undefined && given !== null && given !== "") {
    if (!(pseudonymModes as readonly unknown[]).includes(given))
      throw new StepFailure(`pseudonyms: ${JSON.stringify(given)} is not one of ${pseudonymModes.join(", ")}`);
    return { mode: given as PseudonymMode };
  }
  if (params.pseudonym === true || params.pseudonym === "true") {
    return {
      mode: "everyone",
      deprecation:
        "with.pseudonym is deprecated: read as `pseudonyms: everyone`; write that instead (or `pseudonyms: unsuccessful` for failed candidates only)",
    };
  }
  return { mode: tool?.pseudonyms ?? "none" };
}

/** Cuts the candidate's e-mail, name and any other e-mail address or phone number out of a text shown under a pseudonym. */
export function withholdIdentity(value: string, identity: { email: string; name: string }): string {
  let out = value.replace(/[^\s@<>()"',;]+@[^\s@<>()"',;]+\.[A-Za-z]{2,}/g, "[withheld]").replace(/\+?\d[\d ().-]{7,}\d/g, "[withheld]");
  if (identity.email) out = out.split(identity.email).join("[withheld]");
  const names = [identity.name.trim(), ...identity.name.split(/\s+/)].filter((n) => n.length >= 2).sort((a, b) => b.length - a.length);
  for (const n of names) out = out.replace(new RegExp(`(?<![\\p{L}\\p{N}])${n.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![\\p{L}\\p{N}])`, "giu"), "[withheld]");
  return out;
}

/** `tool.result`: see the file's comment. `tools` is the config's `tools:` block. */
export function toolResultTask(tools: ToolSettings = {}): TaskHandler {
  return async ({ with: params, event, db, connectionId, dryRun }) => {
    const candidate = (event.candidate ?? {}) as Record<string, unknown>;
    const result = (event.result ?? {}) as Record<string, unknown>;
    const toolId = text(params.source, 63).trim() || "tool";
    const config = tools[toolId];
    // The configured name wins over a workflow's placeholder: it is also how tool.status knows the tool's candidates by source.
    const tool = config?.name || text(params.tool, 100).trim() || toolId;
    const email = text(candidate.email, 200).trim().toLowerCase();
    const validEmail = EMAIL.test(email);
    const rawId = typeof candidate.id === "number" && Number.isFinite(candidate.id) ? String(candidate.id) : text(candidate.id, 200).trim();
    if (!rawId && !validEmail) throw new StepFailure("the tool's event has neither candidate.id nor a valid candidate.email");
    // Without the tool's id, a digest of the e-mail stands for the candidate (never the e-mail itself).
    const toolCandidateId = rawId || `email-sha256:${createHash("sha256").update(email).digest("hex").slice(0, 32)}`;

    const score = typeof result.score === "number" ? result.score : null;
    const max = typeof result.maxScore === "number" ? result.maxScore : null;
    const threshold = typeof params.passScore === "number" ? params.passScore : Number(params.passScore);
    const passed = typeof result.passed === "boolean" ? result.passed : score !== null && Number.isFinite(threshold) ? score >= threshold : null;

    const { mode, deprecation } = pseudonymRule(params, config);
    const known = await findToolCandidate(db, connectionId, toolId, toolCandidateId);
    // Once a candidate has a pseudonym (or real details) in Lever, later results keep it: the same opportunity, never revealed.
    const pseudonymous = known?.opportunityId ? known.pseudonym !== null : mode === "everyone" || (mode === "unsuccessful" && passed === false);
    // A candidate Fulcrum already placed needs no e-mail: the result goes to their opportunity.
    if (!pseudonymous && !validEmail && !known?.opportunityId)
      throw new StepFailure("the tool's event has no valid candidate.email, and this candidate is not written under a pseudonym");

    let pseudonym: string | null = null;
    if (pseudonymous) {
      pseudonym = known?.pseudonym ?? `Candidate ${randomBytes(4).toString("hex")}`;
      if (!dryRun && !known?.pseudonym) {
        // Fixed before Lever sees it, so a retried run or the next result reuses the same pseudonym.
        await db.query(
          `insert into tool_candidates (connection_id, tool, tool_candidate_id, pseudonym) values ($1, $2, $3, $4)
           on conflict (connection_id, tool, tool_candidate_id) do update set pseudonym = excluded.pseudonym, updated_at = now()
             where tool_candidates.pseudonym is null and tool_candidates.opportunity_id is null`,
          [connectionId, toolId, toolCandidateId, pseudonym],
        );
        pseudonym = (await findToolCandidate(db, connectionId, toolId, toolCandidateId))?.pseudonym ?? pseudonym;
      }
    }
    const realName = text(candidate.name, 200).trim();
    const shown = (s: string) => (pseudonymous ? withholdIdentity(s, { email, name: realName }) : s);
    const summary = shown(text(result.summary, 4000));
    const url = text(result.url, 500);
    const reportUrl = url.startsWith("https://") && shown(url) === url ? url : "";
    const note = [
      `${tool} result: ${passed === null ? "no verdict" : passed ? "PASS" : "FAIL"}${score !== null ? ` (${score}${max !== null ? `/${max}` : ""})` : ""}`,
      ...(summary ? ["", `Summary from ${tool}: "${summary}"`] : []),
      ...(reportUrl ? ["", `Full report: ${reportUrl}`] : []),
    ].join("\n");
    const posting = text(event.posting, 100);
    return {
      candidate: {
        name: pseudonym ?? (realName || email),
        // Under a pseudonym: no emails, phones or links at all, so Lever has nothing to match on.
        ...(pseudonymous || !validEmail ? {} : { emails: [email] }),
        ...(posting ? { postings: [posting] } : {}),
        stage: String(params.defaultStage ?? "lead-new"),
        sources: [tool],
        origin: "sourced",
        tags: pseudonymous ? ["anonymous-interview"] : [],
      },
      tool: toolId,
      toolCandidateId,
      pseudonymous,
      pseudonym,
      knownOpportunityId: known?.opportunityId ?? "",
      passed,
      resultTag: `${String(params.tagPrefix ?? "assessment")}-${passed === null ? "no-verdict" : passed ? "pass" : "fail"}`,
      note,
      reasons: [note.split("\n")[0]!],
      ...(deprecation ? { deprecation } : {}),
    };
  };
}

/**
 * `tool.link`: the opportunity a tool's result went to (`knownOpportunityId`, else the one the find
 * step found or created, or an assessment was sent to), remembered for the tool's candidate id.
 * Nothing is remembered in a dry run, without the tool's candidate id, or when no opportunity was
 * written (shadow). When two results for one new candidate raced and each created an opportunity,
 * the first one remembered wins: the output names it, so the rest of this run writes there too.
 */
export const toolLinkTask: TaskHandler = async ({ with: params, db, connectionId, dryRun }) => {
  const tool = text(params.tool, 63).trim();
  const toolCandidateId = text(params.toolCandidateId, 200).trim();
  const given = text(params.knownOpportunityId, 200).trim() || text(params.opportunityId, 200).trim();
  if (!tool) throw new StepFailure("tool.link needs with.tool (the tool's id, e.g. {{ steps.result.output.tool }})");
  const pseudonym = text(params.pseudonym, 200).trim() || null;
  if (!given || !toolCandidateId || dryRun) return { opportunityId: given, remembered: false };
  const { rows } = await db.query<{ opportunity_id: string }>(
    `insert into tool_candidates (connection_id, tool, tool_candidate_id, pseudonym, opportunity_id) values ($1, $2, $3, $4, $5)
     on conflict (connection_id, tool, tool_candidate_id) do update set opportunity_id = coalesce(tool_candidates.opportunity_id, excluded.opportunity_id),
       pseudonym = coalesce(tool_candidates.pseudonym, excluded.pseudonym), updated_at = now()
     returning opportunity_id`,
    [connectionId, tool, toolCandidateId, pseudonym, given],
  );
  const opportunityId = rows[0]?.opportunity_id ?? given;
  return {
    opportunityId,
    remembered: true,
    ...(opportunityId !== given
      ? { duplicateOpportunityId: given, reasons: [`another result for this candidate created opportunity ${opportunityId} first; ${given} stays empty`] }
      : {}),
  };
};

/**
 * Forgets which tools sent a candidate Lever deleted (the engine calls this for every
 * candidateDeleted, whichever workflows are enabled). Returns how many records went.
 */
export async function forgetToolCandidates(db: Queryable, connectionId: string, opportunityId: string): Promise<number> {
  const { rows } = await db.query("delete from tool_candidates where connection_id = $1 and opportunity_id = $2 returning tool", [connectionId, opportunityId]);
  return rows.length;
}

/** The body of a status callback (`tool-calls.ts` lets only these fields leave, whatever a proposal holds). */
interface ToolStatusBody {
  event: string;
  candidateId: string | null;
  opportunityId: string | null;
  stage: { id: string; text: string } | null;
  archived: { reason: string } | null;
  occurredAt: string;
}

const idOf = (v: unknown): string =>
  typeof v === "string" ? v : v && typeof v === "object" && typeof (v as { id?: unknown }).id === "string" ? (v as { id: string }).id : "";

/**
 * `tool.status`: for a candidateStageChange or candidateArchiveChange, the callbacks owed to the
 * tools that sent this candidate (an opportunity Fulcrum wrote a tool's result to, or one whose
 * sources carry a configured tool's name, or tagged `tool:<id>`) and that have a `statusUrl`. For a
 * pseudonymous candidate the callback names only the tool's id.
 */
export function toolStatusTask(tools: ToolSettings = {}): TaskHandler {
  return async ({ with: params, event, db, connectionId, fetch }) => {
    const name = text(params.event, 100);
    const opportunityId = idOf(event.opportunityId) || idOf(event.candidateId);
    if (!opportunityId) return { callbacks: [], reasons: ["the event names no opportunity"] };
    const reporting = Object.entries(tools).filter(([, t]) => t.statusUrl);
    if (reporting.length === 0) return { callbacks: [], reasons: ["no tool has a statusUrl"] };
    const sent = (await toolCandidatesOf(db, connectionId, opportunityId)).filter((c) => tools[c.tool]?.statusUrl);
    const targets: { tool: string; candidateId: string | null; pseudonymous: boolean }[] = sent.map((c) => ({
      tool: c.tool,
      candidateId: c.toolCandidateId,
      pseudonymous: c.pseudonym !== null,
    }));
    let ctx = await fetch(["opportunity"]);
    const opp = ctx.opportunity;
    for (const [id, t] of reporting) {
      if (targets.some((x) => x.tool === id)) continue;
      const bySource = (opp?.sources ?? []).some((s) => s.toLowerCase() === (t.name ?? id).toLowerCase() || s.toLowerCase() === id);
      const byTag = (opp?.tags ?? []).some((s) => s.toLowerCase() === `tool:${id}`);
      if (bySource || byTag) targets.push({ tool: id, candidateId: null, pseudonymous: false });
    }
    if (targets.length === 0) return { callbacks: [], reasons: ["no tool sent this candidate"] };

    ctx = await fetch(["stages", "archiveReasons"]);
    const stageId = name === "candidateStageChange" ? idOf(event.toStageId) : idOf(opp?.stage);
    const stage = stageId ? { id: stageId, text: ctx.stages?.find((s) => s.id === stageId)?.text ?? stageId } : null;
    const archivedNow = name === "candidateArchiveChange" ? (event.toArchived as { reason?: unknown } | null | undefined) : opp?.archived;
    const reasonId = archivedNow ? idOf(archivedNow.reason) : "";
    const archived = archivedNow ? { reason: ctx.archiveReasons?.find((r) => r.id === reasonId)?.text ?? reasonId } : null;
    const at = Number(params.occurredAt);
    const occurredAt = new Date(Number.isFinite(at) && at > 0 ? at : Date.now()).toISOString();
    const callbacks = targets.map((t) => ({
      tool: t.tool,
      body: {
        event: name,
        candidateId: t.candidateId,
        opportunityId: t.pseudonymous ? null : opportunityId,
        stage,
        archived,
        occurredAt,
      } satisfies ToolStatusBody,
    }));
    const what = name === "candidateArchiveChange" ? (archived ? `archived (${archived.reason})` : "unarchived") : `moved to ${stage?.text ?? "another stage"}`;
    return { callbacks, tools: targets.map((t) => t.tool), reasons: [`the candidate ${what}; ${targets.map((t) => t.tool).join(", ")} sent them`] };
  };
}
