-- Lab quality (L6, issue 17 items 1–3): control materials and their lots with target values,
-- every run's control Ct values and the Westgard violations they raised, reagent and
-- consumable lots with stock, and the lab's instruments. Owned by the labquality module; the
-- lab module only adds which reagent lot and which cycler a run used (columns on its runs).

create table qc_control_lots (
  id          uuid primary key,
  lab_code    text not null references labs (code),
  material    text not null,
  -- the control level: positive control wells on a plate map onto the lab's lots in use by
  -- level, in well order (ADR 0026)
  level       int not null check (level between 1 and 3),
  lot_number  text not null,
  expires_on  date,
  in_use      boolean not null default true,
  created_by  text not null,
  created_at  timestamptz not null,
  unique (lab_code, lot_number)
);
-- one lot in use per level and lab: a run's control values belong to exactly one lot
create unique index qc_control_lots_in_use on qc_control_lots (lab_code, level) where in_use;

create table qc_lot_targets (
  lot_id  uuid not null references qc_control_lots (id),
  target  text not null check (target in ('ORF1ab','N','IC')),
  mean    double precision not null check (mean > 0 and mean < 60),
  sd      double precision not null check (sd > 0 and sd < 20),
  primary key (lot_id, target)
);

-- one row per control well, target and run: the Levey–Jennings points
create table qc_values (
  id           bigserial primary key,
  lot_id       uuid not null references qc_control_lots (id),
  lab_code     text not null,
  target       text not null,
  run_id       uuid not null,
  well         text not null,
  ct           double precision not null,
  z            double precision not null,
  measured_at  timestamptz not null,
  unique (run_id, well, target)
);
create index qc_values_series_idx on qc_values (lot_id, target, id);

create table qc_runs (
  run_id            uuid primary key,
  lab_code          text not null,
  status            text not null check (status in ('PASS','WARNING','REJECTED','CORRECTED')),
  evaluated_at      timestamptz not null,
  corrected_by      text,
  corrected_at      timestamptz,
  corrective_action text
);
create index qc_runs_lab_idx on qc_runs (lab_code, evaluated_at desc);

create table qc_violations (
  value_id  bigint not null references qc_values (id),
  run_id    uuid not null,
  rule      text not null,
  severity  text not null check (severity in ('WARNING','REJECTION')),
  primary key (value_id, rule)
);
create index qc_violations_run_idx on qc_violations (run_id);

create table reagent_lots (
  id            uuid primary key,
  lab_code      text not null references labs (code),
  item          text not null,
  kind          text not null check (kind in ('KIT','CONSUMABLE')),
  lot_number    text not null,
  expires_on    date not null,
  received      int not null check (received > 0),
  remaining     int not null check (remaining >= 0),
  low_at        int not null check (low_at >= 0),
  created_by    text not null,
  created_at    timestamptz not null,
  unique (lab_code, lot_number)
);

create table reagent_usage (
  lot_id     uuid not null references reagent_lots (id),
  run_id     uuid not null,
  lab_code   text not null,
  item       text not null,
  reactions  int not null check (reactions > 0),
  used_at    timestamptz not null,
  primary key (lot_id, run_id)
);
create index reagent_usage_rate_idx on reagent_usage (lab_code, item, used_at);

create table instruments (
  lab_code         text not null references labs (code),
  code             text not null,
  kind             text not null check (kind in ('PCR_CYCLER','EXTRACTOR','BIOSAFETY_CABINET','CENTRIFUGE','FREEZER')),
  name             text not null,
  calibration_due  date not null,
  maintenance_due  date not null,
  created_by       text not null,
  created_at       timestamptz not null,
  primary key (lab_code, code)
);

alter table runs add column reagent_lot text;
alter table runs add column cycler text;
