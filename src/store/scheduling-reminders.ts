/**
 * Interview reminders sent (`scheduling_reminders`) and what happened at booked interviews that the
 * fairness report counts: no-shows (a booking marked `no-show`) and reschedules (each re-booking
 * raises the booking's revision; each candidate reschedule through the booking page counts on its link).
 */
import type { Queryable } from "./database.ts";

/** Who a reminder is for; `alert` is the recruiter's alert about a high no-show risk. */
export type ReminderAudience = "candidate" | "interviewers" | "alert";

/** The key of one reminder: the same booking, audience, offset and start never get a second one. */
export function reminderKey(panelKey: string, audience: ReminderAudience, offsetMinutes: number, start: string): string {
  return `${panelKey}|${audience}|${offsetMinutes}|${new Date(start).toISOString()}`;
}

/** Per opportunity: booked panels, how many were no-shows, and how often they were rescheduled. */
export interface InterviewOutcome {
  opportunityId: string;
  panels: number;
  noShows: number;
  reschedules: number;
}

/** One booked panel as the fairness report counts it: whether it has started, was cancelled, was a no-show, and how often it moved. */
export interface PanelOutcome {
  connectionId: string;
  opportunityId: string;
  /** The first session's start is at or before `now`. */
  started: boolean;
  cancelled: boolean;
  noShow: boolean;
  reschedules: number;
}

/** A booked panel as marking a no-show reads it. */
export interface PanelForNoShow {
  panelKey: string;
  connectionId: string;
  opportunityId: string;
  state: string;
  /** The first session's start (ISO), null when the booking names none. */
  firstStart: string | null;
  noShow: { at: string; by: string } | null;
}

export function createReminderStore(db: Queryable) {
  return {
    /**
     * Claims a reminder: true the first time (send it), false when it was claimed before. Claimed
     * before sending, so two racing timers cannot both send; `release` gives it back when sending failed.
     */
    async claim(r: { panelKey: string; audience: ReminderAudience; offsetMinutes: number; start: string; recipients: number }): Promise<boolean> {
      const { rows } = await db.query(
        `insert into scheduling_reminders (reminder_key, panel_key, audience, offset_minutes, start_at, recipients)
         values ($1, $2, $3, $4, $5, $6) on conflict do nothing returning reminder_key`,
        [reminderKey(r.panelKey, r.audience, r.offsetMinutes, r.start), r.panelKey, r.audience, r.offsetMinutes, r.start, r.recipients],
      );
      return rows.length === 1;
    },

    async release(r: { panelKey: string; audience: ReminderAudience; offsetMinutes: number; start: string }): Promise<void> {
      await db.query("delete from scheduling_reminders where reminder_key = $1", [reminderKey(r.panelKey, r.audience, r.offsetMinutes, r.start)]);
    },

    /**
     * Withdraws the reminders still waiting for a person's approval for a booking that was cancelled
     * or moved, so a stale one is never sent: each pending proposal of an `interview-reminders` run
     * whose remind step was for `panelKey` (and, when `keepStart` is given, for another start than
     * it) gets `reason` and expires now. The engine refuses to approve it and expires it through its
     * usual path (decision and audit record with the reason; the run is cancelled). Returns the
     * proposals' ids.
     */
    async withdrawPending(panelKey: string, reason: string, keepStart?: string): Promise<number[]> {
      const { rows } = await db.query<{ id: number | string }>(
        `update proposals p set decision_reason = $2, expires_at = now(), updated_at = now()
          where p.status = 'pending' and p.workflow_id = 'interview-reminders'
            and exists (select 1 from workflow_steps s
                         where s.run_id = p.run_id and s.step_id = 'remind' and s.output->>'panelKey' = $1
                           and ($3::timestamptz is null or (s.output->>'start')::timestamptz is distinct from $3::timestamptz))
          returning p.id`,
        [panelKey, reason, keepStart ?? null],
      );
      return rows.map((r) => Number(r.id));
    },

    /** Reminders already sent for a booking, newest first. */
    async sentFor(panelKey: string): Promise<{ audience: ReminderAudience; offsetMinutes: number; start: string; sentAt: string }[]> {
      const { rows } = await db.query<{ audience: ReminderAudience; offset_minutes: number; start_at: Date | string; sent_at: Date | string }>(
        "select audience, offset_minutes, start_at, sent_at from scheduling_reminders where panel_key = $1 order by sent_at desc",
        [panelKey],
      );
      return rows.map((r) => ({
        audience: r.audience,
        offsetMinutes: Number(r.offset_minutes),
        start: new Date(r.start_at).toISOString(),
        sentAt: new Date(r.sent_at).toISOString(),
      }));
    },

    /**
     * Marks a booked panel as a no-show (the candidate did not come). Only a booked panel whose first
     * session has started can be marked; returns false otherwise (unknown, not booked, or not started).
     */
    async markNoShow(panelKey: string, by: string, now: Date): Promise<boolean> {
      const { rows } = await db.query(
        `update scheduling_bookings b set state = 'no-show', no_show_at = $3, no_show_by = $2, updated_at = now()
          where panel_key = $1 and status = 'booked' and state <> 'no-show'
            and exists (select 1 from scheduling_holds h where h.panel_key = b.panel_key)
            and (select min(h.start_at) from scheduling_holds h where h.panel_key = b.panel_key) <= $3
          returning panel_key`,
        [panelKey, by, now],
      );
      return rows.length === 1;
    },

    /**
     * The panels Fulcrum booked that `ref` names: the booking's panel key, or every booked panel of
     * the opportunity with that id; with each panel's first start and no-show mark.
     */
    async panelsFor(ref: string): Promise<PanelForNoShow[]> {
      const { rows } = await db.query<{
        panel_key: string;
        connection_id: string;
        opportunity_id: string;
        state: string;
        first_start: Date | string | null;
        no_show_at: Date | string | null;
        no_show_by: string | null;
      }>(
        `select b.panel_key, b.connection_id, b.opportunity_id, b.state, b.no_show_at, b.no_show_by,
                coalesce((select min(h.start_at) from scheduling_holds h where h.panel_key = b.panel_key),
                         (b.params->'sessions'->0->>'start')::timestamptz) as first_start
           from scheduling_bookings b
          where b.status = 'booked' and (b.panel_key = $1 or b.opportunity_id = $1)
          order by first_start desc nulls last, b.panel_key`,
        [ref],
      );
      return rows.map((r) => ({
        panelKey: r.panel_key,
        connectionId: r.connection_id,
        opportunityId: r.opportunity_id,
        state: r.state,
        firstStart: r.first_start === null ? null : new Date(r.first_start).toISOString(),
        noShow: r.no_show_at === null ? null : { at: new Date(r.no_show_at).toISOString(), by: r.no_show_by ?? "" },
      }));
    },

    /**
     * Every panel Fulcrum booked, one row each, for counting per person: started by `now` or not,
     * cancelled, no-show, reschedules (counted as in `outcomes`).
     */
    async panelOutcomes(now: Date): Promise<PanelOutcome[]> {
      const { rows } = await db.query<{ connection_id: string; opportunity_id: string; state: string; started: boolean | null; reschedules: number }>(
        // A cancelled panel gives its seats back, so its start is read from the booking's sessions.
        `select b.connection_id, b.opportunity_id, b.state,
                coalesce((select min(h.start_at) from scheduling_holds h where h.panel_key = b.panel_key),
                         (b.params->'sessions'->0->>'start')::timestamptz) <= $1 as started,
                greatest(b.revision, coalesce((select sum(l.reschedules) from booking_links l where l.panel_key = b.panel_key), 0))::int as reschedules
           from scheduling_bookings b
          where b.status = 'booked'
          order by b.connection_id, b.opportunity_id, b.panel_key`,
        [now],
      );
      return rows.map((r) => ({
        connectionId: r.connection_id,
        opportunityId: r.opportunity_id,
        started: r.started === true,
        cancelled: r.state === "cancelled",
        noShow: r.state === "no-show",
        reschedules: Number(r.reschedules),
      }));
    },

    /** No-shows and reschedules per opportunity over booked panels created in the window. */
    async outcomes(window: { since?: Date | undefined; until?: Date | undefined } = {}): Promise<InterviewOutcome[]> {
      const { rows } = await db.query<{ opportunity_id: string; panels: number; no_shows: number; reschedules: number }>(
        `select b.opportunity_id, count(*)::int as panels,
                count(*) filter (where b.state = 'no-show')::int as no_shows,
                -- A candidate's reschedule through the booking page is a re-booking too: the larger of the
                -- two counts, so one reschedule is never counted twice.
                sum(greatest(b.revision, coalesce((select sum(l.reschedules) from booking_links l where l.panel_key = b.panel_key), 0)))::int as reschedules
           from scheduling_bookings b
          where b.status = 'booked' and ($1::timestamptz is null or b.created_at >= $1) and ($2::timestamptz is null or b.created_at < $2)
          group by b.opportunity_id order by b.opportunity_id`,
        [window.since ?? null, window.until ?? null],
      );
      return rows.map((r) => ({ opportunityId: r.opportunity_id, panels: Number(r.panels), noShows: Number(r.no_shows), reschedules: Number(r.reschedules) }));
    },
  };
}

export type ReminderStore = ReturnType<typeof createReminderStore>;
