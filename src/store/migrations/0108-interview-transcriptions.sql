-- Who is transcribing a recorded interview right now: one row per event (its trace). A step job
-- can run again while an earlier attempt is still downloading or transcribing (the job expired,
-- a worker stalled), and transcribing hours of audio twice at once costs the same again; so an
-- attempt takes the row for a short lease and renews it while it works, and another attempt that
-- finds a live lease waits instead of starting. A crashed attempt's lease lapses within a minute
-- or two. No personal data: ids and times only.
create table interview_transcriptions (
  connection_id text not null,
  trace_id text not null,
  -- A random id per attempt: renewing the lease checks it is still this attempt's.
  attempt text not null,
  leased_until timestamptz not null,
  primary key (connection_id, trace_id)
);
