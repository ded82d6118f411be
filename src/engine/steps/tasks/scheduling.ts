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
 *
 * With `selfSchedule: link` or `email` (default `off`) it also makes the candidate's self-scheduling
 * link for the same panel (same panel key, so the link and an approved proposal cannot both book):
 * `link` offers it beside the proposal for the coordinator to copy into Lever's e-mail (the console's
 * "Copy link" asks for it); `email` writes the candidate's e-mail with it (`candidateEmail`, sent by
 * a notify step a person approves) instead of proposing a time. Without the candidate's address,
 * `email` falls back to `link`. The link's token is a key to the candidate's booking, so the output
 * keeps only a reference to the link (`selfSchedule.link`) and the
 * e-mail's text the placeholder `[booking link]`, filled in when the e-mail is sent.
 */
import type { CalendarProvider, CalendarSecrets, CalendarsConfig } from "../../../calendars/index.ts";
import { calendarsConfigSchema, openCalendarProvider, readAvailability } from "../../../calendars/index.ts";
import { schedulingConfigSchema, type SchedulingConfig } from "../../../config/index.ts";
import {
  BOOKING_LINK_PLACEHOLDER,
  bookingLinkEmail,
  businessDays,
  candidateTimezone,
  DEFAULT_CANCEL_NOTICE_HOURS,
  linkExpiry,
  linkLanguage,
  linkRequestSchema,
  linkTokenContext,
  planPanel,
  proposeSchedule,
  readWindow,
  type BookingLinkRef,
  type LinkRequest,
  type PanelUser,
} from "../../../scheduling/index.ts";
import { createBookingLinkStore } from "../../../store/index.ts";
import { StepFailure } from "../../errors.ts";
import type { ApplicationLike } from "../../workflows/index.ts";
import type { TaskHandler } from "../../ports.ts";
import type { Mode } from "../../policy/index.ts";

export interface SchedulingSettings {
  calendars?: CalendarsConfig | undefined;
  scheduling?: SchedulingConfig | undefined;
  /** Opens sealed calendar secrets (the service's secret box); env references and clear values need none. */
  secrets?: CalendarSecrets | undefined;
  /** The service's public address (`publicUrl`): self-scheduling links point at its /book page. */
  publicUrl?: string | undefined;
  /** Test seam: the moment proposals are made from (default the clock). */
  now?: (() => number) | undefined;
  /**
   * The loaded configuration's mode ceiling (`FULCRUM_MODE_CEILING`, else the config file's): the
   * reminder tasks send nothing under a shadow one (the console's lower override is read live).
   */
  modeCeiling?: Mode | undefined;
}

const SELF_SCHEDULE_MODES = ["off", "link", "email"] as const;
type SelfScheduleMode = (typeof SELF_SCHEDULE_MODES)[number];

function selfScheduleMode(v: unknown): SelfScheduleMode {
  const mode = v === undefined || v === null || v === "" ? "off" : String(v).trim().toLowerCase();
  if ((SELF_SCHEDULE_MODES as readonly string[]).includes(mode)) return mode as SelfScheduleMode;
  throw new StepFailure(`scheduling.propose: with.selfSchedule is "${String(v).slice(0, 40)}"; use link, email or off`);
}

function positive(v: unknown, what: string): number | undefined {
  if (v === undefined || v === null || v === "") return undefined;
  const n = typeof v === "number" ? v : Number(String(v).trim());
  if (!Number.isFinite(n) || n < 0)
    throw new StepFailure(
      `scheduling.propose: with.${what} is "${String(v).slice(0, 40)}"; give a number of ${what === "linkDays" ? "days" : "hours"} (0 or more)`,
    );
  return n;
}

const str = (v: unknown): string | undefined => (typeof v === "string" && v.trim() !== "" ? v.trim() : undefined);

/** The `scheduling.propose` task over the configuration's calendars and panels. */
export function schedulingProposeTask(settings: SchedulingSettings = {}): TaskHandler {
  const calendars = settings.calendars ?? calendarsConfigSchema.parse({});
  const scheduling = settings.scheduling ?? schedulingConfigSchema.parse({});
  // One provider per connection for the process (tokens are cached inside them), opened on first use.
  let providers: Map<string, CalendarProvider> | undefined;
  const open = () => (providers ??= new Map(calendars.connections.map((c) => [c.id, openCalendarProvider(c, calendars, settings.secrets)])));

  return async ({ with: params, fetch, lever, event, traceId, db, dryRun, connectionId, lastAttempt }) => {
    if (calendars.connections.length === 0) {
      // Nothing to read free/busy from: recorded on the run, nobody is asked to act on every stage move.
      const reason = "no calendar connection is configured (calendars.connections), so no interview times can be proposed";
      return { configured: false, feasible: false, reason, message: reason, options: [], reasons: [reason], confidence: 0 };
    }
    const ctx = await fetch(["opportunity", "posting", "stages"]);
    const opp = ctx.opportunity;
    if (!opp) throw Object.assign(new Error("scheduling.propose: this event names no opportunity"), { retryable: false });
    const stageRef = str(params.stage) ?? str(event.toStageId) ?? (typeof opp.stage === "object" ? opp.stage?.id : str(opp.stage));
    if (!stageRef)
      throw Object.assign(new Error("scheduling.propose: no stage: the event has no toStageId and the opportunity no stage"), { retryable: false });
    const stage = ctx.stages?.find((s) => s.id === stageRef || s.text.toLowerCase() === stageRef.toLowerCase()) ?? { id: stageRef, text: stageRef };
    if (!lever.listUsers) throw Object.assign(new Error("scheduling.propose: this Lever gateway cannot list users"), { retryable: false });
    const users: PanelUser[] = await lever.listUsers();
    const posting = ctx.posting as
      | {
          id: string;
          text?: string;
          owner?: string | null;
          hiringManager?: string | null;
          followers?: string[] | null;
          country?: string;
          categories?: { location?: string };
        }
      | undefined;
    // Checked before anything is read from the calendars, so a wrong setting fails at once.
    const selfMode = selfScheduleMode(params.selfSchedule);
    const linkDays = positive(params.linkDays, "linkDays");
    const cancelNoticeHours = positive(params.cancelNoticeHours, "cancelNoticeHours") ?? DEFAULT_CANCEL_NOTICE_HOURS;
    if (selfMode !== "off" && !settings.publicUrl) {
      throw new StepFailure(
        `scheduling.propose: selfSchedule is ${selfMode}, but the booking link needs the service's public address: set FULCRUM_PUBLIC_URL (or publicUrl in the config file)`,
      );
    }
    if (selfMode !== "off" && !dryRun && !settings.secrets?.box) {
      throw new StepFailure(
        `scheduling.propose: selfSchedule is ${selfMode}, but the booking link is kept only sealed with the service's secret key, and this process has none`,
      );
    }
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
    const availability =
      plan.problems.length > 0 || everyone.length === 0
        ? []
        : await readAvailability(calendars, open(), {
            users: everyone.map((id) => ({ id, email: byId.get(id)?.email, name: byId.get(id)?.name })),
            window: readWindow(days),
            bufferMinutes: plan.bufferMinutes,
          });
    // A calendar API down or rate-limited (5xx, 429) after the client's own retries: the step is
    // retried by the queue rather than proposing without that interviewer; once no retry is left,
    // the proposal goes ahead without them, names them, and is flagged so that a person decides.
    const faulted = availability.filter((a): a is Extract<typeof a, { ok: false }> => !a.ok && a.retryable);
    const who = (id: string) => byId.get(id)?.name ?? byId.get(id)?.email ?? id;
    if (faulted.length > 0 && !(lastAttempt ?? true)) {
      throw Object.assign(
        new Error(
          `scheduling.propose: the calendar of ${faulted.map((a) => who(a.leverUserId)).join(", ")} could not be read (${faulted[0]!.error}); trying again`,
        ),
        { retryable: true },
      );
    }
    const unreadable = faulted.map((a) => ({ id: a.leverUserId, name: who(a.leverUserId), error: a.error }));
    const unreadableLine =
      unreadable.length > 0
        ? `the calendar of ${unreadable.map((u) => u.name).join(", ")} could not be read after every retry (${unreadable[0]!.error}): proposed without them, so a person must check before booking`
        : undefined;
    const emails = Array.isArray(opp.emails) ? (opp.emails as unknown[]).filter((e): e is string => typeof e === "string") : [];
    const candidate = { name: str(opp.name) ?? "the candidate", email: emails[0], timezone: zone.timezone };
    const panelKey = `${opp.id}:${stage.id}:${traceId}`;
    const format = params.format === "onsite" ? "onsite" : "video";
    // Lever's postings carry no language: the workflow's setting says it, English otherwise. The link
    // keeps it, and so does the booking, for the reminders of a panel booked without a link.
    const language = linkLanguage(str(params.language));
    const proposal = proposeSchedule({
      plan,
      users,
      availability,
      candidate,
      opportunityId: opp.id,
      postingId: posting?.id,
      stageId: stage.id,
      panelKey,
      now,
      interviewPattern: scheduling.interviewPattern,
      maxOptions: typeof params.options === "number" ? params.options : undefined,
      format,
      ...(str(params.language) ? { language } : {}),
    });

    // The self-scheduling link: only when something fits now (an empty page helps nobody).
    let self: { mode: SelfScheduleMode; link?: BookingLinkRef; expiresAt?: string; alreadyBooked?: boolean; reason?: string } = { mode: "off" };
    let candidateEmail: { due: boolean; to?: string; subject?: string; message?: string } = { due: false };
    if (selfMode !== "off" && proposal.feasible) {
      // Told about moves and cancellations: the workflow's coordinator, else the posting's owner or hiring manager.
      const ownerId = posting?.owner ?? posting?.hiringManager ?? undefined;
      const coordinator = str(params.coordinator) ?? str(ownerId ? byId.get(ownerId)?.email : undefined);
      const request: LinkRequest = linkRequestSchema.parse({
        plan,
        // Only the pool's people: the link keeps what it needs to solve and book, no more.
        users: users.filter((u) => everyone.includes(u.id)).map((u) => ({ id: u.id, name: u.name ?? null, email: u.email ?? null })),
        candidate: { name: candidate.name, ...(candidate.email ? { email: candidate.email } : {}), timezone: candidate.timezone },
        opportunityId: opp.id,
        ...(posting?.id ? { postingId: posting.id } : {}),
        stageId: stage.id,
        title: stage.text,
        panelKey,
        format,
        interviewPattern: scheduling.interviewPattern,
        language,
        ...(coordinator ? { coordinator } : {}),
        cancelNoticeHours,
      });
      const expiresAt = linkExpiry(now, linkDays);
      // A dry run makes no link (nothing outside the run is recorded). The token is kept only sealed
      // with the service's key: the e-mail is given the link when it is sent, the reminders repeat it.
      const box = settings.secrets!.box!;
      const made = dryRun
        ? { token: "dry-run" }
        : await createBookingLinkStore(db).create({
            connectionId,
            opportunityId: opp.id,
            requestKey: panelKey,
            request,
            expiresAt,
            seal: (token) => box.seal(token, linkTokenContext(connectionId, panelKey)),
          });
      const mode = selfMode === "email" && candidate.email ? "email" : "link";
      if (made.token) {
        const link: BookingLinkRef = { connectionId, requestKey: panelKey };
        self = {
          mode,
          link,
          expiresAt: expiresAt.toISOString(),
          ...(selfMode === "email" && mode === "link" ? { reason: "the candidate has no e-mail address in Lever: copy the link into a message by hand" } : {}),
        };
        // The notify step that sends it (`because` this step) gives the notifier `link`, which fills the placeholder in.
        if (mode === "email") candidateEmail = { due: true, to: candidate.email!, ...bookingLinkEmail(request, BOOKING_LINK_PLACEHOLDER, expiresAt) };
      } else {
        self = { mode: "link", alreadyBooked: true, reason: "the candidate already booked with this panel's link" };
      }
    }
    const linkLine =
      self.link && self.mode === "link"
        ? `a self-scheduling link for the candidate is ready (books once, works until ${self.expiresAt}): copy it with "Copy link" in the console`
        : undefined;
    const panelWhat =
      plan.source === "template" ? `panel ${plan.templatePath}` : "the posting's hiring manager and followers (no panel configured for this stage)";
    const context = [`candidate's time zone ${zone.timezone}: ${zone.detail}`, `panel: ${panelWhat}`];
    return {
      configured: true,
      feasible: proposal.feasible,
      booking: proposal.booking,
      options: proposal.options,
      reason: proposal.reason,
      message: proposal.feasible
        ? self.mode === "email"
          ? `A self-scheduling link for ${candidate.name} (${stage.text}) is ready; the e-mail sending it waits for approval`
          : `${proposal.options.length} options for ${candidate.name} (${stage.text}); the first is proposed for booking, the others are in the evidence${linkLine ? `. Or send the candidate ${linkLine}` : ""}`
        : `No interview panel could be proposed for ${str(opp.name) ?? "the candidate"} (${stage.text}): ${proposal.reason}. Schedule it by hand, or change the panel or calendars and run the workflow again.`,
      unreadableCalendars: unreadable,
      // A policy flag: an auto booking falls back to a person when an interviewer's calendar was not read.
      flags: unreadableLine ? [unreadableLine] : [],
      candidateTimezone: zone.timezone,
      timezoneSource: zone.source,
      panelSource: plan.source,
      window: proposal.window,
      notes: proposal.notes,
      // What the solver saw, for the console's day timeline (compact and capped).
      calendars: proposal.calendars,
      selfSchedule: self,
      candidateEmail,
      reasons: [
        ...(unreadableLine ? [unreadableLine] : []),
        ...(linkLine ? [linkLine] : []),
        ...(self.reason ? [self.reason] : []),
        ...proposal.reasons,
        ...context,
        ...proposal.notes,
      ].slice(0, 50),
      evidence: proposal.options.slice(1).map((o) => ({ kind: "alternative", label: o.label, reasons: o.reasons, booking: o.booking })),
      confidence: proposal.feasible ? 1 : 0,
    };
  };
}
