-- Sign-in throttling, one row per client address ('ip:<address>') and per account
-- ('account:<lower-case e-mail>', also for addresses without an account, so throttling does not
-- tell which addresses have one). An attempt is counted by one upsert *before* its password is
-- checked, so a burst of concurrent attempts cannot all reach the check: once `failures` reaches
-- the free allowance, `blocked_until` is set and every attempt until then is refused unchecked.
-- A success gives back only its own count; failures counted before it stay.
create table console_login_throttle (
  key text primary key,
  failures integer not null,
  blocked_until timestamptz,
  last_failure_at timestamptz not null
);
create index console_login_throttle_last on console_login_throttle (last_failure_at);
