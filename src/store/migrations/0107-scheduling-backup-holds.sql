-- Backup interviewers held for a booked panel at a high no-show risk: one tentative event in the
-- backup's own calendar per panel session. The event's reference is kept so the hold can be
-- deleted when the interview has passed or the panel was cancelled or moved; `start_at` is the
-- session's start it was made for, so a moved panel's old hold is recognised as stale.
create table scheduling_backup_holds (
  hold_key text primary key,
  panel_key text not null,
  session_id text not null,
  start_at timestamptz not null,
  end_at timestamptz not null,
  lever_user_id text not null,
  -- the backup's calendar address (lower case) and connection, to delete the event again
  interviewer text not null,
  calendar_connection text not null,
  event jsonb,
  status text not null check (status in ('holding', 'held', 'released')),
  released_reason text,
  created_at timestamptz not null default now(),
  released_at timestamptz
);
create index scheduling_backup_holds_panel on scheduling_backup_holds (panel_key);
create index scheduling_backup_holds_open on scheduling_backup_holds (status) where status <> 'released';
