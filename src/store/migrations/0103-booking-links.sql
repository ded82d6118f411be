-- Self-scheduling links: a candidate's link to the public booking page. The token itself is never
-- stored, only its SHA-256 (so a copy of the database cannot be turned into working links). One
-- row is bound to one opportunity and one panel request (`request_key` with the request the solver
-- needs in `request`); it books once (`panel_key` is then set) and from then on is the booking's
-- reschedule/cancel link. open: not booked yet; booked; cancel_requested: a cancellation inside the
-- notice period waits for a person; cancelled.
create table booking_links (
  token_hash text primary key,
  connection_id text not null,
  opportunity_id text not null,
  request_key text not null,
  request jsonb not null,
  status text not null default 'open' check (status in ('open', 'booked', 'cancel_requested', 'cancelled')),
  panel_key text,
  booked jsonb,
  reschedules integer not null default 0,
  expires_at timestamptz not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
-- A panel request has at most one live link: sending it again gives the same row a new token.
create unique index booking_links_request on booking_links (connection_id, request_key);

-- Rate limits for the public page, one row per key ('link:<hash>' or 'ip:<address>') and window.
create table booking_link_hits (
  key text not null,
  window_start timestamptz not null,
  hits integer not null,
  primary key (key, window_start)
);
create index booking_link_hits_window on booking_link_hits (window_start);
