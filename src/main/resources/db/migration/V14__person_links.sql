-- Linking a person to a resident account takes a one-time code (ADR 0014). A request is a
-- person_links row whatever the outcome (a new person, a known one, a wrong name), so that every
-- request does the same work and answers the same way; account_persons holds confirmed links only.

create table person_links (
  id             uuid primary key,
  account_id     uuid not null references resident_accounts (id),
  -- the known person asked for; null for a person not registered yet and for a wrong name
  person_id      uuid references persons (id),
  -- who receives the code: NEW_PERSON and GUARDIAN the requesting account's phone, HOLDER the
  -- person's own phone or else their holders' phones, NONE nobody (the name did not match)
  route          text not null check (route in ('NEW_PERSON','HOLDER','GUARDIAN','NONE')),
  relation       text not null check (relation in ('SELF','FAMILY')),
  id_type        text not null,
  id_hash        bytea not null,
  id_enc         bytea not null,
  name_hash      bytea not null,
  name_enc       bytea not null,
  district_code  text not null references districts (code),
  code_hash      bytea not null,
  expires_at     timestamptz not null,
  attempts       integer not null default 0,
  status         text not null check (status in ('PENDING','CONFIRMED')),
  requested_at   timestamptz not null,
  confirmed_at   timestamptz
);
create index person_links_account_idx on person_links (account_id, requested_at desc);
create index person_links_expiry_idx on person_links (expires_at) where status = 'PENDING';

-- How each confirmed link came about. Links made before this migration stay (LEGACY, all results
-- shown): they cannot be confirmed after the fact; an official can find and remove them.
alter table account_persons
  add column relation text not null default 'FAMILY' check (relation in ('SELF','FAMILY')),
  add column confirmed_by text not null default 'LEGACY' check (confirmed_by in ('LEGACY','NEW_PERSON','HOLDER','GUARDIAN')),
  -- samplings before this instant are not shown to the account (null: all are)
  add column results_from timestamptz,
  add column link_id uuid references person_links (id);

-- An account is one person's own at most once.
create unique index account_persons_one_self on account_persons (account_id) where relation = 'SELF';
