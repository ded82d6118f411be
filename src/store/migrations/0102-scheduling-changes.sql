-- When things change after a panel is booked (declines, cancellations, moves): each booking keeps a
-- revision, raised by every re-booking, so a re-booking that is retried or crashed half-way finds
-- what it already changed and the same revision is never applied twice.
alter table scheduling_bookings add column revision integer not null default 0;
-- What the coordinator sees of a booked panel: booked, declined/cancelled/moved (a change is being
-- re-planned), rescheduling (a new option waits for approval) or escalated (a person must act).
alter table scheduling_bookings add column state text not null default 'booked';

-- Where each watched calendar's change feed was last read (Google sync token, Graph delta link,
-- CalDAV sync token or etags), so the watcher asks only for what changed since.
create table scheduling_change_cursors (
  connection_id text not null,
  calendar text not null,
  cursor text not null,
  updated_at timestamptz not null default now(),
  primary key (connection_id, calendar)
);

-- Escalations sent to a coordinator, one per change: a retried re-plan never notifies twice.
create table scheduling_escalations (
  escalation_key text primary key,
  panel_key text not null,
  channel text not null,
  message text not null,
  sent_at timestamptz not null default now()
);
