-- Appending to the audit chain in one round trip. The application still decides what is hashed:
-- it sends each record's canonical JSON in two parts, `before` and `after` the creation time, and
-- this function takes the chain head's lock, stamps each record with the database's clock, computes
-- sha256(prev_hash || before || created_at || after) (what the application's verify() recomputes),
-- inserts the records in order and moves the head, all inside the caller's transaction. The head's
-- row lock still serialises appenders across processes. `records` is a JSON array of
-- { before, after, kind, traceId, actor, connectionId, opportunityId, candidateId, userId, stored }.
create function audit_append(records jsonb) returns table (o_seq bigint, o_prev_hash text, o_hash text, o_created_at text)
language plpgsql as $$
declare
  head_seq bigint;
  head_hash text;
  r jsonb;
  stamp text;
  next_hash text;
begin
  select h.seq, h.hash into head_seq, head_hash from audit_chain_head h where h.id for update;
  if not found then
    raise exception 'audit_chain_head is missing its row; the audit migration did not run';
  end if;
  for r in select e.value from jsonb_array_elements(records) as e loop
    stamp := to_char(clock_timestamp() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');
    next_hash := encode(sha256(convert_to(head_hash || (r->>'before') || stamp || (r->>'after'), 'UTF8')), 'hex');
    head_seq := head_seq + 1;
    insert into audit_records (seq, prev_hash, hash, kind, trace_id, actor, connection_id, opportunity_id, candidate_id, user_id, data, created_at)
      values (head_seq, head_hash, next_hash, r->>'kind', r->>'traceId', r->>'actor', r->>'connectionId', r->>'opportunityId',
        r->>'candidateId', r->>'userId', r->'stored', stamp::timestamptz);
    o_seq := head_seq;
    o_prev_hash := head_hash;
    o_hash := next_hash;
    o_created_at := stamp;
    return next;
    head_hash := next_hash;
  end loop;
  update audit_chain_head set seq = head_seq, hash = head_hash where id;
end;
$$;
