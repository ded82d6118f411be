export type { PgliteThread } from "./pglite-thread.ts";
export { openDatabase, type Database, type DatabaseKind, type Queryable, type QueryResult, type Statement } from "./database.ts";
export { migrate, listMigrations } from "./migrate.ts";
export { createDatabaseRateLimiter } from "./lever-rate-limit.ts";
export { createDatabaseWriteLedger } from "./lever-write-ledger.ts";
export { embeddedDatabaseHolder, holdEmbeddedDatabase, refuseWhileServeHoldsEmbeddedDatabase, EmbeddedDatabaseBusyError } from "./embedded-holder.ts";
export { createFilters, type Filters } from "./filters.ts";
export { maintainEmbeddedDatabase, startEmbeddedMaintenance, type MaintenanceReport } from "./embedded-maintenance.ts";
export { createBookingStore, type BookingStore, type BookingRow, type BookingStatus, type Seat, type HeldElsewhere } from "./scheduling-bookings.ts";
export { createPushChannelStore, type PushChannelStore, type StoredPushChannel } from "./calendar-push-channels.ts";
export { createSchedulingChangeStore, type SchedulingChangeStore, type BookedPanel, type PanelState } from "./scheduling-changes.ts";
export {
  createBookingLinkStore,
  hashLinkToken,
  newLinkToken,
  LINK_TOKEN_PATTERN,
  type BookingLinkStore,
  type BookingLink,
  type BookingLinkStatus,
  type NewBookingLink,
} from "./booking-links.ts";
export {
  createReminderStore,
  reminderKey,
  type ReminderStore,
  type ReminderAudience,
  type InterviewOutcome,
  type PanelOutcome,
  type PanelForNoShow,
} from "./scheduling-reminders.ts";
export { createBackupHoldStore, backupHoldKey, type BackupHoldStore, type BackupHold, type OpenBackupHold } from "./scheduling-backup-holds.ts";
