-- pgvector: when the server offers the extension, enable it, so rediscovery's semantic match runs
-- in its `<=>` operator instead of portable SQL over the arrays (same results, faster). A server
-- without it, or a role that may not create extensions, carries on with the portable SQL; nothing
-- else depends on it.
do $$
begin
  if exists (select 1 from pg_available_extensions where name = 'vector') then
    create extension if not exists vector;
  end if;
exception when insufficient_privilege then
  raise notice 'pgvector is offered but this role may not create it; rediscovery uses portable SQL';
end $$;
