/**
 * `scheduling.propose`: proposes interview panel times for a candidate who entered a stage. Reads the
 * opportunity, posting, stage and users from Lever, resolves the panel (`scheduling.panels`, else
 * the posting's hiring manager and followers), maps the interviewers to calendar identities, reads
 * their availability live over the window, picks the candidate's time zone, and solves. The output's
 * `booking` is the best option as `scheduling.book` params; `options` holds 2–3 options with their
 * reasons (the others are also evidence, so a person can pick one by editing the booking). When
 * nothing fits, `feasible` is false and `reason` names the session, pool or constraint that blocks.
 * `calendars` keeps each interviewer's working time and blocking events over the window as the
 * solver saw them (capped), so the console can draw the day.
 */
import type { CalendarProvider, CalendarSecrets, CalendarsConfig } from "../../../calendars/index.ts";
import { calendarsConfigSchema, openCalendarProvider, readAvailability } from "../../../calendars/index.ts";
import { schedulingConfigSchema, type SchedulingConfig } from "../../../config/index.ts";
import { businessDays, candidateTimezone, planPanel, proposeSchedule, readWindow, type PanelUser } from "../../../scheduling/index.ts";
import type { ApplicationLike } from "../../workflows/index.ts";
import type { TaskHandler } from "../../runs/ports.ts";

export interface SchedulingSettings {
  calendars?: CalendarsConfig | undefined;
  scheduling?: SchedulingConfig | undefined;
  /** Opens sealed calendar secrets (the service's secret box); env references and clear values need none. */
  secrets?: CalendarSecrets | undefined;
  /** Test seam: the moment proposals are made from (default the clock). */
  now?: (() => number) | undefined;
}

const str = (v: unknown): string | undefined => (typeof v === "string" && v.trim() !== "" ? v.trim() : undefined);

/** The `scheduling.propose` task over the configuration's calendars and panels. */
export function schedulingProposeTask(settings: SchedulingSettings = {}): TaskHandler {
  const calendars = settings.calendars ?? calendarsConfigSchema.parse({});
  const scheduling = settings.scheduling ?? schedulingConfigSchema.parse({});
  // One provider per connection for the process (tokens are cached inside them), opened on first use.
  let providers: Map<string, CalendarProvider> | undefined;
  const open = () => (providers ??= new Map(calendars.connections.map((c) => [c.id, openCalendarProvider(c, calendars, settings.secrets)])));

  return async ({ with: params, fetch, lever, event, traceId }) => {
    if (calendars.connections.length === 0) {
      // Nothing to read free/busy from: recorded on the run, nobody is asked to act on every stage move.
      const reason = "no calendar connection is configured (calendars.connections), so no interview times can be proposed";
      return { configured: false, feasible: false, reason, message: reason, options: [], reasons: [reason], confidence: 0 };
    }
    const ctx = await fetch(["opportunity", "posting", "stages"]);
    const opp = ctx.opportunity;
    if (!opp) throw Object.assign(new Error("scheduling.propose: this event names no opportunity"), { retryable: false });
    const stageRef = str(params.stage) ?? str(event.toStageId) ?? (typeof opp.stage === "object" ? opp.stage?.id : str(opp.stage));
    if (!stageRef) throw Object.assign(new Error("scheduling.propose: no stage: the event has no toStageId and the opportunity no stage"), { retryable: false });
    const stage = ctx.stages?.find((s) => s.id === stageRef || s.text.toLowerCase() === stageRef.toLowerCase()) ?? { id: stageRef, text: stageRef };
    if (!lever.listUsers) throw Object.assign(new Error("scheduling.propose: this Lever gateway cannot list users"), { retryable: false });
    const users: PanelUser[] = await lever.listUsers();
    const posting = ctx.posting as { id: string; text?: string; hiringManager?: string | null; followers?: string[] | null; country?: string; categories?: { location?: string } } | undefined;
    const plan = planPanel(scheduling, posting, stage, users);

    const app = opp.applications?.find((a): a is ApplicationLike => typeof a === "object" && a !== null);
    const zone = candidateTimezone({
      given: str(params.timezone),
      applicationTimezone: str(app?.timezone),
      candidateLocation: str(opp.location),
      postingLocation: posting?.categories?.location,
      postingCountry: str(posting?.country),
      defaultTimezone: calendars.defaultTimezone,
    });
    const now = settings.now?.() ?? Date.now();
    const days = businessDays(now, zone.timezone, plan.windowBusinessDays);
    const everyone = [...new Set([...plan.sessions.flatMap((s) => s.pool), ...(plan.shadow?.pool ?? [])])];
    const byId = new Map(users.map((u) => [u.id, u]));
    const availability = plan.problems.length > 0 || everyone.length === 0
      ? []
      : await readAvailability(calendars, open(), { users: everyone.map((id) => ({ id, email: byId.get(id)?.email, name: byId.get(id)?.name })), window: readWindow(days), bufferMinutes: plan.bufferMinutes });
    const emails = Array.isArray(opp.emails) ? (opp.emails as unknown[]).filter((e): e is string => typeof e === "string") : [];
    const proposal = proposeSchedule({
      plan,
      users,
      availability,
      candidate: { name: str(opp.name) ?? "the candidate", email: emails[0], timezone: zone.timezone },
      opportunityId: opp.id,
      postingId: posting?.id,
      stageId: stage.id,
      panelKey: `${opp.id}:${stage.id}:${traceId}`,
      now,
      interviewPattern: scheduling.interviewPattern,
      maxOptions: typeof params.options === "number" ? params.options : undefined,
      format: params.format === "onsite" ? "onsite" : "video",
    });
    const panelWhat = plan.source === "template" ? `panel ${plan.templatePath}` : "the posting's hiring manager and followers (no panel configured for this stage)";
    const context = [`candidate's time zone ${zone.timezone}: ${zone.detail}`, `panel: ${panelWhat}`];
    return {
      configured: true,
      feasible: proposal.feasible,
      booking: proposal.booking,
      options: proposal.options,
      reason: proposal.reason,
      message: proposal.feasible
        ? `${proposal.options.length} options for ${str(opp.name) ?? "the candidate"} (${stage.text}); the first is proposed for booking, the others are in the evidence`
        : `No interview panel could be proposed for ${str(opp.name) ?? "the candidate"} (${stage.text}): ${proposal.reason}. Schedule it by hand, or change the panel or calendars and run the workflow again.`,
      candidateTimezone: zone.timezone,
      timezoneSource: zone.source,
      panelSource: plan.source,
      window: proposal.window,
      notes: proposal.notes,
      // What the solver saw, for the console's day timeline (compact and capped).
      calendars: proposal.calendars,
      reasons: [...proposal.reasons, ...context, ...proposal.notes].slice(0, 50),
      evidence: proposal.options.slice(1).map((o) => ({ kind: "alternative", label: o.label, reasons: o.reasons, booking: o.booking })),
      confidence: proposal.feasible ? 1 : 0,
    };
  };
}
