/**
 * Calendars: the only code that speaks Google Calendar, Microsoft Graph and CalDAV. Free/busy as
 * intervals with a status, normalised by one pure function of what "free" means; events written with
 * video links and read back with attendees' answers; changes by sync tokens, delta links or
 * subscriptions; e-mail invites for people without a connected calendar.
 */
export type { CalendarProvider, PushChannel } from "./provider.ts";
export {
  availabilityStatuses,
  DEFAULT_WORKING_HOURS,
  weeklyHoursSchema,
  weekdayKeys,
  rawItemSchema,
  type AvailabilityStatus,
  type WeeklyHours,
  type WeekdayKey,
  type CalendarIdentity,
  type TimeRange,
  type RawItem,
  type FreeBusyResult,
  type Attendee,
  type NewEvent,
  type EventPatch,
  type EventRef,
  type CalendarEvent,
  type EventChanges,
  type CalendarCheckRow,
} from "./types.ts";
export { CalendarError, type CalendarErrorKind } from "./errors.ts";
export {
  calendarsConfigSchema,
  calendarConnectionSchema,
  identityOverrideSchema,
  type CalendarsConfig,
  type CalendarsConfigInput,
  type CalendarConnectionConfig,
  type GoogleConnectionConfig,
  type GraphConnectionConfig,
  type CaldavConnectionConfig,
} from "./config.ts";
export {
  normaliseAvailability,
  resolveWorkingTime,
  mergeIntervals,
  subtractIntervals,
  TooManyItemsError,
  type AvailabilityPolicy,
  type Availability,
  type AvailabilityInput,
  type SchedulingBusy,
  type SchedulingInterviewer,
} from "./free-busy.ts";
export { localInstant, boundaryInstant, assertZone } from "./local-time.ts";
export { resolveIdentity, UnknownIdentityError, type LeverUserRef, type EmailOnlyIdentity } from "./identities.ts";
export {
  openCalendarProvider,
  readAvailability,
  checkCalendarConnections,
  sealConnectionSecrets,
  secretStorageRow,
  type CalendarSecrets,
  type InterviewerAvailability,
  type ReadAvailabilityInput,
} from "./connections.ts";
export {
  openCalendarSecret,
  sealCalendarSecret,
  calendarSecretContext,
  isSealed,
  secretSource,
  secretReferenceSchema,
  CALENDAR_SECRET_FIELDS,
  type SecretSealer,
  type SecretReference,
  type SecretValue,
  type CalendarSecretField,
} from "./secrets.ts";
export { GoogleCalendarProvider, GOOGLE_CALENDAR_SCOPE, verifyGooglePush, type GooglePush } from "./google.ts";
export {
  GraphCalendarProvider,
  GRAPH_PERMISSION,
  GRAPH_EVENT_SUBSCRIPTION_MAX_MINUTES,
  graphValidationResponse,
  verifyGraphNotifications,
  verifyGraphLifecycleNotifications,
  graphLifecycleEvents,
  type GraphNotification,
  type GraphLifecycleNotification,
} from "./graph.ts";
export { CaldavCalendarProvider } from "./caldav.ts";
export { fulcrumEventKey, parseFulcrumEventKey, normaliseChanges, readChanges, type TrackedEvent, type CalendarChange, type ChangeFeed } from "./changes.ts";
export { expandCalendarObjects, buildEventIcs, TooManyOccurrencesError } from "./ics.ts";
export { sendEmailInvite, inviteText, type EmailInvite, type InviteSmtpSettings } from "./email-invites.ts";
export { windowsZoneToIana } from "./windows-zones.ts";
