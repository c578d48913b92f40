-- Rate limits and lockouts kept in the database, so that every copy of Epiloop behind a load
-- balancer counts against the same numbers. One row per (limit, subject): a fixed window and the
-- hits counted in it. The subject is a keyed hash (a client address or a phone is never stored).
create table rate_limits (
  limit_name   text        not null,
  subject      bytea       not null,
  window_start timestamptz not null,
  window_end   timestamptz not null,
  hits         integer     not null,
  primary key (limit_name, subject)
);
create index rate_limits_window_end on rate_limits (window_end);
