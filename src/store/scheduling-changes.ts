/**
 * What Fulcrum keeps to follow booked panels after booking: the change-feed cursor of each watched
 * calendar, each booking's revision and state, the declines already seen per event, the seats of a
 * re-booking, and the escalations sent (so none is sent twice).
 */
import type { Queryable } from "./database.ts";
import type { HeldElsewhere, Seat } from "./scheduling-bookings.ts";

/** A booked panel as the change watcher and the re-planner read it. */
export interface BookedPanel {
  panelKey: string;
  connectionId: string;
  opportunityId: string;
  revision: number;
  state: string;
  /** The booking params as last applied (the scheduling module's BookingParams). */
  params: Record<string, unknown>;
  events: Record<string, Record<string, unknown>>;
  invite: Record<string, unknown> | null;
  panelId: string | null;
}

export type PanelState = "booked" | "declined" | "cancelled" | "moved" | "rescheduling" | "escalated";

interface Row {
  panel_key: string;
  connection_id: string;
  opportunity_id: string;
  revision: number;
  state: string;
  params: Record<string, unknown>;
  events: Record<string, Record<string, unknown>>;
  invite: Record<string, unknown> | null;
  panel_id: string | null;
}

const COLUMNS = "panel_key, connection_id, opportunity_id, revision, state, params, events, invite, panel_id";

function toPanel(r: Row): BookedPanel {
  return {
    panelKey: r.panel_key,
    connectionId: r.connection_id,
    opportunityId: r.opportunity_id,
    revision: Number(r.revision),
    state: r.state,
    params: r.params,
    events: r.events ?? {},
    invite: r.invite,
    panelId: r.panel_id || null,
  };
}

/** A re-booking's claim on a revision with no progress for this long is taken to be from a crashed attempt. */
export const REVISION_CLAIM_STALE_SECONDS = 300;

export function createSchedulingChangeStore(db: Queryable) {
  return {
    /** One booked panel, or undefined (not booked, failed, cancelled or unknown). */
    async booked(panelKey: string): Promise<BookedPanel | undefined> {
      const { rows } = await db.query<Row>(`select ${COLUMNS} from scheduling_bookings where panel_key = $1 and status = 'booked' and state <> 'cancelled'`, [
        panelKey,
      ]);
      return rows[0] ? toPanel(rows[0]) : undefined;
    },

    /** Booked panels of one opportunity (a cancelled one is no longer booked). */
    async bookedFor(connectionId: string, opportunityId: string): Promise<BookedPanel[]> {
      const { rows } = await db.query<Row>(
        `select ${COLUMNS} from scheduling_bookings where connection_id = $1 and opportunity_id = $2 and status = 'booked' and state <> 'cancelled' order by created_at`,
        [connectionId, opportunityId],
      );
      return rows.map(toPanel);
    },

    /**
     * Booked panels with a seat that ends after `since`: the ones worth watching. One page of at
     * most `limit`, in panel-key order after `after` (keyset paging: the next page starts after
     * the last key of this one, so panels booked meanwhile are neither skipped nor read twice).
     */
    async upcoming(since: Date, limit = 500, after = ""): Promise<BookedPanel[]> {
      const { rows } = await db.query<Row>(
        `select ${COLUMNS} from scheduling_bookings b
          where status = 'booked' and state <> 'cancelled' and panel_key > $3
            and exists (select 1 from scheduling_holds h where h.panel_key = b.panel_key and h.end_at > $1)
          order by panel_key limit $2`,
        [since, limit, after],
      );
      return rows.map(toPanel);
    },

    async cursor(connectionId: string, calendar: string): Promise<string | undefined> {
      const { rows } = await db.query<{ cursor: string }>("select cursor from scheduling_change_cursors where connection_id = $1 and calendar = $2", [
        connectionId,
        calendar,
      ]);
      return rows[0]?.cursor;
    },

    async saveCursor(connectionId: string, calendar: string, cursor: string): Promise<void> {
      await db.query(
        `insert into scheduling_change_cursors (connection_id, calendar, cursor) values ($1, $2, $3)
         on conflict (connection_id, calendar) do update set cursor = excluded.cursor, updated_at = now()`,
        [connectionId, calendar, cursor],
      );
    },

    /** Drops a calendar's cursor, so that its next read is a full one (after Graph said notifications were missed). */
    async forgetCursor(connectionId: string, calendar: string): Promise<void> {
      await db.query("delete from scheduling_change_cursors where connection_id = $1 and calendar = $2", [connectionId, calendar]);
    },

    /** Remembers that `attendee` declined the event `eventKey`, so the decline is not reported again. */
    async recordDecline(panelKey: string, eventKey: string, attendee: string): Promise<void> {
      await db.query(
        `update scheduling_bookings
            set events = jsonb_set(events, array[$2::text, 'declined'], coalesce(events->$2->'declined', '[]'::jsonb) || to_jsonb($3::text)),
                updated_at = now()
          where panel_key = $1 and events ? $2 and not coalesce(events->$2->'declined', '[]'::jsonb) ? $3`,
        [panelKey, eventKey, attendee.toLowerCase()],
      );
    },

    /** Sets a panel's state; a cancelled panel stays cancelled (a late re-plan or watcher never revives it). */
    async setState(panelKey: string, state: PanelState): Promise<void> {
      await db.query("update scheduling_bookings set state = $2, updated_at = now() where panel_key = $1 and state <> 'cancelled'", [panelKey, state]);
    },

    /**
     * Replaces a booking's seats with those of its next revision, under the same per-interviewer
     * advisory locks as booking (taken in one order): none is replaced when another standing
     * booking holds an overlapping seat of a new one. Call inside a transaction.
     */
    async replaceSeats(panelKey: string, seats: Seat[]): Promise<HeldElsewhere[]> {
      const people = [...new Set(seats.map((s) => s.interviewer))].sort();
      for (const person of people) await db.query("select pg_advisory_xact_lock(hashtextextended($1, 0))", [`fulcrum:interviewer:${person}`]);
      const conflicts: HeldElsewhere[] = [];
      for (const seat of seats) {
        const { rows } = await db.query<{ panel_key: string; start_at: Date | string; end_at: Date | string }>(
          `select h.panel_key, h.start_at, h.end_at
             from scheduling_holds h join scheduling_bookings b on b.panel_key = h.panel_key
            where h.interviewer = $1 and h.panel_key <> $2 and b.status <> 'failed'
              and h.start_at < $4::timestamptz and h.end_at > $3::timestamptz
            order by h.start_at limit 1`,
          [seat.interviewer, panelKey, seat.start, seat.end],
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
      if (conflicts.length) return conflicts;
      await db.query("delete from scheduling_holds where panel_key = $1", [panelKey]);
      for (const seat of seats) {
        await db.query(
          "insert into scheduling_holds (panel_key, interviewer, session_id, start_at, end_at) values ($1, $2, $3, $4, $5) on conflict do nothing",
          [panelKey, seat.interviewer, seat.sessionId, seat.start, seat.end],
        );
      }
      return [];
    },

    /** Records one calendar event of a revision (its new id when it was made again). */
    async recordRevisedEvent(panelKey: string, key: string, event: Record<string, unknown>): Promise<void> {
      await db.query("update scheduling_bookings set events = events || jsonb_build_object($2::text, $3::jsonb), updated_at = now() where panel_key = $1", [
        panelKey,
        key,
        JSON.stringify(event),
      ]);
    },

    async removeEvent(panelKey: string, key: string): Promise<void> {
      await db.query("update scheduling_bookings set events = events - $2::text, updated_at = now() where panel_key = $1", [panelKey, key]);
    },

    async recordRevisedInvite(panelKey: string, invite: Record<string, unknown>): Promise<void> {
      await db.query("update scheduling_bookings set invite = $2::jsonb, updated_at = now() where panel_key = $1", [panelKey, JSON.stringify(invite)]);
    },

    /**
     * Claims `revision` for one re-booking before it writes anything: only the next revision of a
     * booked panel, and only when no other attempt holds it (a claim that made no progress for
     * `REVISION_CLAIM_STALE_SECONDS` belongs to an attempt that crashed). Otherwise says why not:
     * `applied` (the panel is already there), `busy` (another attempt, with the same params or
     * others, is applying it), `stale` (the panel is at another revision or not booked).
     */
    async claimRevision(
      panelKey: string,
      revision: number,
      paramsHash: string,
    ): Promise<{ claimed: true } | { claimed: false; why: "applied" | "busy" | "stale"; sameParams: boolean }> {
      const { rows } = await db.query(
        `update scheduling_bookings set pending_revision = $2, pending_hash = $3, pending_at = now()
          where panel_key = $1 and status = 'booked' and state <> 'cancelled' and revision = $2 - 1
            and (pending_revision is null or pending_at < now() - make_interval(secs => ${REVISION_CLAIM_STALE_SECONDS}))
          returning panel_key`,
        [panelKey, revision, paramsHash],
      );
      if (rows.length === 1) return { claimed: true };
      const now = await db.query<{ revision: number; status: string; state: string; pending_revision: number | null; pending_hash: string | null }>(
        "select revision, status, state, pending_revision, pending_hash from scheduling_bookings where panel_key = $1",
        [panelKey],
      );
      const r = now.rows[0];
      if (r && Number(r.revision) >= revision) return { claimed: false, why: "applied", sameParams: false };
      if (r && r.status === "booked" && r.state !== "cancelled" && Number(r.pending_revision) === revision)
        return { claimed: false, why: "busy", sameParams: r.pending_hash === paramsHash };
      return { claimed: false, why: "stale", sameParams: false };
    },

    /** Gives a claim back (the re-booking stopped with an error), so a retry or another re-plan can apply the revision. */
    async releaseRevision(panelKey: string, revision: number, paramsHash: string): Promise<void> {
      await db.query(
        "update scheduling_bookings set pending_revision = null, pending_hash = null, pending_at = null where panel_key = $1 and pending_revision = $2 and pending_hash = $3",
        [panelKey, revision, paramsHash],
      );
    },

    /**
     * The revision is done: its params become the booking's, and the panel is booked again. Only
     * the attempt that holds the claim completes it; false when it no longer does.
     */
    async completeRevision(panelKey: string, revision: number, params: unknown, paramsHash: string, panelId: string | null): Promise<boolean> {
      const { rows } = await db.query(
        `update scheduling_bookings set revision = $2, params = $3::jsonb, params_hash = $4, state = 'booked', panel_id = coalesce(nullif($5, ''), panel_id),
                pending_revision = null, pending_hash = null, pending_at = null, updated_at = now()
          where panel_key = $1 and revision = $2 - 1 and pending_revision = $2 and pending_hash = $4 and state <> 'cancelled'
          returning panel_key`,
        [panelKey, revision, JSON.stringify(params), paramsHash, panelId ?? ""],
      );
      return rows.length === 1;
    },

    /**
     * Claims an escalation by its key: true the first time (send it), false when it was sent
     * before. `release` gives the claim back when sending failed, so a retry sends it.
     */
    async claimEscalation(key: string, e: { panelKey: string; channel: string; message: string }): Promise<boolean> {
      const { rows } = await db.query<{ escalation_key: string }>(
        "insert into scheduling_escalations (escalation_key, panel_key, channel, message) values ($1, $2, $3, $4) on conflict do nothing returning escalation_key",
        [key, e.panelKey, e.channel, e.message.slice(0, 10_000)],
      );
      return rows.length === 1;
    },

    async releaseEscalation(key: string): Promise<void> {
      await db.query("delete from scheduling_escalations where escalation_key = $1", [key]);
    },
  };
}

export type SchedulingChangeStore = ReturnType<typeof createSchedulingChangeStore>;
