-- A self-scheduling link's token, sealed (AES-256-GCM) with the service's secret key and bound to its
-- row, so the interview reminders can repeat the booking's reschedule link. The database alone still
-- gives no working link (the key is never stored in it); `token_hash` stays the lookup. Links made
-- before this change, or without the service's key, have none and their reminders point at the
-- confirmation e-mail instead.
alter table booking_links add column token_sealed text;
