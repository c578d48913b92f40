-- Fever clinics and early warning (issue 18 items 4 and 7; M3, D4).

-- A new staff role: a designated hospital's fever-clinic staff (发热门诊), bound to one hospital.
-- The role check is redefined listing every role, as V31 did.
alter table staff_users drop constraint if exists staff_users_role_check;
alter table staff_users add constraint staff_users_role_check
  check (role in ('ADMIN','OFFICIAL','COLLECTOR','COURIER','LAB_TECH','LAB_REVIEWER','VENUE_MANAGER','LAB_DIRECTOR','PARTNER',
                  'GRID_WORKER','HOSPITAL'));

-- directory: designated hospitals with a fever clinic, each in a district (and optionally a grid).
create table hospitals (
  code           text primary key,
  name           text not null,
  district_code  text not null references districts (code),
  grid_code      text references grids (code),
  created_at     timestamptz not null
);
create index hospitals_district_idx on hospitals (district_code);

-- directory: the one hospital a HOSPITAL account reports for (its scope).
create table hospital_staff (
  username       text primary key references staff_users (username),
  hospital_code  text not null references hospitals (code)
);

-- feverclinic: one visit to a fever clinic. Temperature and symptoms are in clear, keyed by a
-- person UUID only. The risk flags are those in force at the visit time, kept as they were then.
create table fever_visits (
  id                 uuid primary key,
  hospital_code      text not null references hospitals (code),
  district_code      text not null,
  grid_code          text,
  person_id          uuid not null references persons (id),
  visited_at         timestamptz not null,
  temperature        numeric(3,1) not null check (temperature between 34.0 and 43.0),
  symptoms           text[] not null default '{}',
  tested_at          timestamptz,
  result             text check (result in ('NEGATIVE','POSITIVE')),
  result_at          timestamptz,
  risk_level         text check (risk_level in ('HIGH','MEDIUM','LOW')),
  risk_region        text,
  case_contact       boolean not null default false,
  reported_by        text not null,
  untested_alert_at  timestamptz
);
create index fever_visits_time_idx on fever_visits (visited_at);
create index fever_visits_hospital_idx on fever_visits (hospital_code, visited_at);
create index fever_visits_untested_idx on fever_visits (visited_at) where tested_at is null and untested_alert_at is null;
create index fever_visits_person_idx on fever_visits (person_id);

-- earlywarning: one episode of a rule firing for a place (a district or a grid): it opens when the
-- rule first fires, stays open while it keeps firing and ends when it goes quiet. One alert per episode.
create table early_warnings (
  id             bigint generated always as identity primary key,
  rule           text not null,
  district_code  text not null,
  scope_code     text not null,
  started_at     timestamptz not null,
  last_seen_at   timestamptz not null,
  ended_at       timestamptz,
  observed       numeric not null,
  reason         text not null
);
create unique index early_warnings_open_idx on early_warnings (rule, district_code, scope_code) where ended_at is null;
create index early_warnings_started_idx on early_warnings (started_at desc);

-- grid: a recall past its limit without a retest becomes a follow-up task too (one per recall).
alter table follow_up_tasks drop constraint if exists follow_up_tasks_kind_check;
alter table follow_up_tasks add constraint follow_up_tasks_kind_check
  check (kind in ('ARRIVAL','CLOSE_CONTACT','DECLARATION','HOME_OBSERVATION','OVERDUE_RECALL'));
alter table follow_up_tasks add column recall_binding_id uuid unique;
