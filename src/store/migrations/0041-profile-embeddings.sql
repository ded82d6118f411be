-- Rediscovery's semantic match: one embedding per indexed profile and embedding model, stored as
-- a plain real[] so it works on every PostgreSQL and on PGlite. Similarity is computed in SQL over
-- the arrays (no pgvector needed). `text_sha256` is the hash of the text that was embedded, so a
-- changed profile is re-embedded and an unchanged one is not. Rows go with their profile.
create table screening_profile_embeddings (
  connection_id text not null,
  opportunity_id text not null,
  model text not null,
  dimensions integer not null check (dimensions > 0),
  embedding real[] not null,
  text_sha256 text not null,
  updated_at timestamptz not null default now(),
  primary key (connection_id, opportunity_id, model),
  foreign key (connection_id, opportunity_id) references screening_profiles (connection_id, opportunity_id) on delete cascade,
  check (cardinality(embedding) = dimensions)
);
