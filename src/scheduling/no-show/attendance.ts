/**
 * The candidate's "I'll be there": one click on the booking page (reached from the link in each
 * reminder) records that they will attend the panel as booked, at its current start. A confirmation
 * belongs to that start: moving the panel asks again. The no-show risk reads it as the invite
 * accepted and the reminder answered. Only the link's token names the booking; nothing about the
 * candidate is stored here.
 */
import { createBookingLinkStore, createSchedulingChangeStore, type Queryable } from "../../store/index.ts";
import type { BookingParams } from "../booking/params.ts";
import { panelStart } from "../reminders/reminders.ts";

export interface AttendanceConfirmation {
  panelKey: string;
  connectionId: string;
  opportunityId: string;
  /** The panel's start the candidate confirmed (ISO). */
  start: string;
  /** When they confirmed (ISO). */
  confirmedAt: string;
  /** False when this start was confirmed before (a second click records nothing new). */
  recorded: boolean;
}

/** When the candidate confirmed the panel starting at `start`, if they did. */
export async function attendanceConfirmedAt(db: Queryable, panelKey: string, start: string): Promise<string | undefined> {
  const { rows } = await db.query<{ confirmed_at: Date | string }>(
    "select confirmed_at from scheduling_attendance_confirmations where panel_key = $1 and start = $2",
    [panelKey, new Date(start).toISOString()],
  );
  return rows[0] ? new Date(rows[0].confirmed_at).toISOString() : undefined;
}

/** The confirmation of a booked link's panel at its current start, if the candidate gave it. */
export async function linkAttendance(db: Queryable, token: string, now: Date): Promise<AttendanceConfirmation | undefined> {
  const found = await bookedPanelOf(db, token, now);
  if (!found) return undefined;
  const at = await attendanceConfirmedAt(db, found.panelKey, found.start);
  return at ? { ...found, confirmedAt: at, recorded: false } : undefined;
}

/**
 * Records the candidate's confirmation for the panel their link booked, at its current start.
 * Undefined when the link is unknown, expired, not booked (open, cancelled, cancel requested) or
 * its panel is no longer booked. Run it in the transaction that writes the audit record.
 */
export async function confirmAttendance(db: Queryable, token: string, now: Date): Promise<AttendanceConfirmation | undefined> {
  const found = await bookedPanelOf(db, token, now);
  if (!found) return undefined;
  const { rows } = await db.query<{ confirmed_at: Date | string }>(
    `insert into scheduling_attendance_confirmations (panel_key, start, confirmed_at) values ($1, $2, $3)
     on conflict (panel_key, start) do nothing returning confirmed_at`,
    [found.panelKey, found.start, now.toISOString()],
  );
  if (rows[0]) return { ...found, confirmedAt: new Date(rows[0].confirmed_at).toISOString(), recorded: true };
  const at = await attendanceConfirmedAt(db, found.panelKey, found.start);
  return { ...found, confirmedAt: at ?? now.toISOString(), recorded: false };
}

async function bookedPanelOf(db: Queryable, token: string, now: Date) {
  const link = await createBookingLinkStore(db).find(token, now);
  if (link?.status !== "booked" || !link.panelKey) return undefined;
  const row = await createSchedulingChangeStore(db).booked(link.panelKey);
  if (!row) return undefined;
  const start = new Date(panelStart(row.params as unknown as BookingParams)).toISOString();
  return { panelKey: link.panelKey, connectionId: link.connectionId, opportunityId: link.opportunityId, start };
}
