-- Workflow runs: one per workflow × event (run_key), so a redelivered or replayed event never
-- starts a second run. The workflow as it was when the run started is kept with the run, so a
-- resumed or re-run run follows the definition it began with even after the file changed.
create table workflow_runs (
  id bigserial primary key,
  run_key text not null unique,
  workflow_id text not null,
  workflow_hash text not null,
  workflow jsonb not null,
  connection_id text not null,
  inbox_event_id bigint,
  event jsonb not null,
  trace_id text not null,
  opportunity_id text,
  posting_id text,
  status text not null default 'running'
    check (status in ('running', 'waiting', 'succeeded', 'failed', 'cancelled')),
  dry_run boolean not null default false,
  generation integer not null default 1,
  context jsonb not null default '{}',
  current_step text,
  deadline_at timestamptz not null,
  error text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  finished_at timestamptz
);
create index workflow_runs_created on workflow_runs (created_at desc);
create index workflow_runs_open on workflow_runs (deadline_at) where status in ('running', 'waiting');
create index workflow_runs_opportunity on workflow_runs (opportunity_id);

-- Steps: one row per step per generation (a re-run from a step starts a new generation), with
-- what went in and what came out.
create table workflow_steps (
  id bigserial primary key,
  run_id bigint not null references workflow_runs (id) on delete cascade,
  step_id text not null,
  position integer not null,
  type text not null,
  generation integer not null,
  status text not null default 'pending'
    check (status in ('pending', 'running', 'waiting', 'succeeded', 'failed', 'skipped')),
  attempts integer not null default 0,
  input jsonb,
  output jsonb,
  error text,
  created_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz,
  unique (run_id, step_id, generation)
);

-- Timers relative to data (e.g. one hour after an interview ends): the latest time per key. A
-- rescheduled interview re-arms the timer; the job of the old time finds it stale and does nothing.
create table workflow_timers (
  key text primary key,
  workflow_id text not null,
  fire_at timestamptz not null,
  updated_at timestamptz not null default now()
);
