-- Backfills of the rediscovery index asked for over the API (the CLI's `fulcrum backfill` prints
-- its report instead). One row per request: who asked, for which connection and window, and the
-- report once the background job has run (or why it failed).
create table screening_backfills (
  id bigserial primary key,
  connection_id text not null,
  since timestamptz,
  include_confidential boolean not null default false,
  requested_by text not null,
  status text not null default 'queued' check (status in ('queued', 'running', 'done', 'failed')),
  report jsonb,
  error text,
  created_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz
);
