/** A connection's webhook health from what actually arrived: per event, the last delivery and how many failed. */
import type { Queryable } from "../../store/index.ts";

export interface WebhookEventHealth {
  event: string;
  /** When the latest delivery arrived (ISO 8601). */
  lastDeliveryAt: string | null;
  deliveries: number;
  /** Of those, events whose processing failed. */
  failures: number;
}

/** The connection's deliveries grouped by webhook event, by event name. */
export async function webhookHealth(db: Queryable, connectionId: string): Promise<WebhookEventHealth[]> {
  const { rows } = await db.query<{ event: string; last: Date | string | null; n: number; failed: number }>(
    `select event, max(received_at) as last, count(*)::int as n, count(*) filter (where status = 'failed')::int as failed
         from inbox_events where connection_id = $1 group by event order by event`,
    [connectionId],
  );
  return rows.map((r) => ({ event: r.event, lastDeliveryAt: r.last ? new Date(r.last).toISOString() : null, deliveries: r.n, failures: r.failed }));
}
