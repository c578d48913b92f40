-- Epiloop foundation: directory, staff, residents, persons, tubes and bindings.
-- Personal data (ID numbers, names, phones) is stored only AES-GCM encrypted (*_enc) and
-- looked up by HMAC-SHA256 (*_hash). Statuses are text, never ordinals.

create table districts (
  code        text primary key,
  name        text not null,
  created_at  timestamptz not null
);

create table sites (
  code           text primary key,
  name           text not null,
  district_code  text not null references districts (code),
  latitude       double precision not null check (latitude between -90 and 90),
  longitude      double precision not null check (longitude between -180 and 180),
  opening_hours  text,
  created_at     timestamptz not null
);
create index sites_district_idx on sites (district_code);

create table labs (
  code            text primary key,
  name            text not null,
  district_code   text not null references districts (code),
  daily_capacity  integer not null check (daily_capacity > 0),
  created_at      timestamptz not null
);

create table staff_users (
  username       text primary key,
  password_hash  text not null,
  role           text not null check (role in ('ADMIN','OFFICIAL','COLLECTOR','COURIER','LAB_TECH','LAB_REVIEWER','VENUE_MANAGER')),
  site_code      text references sites (code),
  lab_code       text references labs (code),
  enabled        boolean not null default true,
  created_at     timestamptz not null,
  check (role <> 'COLLECTOR' or site_code is not null),
  check (role not in ('LAB_TECH','LAB_REVIEWER') or lab_code is not null)
);

-- A resident account is a phone number that logged in with a one-time code.
create table resident_accounts (
  id          uuid primary key,
  phone_hash  bytea not null unique,
  phone_enc   bytea not null,
  created_at  timestamptz not null
);

-- One row per phone: the current code and the send/attempt counters for rate limiting.
create table otp_challenges (
  phone_hash       bytea primary key,
  code_hash        bytea not null,
  expires_at       timestamptz not null,
  attempts         integer not null default 0,
  used             boolean not null default false,
  window_started   timestamptz not null,
  sends_in_window  integer not null,
  last_sent_at     timestamptz not null
);

create table persons (
  id             uuid primary key,
  id_type        text not null check (id_type in ('CN_ID','PASSPORT','HK_MO_PERMIT','TW_PERMIT','FOREIGN_PR')),
  id_hash        bytea not null unique,
  id_enc         bytea not null,
  name_hash      bytea not null,
  name_enc       bytea not null,
  phone_hash     bytea,
  phone_enc      bytea,
  district_code  text references districts (code),
  created_at     timestamptz not null,
  created_by     text not null
);

-- The persons an account may act for: its holder and family members without a phone.
create table account_persons (
  account_id  uuid not null references resident_accounts (id),
  person_id   uuid not null references persons (id),
  added_at    timestamptz not null,
  primary key (account_id, person_id)
);
create index account_persons_person_idx on account_persons (person_id);

create table tubes (
  code           text primary key,
  site_code      text not null references sites (code),
  capacity       smallint not null check (capacity in (1, 5, 10, 20)),
  bound_count    smallint not null default 0,
  next_position  smallint not null default 0,
  status         text not null check (status in ('OPEN','SEALED')),
  opened_by      text not null,
  opened_at      timestamptz not null,
  sealed_at      timestamptz,
  check (bound_count between 0 and capacity)
);
create index tubes_site_open_idx on tubes (site_code) where status = 'OPEN';

create table bindings (
  id                uuid primary key,
  tube_code         text not null references tubes (code),
  person_id         uuid not null references persons (id),
  position          smallint not null,
  site_code         text not null,
  bound_by          text not null,
  bound_at          timestamptz not null,
  repeat_confirmed  boolean not null default false,
  unbound_at        timestamptz,
  unbound_by        text,
  unbind_reason     text
);
-- A person is in a tube at most once (while bound); corrections keep the old row.
create unique index bindings_active_person_in_tube on bindings (tube_code, person_id) where unbound_at is null;
create index bindings_person_time_idx on bindings (person_id, bound_at desc);
create index bindings_tube_idx on bindings (tube_code);

-- Responses of scans made with an Idempotency-Key, replayed on retry.
create table idempotency_keys (
  key            uuid primary key,
  actor          text not null,
  request_hash   bytea not null,
  status         smallint,
  response       text,
  created_at     timestamptz not null
);
create index idempotency_keys_created_idx on idempotency_keys (created_at);

-- Who read or changed personal data or results, when and why.
create table audit_log (
  id            bigint generated always as identity primary key,
  at            timestamptz not null,
  actor         text not null,
  actor_role    text not null,
  action        text not null,
  subject_type  text not null,
  subject_id    text not null,
  detail        text
);
create index audit_log_subject_idx on audit_log (subject_type, subject_id);
create index audit_log_actor_idx on audit_log (actor, at);

-- Messages recorded by the built-in development SMS gateway.
create table sms_outbox (
  id          bigint generated always as identity primary key,
  phone_hash  bytea not null,
  phone_enc   bytea not null,
  body        text not null,
  sent_at     timestamptz not null
);
create index sms_outbox_phone_idx on sms_outbox (phone_hash, id desc);

-- Spring Modulith's event publication registry (schema v2 of spring-modulith-events-jdbc 2.1).
create table event_publication (
  id                      uuid not null primary key,
  listener_id             text not null,
  event_type              text not null,
  serialized_event        text not null,
  publication_date        timestamptz not null,
  completion_date         timestamptz,
  status                  text,
  completion_attempts     integer,
  last_resubmission_date  timestamptz
);
create index event_publication_serialized_event_hash_idx on event_publication using hash (serialized_event);
create index event_publication_by_completion_date_idx on event_publication (completion_date);
