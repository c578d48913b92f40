-- Issue 17 item 2 (stock): what changes a lot's stock besides plating — a delivery received into
-- an existing lot, use outside a run (a consumable taken, a kit used on another instrument), and a
-- write-off (damaged, lost, expired). One row per movement with who, when and why; the lot's
-- received and remaining counts move in the same transaction (docs/adr/0031).
create table reagent_movements (
  id         bigserial primary key,
  lot_id     uuid not null references reagent_lots (id),
  lab_code   text not null,
  item       text not null,
  kind       text not null check (kind in ('RESTOCK','CONSUMED','WRITTEN_OFF')),
  quantity   int not null check (quantity > 0),
  reason     text,
  moved_by   text not null,
  moved_at   timestamptz not null,
  remaining_after int not null check (remaining_after >= 0)
);
create index reagent_movements_lot_idx on reagent_movements (lot_id, id);
-- manual use counts toward the days-left forecast as plating does
create index reagent_movements_rate_idx on reagent_movements (lab_code, item, moved_at) where kind = 'CONSUMED';
