/**
 * A run's actions proposed together. When a run waits for a person on an action, the action steps
 * after it whose inputs are already known (rendered from outputs the run has, not from an earlier
 * action's result) are proposed at once, pending in the same run, so a person decides on them
 * together. Each still applies in the workflow's order: the run reaches its step only after the
 * steps before it, and reads the decision there (see `outcomeOfExisting`).
 */
import type { Queryable } from "../../store/index.ts";
import { evaluate, isActionStep, type ActionStep, type Step } from "../workflows/index.ts";
import type { AuditRecordInput, EngineContext, NewProposal, ProposalRow, RunRow } from "./context.ts";
import { scopeOf } from "./run-state.ts";
import { draftProposal, renderProposal } from "./propose.ts";

type Outputs = Record<string, { status: string; output: Record<string, unknown> | null }>;

const TEMPLATE = /\{\{\s*([\w$.-]+)\s*\}\}/g;

/** Every path a step reads: its templates, its conditions' paths and the step it is `because` of. */
function pathsOf(value: unknown, out: string[] = []): string[] {
  if (typeof value === "string") for (const m of value.matchAll(TEMPLATE)) out.push(m[1]!);
  else if (Array.isArray(value)) for (const v of value) pathsOf(v, out);
  else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (k === "path" && typeof v === "string") out.push(v);
      else pathsOf(v, out);
    }
  }
  return out;
}

/**
 * Whether everything a step reads is known now: the outputs of steps that have finished (or that
 * the run will pass over), and context the run has loaded. A step that reads an action not yet
 * carried out, or context a later step would load, waits for the run to get there.
 */
function inputsKnown(step: ActionStep, known: Outputs, context: Record<string, unknown>): boolean {
  const { id: _id, name: _name, because, ...rest } = step as ActionStep & { name?: string };
  const paths = pathsOf(rest);
  if (because) paths.push(`steps.${because}`);
  return paths.every((path) => {
    const [root, part] = path.split(".");
    if (root === "steps") return part !== undefined && part in known;
    if (root === "context") return part !== undefined && part in context;
    return true;
  });
}

/**
 * The pending proposals of the action steps after `step` that can be known now, in the workflow's
 * order, to store with the step's waiting outcome. It stops at the first step that cannot be:
 * one that is not an action (an approval gate, a branch, a task…), reads what is not known yet,
 * has a condition that cannot be evaluated, or that policy would apply or only record (auto and
 * shadow actions keep their turn). Steps whose condition does not hold, or that have nothing to
 * do, are passed over as the run will pass over them. Proposals already made are made again here
 * and left out when stored (one per run, step and generation).
 */
export async function proposeAhead(engine: EngineContext, run: RunRow, step: Step, steps: Outputs): Promise<NewProposal[]> {
  const all = run.workflow.steps;
  const known: Outputs = Object.fromEntries(Object.entries(steps).filter(([id, s]) => id !== step.id && (s.status === "succeeded" || s.status === "skipped")));
  const out: NewProposal[] = [];
  for (let i = all.findIndex((s) => s.id === step.id) + 1; i > 0 && i < all.length; i++) {
    const next = all[i]!;
    if (!isActionStep(next) || !inputsKnown(next, known, run.context as Record<string, unknown>)) break;
    const scope = scopeOf(run, known);
    if (next.if) {
      let holds: boolean;
      try {
        holds = evaluate(next.if, scope);
      } catch {
        break;
      }
      if (!holds) {
        known[next.id] = { status: "skipped", output: { skipped: "condition did not hold" } };
        continue;
      }
    }
    let rendered: ReturnType<typeof renderProposal>;
    try {
      rendered = renderProposal(run, next, scope);
    } catch {
      break; // its own job renders it again and records the failure
    }
    if (rendered.skip) {
      known[next.id] = { status: "skipped", output: { skipped: rendered.skip } };
      continue;
    }
    const draft = await draftProposal(engine, run, next, scope, rendered, undefined);
    if (draft.status !== "pending") break;
    out.push({ ...draft, status: "pending" });
  }
  return out;
}

/**
 * Withdraws the pending proposals of a run's generation (all of them, or those of the steps after
 * `after`): expired by the system with the reason, recorded as decisions. Returns their audit
 * records, to append last in the caller's transaction, and the proposals withdrawn.
 */
export async function withdrawPending(
  q: Queryable,
  run: Pick<RunRow, "id" | "generation" | "workflow">,
  reason: string,
  after?: string,
): Promise<{ records: AuditRecordInput[]; withdrawn: ProposalRow[] }> {
  const order = run.workflow.steps.map((s) => s.id);
  const from = after === undefined ? -1 : order.indexOf(after);
  const later = order.slice(from + 1);
  const { rows } = await q.query<ProposalRow>(
    `with w as (
       update proposals set status = 'expired', decided_by = 'system', decided_at = now(), decision_reason = $4, updated_at = now()
       where run_id = $1 and generation = $2 and step_id = any($3::text[]) and status = 'pending' returning *),
     d as (insert into proposal_decisions (proposal_id, actor, decision, reason) select id, 'system', 'expire', $4 from w)
     select * from w order by id`,
    [run.id, run.generation, later, reason],
  );
  const records = rows.map(
    (p): AuditRecordInput => ({
      kind: "proposal.expired",
      traceId: p.trace_id,
      actor: "system",
      subject: { connectionId: p.connection_id, runId: String(p.run_id), proposalId: String(p.id), opportunityId: p.opportunity_id ?? undefined },
      data: { reason },
    }),
  );
  return { records, withdrawn: rows };
}
