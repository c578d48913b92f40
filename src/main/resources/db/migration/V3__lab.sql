-- Lab (L1–L4): receipts of boxes, the tubes a lab holds, plates and runs.

create table lab_receipts (
  trip_id    uuid primary key references box_trips (id),
  box_code   text not null,
  lab_code   text not null references labs (code),
  opened_by  text not null,
  opened_at  timestamptz not null,
  closed_by  text,
  closed_at  timestamptz
);
create index lab_receipts_box_idx on lab_receipts (box_code, opened_at desc);

-- Every tube scanned while a box is open at the bench; a tube scanned twice is one row.
create table receipt_scans (
  trip_id     uuid not null references lab_receipts (trip_id),
  tube_code   text not null,
  status      text not null check (status in ('RECEIVED','UNEXPECTED')),
  scanned_by  text not null,
  scanned_at  timestamptz not null,
  primary key (trip_id, tube_code)
);

-- The tubes a lab holds, and where each is in testing. A tube is received once, by one lab.
create table lab_tubes (
  tube_code      text primary key references tubes (code),
  lab_code       text not null references labs (code),
  trip_id        uuid not null,
  received_at    timestamptz not null,
  received_by    text not null,
  state          text not null check (state in ('WAITING','ON_PLATE','TESTED','RELEASED','REJECTED')),
  reject_reason  text,
  rejected_by    text,
  rejected_at    timestamptz,
  run_id         uuid,
  result         text check (result in ('NEGATIVE','POSITIVE','INCONCLUSIVE','INVALID'))
);
create index lab_tubes_lab_state_idx on lab_tubes (lab_code, state, received_at);

create table runs (
  id             uuid primary key,
  lab_code       text not null references labs (code),
  plate_code     text not null,
  status         text not null check (status in ('LOADED','RESULTS_ENTERED','CONTROLS_FAILED','RELEASED')),
  created_by     text not null,
  created_at     timestamptz not null,
  results_by     text,
  results_at     timestamptz,
  approved_by    text,
  approved_at    timestamptz,
  auto_reviewed  boolean not null default false
);
create index runs_lab_status_idx on runs (lab_code, status);
create unique index runs_plate_in_use on runs (plate_code) where status in ('LOADED','RESULTS_ENTERED');

create table run_wells (
  run_id          uuid not null references runs (id),
  well            text not null,
  tube_code       text,
  control         text check (control in ('POSITIVE','NEGATIVE')),
  ct_orf1ab       double precision,
  ct_n            double precision,
  ct_ic           double precision,
  interpretation  text check (interpretation in ('NEGATIVE','POSITIVE','INCONCLUSIVE','INVALID')),
  rule            text,
  primary key (run_id, well),
  check ((tube_code is null) <> (control is null))
);
create index run_wells_tube_idx on run_wells (tube_code);
