-- Inbox bookkeeping for operators: how often an event was replayed by hand, and the job that
-- last carried it, so `fulcrum events show` can point at the job and its dead-letter entry.
alter table inbox_events add column replays integer not null default 0;
alter table inbox_events add column last_job_id text;
create index inbox_events_connection_received on inbox_events (connection_id, received_at desc);
