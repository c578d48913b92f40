-- Health codes (H1–H4). The facts the colour rules read that come from other modules'
-- events are kept here; the computed code is stored and recomputed when marked stale.

create table health_cases (
  person_id     uuid primary key references persons (id),
  case_id       uuid not null,
  confirmed_at  timestamptz not null
);

create table health_contacts (
  person_id   uuid not null references persons (id),
  case_id     uuid not null,
  level       text not null check (level in ('CLOSE','SECONDARY')),
  exposed_at  timestamptz not null,
  primary key (person_id, case_id)
);

create table health_overrides (
  person_id  uuid primary key references persons (id),
  color      text not null check (color in ('GREEN','YELLOW','RED')),
  reason     text not null,
  set_by     text not null,
  set_at     timestamptz not null,
  until      timestamptz not null
);

create table health_codes (
  person_id    uuid primary key references persons (id),
  color        text not null check (color in ('GREEN','YELLOW','RED')),
  reasons      text not null,
  computed_at  timestamptz not null,
  valid_until  timestamptz
);

-- Rule settings (windows and colours) with the history of every change.
create table health_rule_settings (
  name        text primary key,
  value       text not null,
  changed_by  text not null,
  changed_at  timestamptz not null
);
create table health_rule_changes (
  id          bigint generated always as identity primary key,
  at          timestamptz not null,
  changed_by  text not null,
  name        text not null,
  old_value   text,
  new_value   text not null
);

-- Signing keys of health-code tokens; the private half is encrypted like personal data.
create table health_signing_keys (
  kid          text primary key,
  private_enc  bytea not null,
  public_jwk   text not null,
  created_at   timestamptz not null,
  retired_at   timestamptz
);
