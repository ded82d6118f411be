export { openDatabase, type Database, type DatabaseKind, type Queryable, type QueryResult, type Statement } from "./database.ts";
export { migrate, listMigrations } from "./migrate.ts";
export { createDatabaseRateLimiter } from "./lever-rate-limit.ts";
export { createDatabaseWriteLedger } from "./lever-write-ledger.ts";
export { createFilters, type Filters } from "./filters.ts";
export { maintainEmbeddedDatabase, startEmbeddedMaintenance, type MaintenanceReport } from "./embedded-maintenance.ts";
export { createBookingStore, type BookingStore, type BookingRow, type BookingStatus, type Seat, type HeldElsewhere } from "./scheduling-bookings.ts";
export { createSchedulingChangeStore, type SchedulingChangeStore, type BookedPanel, type PanelState } from "./scheduling-changes.ts";
export { createReminderStore, reminderKey, type ReminderStore, type ReminderAudience, type InterviewOutcome } from "./scheduling-reminders.ts";
