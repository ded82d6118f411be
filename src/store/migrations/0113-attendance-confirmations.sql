-- The candidate's "I'll be there" from the booking page: one row per booked panel and start (a
-- moved panel is confirmed again), read by the no-show risk as the invite accepted and the reminder
-- answered. Nothing about the candidate is kept; the audit trail records who pressed it (the link).
create table scheduling_attendance_confirmations (
  panel_key text not null,
  start timestamptz not null,
  confirmed_at timestamptz not null,
  primary key (panel_key, start)
);
