-- One change at a time per booked panel and per self-scheduling link.
-- A re-booking claims its revision before it writes anything (`pending_revision`, with the params
-- it applies and when): a second re-booking of the same revision, from another tab or process, is
-- refused instead of writing over the first. A claim that made no progress for a while belongs to
-- an attempt that crashed, and may be taken over.
alter table scheduling_bookings add column pending_revision integer;
alter table scheduling_bookings add column pending_hash text;
alter table scheduling_bookings add column pending_at timestamptz;
-- A link being booked right now (the first click): a second click or tab waits for it instead of
-- booking the same panel a second time. A claim older than a few minutes is from a crashed attempt.
alter table booking_links add column claimed_at timestamptz;
