-- The interviewer check compares an interview with the latest analysis of each other candidate of
-- the same posting and stage, when the analysis is made and each time its transcript is opened in
-- the console: this index finds a posting's analysed interviews, newest first, without reading the
-- connection's others.
create index interview_transcripts_posting on interview_transcripts (connection_id, posting_id, stage_id, analyzed_at desc) where analysis is not null;
