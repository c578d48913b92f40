-- Transport (T1–T2): a physical box code is used for many trips; a trip goes
-- OPEN → SEALED → IN_TRANSIT → ARRIVED → RECEIVED and only one trip per box is in use at once.
create table box_trips (
  id                uuid primary key,
  box_code          text not null,
  site_code         text not null references sites (code),
  status            text not null check (status in ('OPEN','SEALED','IN_TRANSIT','ARRIVED','RECEIVED')),
  lab_code          text references labs (code),
  tube_count        integer not null default 0,
  first_sampled_at  timestamptz,
  opened_by         text not null,
  opened_at         timestamptz not null,
  sealed_at         timestamptz,
  courier           text,
  handed_over_at    timestamptz,
  arrived_at        timestamptz,
  received_at       timestamptz
);
create unique index box_trips_in_use on box_trips (box_code) where status <> 'RECEIVED';
create index box_trips_code_idx on box_trips (box_code, opened_at desc);
create index box_trips_pending_idx on box_trips (first_sampled_at) where status <> 'RECEIVED';

-- A sealed tube travels in exactly one box.
create table box_tubes (
  tube_code  text primary key references tubes (code),
  trip_id    uuid not null references box_trips (id),
  added_at   timestamptz not null,
  added_by   text not null
);
create index box_tubes_trip_idx on box_tubes (trip_id);

-- The chain of custody: every step with time, actor and, where known, position.
create table box_events (
  id         bigint generated always as identity primary key,
  trip_id    uuid not null references box_trips (id),
  type       text not null,
  at         timestamptz not null,
  actor      text not null,
  latitude   double precision,
  longitude  double precision,
  detail     text
);
create index box_events_trip_idx on box_events (trip_id, id);
