-- Issue 18 items 4, 6 and 7, second round (docs/adr/0035): early-warning thresholds as audited
-- runtime settings, designated hospitals that can be undesignated, PPE used per shift at a site.

-- earlywarning: a threshold set at run time overrides its configured default (epiloop.early-warning.*).
-- One row per setting changed at least once; the rules read them at every evaluation.
create table early_warning_settings (
  name        text primary key,
  value       text not null,
  changed_by  text not null,
  changed_at  timestamptz not null
);
-- earlywarning: every change, old → new (also in audit_log), newest read first on the officials' page.
create table early_warning_setting_changes (
  id          bigint generated always as identity primary key,
  at          timestamptz not null,
  changed_by  text not null,
  rule        text not null,
  name        text not null,
  old_value   text not null,
  new_value   text not null
);

-- directory: a hospital's designation can end (and be given again); an undesignated hospital
-- keeps its rows and its visits, but its accounts report no new visits.
alter table hospitals add column undesignated_at timestamptz;
alter table hospitals add column undesignated_by text;
alter table hospitals add column undesignation_reason text;

-- supplies: protective equipment a site records as used at the end of a shift (by a collector,
-- with an Idempotency-Key: a retried recording is this row again). The stock line falls in the
-- same transaction and never below zero.
create table supply_ppe_uses (
  id               uuid primary key,
  site_code        text not null references sites (code),
  item             text not null check (item in ('PPE_SET')),
  quantity         integer not null check (quantity > 0),
  note             text,
  recorded_by      text not null,
  recorded_at      timestamptz not null,
  remaining_after  bigint not null check (remaining_after >= 0)
);
create index supply_ppe_uses_site_idx on supply_ppe_uses (site_code, recorded_at desc);
