-- The recruiter's alert about a high no-show risk is claimed like a reminder (audience 'alert'),
-- once per booking, offset and start, so the timers of a panel's several sessions alert once.
alter table scheduling_reminders drop constraint scheduling_reminders_audience_check;
alter table scheduling_reminders add constraint scheduling_reminders_audience_check check (audience in ('candidate', 'interviewers', 'alert'));
