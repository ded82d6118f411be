-- Console-set settings that every Fulcrum process reads live (key/value). The first key is
-- `mode_ceiling`: the console's cap on every workflow's mode. The environment's
-- FULCRUM_MODE_CEILING stays the upper bound; the effective ceiling is the lower of the two.
create table if not exists settings (
  key text primary key,
  value jsonb not null,
  updated_by text not null,
  updated_at timestamptz not null default now()
);
