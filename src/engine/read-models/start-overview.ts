/**
 * What the console's Start page counts: proposals waiting for a person, runs since the start of
 * the viewer's day (and how many failed), and webhook deliveries hour by hour with processing
 * errors and refusals, from the inbox and the refusal counters.
 */
import type { Queryable } from "../../store/index.ts";

export interface StartCounts {
  waitingProposals: number;
  runsToday: number;
  failedRunsToday: number;
}

/**
 * Proposals waiting now and runs started since `since` (replays and other dry runs left out).
 * `postingIds` limits the proposals to those postings (a hiring manager's).
 */
export async function startCounts(db: Queryable, options: { since: Date; postingIds?: readonly string[] | undefined }): Promise<StartCounts> {
  const postings = options.postingIds ? [...options.postingIds] : null;
  // Two small counts in one round trip; both use an index (proposals_status, workflow_runs_created).
  const { rows } = await db.query<StartCounts>(
    `select
       (select count(*)::int from proposals where status = 'pending' and ($2::text[] is null or posting_id = any($2::text[]))) as "waitingProposals",
       (select count(*)::int from workflow_runs where created_at >= $1 and not dry_run) as "runsToday",
       (select count(*)::int from workflow_runs where created_at >= $1 and not dry_run and status = 'failed') as "failedRunsToday"`,
    [options.since.toISOString(), postings],
  );
  return rows[0]!;
}

export interface WebhookHour {
  /** The hour's start (UTC, ISO 8601). */
  hour: string;
  /** Deliveries stored in the inbox. */
  deliveries: number;
  /** Of those, events whose processing failed. */
  failed: number;
  /** Deliveries refused before the inbox (bad or reused signature, replay window, malformed). */
  refused: number;
}

/** The first instant of `at`'s UTC hour. */
function hourOf(at: Date): Date {
  const d = new Date(at);
  d.setUTCMinutes(0, 0, 0);
  return d;
}

/**
 * Webhook deliveries per hour for the `hours` hours up to and including the current one, oldest
 * first, every hour present (zeros included) so the chart's x axis is the clock.
 */
export async function webhookHours(db: Queryable, options: { now: Date; hours: number }): Promise<WebhookHour[]> {
  const hours = Math.max(1, Math.min(168, Math.floor(options.hours)));
  const from = new Date(hourOf(options.now).getTime() - (hours - 1) * 3_600_000);
  const to = new Date(from.getTime() + hours * 3_600_000);
  // Hours are cut in UTC on both sides, whatever the session's time zone, so they line up.
  const { rows } = await db.query<{ hour: Date | string; deliveries: number; failed: number; refused: number }>(
    `with delivered as (
       select date_trunc('hour', received_at at time zone 'UTC') at time zone 'UTC' as hour,
              count(*)::int as n, count(*) filter (where status = 'failed')::int as failed
       from inbox_events where received_at >= $1 and received_at < $2 group by 1
     ), refused as (
       select hour, sum(refusals)::int as n from webhook_refusals where hour >= $1 and hour < $2 group by hour
     )
     select h.hour, coalesce(d.n, 0) as deliveries, coalesce(d.failed, 0) as failed, coalesce(r.n, 0) as refused
     from generate_series($1::timestamptz, $2::timestamptz - interval '1 hour', interval '1 hour') as h(hour)
     left join delivered d on d.hour = h.hour
     left join refused r on r.hour = h.hour
     order by h.hour`,
    [from.toISOString(), to.toISOString()],
  );
  return rows.map((r) => ({ hour: new Date(r.hour).toISOString(), deliveries: r.deliveries, failed: r.failed, refused: r.refused }));
}
