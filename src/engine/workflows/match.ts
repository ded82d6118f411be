/**
 * Matching: which workflows an event starts. A pure function of the event and the Lever data
 * gathered for it, so it can be tested exhaustively and run anywhere.
 */
import { parseDuration as parseMs } from "./duration.ts";
import { evaluate } from "./template.ts";
import type { ApplicationLike, EngineEvent, MatchContext, PostingLike } from "./event.ts";
import type { Conditions, Trigger, Workflow } from "./schema.ts";

const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const eq = (a: string | undefined | null, b: string | undefined | null) => !!a && !!b && a.toLowerCase() === b.toLowerCase();

/** What a set of conditions needs fetched before it can be decided. */
export type ContextNeed = "opportunity" | "posting" | "stages" | "archiveReasons";

export function conditionNeeds(when: Conditions | undefined): Set<ContextNeed> {
  const needs = new Set<ContextNeed>();
  if (!when) return needs;
  if (when.stage) needs.add("stages");
  if (when.archived !== undefined || when.hired !== undefined) needs.add("archiveReasons");
  if (when.tags || when.origin || when.source || when.confidentiality || when.answers || when.archived !== undefined || when.match) needs.add("opportunity");
  if (when.posting || when.department || when.team || when.location || when.commitment) {
    needs.add("opportunity");
    needs.add("posting");
  }
  return needs;
}

/** Everything the candidate workflows for this event need, so the engine fetches it once. */
export function contextNeeds(workflows: Workflow[], event: EngineEvent): Set<ContextNeed> {
  const needs = new Set<ContextNeed>();
  for (const wf of workflows) {
    for (const t of wf.triggers) {
      if (!triggerAccepts(t, wf, event)) continue;
      if ("when" in t) for (const n of conditionNeeds(t.when)) needs.add(n);
    }
  }
  return needs;
}

function stageMatches(wanted: string[], stageId: unknown, ctx: MatchContext): boolean {
  if (typeof stageId !== "string") return false;
  const stage = ctx.stages?.find((s) => s.id === stageId);
  return wanted.some((w) => w === stageId || eq(w, stage?.text));
}

function applicationOf(ctx: MatchContext): ApplicationLike | undefined {
  const app = ctx.opportunity?.applications?.[0];
  return typeof app === "object" ? app : undefined;
}

function postingOf(ctx: MatchContext): PostingLike | undefined {
  if (ctx.posting) return ctx.posting;
  const p = applicationOf(ctx)?.posting;
  return typeof p === "object" && p ? p : typeof p === "string" ? { id: p } : undefined;
}

function archiveOf(event: EngineEvent, ctx: MatchContext): { archived: boolean; reason: string | undefined } {
  if (event.source === "lever" && event.name === "candidateArchiveChange") {
    const to = event.data.toArchived as { reason?: string } | null | undefined;
    return { archived: !!to, reason: to?.reason ?? undefined };
  }
  const a = ctx.opportunity?.archived;
  return { archived: !!a, reason: a?.reason ?? undefined };
}

/** True when every condition holds for this event and context. */
export function conditionsHold(when: Conditions | undefined, event: EngineEvent, ctx: MatchContext): boolean {
  if (!when) return true;
  const opp = ctx.opportunity;
  if (when.stage) {
    const to = event.data.toStageId ?? (typeof opp?.stage === "object" ? opp?.stage?.id : opp?.stage);
    if (when.stage.to && !stageMatches(list(when.stage.to), to, ctx)) return false;
    if (when.stage.from && !stageMatches(list(when.stage.from), event.data.fromStageId, ctx)) return false;
  }
  const { archived, reason } = archiveOf(event, ctx);
  const reasonObj = ctx.archiveReasons?.find((r) => r.id === reason);
  const hired = (event.source === "lever" && event.name === "candidateHired") || (archived && reasonObj?.type === "hired");
  if (when.hired !== undefined && hired !== when.hired) return false;
  if (when.archived !== undefined) {
    if (typeof when.archived === "boolean") {
      if (archived !== when.archived) return false;
    } else {
      if (!archived) return false;
      if (when.archived.reason && !list(when.archived.reason).some((r) => r === reason || eq(r, reasonObj?.text))) return false;
      if (when.archived.reasonType) {
        const type = reasonObj?.type === "hired" ? "hired" : "non-hired";
        if (!reasonObj || type !== when.archived.reasonType) return false;
      }
    }
  }
  if (when.tags) {
    const tags = opp?.tags ?? [];
    if (!list(when.tags.present).every((t) => tags.some((x) => eq(x, t)))) return false;
    if (list(when.tags.absent).some((t) => tags.some((x) => eq(x, t)))) return false;
  }
  if (when.origin && !list(when.origin).includes(opp?.origin ?? "")) return false;
  if (when.source && !list(when.source).some((s) => (opp?.sources ?? []).some((x) => eq(x, s)))) return false;
  if (when.confidentiality && opp?.confidentiality !== when.confidentiality) return false;
  const posting = postingOf(ctx);
  if (when.posting && !list(when.posting).some((p) => p === posting?.id || eq(p, posting?.text))) return false;
  const cats = posting?.categories;
  if (when.department && !list(when.department).some((d) => eq(d, cats?.department))) return false;
  if (when.team && !list(when.team).some((d) => eq(d, cats?.team))) return false;
  if (when.commitment && !list(when.commitment).some((d) => eq(d, cats?.commitment))) return false;
  if (when.location && !list(when.location).some((d) => eq(d, cats?.location) || (cats?.allLocations ?? []).some((l) => eq(l, d)))) return false;
  if (when.answers) {
    // Lever's schema leaves custom questions unknown (forms of fields), so they are read leniently.
    const fields = (applicationOf(ctx)?.customQuestions ?? []).flatMap((q) => {
      const list = (q as { fields?: unknown } | null)?.fields;
      return Array.isArray(list) ? (list as { text?: unknown; value?: unknown }[]) : [];
    });
    for (const a of when.answers) {
      const field = fields.find((f) => typeof f.text === "string" && eq(f.text.trim(), a.question.trim()));
      if (!field) return false;
      const values = (Array.isArray(field.value) ? field.value : [field.value]).map((v) => String(v ?? ""));
      if (a.equals !== undefined && !values.some((v) => eq(v, a.equals))) return false;
      if (a.in && !values.some((v) => a.in!.some((x) => eq(v, x)))) return false;
      if (a.contains !== undefined && !values.some((v) => v.toLowerCase().includes(a.contains!.toLowerCase()))) return false;
    }
  }
  if (when.match && !evaluate(when.match, { event, context: ctx })) return false;
  return true;
}

/** Whether the trigger is of the event's kind (before conditions). */
function triggerAccepts(t: Trigger, wf: Workflow, event: EngineEvent): boolean {
  if ("lever" in t) return event.source === "lever" && list(t.lever).includes(event.name);
  if ("source" in t) return event.source === "tool" && event.tool === t.source && (t.event === undefined || list(t.event).includes(event.name));
  if ("schedule" in t) return event.source === "schedule" && event.workflowId === wf.id;
  if ("timer" in t) return event.source === "timer" && event.workflowId === wf.id;
  return event.source === "manual" && event.workflowId === wf.id;
}

export interface Match {
  workflow: Workflow;
  triggerIndex: number;
}

/** The enabled workflows this event starts (each at most once, by its first matching trigger). */
export function matchWorkflows(workflows: Workflow[], event: EngineEvent, ctx: MatchContext): Match[] {
  const matches: Match[] = [];
  for (const workflow of workflows) {
    if (!workflow.enabled) continue;
    const triggerIndex = workflow.triggers.findIndex(
      // Timers fire with the conditions already checked when they were armed.
      (t) => triggerAccepts(t, workflow, event) && ("when" in t && !("timer" in t) ? conditionsHold(t.when, event, ctx) : true),
    );
    if (triggerIndex >= 0) matches.push({ workflow, triggerIndex });
  }
  return matches;
}

export interface TimerArm {
  workflow: Workflow;
  triggerIndex: number;
  fireAt: number;
  /** One timer per workflow × subject: a later event re-arms (replaces) it. */
  key: string;
}

/** Timers this event arms (e.g. "1h after the interview ends"). */
export function armTimers(workflows: Workflow[], event: EngineEvent, ctx: MatchContext): TimerArm[] {
  const arms: TimerArm[] = [];
  if (event.source !== "lever") return arms;
  for (const workflow of workflows) {
    if (!workflow.enabled) continue;
    workflow.triggers.forEach((t, triggerIndex) => {
      if (!("timer" in t) || !list(t.timer.on).includes(event.name)) return;
      if (!conditionsHold(t.when, event, ctx)) return;
      let base: number | undefined;
      if (t.timer.at === "event.triggeredAt") base = event.triggeredAt;
      else if (typeof ctx.interview?.date === "number") {
        base = ctx.interview.date + (t.timer.at === "interview.end" ? (ctx.interview.duration ?? 0) * 60_000 : 0);
      }
      if (base === undefined) return;
      const offset = (t.timer.after ? parseMs(t.timer.after) : 0) - (t.timer.before ? parseMs(t.timer.before) : 0);
      const subject = String(event.data.interviewId ?? ctx.interview?.id ?? event.data.opportunityId ?? event.key);
      arms.push({ workflow, triggerIndex, fireAt: base + offset, key: `${workflow.id}:${triggerIndex}:${subject}` });
    });
  }
  return arms;
}
