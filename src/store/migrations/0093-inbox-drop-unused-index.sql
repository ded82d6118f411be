-- No query reads inbox events by arrival time across connections (the console lists them by id,
-- webhook health filters by connection first, which `inbox_events_connection_received` serves),
-- so this index only cost every intake one more insert.
drop index if exists inbox_events_received;
