/**
 * Refused webhook deliveries, counted per connection, source, refusal code and hour (migration
 * 0109), so webhook health can show what never reached the inbox beside what did.
 */
import type { Queryable } from "../../store/index.ts";

export interface WebhookRefusal {
  /** A connection that exists: unknown ones are not counted (their ids come from the sender). */
  connectionId: string;
  source: string;
  /** The refusal's stable code, e.g. `signature_invalid` (a bounded set, never sender text). */
  code: string;
  at: Date;
}

/**
 * Adds one refusal to its hour's counter. One upsert of a row per hour and code: a sender that
 * keeps failing costs a counter, not a row per request.
 *
 * @example
 * await countWebhookRefusal(db, { connectionId: "default", source: "lever", code: "signature_invalid", at: new Date() });
 */
export async function countWebhookRefusal(db: Queryable, refusal: WebhookRefusal): Promise<void> {
  await db.query(
    `insert into webhook_refusals (connection_id, source, code, hour, refusals)
     values ($1, $2, $3, date_trunc('hour', $4::timestamptz at time zone 'UTC') at time zone 'UTC', 1)
     on conflict (connection_id, source, code, hour) do update set refusals = webhook_refusals.refusals + 1`,
    [refusal.connectionId, refusal.source, refusal.code.slice(0, 100), refusal.at.toISOString()],
  );
}
