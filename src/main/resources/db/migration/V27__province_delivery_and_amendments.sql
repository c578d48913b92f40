-- Issue 16: results leave the city (FHIR R4 delivery to the province) and released results can be
-- amended (two reviewers). ADR 0024.

-- results: the Ct values a released result rests on (sent to the province with it), and a
-- revision counter that an amendment raises.
alter table person_results
  add column ct_orf1ab double precision,
  add column ct_n      double precision,
  add column ct_ic     double precision,
  add column revision  int not null default 0,
  add column amended_at timestamptz;

-- results: a correction of a released person result. One reviewer proposes it with a reason;
-- another reviewer of the same lab approves it (then the result changes) or rejects it.
create table result_amendments (
  id           uuid primary key,
  binding_id   uuid not null references person_results (binding_id),
  lab_code     text not null,
  from_status  text not null check (from_status in ('NEGATIVE','POSITIVE','RECALLED','RETEST')),
  to_status    text not null check (to_status in ('NEGATIVE','POSITIVE','RECALLED','RETEST')),
  reason       text not null,
  state        text not null check (state in ('PROPOSED','APPROVED','REJECTED')),
  proposed_by  text not null,
  proposed_at  timestamptz not null,
  decided_by   text,
  decided_at   timestamptz,
  check (from_status <> to_status)
);
-- at most one open proposal per result: a second reviewer decides on one thing at a time
create unique index result_amendments_open_idx on result_amendments (binding_id) where state = 'PROPOSED';
create index result_amendments_lab_idx on result_amendments (lab_code, state, proposed_at desc);

-- results: every value a result had before an amendment replaced it (the history is never edited).
create table person_result_history (
  binding_id    uuid not null references person_results (binding_id),
  revision      int not null,
  status        text not null,
  reported_at   timestamptz not null,
  replaced_at   timestamptz not null,
  amendment_id  uuid not null references result_amendments (id),
  primary key (binding_id, revision)
);

-- province: one row per bundle to deliver (a released result is revision 0, each amendment the
-- next revision). Written by the listener of ResultPublished/ResultAmended, whose publication the
-- event registry keeps from the releasing transaction on; claimed by senders with
-- FOR UPDATE SKIP LOCKED and a lease, so several copies share the work and none sends a row
-- another is sending.
create table province_outbox (
  id               bigint generated always as identity primary key,
  binding_id       uuid not null,
  revision         int not null,
  report_status    text not null check (report_status in ('FINAL','AMENDED','CORRECTED')),
  result_status    text not null check (result_status in ('NEGATIVE','POSITIVE','RECALLED','RETEST')),
  reason           text,
  state            text not null check (state in ('PENDING','DELIVERED','DEAD')),
  created_at       timestamptz not null,
  attempts         int not null default 0,
  next_attempt_at  timestamptz not null,
  claimed_by       text,
  claimed_until    timestamptz,
  last_error       text,
  outcome          text,
  http_status      int,
  delivered_at     timestamptz,
  acknowledgement  text,
  unique (binding_id, revision)
);
create index province_outbox_due_idx on province_outbox (next_attempt_at, id) where state = 'PENDING';
create index province_outbox_dead_idx on province_outbox (id) where state = 'DEAD';
