-- Results (P1, L5): one released result per sampling (binding), recalls for retests, alerts.
-- run_id is null for results of tubes that never reached a run (missing or rejected at the lab).

create table person_results (
  binding_id   uuid primary key references bindings (id),
  person_id    uuid not null references persons (id),
  tube_code    text not null,
  run_id       uuid,
  lab_code     text not null,
  site_code    text not null,
  sampled_at   timestamptz not null,
  pooled       boolean not null,
  status       text not null check (status in ('NEGATIVE','POSITIVE','RECALLED','RETEST')),
  reported_at  timestamptz not null
);
create index person_results_person_idx on person_results (person_id, sampled_at desc);
create index person_results_run_idx on person_results (run_id);

-- Persons to sample again in a single tube: members of a positive pool, and inconclusive or
-- invalid results. Open until a single-tube retest of the person is released.
create table recalls (
  binding_id         uuid primary key references bindings (id),
  person_id          uuid not null references persons (id),
  site_code          text not null,
  tube_code          text not null,
  reason             text not null check (reason in ('POOL_POSITIVE','INCONCLUSIVE','INVALID','MISSING','REJECTED')),
  since              timestamptz not null,
  retest_binding_id  uuid,
  outcome            text,
  closed_at          timestamptz
);
create index recalls_open_site_idx on recalls (site_code, since) where closed_at is null;
create index recalls_open_person_idx on recalls (person_id) where closed_at is null;

-- Alerts raised for officials; computed alerts (overdue boxes) are not stored.
create table alerts (
  id           bigint generated always as identity primary key,
  kind         text not null,
  subject      text not null,
  detail       text not null,
  raised_at    timestamptz not null,
  resolved_at  timestamptz,
  unique (kind, subject)
);
create index alerts_open_idx on alerts (raised_at desc) where resolved_at is null;
