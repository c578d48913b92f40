-- Command centre (D1–D2): counters kept by each stage in the transaction that does the work,
-- so the dashboard reads a few thousand counter rows instead of counting millions of rows.
-- See docs/adr/0010-dashboard-counters.md.

-- Persons bound and tubes sealed per site in 10-minute buckets (written by the binding
-- statement itself, by sealing by hand and by unbinding).
create table site_sampling (
  site_code  text not null,
  bucket     timestamptz not null,
  sampled    integer not null default 0,
  sealed     integer not null default 0,
  primary key (site_code, bucket)
);
create index site_sampling_bucket_idx on site_sampling (bucket);

-- Later stages per hour, per site where the samples were taken and lab that handled them.
-- metric: RECEIVED, REJECTED, TESTED, RELEASED (tubes); REPORTED, POSITIVE, RECALLED (persons).
-- shard spreads a hot counter over the writers that update it at once (the bench user for
-- receipt scans); '' where one writer per row is the rule.
create table stage_counts (
  metric     text not null,
  hour       timestamptz not null,
  site_code  text not null,
  lab_code   text not null,
  shard      text not null default '',
  n          bigint not null,
  primary key (metric, hour, site_code, lab_code, shard)
);
create index stage_counts_hour_idx on stage_counts (hour);

-- Once-only guard for counters written by listeners that may be delivered again.
create table stage_marks (
  key        text primary key,
  marked_at  timestamptz not null
);

-- Turnaround distributions in whole minutes per leg and local day of the later event.
-- leg: COLLECTION_RECEIPT, RECEIPT_RELEASE, COLLECTION_RELEASE (per tube).
create table turnaround_counts (
  leg      text not null,
  day      date not null,
  minutes  integer not null,
  n        bigint not null,
  primary key (leg, day, minutes)
);

-- Lab drill-down: the oldest pending tubes of a lab, and boxes still in transport by site.
create index lab_tubes_pending_idx on lab_tubes (lab_code, received_at) where state in ('WAITING','ON_PLATE','TESTED');
create index box_trips_transit_idx on box_trips (site_code) where status in ('SEALED','IN_TRANSIT','ARRIVED');

-- Labs may have coordinates (optional) so the command centre's map can draw them.
alter table labs add column latitude double precision check (latitude between -90 and 90);
alter table labs add column longitude double precision check (longitude between -180 and 180);
