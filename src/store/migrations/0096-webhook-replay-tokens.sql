-- Lever signs only a delivery's `token` and `triggeredAt`, so a captured delivery could be sent
-- again with any other id, event or data while its triggeredAt is inside the replay window. Every
-- signature token seen within the window is remembered here, per connection, with a hash of the
-- body it came with: the same token with the same body is a repeat, with another body a forgery.
-- The primary key is what the intake's insert checks (on conflict), in the same statement that
-- stores the event, so the check costs no extra round trip and holds across processes.
create table webhook_replay_tokens (
  connection_id text not null,
  -- sha256 of the signed text, token then triggeredAt's digits (what one signature covers,
  -- however the text is split between the two; a digest bounds the row's size)
  token_hash text not null,
  -- sha256 of the body in canonical form (keys sorted, no whitespace)
  body_hash text not null,
  -- the signed triggeredAt: a token is forgotten once that is further back than the window
  triggered_at timestamptz not null,
  primary key (connection_id, token_hash)
);
create index webhook_replay_tokens_triggered on webhook_replay_tokens (triggered_at);
