-- Venues (V1–V4): venue codes (场所码), check-ins, confirmed cases and their contacts (时空伴随).

-- A registered venue. Its QR holds a signed token of the code, made from the code and a key,
-- so the token is not stored.
create table venues (
  code                        text primary key,
  name                        text not null,
  district_code               text not null references districts (code),
  kind                        text not null check (kind in ('RESTAURANT','MARKET','SHOP','OFFICE','FACTORY','HOSPITAL',
                                'CLINIC','PHARMACY','STATION','TRANSIT','SCHOOL','HOTEL','RESIDENTIAL','GOVERNMENT',
                                'ENTERTAINMENT','RELIGIOUS','OTHER')),
  latitude                    double precision not null check (latitude between -90 and 90),
  longitude                   double precision not null check (longitude between -180 and 180),
  -- null: no test required to enter; else a negative test sampled within this many hours
  negative_test_within_hours  integer check (negative_test_within_hours between 1 and 720),
  managed_by                  text not null,
  created_at                  timestamptz not null
);
create index venues_manager_idx on venues (managed_by, created_at desc);
create index venues_district_idx on venues (district_code, created_at desc);

-- One row per scan of a venue code: the hot path is this single insert.
create table check_ins (
  id          uuid primary key,
  person_id   uuid not null references persons (id),
  venue_code  text not null references venues (code),
  at          timestamptz not null
);
-- contact finding: a person's check-ins in the lookback, and who else was at a venue around a time
create index check_ins_person_at_idx on check_ins (person_id, at);
create index check_ins_venue_at_idx on check_ins (venue_code, at) include (person_id);

-- A confirmed case: a person is confirmed once.
create table cases (
  id                  uuid primary key,
  person_id           uuid not null unique references persons (id),
  confirmed_at        timestamptz not null,
  confirmed_by        text not null,
  created_at          timestamptz not null,
  close_contacts      integer not null default 0,
  secondary_contacts  integer not null default 0
);

-- The contacts found for a case: one row per person, at the earliest matching check-in;
-- a close contact is never also listed as secondary.
create table case_contacts (
  case_id     uuid not null references cases (id),
  person_id   uuid not null references persons (id),
  level       text not null check (level in ('CLOSE','SECONDARY')),
  exposed_at  timestamptz not null,
  venue_code  text not null references venues (code),
  primary key (case_id, person_id)
);
create index case_contacts_person_idx on case_contacts (person_id, exposed_at desc);
