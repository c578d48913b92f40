-- Recall follow-up (L5) and the work queues of item 8 (issue 14).

-- A recall's notice: claimed once (notified_at) by the listener that texts the person or the
-- family's phones, so a redelivered event sends nothing twice; how many phones were texted
-- (0: nobody to text — the site calls or waits).
alter table recalls add column notified_at timestamptz;
alter table recalls add column notified_phones smallint;
-- the recall pages show today's closed recalls next to the open ones
create index recalls_site_closed_idx on recalls (site_code, closed_at) where closed_at is not null;

-- Work queues: sealed boxes waiting for a courier per site, boxes on their way to a lab, a
-- courier's deliveries of the day, a lab's open receipts, tubes waiting for a plate.
create index box_trips_sealed_site_idx on box_trips (site_code, sealed_at) where status = 'SEALED';
create index box_trips_to_lab_idx on box_trips (lab_code, handed_over_at) where status in ('IN_TRANSIT', 'ARRIVED');
create index box_trips_courier_arrived_idx on box_trips (courier, arrived_at) where arrived_at is not null;
create index lab_receipts_open_idx on lab_receipts (lab_code, opened_at) where closed_at is null;
create index runs_lab_review_idx on runs (lab_code, results_at) where status = 'RESULTS_ENTERED';
