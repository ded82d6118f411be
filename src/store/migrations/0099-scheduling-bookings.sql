-- Panel bookings (the scheduling.book action), one row per panel request (its panelKey), so a
-- booking that crashed or was retried continues where it stopped: the calendar events it made
-- (by their idempotency key), whether the candidate's invite went out, the Lever panel and note.
create table scheduling_bookings (
  panel_key text primary key,
  connection_id text not null,
  opportunity_id text not null,
  -- held: seats reserved in scheduling_holds, nothing written yet; writing: calendar writes began;
  -- booked: everything done; failed: stopped with `error` (seats released).
  status text not null check (status in ('held', 'writing', 'booked', 'failed')),
  params_hash text not null,
  params jsonb not null,
  events jsonb not null default '{}',
  invite jsonb,
  panel_id text,
  note_id text,
  error text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- Seats a booking holds: one row per interviewer (calendar address, lower case) and session. Taken
-- under a transaction-scoped advisory lock per interviewer, so two processes booking the same
-- person never both find the time free; they stay while the booking stands.
create table scheduling_holds (
  panel_key text not null references scheduling_bookings (panel_key) on delete cascade,
  interviewer text not null,
  session_id text not null,
  start_at timestamptz not null,
  end_at timestamptz not null,
  primary key (panel_key, interviewer, session_id)
);
create index scheduling_holds_interviewer on scheduling_holds (interviewer, start_at);
