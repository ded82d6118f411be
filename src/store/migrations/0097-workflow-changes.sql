-- Workflow changes that raise what Fulcrum may do without a person (enabling a workflow, raising its
-- mode shadow → assist → auto) wait here for someone other than their author (four eyes); lowering
-- changes apply at once and are only audited. A row keeps only the fields the change raises (`null`
-- leaves a field as it is); approving copies them into workflow_settings in the same transaction.
create table workflow_changes (
  id bigserial primary key,
  workflow_id text not null,
  enabled boolean,
  mode text check (mode in ('shadow', 'assist', 'auto')),
  status text not null default 'pending' check (status in ('pending', 'approved', 'rejected', 'withdrawn', 'superseded')),
  author text not null,
  created_at timestamptz not null default now(),
  decided_by text,
  decided_at timestamptz,
  reason text,
  check (enabled is not null or mode is not null)
);
-- At most one pending change per workflow: a newer request supersedes the older one.
create unique index workflow_changes_one_pending on workflow_changes (workflow_id) where status = 'pending';
