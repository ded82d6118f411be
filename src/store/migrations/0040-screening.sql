-- Screening: parsed resume profiles (the rediscovery index), rubric versions with approval, and
-- every score per posting (what fairness monitoring needs: which posting, which rubric, which
-- engine, the score and the tier; demographics stay in Lever's EEO data and are joined elsewhere).

-- One row per opportunity: its latest parsed resume. `search` is the full-text index of the
-- scrubbed resume text; `skills` holds canonical skill names in lower case for overlap queries.
-- `excluded` is set when Lever's data protection forbids storing or contacting, or the candidate
-- is anonymised: the row then keeps no profile and is never proposed.
create table screening_profiles (
  connection_id text not null,
  opportunity_id text not null,
  contact_id text,
  resume_id text,
  file_sha256 text,
  status text not null,
  archived boolean not null default false,
  excluded boolean not null default false,
  excluded_reason text,
  headline text,
  total_years numeric(4, 1),
  skills text[] not null default '{}',
  profile jsonb,
  search tsvector,
  posting_ids text[] not null default '{}',
  parser_version text not null,
  updated_at timestamptz not null default now(),
  primary key (connection_id, opportunity_id)
);
create index screening_profiles_search on screening_profiles using gin (search);
create index screening_profiles_skills on screening_profiles using gin (skills);

-- Rubric versions per posting. A version from the posting is usable at once; an override needs
-- approved_by/approved_at before it scores anyone.
create table screening_rubrics (
  connection_id text not null,
  posting_id text not null,
  version integer not null,
  source text not null check (source in ('posting', 'override')),
  rubric jsonb not null,
  rubric_hash text not null,
  created_by text,
  created_at timestamptz not null default now(),
  approved_by text,
  approved_at timestamptz,
  primary key (connection_id, posting_id, version)
);

-- Every score, per posting, for fairness monitoring and audit.
create table screening_scores (
  id bigserial primary key,
  connection_id text not null,
  posting_id text not null,
  opportunity_id text not null,
  score integer not null check (score between 0 and 100),
  tier text not null,
  confidence numeric(3, 2) not null,
  engine text not null,
  rubric_hash text not null,
  parser_version text not null,
  criteria jsonb not null,
  missing_must_haves jsonb not null default '[]',
  flags text[] not null default '{}',
  created_at timestamptz not null default now()
);
create index screening_scores_posting on screening_scores (connection_id, posting_id, created_at);
create index screening_scores_opportunity on screening_scores (connection_id, opportunity_id);
