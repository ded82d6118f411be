-- Push channels Fulcrum opened on watched calendars (Google events.watch channels, Microsoft Graph
-- subscriptions), one per calendar: kept so each is renewed before it expires and closed when the
-- calendar no longer holds a booked panel's events. Polling stays the fallback; a channel only
-- makes a change seen sooner.
create table calendar_push_channels (
  connection_id text not null,
  calendar text not null,
  provider text not null,
  -- Google: the channel id we chose; Graph: the subscription id Graph gave.
  channel_id text not null,
  -- Google: the resourceId needed to stop the channel; null for Graph.
  resource_id text,
  address text not null,
  expires_at timestamptz not null,
  created_at timestamptz not null default now(),
  renewed_at timestamptz,
  primary key (connection_id, calendar)
);
create index calendar_push_channels_expiry on calendar_push_channels (expires_at);
