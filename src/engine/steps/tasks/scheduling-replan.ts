/**
 * `scheduling.replan`: re-plans a booked panel after a change the calendar watcher (or `fulcrum
 * schedule reschedule`) reported — an interviewer declined, an event was cancelled or moved, the
 * candidate asked to move. Reads the panel as booked, the panel plan (pools, caps, buffer) for its
 * posting and stage, and the pool's calendars live, then fills the declined seat at the same time
 * or solves the panel again. The output's `rebook` is the next revision as `scheduling.rebook`
 * params. When nothing fits, or the interview is within 48 hours, the coordinator is told at once
 * on `with.escalateTo` (Slack, Teams or e-mail) with the conflicts spelled out — once per change —
 * and the run's output records it.
 */
import type { CalendarProvider, CalendarSecrets, CalendarsConfig } from "../../../calendars/index.ts";
import { calendarsConfigSchema, openCalendarProvider, readAvailability } from "../../../calendars/index.ts";
import { schedulingConfigSchema, type SchedulingConfig } from "../../../config/index.ts";
import { businessDays, planPanel, readWindow, replanPanel, type BookingParams, type PanelUser } from "../../../scheduling/index.ts";
import { AUDIT_KINDS, createAuditTrail } from "../../../governance/index.ts";
import { createSchedulingChangeStore, type Database, type PanelState } from "../../../store/index.ts";
import type { Notifier, TaskHandler } from "../../ports.ts";
import { StepFailure } from "../../errors.ts";

export interface ReplanSettings {
  calendars?: CalendarsConfig | undefined;
  scheduling?: SchedulingConfig | undefined;
  secrets?: CalendarSecrets | undefined;
  /** Sends escalations (Slack, Teams, e-mail). */
  notify?: Notifier | undefined;
  now?: (() => number) | undefined;
  env?: NodeJS.ProcessEnv | undefined;
}

const str = (v: unknown): string | undefined => (typeof v === "string" && v.trim() !== "" ? v.trim() : undefined);

export function schedulingReplanTask(settings: ReplanSettings = {}): TaskHandler {
  const calendars = settings.calendars ?? calendarsConfigSchema.parse({});
  const scheduling = settings.scheduling ?? schedulingConfigSchema.parse({});
  let providers: Map<string, CalendarProvider> | undefined;
  const open = () => (providers ??= new Map(calendars.connections.map((c) => [c.id, openCalendarProvider(c, calendars, settings.secrets)])));
  const env = settings.env ?? process.env;

  return async ({ with: params, fetch, lever, event, db, dryRun, traceId, connectionId }) => {
    const panelKey = str(event.panelKey);
    const kind = str(event.kind);
    if (!panelKey || !kind)
      throw new StepFailure(
        "scheduling.replan: the event names no panel (panelKey) or change (kind); it comes from the calendar watcher or fulcrum schedule reschedule",
      );
    const store = createSchedulingChangeStore(db);
    const panel = await store.booked(panelKey);
    const none = (message: string) => ({ outcome: "none", feasible: false, rebookable: false, escalate: false, message, reasons: [message], confidence: 1 });
    if (!panel) return none(`panel ${panelKey} is not booked (any more): nothing to re-plan`);
    if (Number(event.revision ?? 0) !== panel.revision)
      return none(
        `the change was seen on revision ${String(event.revision)} of panel ${panelKey}, which is now at revision ${panel.revision}: it was re-planned already`,
      );
    const booking = panel.params as unknown as BookingParams;

    const ctx = await fetch(["opportunity", "posting", "stages"]);
    if (!lever.listUsers) throw new StepFailure("scheduling.replan: this Lever gateway cannot list users");
    const users: PanelUser[] = await lever.listUsers();
    const stageId = booking.stageId ?? "";
    const stage = ctx.stages?.find((s) => s.id === stageId) ?? { id: stageId, text: stageId };
    const posting = ctx.posting as { id: string; text?: string; hiringManager?: string | null; followers?: string[] | null } | undefined;
    const plan = planPanel(scheduling, posting, stage, users);
    const now = settings.now?.() ?? Date.now();
    const zone = booking.candidate.timezone;
    const days = businessDays(now, zone, plan.windowBusinessDays);
    // Read from the booked day (a seat is filled then) to the end of the new window.
    const window = readWindow(days);
    const bookedStart = Date.parse(booking.sessions[0]!.start) - 7 * 86_400_000;
    const readFrom = new Date(Math.min(Date.parse(window.start), bookedStart)).toISOString();
    const readTo = new Date(Math.max(Date.parse(window.end), Date.parse(booking.sessions.at(-1)!.end) + 7 * 86_400_000)).toISOString();
    const byId = new Map(users.map((u) => [u.id, u]));
    const everyone = [...new Set([...plan.sessions.flatMap((s) => s.pool), ...booking.sessions.flatMap((s) => s.interviewers.map((i) => i.leverUserId))])];
    const availability =
      calendars.connections.length === 0
        ? []
        : await readAvailability(calendars, open(), {
            users: everyone.map((id) => ({ id, email: byId.get(id)?.email, name: byId.get(id)?.name })),
            window: { start: readFrom, end: readTo },
            bufferMinutes: plan.bufferMinutes,
          });

    const change = {
      opportunityId: panel.opportunityId,
      panelKey,
      revision: panel.revision,
      kind: kind as "declined" | "cancelled" | "moved" | "reschedule",
      sessionIds: Array.isArray(event.sessionIds) ? event.sessionIds.map(String) : [],
      attendee: str(event.attendee),
      how: str(event.how),
      start: str(event.start),
      end: str(event.end),
      firstStart: str(event.firstStart) ?? booking.sessions[0]!.start,
      reason: str(event.reason),
    };
    const replan = replanPanel({
      booking,
      revision: panel.revision,
      change,
      plan,
      users,
      availability,
      now,
      interviewPattern: scheduling.interviewPattern,
      maxOptions: typeof params.options === "number" ? params.options : undefined,
    });

    let escalated: { channel: string; sent: boolean; reason?: string } | undefined;
    if (replan.escalate) {
      const to = params.escalateTo as { channel?: unknown; to?: unknown } | undefined;
      const channel = str(to?.channel);
      const address = str(to?.to)?.replace(/^env:([A-Z][A-Z0-9_]*)$/, (_, n: string) => env[n] ?? "");
      const title = replan.feasible
        ? `Interview change for ${booking.candidate.name} needs a look`
        : `Interview for ${booking.candidate.name} cannot be re-planned`;
      const text = [
        title,
        "",
        ...replan.conflicts.map((c) => `- ${c}`),
        "",
        replan.feasible
          ? `Proposed: ${replan.message}. Approve or change it in Fulcrum.`
          : "Nothing fits within the window: schedule it by hand, or change the panel or calendars and run the workflow again.",
      ].join("\n");
      if (dryRun) escalated = { channel: channel ?? "none", sent: false, reason: "dry run" };
      else if (!channel || !address || !settings.notify || !["slack", "teams", "email"].includes(channel))
        escalated = {
          channel: channel ?? "none",
          sent: false,
          reason: "no escalation target: set the workflow's settings.escalateTo { channel: slack | teams | email, to }",
        };
      else {
        const key = `${panelKey}@${panel.revision}:${change.kind}:${change.attendee ?? change.start ?? change.how ?? ""}`;
        if (await store.claimEscalation(key, { panelKey, channel, message: text })) {
          try {
            await settings.notify(channel as "slack" | "teams" | "email", address, { title, text });
          } catch (error) {
            await store.releaseEscalation(key);
            throw error;
          }
          escalated = { channel, sent: true };
        } else escalated = { channel, sent: false, reason: "already sent for this change" };
      }
    }
    if (!dryRun) {
      const state: PanelState = replan.escalate ? "escalated" : replan.outcome === "none" ? "booked" : "rescheduling";
      await store.setState(panelKey, state);
      // Every decision goes into the audit trail: what changed, what was decided and why, and
      // whom it was escalated to (the channel, never the address: a Slack URL is a secret).
      // The candidate's name and contact details stay out; the opportunity id says who.
      const audit = createAuditTrail(db as Database);
      const subject = { connectionId, opportunityId: panel.opportunityId, panelKey };
      const records = [
        {
          kind: AUDIT_KINDS.schedulingReplanned,
          traceId,
          actor: "task:scheduling.replan",
          subject,
          data: {
            revision: panel.revision,
            change: { kind: change.kind, sessionIds: change.sessionIds, attendee: change.attendee, how: change.how },
            outcome: replan.outcome,
            feasible: replan.feasible,
            escalate: replan.escalate,
            state,
            reason: replan.reason,
            conflicts: replan.conflicts.slice(0, 20),
          },
        },
        ...(escalated && escalated.reason !== "already sent for this change"
          ? [
              {
                kind: AUDIT_KINDS.schedulingEscalated,
                traceId,
                actor: "task:scheduling.replan",
                subject,
                data: {
                  revision: panel.revision,
                  change: change.kind,
                  channel: escalated.channel,
                  sent: escalated.sent,
                  reason: escalated.reason,
                  conflicts: replan.conflicts.slice(0, 20),
                },
              },
            ]
          : []),
      ];
      await audit.appendMany(records, db);
    }
    return {
      outcome: replan.outcome,
      feasible: replan.feasible,
      rebookable: replan.feasible && replan.outcome !== "none" && !!replan.booking,
      rebook: replan.booking ? { booking: replan.booking, revision: replan.revision } : undefined,
      options: replan.options,
      reason: replan.reason,
      message: replan.message,
      escalate: replan.escalate,
      conflicts: replan.conflicts,
      escalated,
      reasons: replan.reasons.slice(0, 50),
      evidence: replan.options
        .slice(1)
        .map((o) => ({ kind: "alternative", label: o.label, reasons: o.reasons, rebook: { booking: o.booking, revision: replan.revision } })),
      confidence: replan.feasible ? 1 : 0,
    };
  };
}
