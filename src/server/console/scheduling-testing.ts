/**
 * Test seam: a run of the built-in interview-scheduling workflow stored as the engine stores one —
 * the `propose` step's output made by the real proposal code from given calendars, and the
 * `book` proposal (or the gate that asks a person) waiting — without Lever or calendar servers.
 */
import { normaliseAvailability, type InterviewerAvailability, type RawItem } from "../../calendars/index.ts";
import { schedulingConfigSchema, type SchedulingConfigInput } from "../../config/index.ts";
import { loadWorkflows } from "../../engine/index.ts";
import { businessDays, planPanel, proposeSchedule, readWindow, type PanelUser } from "../../scheduling/index.ts";
import type { Queryable } from "../../store/index.ts";

export interface SeedPanelInput {
  users: PanelUser[];
  panel: SchedulingConfigInput;
  /** Calendar items per Lever user id (working hours 09:00–17:00 on weekdays in `zone`). */
  items?: Record<string, RawItem[]> | undefined;
  /** Lever user ids whose calendars could not be read, with why. */
  unreadable?: Record<string, string> | undefined;
  zone: string;
  now: number;
  candidateName: string;
  opportunityId: string;
  posting: { id: string; text: string; hiringManager?: string };
  stage?: { id: string; text: string } | undefined;
}

/** Stores the run, its propose step and its proposal; answers the proposal id and what was proposed. */
export async function seedSchedulingProposal(
  db: Queryable,
  input: SeedPanelInput,
): Promise<{ proposalId: string; runId: string; proposal: ReturnType<typeof proposeSchedule> }> {
  const stage = input.stage ?? { id: "st-onsite", text: "On-site Interview" };
  const plan = planPanel(schedulingConfigSchema.parse(input.panel), { ...input.posting, followers: [] }, stage, input.users);
  const days = businessDays(input.now, input.zone, plan.windowBusinessDays);
  const window = readWindow(days);
  const hours = {
    mon: [["09:00", "17:00"]],
    tue: [["09:00", "17:00"]],
    wed: [["09:00", "17:00"]],
    thu: [["09:00", "17:00"]],
    fri: [["09:00", "17:00"]],
  } as const;
  const everyone = [...new Set(plan.sessions.flatMap((s) => s.pool))];
  const availability: InterviewerAvailability[] = everyone.map((id) => {
    const why = input.unreadable?.[id];
    if (why) return { leverUserId: id, ok: false as const, error: why, retryable: false };
    const email = input.users.find((u) => u.id === id)?.email ?? `${id}@example.com`;
    const a = normaliseAvailability({
      identity: { id, email },
      timezone: input.zone,
      window,
      items: input.items?.[id] ?? [],
      workingHours: structuredClone(hours) as never,
      policy: { bufferMinutes: plan.bufferMinutes },
    });
    return { leverUserId: id, ok: true as const, source: "configured" as const, notes: [], ...a };
  });
  const traceId = `trace-${input.opportunityId}`;
  const proposal = proposeSchedule({
    plan,
    users: input.users,
    availability,
    candidate: { name: input.candidateName, email: `${input.opportunityId}@mail.example`, timezone: input.zone },
    opportunityId: input.opportunityId,
    postingId: input.posting.id,
    stageId: stage.id,
    panelKey: `${input.opportunityId}:${stage.id}:${traceId}`,
    now: input.now,
    interviewPattern: "\\binterview",
  });
  const output = {
    configured: true,
    feasible: proposal.feasible,
    booking: proposal.booking,
    options: proposal.options,
    reason: proposal.reason,
    candidateTimezone: input.zone,
    timezoneSource: "given",
    panelSource: plan.source,
    window: proposal.window,
    notes: proposal.notes,
    calendars: proposal.calendars,
    reasons: proposal.reasons,
    evidence: proposal.options.slice(1).map((o) => ({ kind: "alternative", label: o.label, reasons: o.reasons, booking: o.booking })),
    confidence: proposal.feasible ? 1 : 0,
  };
  const workflow = loadWorkflows().workflows.find((w) => w.workflow.id === "interview-scheduling")!.workflow;
  const context = {
    opportunity: { id: input.opportunityId, name: input.candidateName, stage: stage },
    posting: { id: input.posting.id, text: input.posting.text },
  };
  const { rows } = await db.query<{ id: string }>(
    `insert into workflow_runs (run_key, workflow_id, workflow_hash, workflow, connection_id, event, trace_id, opportunity_id, posting_id, status, context, current_step, deadline_at)
     values ($1, 'interview-scheduling', 'seeded', $2, 'default', $3, $4, $5, $6, 'waiting', $7, $8, now() + interval '1 day') returning id`,
    [
      `seed:${input.opportunityId}:${traceId}`,
      JSON.stringify(workflow),
      JSON.stringify({ type: "manual", connectionId: "default", key: traceId, traceId }),
      traceId,
      input.opportunityId,
      input.posting.id,
      JSON.stringify(context),
      proposal.feasible ? "book" : "unschedulable",
    ],
  );
  const runId = rows[0]!.id;
  const stepId = proposal.feasible ? "book" : "unschedulable";
  await db.query(
    `insert into workflow_steps (run_id, step_id, position, type, generation, status, output, finished_at) values ($1, 'propose', 0, 'task', 1, 'succeeded', $2, now()),
     ($1, $3, $4, $5, 1, 'waiting', null, null)`,
    [runId, JSON.stringify(output), stepId, proposal.feasible ? 2 : 1, proposal.feasible ? "scheduling.book" : "approval"],
  );
  const action = proposal.feasible
    ? { type: "scheduling.book", opportunityId: input.opportunityId, booking: proposal.booking }
    : { type: "approval", message: `No interview panel could be proposed for ${input.candidateName}: ${proposal.reason}` };
  const { rows: p } = await db.query<{ id: string }>(
    `insert into proposals (run_id, step_id, generation, workflow_id, connection_id, opportunity_id, posting_id, kind, action, summary, reasons, evidence, confidence, mode, policy, status, trace_id)
     values ($1, $2, 1, 'interview-scheduling', 'default', $3, $4, $5, $6, $7, $8, $9, $10, 'assist', '[]', 'pending', $11) returning id`,
    [
      runId,
      stepId,
      input.opportunityId,
      input.posting.id,
      action.type,
      JSON.stringify(action),
      proposal.feasible ? `Book the panel for ${input.candidateName}` : "Approve to continue the workflow",
      JSON.stringify(proposal.reasons),
      JSON.stringify(output.evidence),
      output.confidence,
      traceId,
    ],
  );
  return { proposalId: p[0]!.id, runId, proposal };
}
