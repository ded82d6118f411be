-- Postings talent rediscovery has looked at, per connection. Lever sends no webhook for a new
-- posting, so a scheduled run lists published postings and treats the ones not yet here as new.
-- `baseline` rows are the postings that existed when a connection was first looked at: they are
-- remembered but not rediscovered (nobody asked for a flood of proposals for old roles).
-- `rediscovered_at` is set once the outreach runs for a posting have been started, so a run that
-- fails half-way picks the posting up again on the next tick.
create table rediscovery_postings (
  connection_id text not null,
  posting_id text not null,
  title text,
  baseline boolean not null default false,
  seen_at timestamptz not null default now(),
  rediscovered_at timestamptz,
  candidates integer,
  primary key (connection_id, posting_id)
);
