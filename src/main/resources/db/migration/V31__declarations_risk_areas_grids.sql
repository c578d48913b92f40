-- Risk areas, self-declarations and grid follow-up (issue 18 items 1–3; M1, M2, M4, M5, H1).

-- A new staff role: the grid worker (网格员), scoped to the grids they are assigned to. The role
-- check is redefined listing every role (V23 named it; before V23 PostgreSQL had named the
-- inline check staff_users_role_check too).
alter table staff_users drop constraint if exists staff_users_role_check;
alter table staff_users add constraint staff_users_role_check
  check (role in ('ADMIN','OFFICIAL','COLLECTOR','COURIER','LAB_TECH','LAB_REVIEWER','VENUE_MANAGER','LAB_DIRECTOR','PARTNER',
                  'GRID_WORKER'));

-- directory: a district is divided into grids (社区网格); a grid worker covers one or more grids.
create table grids (
  code           text primary key,
  name           text not null,
  district_code  text not null references districts (code),
  created_at     timestamptz not null
);
create index grids_district_idx on grids (district_code);

create table grid_workers (
  username   text not null references staff_users (username),
  grid_code  text not null references grids (code),
  primary key (username, grid_code)
);
create index grid_workers_grid_idx on grid_workers (grid_code);

-- monitoring: risk areas by region code (GB/T 2260 six-digit codes down to county, nine- or
-- twelve-digit street codes). A region's level changes by new rows, never by editing one, so
-- the level in force at any past moment can still be read. "prefix" is the code without its
-- trailing zero pairs: an area covers every region code that starts with it.
create table risk_areas (
  id           bigint generated always as identity primary key,
  region_code  text not null,
  prefix       text not null,
  name         text not null,
  level        text not null check (level in ('HIGH','MEDIUM','LOW')),
  valid_from   timestamptz not null,
  valid_to     timestamptz,
  set_by       text not null,
  set_at       timestamptz not null,
  ended_by     text,
  ended_at     timestamptz,
  check (valid_to is null or valid_to > valid_from)
);
create index risk_areas_prefix_idx on risk_areas (prefix, valid_from);

-- monitoring: a declaration about one person (by themself or their family's account, or a grid
-- worker's upload). The colour rules read arrivals, fevers and contacts from here.
create table declarations (
  id                uuid primary key,
  person_id         uuid not null references persons (id),
  grid_code         text not null references grids (code),
  district_code     text not null,
  source            text not null check (source in ('RESIDENT','GRID_WORKER')),
  declared_by       text not null,
  declared_at       timestamptz not null,
  address_enc       bytea,
  from_region       text,
  arrived_at        timestamptz,
  transport         text check (transport in ('TRAIN','FLIGHT','CAR','BUS','SHIP','OTHER')),
  symptoms          text[] not null default '{}',
  fever             boolean not null default false,
  onset_date        date,
  case_contact      boolean not null default false,
  contact_date      date,
  note              text,
  check (from_region is null or arrived_at is not null)
);
create index declarations_person_idx on declarations (person_id, declared_at);
create index declarations_region_idx on declarations (from_region, arrived_at) where from_region is not null;

-- grid: follow-up tasks for the workers of one grid; each declaration leaves exactly one task
-- (declaration_id unique), so a redelivered event makes none twice.
create table follow_up_tasks (
  id              uuid primary key,
  grid_code       text not null references grids (code),
  district_code   text not null,
  person_id       uuid not null references persons (id),
  kind            text not null check (kind in ('ARRIVAL','CLOSE_CONTACT','DECLARATION','HOME_OBSERVATION')),
  status          text not null check (status in ('OPEN','DONE')),
  declaration_id  uuid unique,
  detail          text not null,
  created_at      timestamptz not null,
  due_at          timestamptz not null,
  observe_until   date,
  done_at         timestamptz,
  done_by         text,
  escalated_at    timestamptz
);
create index follow_up_tasks_grid_open_idx on follow_up_tasks (grid_code, due_at) where status = 'OPEN';
create index follow_up_tasks_overdue_idx on follow_up_tasks (due_at) where status = 'OPEN' and escalated_at is null;
create index follow_up_tasks_person_idx on follow_up_tasks (person_id) where kind = 'HOME_OBSERVATION';

-- grid: a visit or a call recorded against a task.
create table follow_up_contacts (
  id          bigint generated always as identity primary key,
  task_id     uuid not null references follow_up_tasks (id),
  method      text not null check (method in ('VISIT','CALL')),
  reached     boolean not null,
  note        text,
  by_user     text not null,
  at          timestamptz not null
);
create index follow_up_contacts_task_idx on follow_up_contacts (task_id);

-- grid: the home-observation diary, one entry per person and day (the later entry of a day
-- replaces the earlier); entered by the worker or by the resident.
create table observation_entries (
  task_id      uuid not null references follow_up_tasks (id),
  day          date not null,
  temperature  numeric(3,1) not null check (temperature between 34.0 and 43.0),
  symptoms     text[] not null default '{}',
  entered_by   text not null,
  entered_at   timestamptz not null,
  primary key (task_id, day)
);
