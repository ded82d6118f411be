/**
 * Scheduling: the exact panel solver (issue 13, section 4). A pure function of a request (sessions,
 * pools, interviewers' working hours and busy times, the candidate's zone) to the optimal schedule;
 * the engine's steps and `fulcrum schedule solve` call it.
 */
export { solvePanel, DEFAULT_TIME_LIMIT_MS, type SolveOptions } from "./solver/solve-panel.ts";
export {
  panelRequestSchema,
  PanelRequestError,
  type PanelRequest,
  type PanelRequestInput,
  type PanelAnswer,
  type ScheduledSession,
} from "./solver/request.ts";
export { bookingParamsSchema, parseBookingParams, BookingParamsError, type BookingParams, type BookingSession } from "./booking/params.ts";
export { planPanel, findPanelTemplate, PANEL_DEFAULTS, type PanelPlan, type PanelUser, type PanelPosting, type PlannedSession } from "./proposal/panel-plan.ts";
export {
  proposeSchedule,
  businessDays,
  readWindow,
  calendarViews,
  CALENDAR_VIEW_LIMITS,
  type CalendarView,
  type Proposal,
  type ProposalInput,
  type ProposalOption,
} from "./proposal/propose.ts";
export { candidateTimezone, zoneForLocation, type TimezoneSource } from "./proposal/candidate-zone.ts";
export { bookPanel, inviteUid, BookingError, type BookingDeps, type BookingLever, type BookingResult } from "./booking/book-panel.ts";
export { rebookPanel, describeChanges, type RebookResult } from "./booking/rebook-panel.ts";
export {
  watchBookedPanels,
  panelChange,
  PANEL_CHANGE_EVENTS,
  type PanelChange,
  type PanelChangeEvent,
  type WatchDeps,
  type WatchResult,
} from "./changes/watch-changes.ts";
export {
  syncPushChannels,
  pushAddress,
  lifecycleAddress,
  handleGraphLifecycle,
  heldGraphSubscriptions,
  PUSH_RENEW_BEFORE_MS,
  type PushChannelDeps,
  type PushChannelResult,
  type LifecycleResult,
} from "./changes/push-channels.ts";
export { replanPanel, ESCALATE_WITHIN_HOURS, type Replan, type ReplanInput } from "./changes/replan.ts";
export {
  parseReminderOffsets,
  dueReminder,
  panelStart,
  peopleTime,
  candidateReminder,
  interviewerReminder,
  timeLeftWords,
  ReminderOffsetError,
  DEFAULT_REMINDER_OFFSETS,
  type ReminderText,
  type ReminderRecipient,
} from "./reminders/reminders.ts";
export { noShowRisk, noShowSignals, type NoShowRisk, type NoShowSignals, type InviteAnswer } from "./no-show/risk.ts";
export { markNoShow, NoShowRefused, type MarkedNoShow, type NoShowRefusal } from "./no-show/mark-no-show.ts";
export { attendanceConfirmedAt, confirmAttendance, linkAttendance, type AttendanceConfirmation } from "./no-show/attendance.ts";
export {
  createSelfScheduling,
  linkExpiry,
  PAGE_OPTIONS,
  type SelfScheduling,
  type SelfScheduleDeps,
  type SelfScheduleLever,
  type PublicOption,
  type PublicView,
  type BookOutcome,
  type CancelOutcome,
} from "./self-schedule/self-schedule.ts";
export {
  linkRequestSchema,
  firstName,
  linkLanguage,
  LINK_LANGUAGES,
  DEFAULT_LINK_DAYS,
  DEFAULT_CANCEL_NOTICE_HOURS,
  type LinkRequest,
  type LinkLanguage,
} from "./self-schedule/link-request.ts";
export { bookingLinkEmail } from "./self-schedule/link-email.ts";
export { dayHeading, timeRange, whenText, zoneName } from "./people-dates.ts";
export {
  linkTokenContext,
  bookingLinkUrl,
  openBookingLink,
  openStoredBookingLink,
  withoutBookingLink,
  fillBookingLink,
  bookingLinkRefSchema,
  BOOKING_LINK_PLACEHOLDER,
  type BookingLinkRef,
} from "./self-schedule/link-token.ts";
export {
  chooseMitigations,
  parseMitigations,
  parseRiskLevel,
  pickBackups,
  MitigationSettingError,
  MITIGATIONS,
  type Mitigation,
  type MitigationChoice,
  type BackupPick,
} from "./no-show/mitigations.ts";
export { holdBackups, releaseBackupHolds, releaseReason, holdEventKey, type HeldBackup, type HoldDeps } from "./no-show/backup-holds.ts";
