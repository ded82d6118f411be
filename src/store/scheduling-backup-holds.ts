/**
 * Backup interviewers held for booked panels (`scheduling_backup_holds`): one row per panel session
 * and start. A hold is claimed (`holding`) before its calendar event is written, so two racing
 * reminder runs never both write one; the event's reference is recorded (`held`) so it can be
 * deleted again (`released`) when the interview has passed or the panel was cancelled or moved.
 */
import type { Queryable } from "./database.ts";

export interface BackupHold {
  holdKey: string;
  panelKey: string;
  sessionId: string;
  start: string;
  end: string;
  leverUserId: string;
  interviewer: string;
  calendarConnection: string;
  event: { id: string; href?: string | undefined; etag?: string | undefined } | null;
  status: "holding" | "held" | "released";
}

/** An open hold together with the state of the panel it is for, as a release sweep reads it. */
export interface OpenBackupHold extends BackupHold {
  /** The booking's state (`booked`, `cancelled`, `rescheduling`…); null when the booking is gone or not booked. */
  panelState: string | null;
  /** The session's start in the booking as it stands now; null when the session is gone. */
  sessionStartNow: string | null;
}

/** The key of one hold: the same panel, session and start never get a second one. */
export function backupHoldKey(panelKey: string, sessionId: string, start: string): string {
  return `${panelKey}|${sessionId}|${new Date(start).toISOString()}`;
}

interface Row {
  hold_key: string;
  panel_key: string;
  session_id: string;
  start_at: Date | string;
  end_at: Date | string;
  lever_user_id: string;
  interviewer: string;
  calendar_connection: string;
  event: BackupHold["event"];
  status: BackupHold["status"];
}

const iso = (v: Date | string) => new Date(v).toISOString();
const toHold = (r: Row): BackupHold => ({
  holdKey: r.hold_key,
  panelKey: r.panel_key,
  sessionId: r.session_id,
  start: iso(r.start_at),
  end: iso(r.end_at),
  leverUserId: r.lever_user_id,
  interviewer: r.interviewer,
  calendarConnection: r.calendar_connection,
  event: r.event,
  status: r.status,
});

export function createBackupHoldStore(db: Queryable) {
  return {
    /** Claims the hold of a session at a start: true the first time (write the event), false when claimed before. */
    async claim(h: Omit<BackupHold, "holdKey" | "event" | "status">): Promise<boolean> {
      const { rows } = await db.query(
        `insert into scheduling_backup_holds (hold_key, panel_key, session_id, start_at, end_at, lever_user_id, interviewer, calendar_connection, status)
         values ($1, $2, $3, $4, $5, $6, $7, $8, 'holding')
         -- A hold released before (the panel came back to this time) may be made again.
         on conflict (hold_key) do update set end_at = excluded.end_at, lever_user_id = excluded.lever_user_id, interviewer = excluded.interviewer,
           calendar_connection = excluded.calendar_connection, event = null, status = 'holding', released_reason = null, released_at = null, created_at = now()
         where scheduling_backup_holds.status = 'released'
         returning hold_key`,
        [
          backupHoldKey(h.panelKey, h.sessionId, h.start),
          h.panelKey,
          h.sessionId,
          h.start,
          h.end,
          h.leverUserId,
          h.interviewer.toLowerCase(),
          h.calendarConnection,
        ],
      );
      return rows.length === 1;
    },

    /** The event written for a claimed hold. */
    async recordEvent(holdKey: string, event: NonNullable<BackupHold["event"]>): Promise<void> {
      await db.query("update scheduling_backup_holds set event = $2::jsonb, status = 'held' where hold_key = $1 and status <> 'released'", [
        holdKey,
        JSON.stringify(event),
      ]);
    },

    /** Gives a claim back when its event could not be written (the next run tries again). */
    async unclaim(holdKey: string): Promise<void> {
      await db.query("delete from scheduling_backup_holds where hold_key = $1 and status = 'holding'", [holdKey]);
    },

    async released(holdKey: string, reason: string): Promise<void> {
      await db.query("update scheduling_backup_holds set status = 'released', released_reason = $2, released_at = now() where hold_key = $1", [
        holdKey,
        reason,
      ]);
    },

    async forPanel(panelKey: string): Promise<BackupHold[]> {
      const { rows } = await db.query<Row>("select * from scheduling_backup_holds where panel_key = $1 order by start_at, session_id", [panelKey]);
      return rows.map(toHold);
    },

    /** Holds not yet released, with their panel's state and the session's start as booked now. */
    async open(panelKey?: string): Promise<OpenBackupHold[]> {
      const { rows } = await db.query<Row & { panel_state: string | null; session_start_now: string | null }>(
        `select h.*, case when b.status = 'booked' then b.state end as panel_state,
                (select s->>'start' from jsonb_array_elements(b.params->'sessions') s where s->>'id' = h.session_id limit 1) as session_start_now
           from scheduling_backup_holds h left join scheduling_bookings b on b.panel_key = h.panel_key
          where h.status <> 'released' and ($1::text is null or h.panel_key = $1)
          order by h.start_at`,
        [panelKey ?? null],
      );
      return rows.map((r) => ({ ...toHold(r), panelState: r.panel_state, sessionStartNow: r.session_start_now ? iso(r.session_start_now) : null }));
    },
  };
}

export type BackupHoldStore = ReturnType<typeof createBackupHoldStore>;
