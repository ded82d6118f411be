/**
 * What the console's Scheduling page reads about a booked panel's reminders from the engine: each
 * `interview-reminders` run's `remind` step for the panel (what it decided: sent, recorded, left for
 * approval, or skipped with its reason, and the settings it ran with), the proposals its notify
 * steps made (waiting, approved, or withdrawn with the reason when the panel was moved or
 * cancelled), and the workflow's timers still armed for the panel's interviews (matched to the
 * panel by the interview webhooks that armed them).
 */
import type { Queryable } from "../../store/index.ts";

export interface RemindStepRow {
  run_id: string | number;
  panel_key: string;
  input: Record<string, unknown> | null;
  output: Record<string, unknown>;
  finished_at: Date | string | null;
}

export interface RemindProposalRow {
  run_id: string | number;
  step_id: string;
  status: string;
  decision_reason: string | null;
}

export interface ArmedReminderTimerRow {
  panel_id: string;
  fire_at: Date | string;
}

/** The `remind` steps of the interview-reminders runs for `panelKeys`, and their notify steps' proposals. */
export async function remindStepRows(db: Queryable, panelKeys: readonly string[]): Promise<{ steps: RemindStepRow[]; proposals: RemindProposalRow[] }> {
  if (panelKeys.length === 0) return { steps: [], proposals: [] };
  const { rows: steps } = await db.query<RemindStepRow>(
    `select s.run_id, s.output->>'panelKey' as panel_key, s.input, s.output, s.finished_at
       from workflow_steps s join workflow_runs r on r.id = s.run_id
      where r.workflow_id = 'interview-reminders' and s.step_id = 'remind' and s.output->>'panelKey' = any($1::text[])
      order by s.id limit 5000`,
    [panelKeys],
  );
  if (steps.length === 0) return { steps, proposals: [] };
  const { rows: proposals } = await db.query<RemindProposalRow>(
    `select p.run_id, p.step_id, p.status, p.decision_reason from proposals p
      where p.workflow_id = 'interview-reminders' and p.run_id = any($1::bigint[]) order by p.id`,
    [[...new Set(steps.map((s) => String(s.run_id)))]],
  );
  return { steps, proposals };
}

/**
 * The interview-reminders timers still to fire for the Lever panels `panelIds`: a timer is keyed
 * by its interview (`interview-reminders:<trigger>:<interviewId>`), and the interview's webhook
 * names its panel.
 */
export async function armedReminderTimers(db: Queryable, panelIds: readonly string[]): Promise<ArmedReminderTimerRow[]> {
  if (panelIds.length === 0) return [];
  const { rows } = await db.query<ArmedReminderTimerRow>(
    `select distinct e.payload->'data'->>'panelId' as panel_id, t.fire_at
       from workflow_timers t
       join inbox_events e on e.payload->'data'->>'interviewId' = split_part(t.key, ':', 3)
      where t.workflow_id = 'interview-reminders' and e.payload->'data'->>'panelId' = any($1::text[])
      order by t.fire_at limit 5000`,
    [panelIds],
  );
  return rows;
}

/** Lever's panel id and the state of each booked panel in `panelKeys`. */
export async function bookedPanelIds(db: Queryable, panelKeys: readonly string[]): Promise<{ panel_key: string; panel_id: string | null; state: string }[]> {
  if (panelKeys.length === 0) return [];
  const { rows } = await db.query<{ panel_key: string; panel_id: string | null; state: string }>(
    "select panel_key, panel_id, state from scheduling_bookings where panel_key = any($1::text[]) and status = 'booked'",
    [panelKeys],
  );
  return rows;
}
