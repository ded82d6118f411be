-- Webhook deliveries refused before they reached the inbox (a bad or reused signature, outside the
-- replay window, a malformed envelope), counted per connection, code and hour so the console can
-- draw webhook health next to what was stored. A counter per hour rather than a row per refusal:
-- a sender who keeps failing (or an attacker) costs one row an hour, not one per request. Only
-- known connections are counted, and only the refusal's code: no body, no header, no address.
create table webhook_refusals (
  connection_id text not null,
  source text not null,
  code text not null,
  hour timestamptz not null,
  refusals integer not null default 0,
  primary key (connection_id, source, code, hour)
);
create index webhook_refusals_hour on webhook_refusals (hour);
