-- The audit trail: one append-only, hash-chained table. Each record's hash is
-- sha256(prev_hash || canonical JSON of the record), so editing, removing or reordering a record
-- breaks the chain where it happened. The application computes the hashes (src/governance/).
create table audit_records (
  seq bigint primary key,
  prev_hash text not null,
  hash text not null unique,
  kind text not null,
  trace_id text,
  actor text not null,
  connection_id text,
  opportunity_id text,
  candidate_id text,
  user_id text,
  data jsonb not null,
  created_at timestamptz not null
);
create index audit_records_trace on audit_records (trace_id) where trace_id is not null;
create index audit_records_opportunity on audit_records (opportunity_id) where opportunity_id is not null;
create index audit_records_candidate on audit_records (candidate_id) where candidate_id is not null;
create index audit_records_user on audit_records (user_id) where user_id is not null;
create index audit_records_actor on audit_records (actor);
create index audit_records_created on audit_records (created_at);

-- The chain head: a single row holding the last sequence number and hash. Appenders update it in
-- the same transaction as their insert; its row lock serialises appenders across processes, and
-- it lets verify() notice records removed from the end of the chain.
create table audit_chain_head (
  id boolean primary key default true check (id),
  seq bigint not null,
  hash text not null
);
insert into audit_chain_head (id, seq, hash) values (true, 0, 'genesis');

-- Belt and braces: refuse UPDATE, DELETE and TRUNCATE on the records at the database level. A
-- superuser can still disable the trigger, which is why verify() never relies on it.
create function audit_records_refuse_change() returns trigger as $$
begin
  raise exception 'audit_records is append-only (% refused)', tg_op;
end;
$$ language plpgsql;
create trigger audit_records_append_only before update or delete on audit_records
  for each row execute function audit_records_refuse_change();
create trigger audit_records_no_truncate before truncate on audit_records
  for each statement execute function audit_records_refuse_change();
