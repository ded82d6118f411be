/**
 * The push channels Fulcrum holds open on watched calendars (Google events.watch channels,
 * Microsoft Graph subscriptions), one per calendar, with when each expires: what the channel
 * keeper reads to renew a channel in time and to close one no longer needed.
 */
import type { Queryable } from "./database.ts";

export interface StoredPushChannel {
  connectionId: string;
  /** The calendar's address (Google and Graph calendars are named by the person's e-mail). */
  calendar: string;
  provider: string;
  channelId: string;
  resourceId: string | undefined;
  address: string;
  expiresAt: Date;
}

interface Row {
  connection_id: string;
  calendar: string;
  provider: string;
  channel_id: string;
  resource_id: string | null;
  address: string;
  expires_at: Date | string;
}

export function createPushChannelStore(db: Queryable) {
  return {
    async list(): Promise<StoredPushChannel[]> {
      const { rows } = await db.query<Row>(
        "select connection_id, calendar, provider, channel_id, resource_id, address, expires_at from calendar_push_channels order by connection_id, calendar",
      );
      return rows.map((r) => ({
        connectionId: r.connection_id,
        calendar: r.calendar,
        provider: r.provider,
        channelId: r.channel_id,
        resourceId: r.resource_id ?? undefined,
        address: r.address,
        expiresAt: new Date(r.expires_at),
      }));
    },

    /** Records a channel opened or renewed (the calendar's previous one is replaced). */
    async save(c: StoredPushChannel, renewed = false): Promise<void> {
      await db.query(
        `insert into calendar_push_channels (connection_id, calendar, provider, channel_id, resource_id, address, expires_at)
         values ($1, $2, $3, $4, $5, $6, $7)
         on conflict (connection_id, calendar) do update set provider = excluded.provider, channel_id = excluded.channel_id,
           resource_id = excluded.resource_id, address = excluded.address, expires_at = excluded.expires_at,
           renewed_at = case when $8 then now() else calendar_push_channels.renewed_at end`,
        [c.connectionId, c.calendar, c.provider, c.channelId, c.resourceId ?? null, c.address, c.expiresAt, renewed],
      );
    },

    /** Forgets a closed channel (only that one: a newer channel of the same calendar stays). */
    async remove(connectionId: string, calendar: string, channelId: string): Promise<void> {
      await db.query("delete from calendar_push_channels where connection_id = $1 and calendar = $2 and channel_id = $3", [connectionId, calendar, channelId]);
    },
  };
}

export type PushChannelStore = ReturnType<typeof createPushChannelStore>;
