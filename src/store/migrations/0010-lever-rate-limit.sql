-- Lever's rate limit is per API key (10 requests/s, bursts of 20). Every Fulcrum process talking to
-- the same connection takes its turn from this one bucket, so adding workers never pushes a Lever
-- account past its limit. tokens may go negative: a taker reserves a future token and waits for it.
-- No foreign key to connections: the bucket is keyed by the connection id alone, so benchmarks and
-- library users can share a bucket without a registered connection.
create table lever_rate_buckets (
  connection_id text primary key,
  tokens double precision not null,
  updated_at timestamptz not null
);
