-- Connections: where a connection came from (config file / environment, the CLI, the OAuth connect
-- flow), the fallback perform-as user as given (e-mail or id), and when perform-as was resolved.
alter table connections add column source text not null default 'cli';
alter table connections add column perform_as_fallback text;
alter table connections add column perform_as_resolved_at timestamptz;

-- Webhook tokens: 'settings' tokens come from Lever's webhook settings page (one per event, or
-- event null for "every event"); 'api' tokens were returned by POST /webhooks (one per webhook).
alter table webhook_tokens add column origin text not null default 'settings';
create unique index webhook_tokens_api_webhook on webhook_tokens (connection_id, webhook_id) where webhook_id is not null;

-- OAuth tokens of a connection, sealed. `generation` grows with every refresh: a process that
-- waited for the row lock compares it to learn that another process already refreshed.
create table connection_oauth_tokens (
  connection_id text primary key references connections (id) on delete cascade,
  access_token_encrypted text not null,
  refresh_token_encrypted text,
  scope text,
  expires_at timestamptz not null,
  generation integer not null default 1,
  updated_at timestamptz not null default now()
);

-- Pending OAuth connect attempts. Only a hash of `state` is kept; a row is used once and expires.
create table oauth_states (
  state_hash text primary key,
  connection_id text not null references connections (id) on delete cascade,
  redirect_uri text not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null
);
