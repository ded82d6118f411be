-- Interview reminders sent, one row per booking, audience (candidate or interviewers), offset before
-- the start and the start they were for: the primary key makes a second send of the same reminder
-- impossible even when two timers or a retried job race, while a moved interview (a new start)
-- gets its reminders again.
create table scheduling_reminders (
  reminder_key text primary key,
  panel_key text not null,
  audience text not null check (audience in ('candidate', 'interviewers')),
  offset_minutes integer not null,
  start_at timestamptz not null,
  recipients integer not null default 0,
  sent_at timestamptz not null default now()
);
create index scheduling_reminders_panel on scheduling_reminders (panel_key);

-- When an interview was marked as a no-show (booking state 'no-show'), by whom: the fairness report
-- counts no-shows per group from here.
alter table scheduling_bookings add column no_show_at timestamptz;
alter table scheduling_bookings add column no_show_by text;
