-- Proposals: what an action step would do, why, and what became of it. Shadow proposals are
-- records only; pending ones wait for a person; every decision is also kept in
-- proposal_decisions with who made it.
create table proposals (
  id bigserial primary key,
  run_id bigint not null references workflow_runs (id) on delete cascade,
  step_id text not null,
  generation integer not null,
  workflow_id text not null,
  connection_id text not null,
  opportunity_id text,
  posting_id text,
  kind text not null,
  action jsonb not null,
  summary text not null,
  reasons jsonb not null default '[]',
  evidence jsonb not null default '[]',
  confidence double precision,
  engine text,
  model text,
  prompt text,
  flags jsonb not null default '[]',
  mode text not null check (mode in ('shadow', 'assist', 'auto')),
  policy jsonb not null default '[]',
  status text not null
    check (status in ('shadow', 'pending', 'approved', 'applied', 'rejected', 'expired', 'failed')),
  result jsonb,
  error text,
  expires_at timestamptz,
  escalate_at timestamptz,
  escalated_at timestamptz,
  decided_by text,
  decided_at timestamptz,
  decision_reason text,
  edits jsonb,
  trace_id text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (run_id, step_id, generation)
);
create index proposals_status on proposals (status, created_at desc);
create index proposals_workflow on proposals (workflow_id, created_at desc);

create table proposal_decisions (
  id bigserial primary key,
  proposal_id bigint not null references proposals (id) on delete cascade,
  actor text not null,
  decision text not null check (decision in ('approve', 'reject', 'expire', 'escalate')),
  reason text,
  edits jsonb,
  created_at timestamptz not null default now()
);
create index proposal_decisions_proposal on proposal_decisions (proposal_id);

-- Per-workflow switches set through the API or console (enabled, mode); the file stays the default.
create table workflow_settings (
  workflow_id text primary key,
  enabled boolean,
  mode text check (mode in ('shadow', 'assist', 'auto')),
  updated_by text,
  updated_at timestamptz not null default now()
);

-- API bearer tokens: only the sha256 of a token is stored.
create table api_tokens (
  id bigserial primary key,
  name text not null,
  token_sha256 text not null unique,
  role text not null default 'admin' check (role in ('admin', 'recruiter', 'hiring_manager', 'auditor')),
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);
