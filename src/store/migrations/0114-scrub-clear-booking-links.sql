-- Self-scheduling links are kept only sealed now, but runs made before that kept the link's URL
-- (…/book/<token>, a key to the candidate's booking) in clear: scheduling.propose's output (its
-- message, reasons, selfSchedule.url and the candidate's e-mail), the notify step's input and
-- proposal made from it, what was copied from them (a proposal's reasons, a person's edits, a
-- Lever note in the write ledger). This replaces every such URL with the `[booking link]`
-- placeholder the new code writes, leaving the rest of each value as it was and rows without a
-- link untouched. The audit trail is not rewritten: it is hash-chained and append-only, and a
-- changed record would break the chain that proves nothing was changed. Inbox events hold only
-- what Lever and tools sent, where Fulcrum never wrote a link.

-- A pending e-mail keeps the link it will carry as a reference to the link's row (found by the
-- token's hash, as the booking page finds it), so the notifier fills the placeholder in at send
-- time like it does for e-mails proposed now. Only a link kept sealed can be filled in again (the
-- row holds the token's hash, and the token only sealed): an e-mail whose link was made before
-- links were sealed, or made again since, gets no reference and keeps its link in clear below, so
-- it still goes out with a link that works instead of failing at send time.
update proposals p
set action = jsonb_set(p.action, '{bookingLink}', jsonb_build_object('connectionId', l.connection_id, 'requestKey', l.request_key))
from booking_links l
where p.kind = 'notify'
  and p.status in ('pending', 'approved')
  and p.action -> 'bookingLink' is null
  and l.token_sealed is not null
  and l.token_hash = encode(
    sha256(convert_to('fulcrum:booking-link:' || substring(p.action ->> 'message' from '/book/([A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])'), 'UTF8')),
    'hex'
  );

-- scheduling.propose's output keeps its link as the reference the new code writes
-- (selfSchedule.link), so a step rendered from it later (a retry, an invite still to come) and the
-- console's "Copy link" still find it; again only for a link kept sealed.
update workflow_steps s
set output = jsonb_set(s.output, '{selfSchedule,link}', jsonb_build_object('connectionId', l.connection_id, 'requestKey', l.request_key))
from booking_links l
where jsonb_typeof(s.output -> 'selfSchedule') = 'object'
  and s.output -> 'selfSchedule' -> 'link' is null
  and l.token_sealed is not null
  and l.token_hash = encode(
    sha256(convert_to('fulcrum:booking-link:' || substring(s.output -> 'selfSchedule' ->> 'url' from '/book/([A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])'), 'UTF8')),
    'hex'
  );

-- Works on a value's JSON text: a URL ends at a quote, a space or a JSON escape, and a token is
-- exactly 43 base64url characters, so a page such as /book/dry-run is left as it is.
create function fulcrum_without_booking_links(value text) returns text as $$
  select regexp_replace(value, 'https?://[^[:space:]"\\<>]*/book/[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])', '[booking link]', 'g')
$$ language sql immutable;

-- Only rows whose text changes are written, so a row without a link keeps its bytes and its timestamps.
update workflow_steps set output = fulcrum_without_booking_links(output::text)::jsonb
  where output::text like '%/book/%' and fulcrum_without_booking_links(output::text) <> output::text;
update workflow_steps set input = fulcrum_without_booking_links(input::text)::jsonb
  where input::text like '%/book/%' and fulcrum_without_booking_links(input::text) <> input::text;
-- An e-mail still waiting to be sent with no reference to fill its link in keeps it (above).
update proposals set action = fulcrum_without_booking_links(action::text)::jsonb
  where action::text like '%/book/%' and fulcrum_without_booking_links(action::text) <> action::text
    and not (kind = 'notify' and status in ('pending', 'approved') and action -> 'bookingLink' is null);
update proposals set reasons = fulcrum_without_booking_links(reasons::text)::jsonb
  where reasons::text like '%/book/%' and fulcrum_without_booking_links(reasons::text) <> reasons::text;
update proposals set evidence = fulcrum_without_booking_links(evidence::text)::jsonb
  where evidence::text like '%/book/%' and fulcrum_without_booking_links(evidence::text) <> evidence::text;
update proposals set edits = fulcrum_without_booking_links(edits::text)::jsonb
  where edits::text like '%/book/%' and fulcrum_without_booking_links(edits::text) <> edits::text
    and not (kind = 'notify' and status in ('pending', 'approved') and action -> 'bookingLink' is null);
update proposals set result = fulcrum_without_booking_links(result::text)::jsonb
  where result::text like '%/book/%' and fulcrum_without_booking_links(result::text) <> result::text;
update proposal_decisions set edits = fulcrum_without_booking_links(edits::text)::jsonb
  where edits::text like '%/book/%' and fulcrum_without_booking_links(edits::text) <> edits::text;
update lever_write_ledger set result = fulcrum_without_booking_links(result::text)::jsonb
  where result::text like '%/book/%' and fulcrum_without_booking_links(result::text) <> result::text;

drop function fulcrum_without_booking_links(text);
