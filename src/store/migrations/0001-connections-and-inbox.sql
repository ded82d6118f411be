-- Lever connections: one row per Lever account this deployment talks to (a vendor holds many).
-- Secrets (API key, OAuth tokens, webhook signature tokens) are stored encrypted by the
-- application with a key from the environment; the database never sees them in clear.
create table connections (
  id text primary key,
  name text not null,
  environment text not null default 'production',
  base_url text not null,
  auth_kind text not null check (auth_kind in ('api_key', 'oauth')),
  credentials_encrypted text not null,
  perform_as_email text,
  perform_as_user_id text,
  fallback_perform_as_user_id text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- Webhook signature tokens: one per event type for webhooks made in Lever's settings
-- (webhook_id null), one per webhook for those made through Lever's webhooks API.
create table webhook_tokens (
  id bigserial primary key,
  connection_id text not null references connections (id) on delete cascade,
  event text,
  webhook_id text,
  url text,
  token_encrypted text not null,
  created_at timestamptz not null default now()
);
create index webhook_tokens_connection on webhook_tokens (connection_id);

-- The inbox: every event Fulcrum accepts, stored before it is acknowledged. dedupe_key makes a
-- redelivery of the same event a no-op (Lever retries must stop, not loop).
create table inbox_events (
  id bigserial primary key,
  connection_id text not null,
  source text not null default 'lever',
  event text not null,
  dedupe_key text not null,
  triggered_at timestamptz,
  received_at timestamptz not null default now(),
  trace_id text not null,
  payload jsonb not null,
  status text not null default 'received'
    check (status in ('received', 'processing', 'processed', 'failed', 'ignored')),
  processed_at timestamptz,
  error text,
  attempts integer not null default 0,
  unique (connection_id, source, dedupe_key)
);
create index inbox_events_received on inbox_events (received_at desc);
create index inbox_events_status on inbox_events (status) where status <> 'processed';
