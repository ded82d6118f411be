/**
 * Panel bookings on the database (`scheduling_bookings`, `scheduling_holds`): what a booking has
 * done so far, so a retry or a restart after a crash continues where it stopped, and the
 * interviewer seats it holds, so two processes never book the same person at overlapping times.
 */
import type { Database } from "./database.ts";

export type BookingStatus = "held" | "writing" | "booked" | "failed";

export interface BookingRow {
  panelKey: string;
  connectionId: string;
  opportunityId: string;
  status: BookingStatus;
  paramsHash: string;
  /** Calendar events made, by their idempotency key. */
  events: Record<string, Record<string, unknown>>;
  invite: Record<string, unknown> | null;
  panelId: string | null;
  noteId: string | null;
  error: string | null;
}

/** One interviewer in one session: the unit two bookings must not share. */
export interface Seat {
  /** The calendar address, lower case. */
  interviewer: string;
  sessionId: string;
  start: string;
  end: string;
}

/** A seat another booking already holds. */
export interface HeldElsewhere {
  interviewer: string;
  sessionId: string;
  panelKey: string;
  start: string;
  end: string;
}

interface Row {
  panel_key: string;
  connection_id: string;
  opportunity_id: string;
  status: BookingStatus;
  params_hash: string;
  events: Record<string, Record<string, unknown>>;
  invite: Record<string, unknown> | null;
  panel_id: string | null;
  note_id: string | null;
  error: string | null;
}

const COLUMNS = "panel_key, connection_id, opportunity_id, status, params_hash, events, invite, panel_id, note_id, error";

function toBooking(r: Row): BookingRow {
  return {
    panelKey: r.panel_key,
    connectionId: r.connection_id,
    opportunityId: r.opportunity_id,
    status: r.status,
    paramsHash: r.params_hash,
    events: r.events ?? {},
    invite: r.invite,
    panelId: r.panel_id,
    noteId: r.note_id,
    error: r.error,
  };
}

/** A held booking with no progress for this long is taken to have crashed, and may be held again. */
export const HOLD_STALE_SECONDS = 300;

export function createBookingStore(db: Database) {
  const one = async (sql: string, params: unknown[]): Promise<BookingRow> => {
    const { rows } = await db.query<Row>(sql, params);
    if (!rows[0]) throw new Error(`scheduling booking ${String(params[0])} is missing`);
    return toBooking(rows[0]);
  };
  return {
    /**
     * Seats other standing bookings hold for these interviewers (lower-cased e-mails) in a window:
     * the same seats `hold` treats as conflicts, so options offered while another booking is still
     * being written do not include a time it has already taken.
     */
    async heldSeats(
      interviewers: readonly string[],
      window: { start: string; end: string },
      exceptPanelKey: string,
    ): Promise<{ interviewer: string; start: string; end: string }[]> {
      if (interviewers.length === 0) return [];
      const { rows } = await db.query<{ interviewer: string; start_at: Date | string; end_at: Date | string }>(
        `select h.interviewer, h.start_at, h.end_at
           from scheduling_holds h join scheduling_bookings b on b.panel_key = h.panel_key
          where h.interviewer = any($1::text[]) and h.panel_key <> $2 and b.status <> 'failed'
            and h.start_at < $4::timestamptz and h.end_at > $3::timestamptz`,
        [interviewers, exceptPanelKey, window.start, window.end],
      );
      return rows.map((r) => ({ interviewer: r.interviewer, start: new Date(r.start_at).toISOString(), end: new Date(r.end_at).toISOString() }));
    },

    async get(panelKey: string): Promise<BookingRow | undefined> {
      const { rows } = await db.query<Row>(`select ${COLUMNS} from scheduling_bookings where panel_key = $1`, [panelKey]);
      return rows[0] ? toBooking(rows[0]) : undefined;
    },

    /**
     * Reserves every seat, or none: under a transaction-scoped advisory lock per interviewer (taken
     * in one order, so two bookings cannot deadlock), seats of other standing bookings that overlap
     * are looked for; with none, the booking row and its seats are written and committed together.
     * On PostgreSQL the locks hold across processes; the embedded database serves one process, whose
     * transactions run one at a time.
     *
     * One booking of a panel key at a time: the row is taken only when it is new, failed, or held
     * with the same params by an attempt that made no progress for `HOLD_STALE_SECONDS` (it
     * crashed). Otherwise `inProgress` is true and nothing is written, so a second click or tab
     * never shares, or later deletes, the seats of the first.
     */
    async hold(
      booking: { panelKey: string; connectionId: string; opportunityId: string; paramsHash: string; params: unknown },
      seats: Seat[],
    ): Promise<{ booking: BookingRow; conflicts: HeldElsewhere[]; inProgress: boolean }> {
      return db.transaction(async (tx) => {
        const people = [...new Set(seats.map((s) => s.interviewer))].sort();
        for (const person of people) await tx.query("select pg_advisory_xact_lock(hashtextextended($1, 0))", [`fulcrum:interviewer:${person}`]);
        const conflicts: HeldElsewhere[] = [];
        for (const seat of seats) {
          const { rows } = await tx.query<{ panel_key: string; start_at: Date | string; end_at: Date | string }>(
            `select h.panel_key, h.start_at, h.end_at
               from scheduling_holds h join scheduling_bookings b on b.panel_key = h.panel_key
              where h.interviewer = $1 and h.panel_key <> $2 and b.status <> 'failed'
                and h.start_at < $4::timestamptz and h.end_at > $3::timestamptz
              order by h.start_at limit 1`,
            [seat.interviewer, booking.panelKey, seat.start, seat.end],
          );
          const r = rows[0];
          if (r)
            conflicts.push({
              interviewer: seat.interviewer,
              sessionId: seat.sessionId,
              panelKey: r.panel_key,
              start: new Date(r.start_at).toISOString(),
              end: new Date(r.end_at).toISOString(),
            });
        }
        if (conflicts.length) {
          const existing = await tx.query<Row>(`select ${COLUMNS} from scheduling_bookings where panel_key = $1`, [booking.panelKey]);
          return {
            booking: existing.rows[0]
              ? toBooking(existing.rows[0])
              : {
                  panelKey: booking.panelKey,
                  connectionId: booking.connectionId,
                  opportunityId: booking.opportunityId,
                  status: "failed",
                  paramsHash: booking.paramsHash,
                  events: {},
                  invite: null,
                  panelId: null,
                  noteId: null,
                  error: null,
                },
            conflicts,
            inProgress: false,
          };
        }
        const { rows } = await tx.query<Row>(
          `insert into scheduling_bookings (panel_key, connection_id, opportunity_id, status, params_hash, params)
           values ($1, $2, $3, 'held', $4, $5::jsonb)
           on conflict (panel_key) do update set status = 'held', error = null, params_hash = excluded.params_hash, params = excluded.params, updated_at = now()
             where scheduling_bookings.status = 'failed'
                or (scheduling_bookings.status = 'held' and scheduling_bookings.params_hash = excluded.params_hash
                    and scheduling_bookings.updated_at < now() - make_interval(secs => ${HOLD_STALE_SECONDS}))
           returning ${COLUMNS}`,
          [booking.panelKey, booking.connectionId, booking.opportunityId, booking.paramsHash, JSON.stringify(booking.params)],
        );
        const row = rows[0];
        if (!row) {
          const existing = (await tx.query<Row>(`select ${COLUMNS} from scheduling_bookings where panel_key = $1`, [booking.panelKey])).rows[0]!;
          return { booking: toBooking(existing), conflicts, inProgress: true };
        }
        for (const seat of seats) {
          await tx.query(
            `insert into scheduling_holds (panel_key, interviewer, session_id, start_at, end_at) values ($1, $2, $3, $4, $5)
             on conflict (panel_key, interviewer, session_id) do nothing`,
            [booking.panelKey, seat.interviewer, seat.sessionId, seat.start, seat.end],
          );
        }
        return { booking: toBooking(row), conflicts, inProgress: false };
      });
    },

    /**
     * Sets the status. With `expect`, only while the row still has that params hash and status (the
     * attempt that holds it); otherwise it throws a retryable error and changes nothing.
     */
    async setStatus(
      panelKey: string,
      status: BookingStatus,
      error: string | null = null,
      expect?: { paramsHash: string; status: BookingStatus },
    ): Promise<BookingRow> {
      if (!expect)
        return one(`update scheduling_bookings set status = $2, error = $3, updated_at = now() where panel_key = $1 returning ${COLUMNS}`, [
          panelKey,
          status,
          error,
        ]);
      const { rows } = await db.query<Row>(
        `update scheduling_bookings set status = $2, error = $3, updated_at = now() where panel_key = $1 and params_hash = $4 and status = $5 returning ${COLUMNS}`,
        [panelKey, status, error, expect.paramsHash, expect.status],
      );
      if (!rows[0]) throw Object.assign(new Error(`panel ${panelKey} is being booked by another attempt; try again in a moment`), { retryable: true });
      return toBooking(rows[0]);
    },

    /**
     * Marks the booking failed and gives its seats back, only while it is still the attempt with
     * this params hash and not booked: a losing or stale attempt never releases another's seats.
     * Returns whether it did.
     */
    async fail(panelKey: string, error: string, paramsHash: string): Promise<boolean> {
      return db.transaction(async (tx) => {
        const { rows } = await tx.query(
          "update scheduling_bookings set status = 'failed', error = $2, updated_at = now() where panel_key = $1 and params_hash = $3 and status in ('held', 'writing') returning panel_key",
          [panelKey, error.slice(0, 2000), paramsHash],
        );
        if (rows.length === 0) return false;
        await tx.query("delete from scheduling_holds where panel_key = $1", [panelKey]);
        return true;
      });
    },

    recordEvent(panelKey: string, key: string, event: Record<string, unknown>): Promise<BookingRow> {
      return one(
        `update scheduling_bookings set events = events || jsonb_build_object($2::text, $3::jsonb), updated_at = now() where panel_key = $1 returning ${COLUMNS}`,
        [panelKey, key, JSON.stringify(event)],
      );
    },

    recordInvite(panelKey: string, invite: Record<string, unknown>): Promise<BookingRow> {
      return one(`update scheduling_bookings set invite = $2::jsonb, updated_at = now() where panel_key = $1 returning ${COLUMNS}`, [
        panelKey,
        JSON.stringify(invite),
      ]);
    },

    recordPanel(panelKey: string, panelId: string | null): Promise<BookingRow> {
      return one(`update scheduling_bookings set panel_id = $2, updated_at = now() where panel_key = $1 returning ${COLUMNS}`, [panelKey, panelId ?? ""]);
    },

    recordNote(panelKey: string, noteId: string | null): Promise<BookingRow> {
      return one(`update scheduling_bookings set note_id = $2, status = 'booked', updated_at = now() where panel_key = $1 returning ${COLUMNS}`, [
        panelKey,
        noteId ?? "",
      ]);
    },
  };
}

export type BookingStore = ReturnType<typeof createBookingStore>;
