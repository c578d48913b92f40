-- Supplies (G1, issue 18 item 6): warehouses, stock per holder and item, consumption settled from
-- what sampling and the lab already record, requests from sites and their dispatch. All tables
-- belong to the supplies module. See docs/adr/0033.

create table supply_warehouses (
  code           text primary key,
  name           text not null,
  district_code  text not null references districts (code),
  created_at     timestamptz not null
);

-- Stock of one item at one holder (a warehouse, a site or a lab). Never negative: consumption
-- the loop recorded beyond what was on hand is kept apart as "unaccounted" (used but never
-- received here), shown to officials in plain words, instead of a negative count.
create table supply_stock (
  holder_kind  text not null check (holder_kind in ('WAREHOUSE','SITE','LAB')),
  holder_code  text not null,
  item         text not null check (item in ('SWAB','TUBE_1','TUBE_5','TUBE_10','TUBE_20','PPE_SET','PCR_REACTION')),
  quantity     bigint not null default 0 check (quantity >= 0),
  unaccounted  bigint not null default 0 check (unaccounted >= 0),
  updated_at   timestamptz not null,
  primary key (holder_kind, holder_code, item)
);

-- Use per holder, item and hour of settlement: the rate that "hours until out" divides by.
create table supply_usage_hours (
  holder_kind  text not null,
  holder_code  text not null,
  item         text not null,
  hour         timestamptz not null,
  quantity     bigint not null check (quantity >= 0),
  primary key (holder_kind, holder_code, item, hour)
);

-- Settlement ledgers: what of sampling's tubes and the lab's runs has been counted already. A
-- tube or run is counted once by its key; a tube's swabs are counted up to swabs_settled (the
-- tube's positions handed out), so a settlement that runs again, on this copy or another,
-- subtracts nothing twice.
create table supply_tube_settlements (
  tube_code      text primary key,
  site_code      text not null,
  capacity       smallint not null,
  swabs_settled  integer not null,
  sealed         boolean not null,
  settled_at     timestamptz not null
);
create index supply_tube_settlements_open_idx on supply_tube_settlements (tube_code) where not sealed;

create table supply_run_settlements (
  run_id      uuid primary key,
  lab_code    text not null,
  reactions   integer not null,
  settled_at  timestamptz not null
);

-- A site's request for supplies, and its way to the site: approved and dispatched from a
-- warehouse by an official, picked up by a courier, received at the site.
create table supply_requests (
  id              uuid primary key,
  site_code       text not null references sites (code),
  item            text not null check (item in ('SWAB','TUBE_1','TUBE_5','TUBE_10','TUBE_20','PPE_SET','PCR_REACTION')),
  quantity        integer not null check (quantity > 0),
  note            text,
  status          text not null check (status in ('REQUESTED','APPROVED','DECLINED','DISPATCHED','PICKED_UP','RECEIVED')),
  requested_by    text not null,
  requested_at    timestamptz not null,
  warehouse_code  text references supply_warehouses (code),
  decided_by      text,
  decided_at      timestamptz,
  decline_reason  text
);
create index supply_requests_status_idx on supply_requests (status, requested_at);
create index supply_requests_site_idx on supply_requests (site_code, requested_at desc);

-- The chain of custody of one dispatch: each step with its time and actor.
create table supply_custody (
  request_id  uuid not null references supply_requests (id),
  step        text not null check (step in ('APPROVED','DISPATCHED','PICKED_UP','RECEIVED','DECLINED')),
  actor       text not null,
  at          timestamptz not null,
  primary key (request_id, step)
);
