-- A workflow step job's first statement, as a function so the database plans it once per connection
-- instead of on every call (it is the engine's most frequent statement; planning it cost more than
-- running it). Called by executeStep in src/engine/runs/engine.ts, which explains what it does:
-- in one statement it reads the run, the outputs of its steps in the current generation and the
-- step's proposal, and claims the step (running, one more attempt) -- only while the run is on this
-- generation and running or waiting, and the step is one of the run's workflow. For an action step
-- without a proposal it reserves the proposal's id. The claim commits without waiting for the disk:
-- a lost claim only makes the step read as not started, and every commit that matters after it
-- waits for the disk and so makes it durable too.
create function workflow_claim_step(p_run bigint, p_step text, p_generation integer, p_non_proposing text[])
returns table (
  id bigint, run_key text, workflow_id text, workflow jsonb, connection_id text, event jsonb, trace_id text,
  opportunity_id text, posting_id text, status text, dry_run boolean, generation integer, context jsonb,
  steps json, claimed json, proposal json, proposal_id bigint
)
language plpgsql as $$
#variable_conflict use_column
begin
  perform set_config('synchronous_commit', 'off', true);
  return query
  with claimed as (
    update workflow_steps s set status = 'running', attempts = s.attempts + 1, started_at = coalesce(s.started_at, now()), error = null
    from workflow_runs r
    where r.id = p_run and r.generation = p_generation and r.status in ('running', 'waiting')
      and r.workflow->'steps' @> jsonb_build_array(jsonb_build_object('id', p_step))
      and s.run_id = r.id and s.step_id = p_step and s.generation = p_generation
      and (s.status in ('pending', 'running', 'failed') or (s.status = 'waiting' and s.type = 'wait'))
    returning s.id, s.step_id, s.position, s.status, s.attempts - 1 as attempts, s.output, s.generation, s.type
  ),
  existing as (select * from proposals p where p.run_id = p_run and p.step_id = p_step and p.generation = p_generation)
  select r.id, r.run_key, r.workflow_id, r.workflow, r.connection_id, r.event, r.trace_id, r.opportunity_id, r.posting_id,
    r.status, r.dry_run, r.generation, r.context,
    (select coalesce(json_agg(json_build_object('step_id', s.step_id, 'status', s.status, 'output', s.output)), '[]'::json)
       from workflow_steps s where s.run_id = r.id and s.generation = r.generation),
    (select row_to_json(c) from claimed c),
    (select row_to_json(e) from existing e),
    (select nextval(pg_get_serial_sequence('proposals', 'id')) from claimed c where c.type <> all (p_non_proposing) and not exists (select 1 from existing))
  from workflow_runs r where r.id = p_run;
end;
$$;
