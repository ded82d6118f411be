// The `calendars:` section's schemas are part of the configuration (`src/config/calendars.ts`), which
// validates them when it loads; the calendar providers take them from here.
export {
  calendarsConfigSchema,
  calendarConnectionSchema,
  identityOverrideSchema,
  googleServiceAccountKeySchema,
  type CalendarsConfig,
  type CalendarsConfigInput,
  type CalendarConnectionConfig,
  type GoogleConnectionConfig,
  type GraphConnectionConfig,
  type CaldavConnectionConfig,
  type GoogleServiceAccountKey,
} from "../config/index.ts";
