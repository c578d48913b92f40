-- Environment monitoring (L6), sample bank (L7), booked submissions (L9). ADR 0027.

-- Rooms of a lab (PCR room, sample store …) and the devices (sensors, freezers) in them.
create table env_rooms (
  lab_code    text not null references labs (code),
  code        text not null,
  name        text not null,
  created_at  timestamptz not null,
  primary key (lab_code, code)
);

create table env_devices (
  id               integer generated always as identity primary key,
  lab_code         text not null,
  room_code        text not null,
  code             text not null,
  name             text not null,
  -- no reading for this long is a silent sensor
  silence_minutes  integer not null check (silence_minutes between 1 and 1440),
  last_reading_at  timestamptz,
  created_at       timestamptz not null,
  unique (lab_code, code),
  foreign key (lab_code, room_code) references env_rooms (lab_code, code)
);

-- Limits per room (device_code '') or per device (overrides the room's), per measure.
create table env_thresholds (
  lab_code       text not null,
  room_code      text not null,
  device_code    text not null default '',
  measure        text not null check (measure in ('TEMPERATURE','HUMIDITY','PRESSURE_DIFF')),
  min_value      double precision,
  max_value      double precision,
  grace_seconds  integer not null check (grace_seconds between 0 and 86400),
  updated_by     text not null,
  updated_at     timestamptz not null,
  primary key (lab_code, room_code, device_code, measure),
  check (min_value is not null or max_value is not null),
  check (min_value is null or max_value is null or min_value < max_value)
);

-- Raw readings: append-only, written by COPY in batches, read by time range. A BRIN index on
-- the time column is a few pages for millions of rows (rows arrive roughly in time order);
-- charts read the per-minute table below instead. measure: 1 temperature, 2 humidity,
-- 3 pressure difference.
create table env_readings (
  device_id  integer not null,
  measure    smallint not null,
  at         timestamptz not null,
  value      real not null
);
create index env_readings_at_brin on env_readings using brin (at);

-- Per device, measure and minute: what the charts draw (count, sum, min, max).
create table env_minutes (
  device_id  integer not null,
  measure    smallint not null,
  minute     timestamptz not null,
  n          integer not null,
  total      double precision not null,
  min_value  real not null,
  max_value  real not null,
  primary key (device_id, measure, minute)
);

-- Where each device and measure stands: out of range since, its peak, its open excursion.
create table env_channels (
  device_id     integer not null,
  measure       smallint not null,
  last_at       timestamptz not null,
  last_value    double precision not null,
  out_since     timestamptz,
  out_peak      double precision,
  incident_id   bigint,
  primary key (device_id, measure)
);

-- Excursions past the grace period and silent sensors: start, peak, end.
create table env_incidents (
  id           bigint generated always as identity primary key,
  lab_code     text not null,
  device_id    integer not null references env_devices (id),
  kind         text not null check (kind in ('EXCURSION','SILENT')),
  measure      text,
  started_at   timestamptz not null,
  raised_at    timestamptz not null,
  peak         double precision,
  limit_value  double precision,
  ended_at     timestamptz
);
create index env_incidents_lab_idx on env_incidents (lab_code, started_at desc);
create unique index env_incidents_one_silence on env_incidents (device_id) where kind = 'SILENT' and ended_at is null;

-- Sensor gateways: a key per gateway, bound to one lab, stored as SHA-256 of its secret.
create table env_gateways (
  id          uuid primary key,
  lab_code    text not null references labs (code),
  name        text not null,
  key_hash    bytea not null,
  created_by  text not null,
  created_at  timestamptz not null,
  revoked_at  timestamptz
);

-- Sample bank: tubes to keep after release (by policy), their storage position, disposal.
create table bank_tubes (
  tube_code        text primary key,
  lab_code         text not null,
  reason           text not null check (reason in ('POSITIVE','INCONCLUSIVE','NEGATIVE_SAMPLE')),
  released_at      timestamptz not null,
  freezer          text,
  rack             text,
  box              text,
  position         text,
  stored_by        text,
  stored_at        timestamptz,
  retain_until     timestamptz,
  disposal_id      uuid,
  disposed_by      text,
  disposed_at      timestamptz
);
create index bank_tubes_lab_idx on bank_tubes (lab_code, stored_at);
create unique index bank_positions_taken on bank_tubes (lab_code, freezer, rack, box, position)
  where stored_at is not null and disposed_at is null;

create table bank_disposals (
  id           uuid primary key,
  lab_code     text not null,
  tube_count   integer not null,
  disposed_by  text not null,
  disposed_at  timestamptz not null,
  note         text not null
);

-- Booked submissions: a sender books a delivery slot at a lab for an expected number of tubes.
create table booking_slots (
  id              uuid primary key,
  lab_code        text not null references labs (code),
  site_code       text not null references sites (code),
  starts_at       timestamptz not null,
  ends_at         timestamptz not null,
  expected_tubes  integer not null check (expected_tubes > 0),
  arrived_tubes   integer not null default 0,
  arrived_boxes   integer not null default 0,
  booked_by       text not null,
  booked_at       timestamptz not null,
  check (ends_at > starts_at)
);
create index booking_slots_lab_idx on booking_slots (lab_code, starts_at);
create index booking_slots_site_idx on booking_slots (site_code, lab_code, starts_at);
create index booking_slots_ends_idx on booking_slots (ends_at);

-- Tubes each lab received per city day (from BoxReceived), for the routing suggestion.
create table booking_lab_days (
  lab_code        text not null,
  day             date not null,
  received_tubes  integer not null,
  primary key (lab_code, day)
);

-- Boxes already counted (the BoxReceived listener may run twice after a crash).
create table booking_arrivals (
  box_code     text not null,
  received_at  timestamptz not null,
  primary key (box_code, received_at)
);
