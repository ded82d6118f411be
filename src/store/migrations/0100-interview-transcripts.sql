-- Recorded interviews the interview-analysis workflow processed: one row per event (its trace),
-- with the transcript (times in seconds from the start) and, once made, the analysis against the
-- posting's question set. The recording itself is never stored: it is deleted as soon as its
-- transcript exists. Rows are deleted when expires_at passes (the configured retention, default
-- 180 days), when Lever deletes the candidate, and on request for a candidate.
create table interview_transcripts (
  id bigserial primary key,
  connection_id text not null,
  opportunity_id text not null,
  -- The hiring tool that sent the recording, and its id for the candidate (when it gave one).
  tool text not null,
  tool_candidate_id text,
  -- One row per event: a retried step updates the same row.
  trace_id text not null,
  posting_id text,
  stage_id text,
  -- platform-transcript | media
  source text not null,
  -- transcript (the platform's), pocketsphinx, openai-compatible, whisper-cpp
  engine text not null,
  language text not null,
  duration_seconds double precision not null,
  transcript jsonb not null,
  analysis jsonb,
  analyzed_at timestamptz,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  unique (connection_id, trace_id)
);
-- Forgetting a candidate finds their rows by opportunity.
create index interview_transcripts_opportunity on interview_transcripts (connection_id, opportunity_id);
-- The retention sweep deletes by expiry.
create index interview_transcripts_expiry on interview_transcripts (expires_at);
