-- Candidates other hiring tools sent, per connection and tool: the tool's own candidate id, the
-- pseudonym Fulcrum gave the candidate in Lever (null when the real details were written), and the
-- opportunity the results went to. Later results for the same candidate go to that opportunity
-- (Fulcrum dedupes, not Lever's e-mail match, which a pseudonym must never meet), and stage moves
-- and archiving of that opportunity are told to the tool by its id.
create table tool_candidates (
  connection_id text not null,
  tool text not null,
  tool_candidate_id text not null,
  pseudonym text,
  opportunity_id text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (connection_id, tool, tool_candidate_id)
);
-- The status callback looks candidates up by the opportunity a Lever event names.
create index tool_candidates_opportunity on tool_candidates (connection_id, opportunity_id) where opportunity_id is not null;
