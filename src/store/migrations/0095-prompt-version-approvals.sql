-- Prompt versions saved from the console wait for a second person's approval (four eyes). The
-- file `prompts/<name>/<version>.md` is written at once (so the version can be replayed on history
-- by name@version) beside a marker `<version>.pending`, which keeps it from being the version a
-- workflow runs by name; approving removes the marker. This table keeps who wrote and who approved
-- each such version. Versions shipped as files (no row) were reviewed with the code.
create table prompt_versions (
  name text not null,
  version text not null,
  author text not null,
  created_at timestamptz not null default now(),
  approved_by text,
  approved_at timestamptz,
  primary key (name, version)
);
