-- People who sign in to the console. Passwords are scrypt hashes that carry their own salt and
-- cost parameters ("scrypt$N$r$p$salt$hash"), so the cost can rise later without a migration.
-- password_hash is null for accounts that sign in only through single sign-on.
create table console_users (
  id text primary key,
  email text not null,
  name text,
  role text not null check (role in ('admin', 'recruiter', 'hiring_manager', 'auditor')),
  password_hash text,
  -- Lever posting ids a hiring manager may see and decide on; ignored for other roles.
  posting_ids jsonb not null default '[]',
  disabled boolean not null default false,
  failed_logins integer not null default 0,
  locked_until timestamptz,
  last_login_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index console_users_email on console_users (lower(email));

-- Server-side sessions. Only a SHA-256 of the cookie value is stored, so a copy of this table
-- does not hand out live sessions. The CSRF token is bound to the session (synchronizer token).
create table console_sessions (
  id_hash text primary key,
  user_id text not null references console_users (id) on delete cascade,
  csrf_token text not null,
  ip text,
  user_agent text,
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  expires_at timestamptz not null
);
create index console_sessions_user on console_sessions (user_id);
create index console_sessions_expires on console_sessions (expires_at);

-- Every sign-in attempt, for rate limiting per address and per account across processes.
create table console_login_attempts (
  id bigserial primary key,
  email text not null,
  ip text not null,
  succeeded boolean not null,
  at timestamptz not null default now()
);
create index console_login_attempts_ip on console_login_attempts (ip, at);
create index console_login_attempts_email on console_login_attempts (lower(email), at);
