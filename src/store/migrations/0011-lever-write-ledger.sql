-- Every write Fulcrum makes to Lever carries an idempotency key (the step that made it). This ledger
-- records each key's outcome so a retry never writes twice: done returns the recorded result,
-- pending (a crash mid-write) and unknown (no answer) are checked against Lever before writing.
create table lever_write_ledger (
  connection_id text not null,
  key text not null,
  operation text not null,
  status text not null check (status in ('pending', 'done', 'unknown', 'failed')),
  lever_id text,
  result jsonb,
  error text,
  attempts integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (connection_id, key)
);
create index lever_write_ledger_open on lever_write_ledger (updated_at) where status in ('pending', 'unknown');
