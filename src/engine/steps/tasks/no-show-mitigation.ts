/**
 * `scheduling.mitigate`: run after `scheduling.reminder` in the interview-reminders workflow, with
 * the risk level it found. Decides which mitigations apply at that level (`with.mitigations`,
 * from `with.from`, high by default) and carries them out:
 * - `extraReminder`: at the extra offset (`with.extraReminder`, e.g. 3h, a timer of its own), a
 *   further reminder for the candidate, claimed once per booking and start like the others and
 *   sent like them (`with.send`, see reminder-delivery.ts): at once with `auto`, with the booking's
 *   reschedule link; by the workflow's notify step after a person approves with `approve`;
 * - `backup`: a backup interviewer from each session's pool, free for the whole session and under
 *   the load caps, held with a tentative event in their own calendar and recorded, released when
 *   the interview has passed or the panel was cancelled or moved (see `releaseBackupHolds`);
 * - `alert`: says so in the output (`alert: true`), for the workflow's alert step.
 * Before anything, this panel's stale holds are released, so a moved panel's old hold goes first.
 */
import type { CalendarProvider, CalendarSecrets, CalendarsConfig } from "../../../calendars/index.ts";
import { calendarsConfigSchema, openCalendarProvider, readAvailability } from "../../../calendars/index.ts";
import { schedulingConfigSchema, type SchedulingConfig } from "../../../config/index.ts";
import {
  candidateReminder,
  linkLanguage,
  chooseMitigations,
  DEFAULT_REMINDER_OFFSETS,
  dueReminder,
  holdBackups,
  MitigationSettingError,
  panelStart,
  parseBookingParams,
  parseMitigations,
  parseReminderOffsets,
  parseRiskLevel,
  pickBackups,
  planPanel,
  releaseBackupHolds,
  ReminderOffsetError,
  type PanelUser,
} from "../../../scheduling/index.ts";
import { createBackupHoldStore } from "../../../store/index.ts";
import { StepFailure } from "../../errors.ts";
import type { Notifier, TaskHandler } from "../../ports.ts";
import type { Mode } from "../../policy/index.ts";
import { autoSendBlock, bookedLink, deliverReminder, reminderSendMode } from "./reminder-delivery.ts";

export interface MitigationTaskSettings {
  calendars?: CalendarsConfig | undefined;
  scheduling?: SchedulingConfig | undefined;
  secrets?: CalendarSecrets | undefined;
  /** Sends the extra reminder (`send: auto`). */
  notify?: Notifier | undefined;
  /** The service's public address, for the booking's reschedule link. */
  publicUrl?: string | undefined;
  /** The configuration's mode ceiling; a shadow ceiling (or the console's) sends nothing. */
  modeCeiling?: Mode | undefined;
  /** Test seam: the clock. */
  now?: (() => number) | undefined;
}

interface Row {
  panel_key: string;
  state: string;
  params: Record<string, unknown>;
  events: Record<string, Record<string, unknown>>;
  link_booked: boolean;
  link_language: string | null;
}

function setting<T>(read: () => T, field: string): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof MitigationSettingError || error instanceof ReminderOffsetError) throw new StepFailure(`${field}: ${error.message}`);
    throw error;
  }
}

/** The `scheduling.mitigate` task over the configured calendars and panels. */
export function schedulingMitigateTask(settings: MitigationTaskSettings = {}): TaskHandler {
  const calendars = settings.calendars ?? calendarsConfigSchema.parse({});
  const scheduling = settings.scheduling ?? schedulingConfigSchema.parse({});
  let providers: Map<string, CalendarProvider> | undefined;
  const open = () => (providers ??= new Map(calendars.connections.map((c) => [c.id, openCalendarProvider(c, calendars, settings.secrets)])));
  const clock = settings.now ?? Date.now;

  return async ({ with: params, event, connectionId, db, dryRun, lever, fetch, traceId }) => {
    const level = String(params.level ?? "").trim();
    if (!["low", "medium", "high"].includes(level))
      throw new StepFailure(`with.level: "${level.slice(0, 40)}" is not a no-show risk level (low, medium or high); pass steps.remind.output.risk.level`);
    const wanted = setting(() => parseMitigations(params.mitigations ?? "extraReminder, backup, alert"), "with.mitigations");
    const from = setting(() => parseRiskLevel(params.from), "with.from");
    const offsets = setting(
      () => parseReminderOffsets(params.offsets === undefined || params.offsets === "" ? [...DEFAULT_REMINDER_OFFSETS] : params.offsets),
      "with.offsets",
    );
    const extra =
      params.extraReminder === undefined || params.extraReminder === ""
        ? undefined
        : setting(() => parseReminderOffsets(params.extraReminder)[0]!, "with.extraReminder");
    const nothing = (reason: string, released: unknown[] = []) => ({
      apply: [],
      reasons: [reason],
      extraReminder: { due: false, reason },
      backups: [],
      released,
      alert: false,
    });

    let panelId = typeof event.panelId === "string" ? event.panelId : undefined;
    if (!panelId && typeof event.interviewId === "string" && typeof event.opportunityId === "string" && lever.getInterview) {
      const interview = (await lever.getInterview(event.opportunityId, event.interviewId)) as { panel?: unknown } | null;
      panelId = typeof interview?.panel === "string" ? interview.panel : undefined;
    }
    if (!panelId) return nothing("the interview names no panel: nothing to mitigate");
    const { rows } = await db.query<Row>(
      `select b.panel_key, b.state, b.params, b.events,
              exists (select 1 from booking_links l where l.panel_key = b.panel_key and l.status = 'booked') as link_booked,
              (select l.request->>'language' from booking_links l where l.panel_key = b.panel_key order by l.updated_at desc limit 1) as link_language
         from scheduling_bookings b where b.connection_id = $1 and b.panel_id = $2 and b.status = 'booked'`,
      [connectionId, panelId],
    );
    const row = rows[0];
    if (!row) return nothing("Fulcrum did not book this panel");
    const now = clock();
    const deps = { db, calendars, providers: calendars.connections.length ? open() : new Map<string, CalendarProvider>() };
    // Stale holds of this panel (passed, cancelled, moved) go before anything else is decided.
    const released = dryRun ? [] : (await releaseBackupHolds({ ...deps, now, panelKey: row.panel_key })).released;
    if (row.state !== "booked") return nothing(`the panel is ${row.state}: no mitigation`, released);
    const booking = parseBookingParams(row.params);
    const start = panelStart(booking);
    if (Date.parse(start) <= now) return nothing("the interview has started: no mitigation", released);

    const choice = chooseMitigations({ level: level as "low" | "medium" | "high" }, wanted, from);
    const reasons = [...choice.reasons];

    // The extra reminder: only in the run of its own timer, and once per booking and start.
    let extraReminder: Record<string, unknown> = { due: false, reason: "no extra reminder for this risk" };
    if (choice.apply.includes("extraReminder")) {
      if (extra === undefined) extraReminder = { due: false, reason: "with.extraReminder sets no offset" };
      else if (!booking.candidate.email) extraReminder = { due: false, reason: "the booking has no e-mail address for the candidate" };
      else if (dueReminder(start, [...new Set([...offsets, extra])], now) !== extra)
        extraReminder = { due: false, reason: `the extra reminder goes ${extra} minutes before the start, not now` };
      else {
        const delivery = { notify: settings.notify, publicUrl: settings.publicUrl, box: settings.secrets?.box, modeCeiling: settings.modeCeiling };
        const workflowId = typeof params.workflow === "string" ? params.workflow : undefined;
        const block = await autoSendBlock({ db, send: reminderSendMode(params.send), dryRun, workflowId, runId: params.run }, delivery);
        const joinUrl = Object.values(row.events)
          .map((e) => e.conferenceUrl as string | undefined)
          .find(Boolean);
        // Not for a reminder waiting for approval: its text is kept in a proposal.
        const link = row.link_booked && !(block && "approve" in block) ? await bookedLink(db, row.panel_key, delivery) : undefined;
        const text = candidateReminder(booking, {
          now,
          // The posting's language, as the candidate's booking link keeps it, or the booking itself when
          // the panel was booked without a link (the scheduling workflow's settings.language); else English.
          language: linkLanguage(row.link_language ?? booking.language),
          joinUrl,
          rescheduleUrl: link?.url,
          confirmationHint: row.link_booked && !link?.url,
        });
        extraReminder = await deliverReminder({
          db,
          dryRun,
          block,
          notify: settings.notify,
          claim: { panelKey: row.panel_key, audience: "candidate", offsetMinutes: extra, start, recipients: 1 },
          messages: [{ to: booking.candidate.email, subject: text.subject, text: text.text }],
          link: link?.url,
          traceId,
          connectionId,
          opportunityId: booking.opportunityId,
          actor: "task:scheduling.mitigate",
        });
      }
    }

    // The backup interviewer, held from each session's pool.
    let backups: unknown[] = [];
    if (choice.apply.includes("backup")) {
      if (calendars.connections.length === 0) reasons.push("no calendar is connected: no backup can be held");
      else if (!lever.listUsers) reasons.push("this Lever gateway cannot list users: no backup can be held");
      else {
        const ctx = await fetch(["opportunity", "posting", "stages"]);
        const users: PanelUser[] = await lever.listUsers();
        const stageId = booking.stageId ?? "";
        const stage = ctx.stages?.find((s) => s.id === stageId) ?? { id: stageId, text: stageId };
        const posting = ctx.posting as { id: string; text?: string; hiringManager?: string | null; followers?: string[] | null } | undefined;
        const plan = planPanel(scheduling, posting, stage, users);
        const byId = new Map(users.map((u) => [u.id, u]));
        const pool = [...new Set(plan.sessions.flatMap((s) => s.pool))];
        // The week around the panel, so weekly load caps count every interview.
        const from = new Date(Date.parse(start) - 7 * 86_400_000).toISOString();
        const to = new Date(Date.parse(booking.sessions.at(-1)!.end) + 7 * 86_400_000).toISOString();
        const availability = await readAvailability(calendars, open(), {
          users: pool.map((id) => ({ id, email: byId.get(id)?.email, name: byId.get(id)?.name })),
          window: { start: from, end: to },
          bufferMinutes: plan.bufferMinutes,
        });
        // A session already held at its start keeps its backup (their own hold makes them look busy).
        const openHolds = await createBackupHoldStore(db).open(row.panel_key);
        const kept = openHolds.filter((h) => booking.sessions.some((s) => s.id === h.sessionId && Date.parse(s.start) === Date.parse(h.start)));
        const toPick = booking.sessions.filter((s) => !kept.some((h) => h.sessionId === s.id));
        const picks = toPick.length
          ? pickBackups({ booking: { ...booking, sessions: toPick }, plan, users, availability, interviewPattern: scheduling.interviewPattern })
          : [];
        for (const p of picks) reasons.push(...p.reasons.slice(0, 5));
        const made = dryRun
          ? picks.filter((p) => p.backup).map((p) => ({ sessionId: p.sessionId, start: p.start, ...p.backup, status: "not held", reason: "dry run" }))
          : await holdBackups(deps, booking, picks);
        backups = [
          ...kept.map((h) => ({ sessionId: h.sessionId, start: h.start, leverUserId: h.leverUserId, email: h.interviewer, status: "already held" })),
          ...made,
        ];
      }
    }

    return {
      apply: choice.apply,
      level,
      reasons,
      extraReminder,
      backups,
      released,
      alert: choice.apply.includes("alert"),
      start,
    };
  };
}
