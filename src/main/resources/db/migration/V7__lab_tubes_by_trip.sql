-- Closing a receipt lists the box's rejected tubes; without this index that was a scan of
-- every tube the lab ever held (found by receipt-bench: close p50 doubled as history grew).
create index lab_tubes_trip_idx on lab_tubes (trip_id);
