-- Bulk load of one big mass-testing day for the command-centre dashboard (issue 6: every dashboard
-- endpoint <= 100 ms p99 with a 6-million-person day in the database), straight into Epiloop's
-- (embedded) PostgreSQL, after dashboard-setup.py created the real districts, sites, labs, staff and a
-- few resident persons over HTTP. Measure afterwards with `dash-bench` (simulator/README.md).
--
-- Commands (server on this machine; the embedded PostgreSQL's port is in the server log line
-- "Embedded PostgreSQL started on port N", and is line 4 of $EPILOOP_DATA_DIR/pg/postmaster.pid):
--
--   python3 simulator/scripts/dashboard-setup.py --url http://localhost:8097 \
--     --admin-password "$EPILOOP_ADMIN_PASSWORD" --sites 1000 --labs 10 --out /tmp/dash-state.json
--   PGPORT=$(sed -n 4p "$EPILOOP_DATA_DIR/pg/postmaster.pid")
--   psql -h localhost -p "$PGPORT" -U postgres -d postgres -v ON_ERROR_STOP=1 \
--     -v run=$(python3 -c 'import json;print(json.load(open("/tmp/dash-state.json"))["run"])') \
--     -v persons=6000000 -f simulator/scripts/dashboard-load.sql
--
-- Parameters (psql -v name=value; defaults in brackets):
--   run                   the run prefix printed by dashboard-setup.py (required): sites dl-<run>-s*, labs dl-<run>-lab*
--   persons               persons sampled in the day [6000000], spread over the run's sites with weights 0.5..1.5
--   pool                  persons per pooled tube [10]
--   terminals             collection terminals per site, each filling its own tubes one after another [6] (1..8)
--   single_share          share of persons sampled in single tubes (1:1, on a separate line per site) [0.005]
--   box_size              tubes per transport box [50]
--   positive_rate         share of pooled tubes that test positive (members RECALLED) [0.0005]
--   single_positive_rate  share of single tubes that test positive (POSITIVE, CRITICAL_RESULT alert) [0.02]
--   overdue_share         share of boxes whose courier is 4 h late (BOX_OVERDUE while in transport) [0.003]
--   overloaded_factor     capacity of lab 1 (dl-<run>-lab01) relative to its arrivals [0.6]; the other labs get 1.5
--   day                   the local (Asia/Shanghai) date of the day [the local date of as_of]
--   as_of                 the moment the loaded state describes [now(), or 23:00 local when another day is given]
--   checks                on: after the load, check the rows and counters (all "..._ok" must be t; a minute at 6M) [on]
--   start_hour, hours     sampling runs from start_hour:00 local for `hours` hours [7, 14], cut 10 minutes before
--                         as_of (and started earlier, never before local midnight, to keep at least 2 hours: when
--                         loading in the morning the day is compressed — load in the evening for a realistic spread)
--   The state is frozen at as_of while the clock moves on: a bench run long after the load sees fewer sites with
--   samples in the last hour and more overdue boxes (pass -v as_of= a little ahead to aim at the bench's start).
--
-- The day's timeline, as of `as_of` (every state is what the timestamps imply at that moment):
--   * persons: one per binding, ciphertexts (id_enc, name_hash, name_enc) copied round-robin from the run's real
--     resident persons (they decrypt), id_hash = the id's first 6 bytes + 26 bytes of its sha256 (unique, matches no
--     real ID number), no phone, created_by 'dash-load'.
--   * tubes and bindings: each site's terminals bind persons evenly over the sampling window; a pooled tube seals
--     itself with its `pool`-th binding (count_after / tube_status_after as the binding statement writes them); the
--     last tube of most terminals is still OPEN (a few per site). Single tubes: capacity 1, sealed at once.
--   * box_trips / box_tubes: a sealed tube goes into its site's current box 1-4 min later; a box of box_size tubes is
--     sealed 1-3 min after its last tube; a site's last, partial box stays OPEN until 15 min after sampling ends;
--     courier handover 5-25 min after sealing (4 h later for overdue_share of boxes), 20-50 min on the road, receipt
--     5-20 min after arrival; status = the last step done by as_of (OPEN, SEALED, IN_TRANSIT, ARRIVED, RECEIVED).
--     Sites are served by lab (site number mod labs).
--   * lab_receipts, receipt_scans, lab_tubes: a box is RECEIVED once its receipt (opened at received_at, one scan
--     every 3 s by one of the lab's technicians, closed 30 s after the last scan) is finished by as_of.
--   * runs: each lab plates its received tubes in arrival order, 94 samples (+2 controls) per plate, a plate ready
--     10 min after its last tube arrived and started no sooner than its capacity allows (labs.daily_capacity, which
--     this script sets: 1.5 x the lab's arrivals per hour of the sampling window, overloaded_factor for lab01);
--     results 90-110 min after the start; a plate with only negatives is auto-reviewed ('auto-review', released with
--     its results) except in lab03, lab06, lab09 … (auto-release off), where the lab's reviewer approves 10-30 min
--     later, as for every plate with a positive. Tubes are WAITING (no plate yet), ON_PLATE (run LOADED), TESTED
--     (RESULTS_ENTERED) or RELEASED. Lab01 ends with a large WAITING backlog (hours old).
--   * person_results (one per binding of a RELEASED tube: NEGATIVE; RECALLED for members of positive pools;
--     POSITIVE for positive single tubes), recalls (POOL_POSITIVE) and alerts (CRITICAL_RESULT per positive single
--     tube), as the results module writes them.
--   * counters, derived at the end from the rows above with aggregate SQL, as the stages write them (V10):
--     site_sampling (site, 10-minute bucket: sampled = bindings bound in it, sealed = tubes sealed in it);
--     stage_counts per hour, sample site and lab: RECEIVED (lab_tubes.received_at, shard = receiving user),
--     TESTED (runs.results_at), RELEASED (runs.approved_at) in tubes; REPORTED, POSITIVE, RECALLED in persons
--     (person_results.reported_at); turnaround_counts per tube in whole minutes, day = local date of the later event:
--     COLLECTION_RECEIPT = lab_tubes.received_at - tubes.opened_at, RECEIPT_RELEASE = runs.approved_at -
--     lab_tubes.received_at, COLLECTION_RELEASE = runs.approved_at - tubes.opened_at. Counters are added to what is
--     there (on conflict ... n + excluded.n). They are skipped with a notice if the run's sites already have counter
--     rows (i.e. if the schema ever counts with triggers, which would have counted the bulk rows already).
--
-- Not loaded: run_wells (no dashboard query reads them; GET /runs/{id} shows no wells for bulk runs),
-- box_events (chain of custody), idempotency_keys (bulk bindings cannot be replayed), audit_log,
-- account_persons, stage_marks (no listener has anything to deliver again), event_publication, rejected or
-- missing tubes (REJECTED counter, TubesLost), inconclusive/invalid results (RETEST), CONTROLS_FAILED runs,
-- retests of recalled persons, health codes, venues and check-ins.
--
-- Time (this 2-core box, shared with other benchmarks running at the same time, CPU pressure ~95%): 60,000 persons
-- (10 sites) 32 s including the checks; 1,200,000 persons (200 sites, a whole day with results) 2 min 7 s, of which
-- persons 24 s, bindings 15 s, person_results 16 s, checks ~30 s. Estimate for 6,000,000 (linear, the inserts now go
-- into their indexes in order): 6-11 minutes, plus ~40 s for dashboard-setup.py with 1000 sites.
--
-- Speed: set-based inserts from temporary tables (not WAL-logged) with synchronous_commit off, parents before
-- children, every index and constraint in place (nothing is dropped); the inserts run with
-- session_replication_role = replica, which skips the per-row foreign-key triggers of this session, and the
-- foreign keys are checked set-based afterwards (fk_ok); persons, bindings and person_results are inserted in the
-- order of their primary keys and (person, time) indexes (see "Plan" below); ANALYZE at the end. Progress and
-- timings: \timing on.
\set ON_ERROR_STOP on
\timing on
set synchronous_commit = off;
set work_mem = '256MB';
set maintenance_work_mem = '512MB';
set temp_buffers = '1GB';
set timezone = 'UTC';
create function pg_temp.dl_check(ok boolean, msg text) returns void language plpgsql as
  $$ begin if not ok then raise exception 'dashboard-load.sql: %', msg; end if; end $$;

\if :{?run}
\else
  \echo 'dashboard-load.sql: pass -v run=<run prefix printed by dashboard-setup.py>'
  select 'missing -v run'::int;
\endif
\if :{?persons} \else \set persons 6000000 \endif
\if :{?pool} \else \set pool 10 \endif
\if :{?terminals} \else \set terminals 6 \endif
\if :{?single_share} \else \set single_share 0.005 \endif
\if :{?box_size} \else \set box_size 50 \endif
\if :{?positive_rate} \else \set positive_rate 0.0005 \endif
\if :{?single_positive_rate} \else \set single_positive_rate 0.02 \endif
\if :{?overdue_share} \else \set overdue_share 0.003 \endif
\if :{?overloaded_factor} \else \set overloaded_factor 0.6 \endif
\if :{?start_hour} \else \set start_hour 7 \endif
\if :{?hours} \else \set hours 14 \endif
\if :{?day} \else \set day '' \endif
\if :{?as_of} \else \set as_of '' \endif
\if :{?checks} \else \set checks on \endif

-- ---------------------------------------------------------------------------------------------------------------
-- The day's clock
select as_of, day, greatest(midnight, least(nominal_start, s_end - interval '2 hours')) as s_start, s_end,
       extract(epoch from s_end - greatest(midnight, least(nominal_start, s_end - interval '2 hours'))) / 3600.0 as window_hours
from (select *, least(nominal_start + (:hours) * interval '1 hour', as_of - interval '10 minutes') as s_end
      from (select *, midnight + (:start_hour) * interval '1 hour' as nominal_start
            from (select as_of, day, day::timestamp at time zone 'Asia/Shanghai' as midnight
                  from (select as_of, coalesce(nullif(:'day', '')::date, (as_of at time zone 'Asia/Shanghai')::date) as day
                        from (select coalesce(nullif(:'as_of', '')::timestamptz,
                                              case when nullif(:'day', '') is null
                                                     or nullif(:'day', '')::date = (now() at time zone 'Asia/Shanghai')::date then now()
                                                   else (nullif(:'day', '')::date + time '23:00') at time zone 'Asia/Shanghai' end) as as_of) a) b) c) d) e
\gset
\echo day :day, as of :as_of, sampling :s_start .. :s_end (:window_hours hours)
select pg_temp.dl_check(:window_hours >= 0.5, 'a sampling window of ' || round(:window_hours, 2)
                        || ' hours: load later in the day or pass -v day= / -v as_of='),
       pg_temp.dl_check(:terminals between 1 and 8, 'terminals must be 1..8'),
       pg_temp.dl_check(:pool between 2 and 20, 'pool must be 2..20'),
       pg_temp.dl_check(:box_size >= 1, 'box_size must be at least 1') \gset dlchk_

-- ---------------------------------------------------------------------------------------------------------------
-- The run's directory, staff and source persons (created over HTTP by dashboard-setup.py)
create temp table dl_lab as
  select (row_number() over (order by l.code) - 1)::int as i, l.code,
         array(select u.username from staff_users u where u.role = 'LAB_TECH' and u.lab_code = l.code order by u.username) as techs,
         coalesce((select u.username from staff_users u where u.role = 'LAB_REVIEWER' and u.lab_code = l.code order by u.username limit 1),
                  'reviewer') as reviewer
  from labs l where l.code like 'dl-' || :'run' || '-lab%';
select count(*) as labs from dl_lab \gset

create temp table dl_site as
  select *, n_pool / :terminals as q, n_pool % :terminals as r
  from (select i, code, district_code, collector, i % :labs as lab_i, n_end - n_start as n, n_start as off,
               (n_end - n_start) - round((n_end - n_start) * :single_share)::bigint as n_pool,
               round((n_end - n_start) * :single_share)::bigint as n_single
        from (select *, floor(:persons::numeric * (cw - w) / tw)::bigint as n_start, floor(:persons::numeric * cw / tw)::bigint as n_end
              from (select *, sum(w) over (order by i) as cw, sum(w) over () as tw
                    from (select (row_number() over (order by s.code) - 1)::int as i, s.code, s.district_code,
                                 coalesce((select u.username from staff_users u where u.role = 'COLLECTOR' and u.site_code = s.code
                                           order by u.username limit 1), 'collector') as collector,
                                 round((0.5 + random())::numeric, 6) as w
                          from sites s where s.code like 'dl-' || :'run' || '-s%') a) b) c) d
  order by i;
select count(*) as sites from dl_site \gset
select array(select username from staff_users where role = 'COURIER' and username like 'dl-' || :'run' || '-k%' order by username)::text
       as couriers \gset
select pg_temp.dl_check(:sites > 0 and :labs > 0, 'no sites or labs of run ' || :'run' || ': run dashboard-setup.py first') \gset dlchk_

create temp table dl_src as
  select (row_number() over (order by p.created_at, p.id) - 1)::int as n, p.id_enc, p.name_hash, p.name_enc
  from persons p where p.district_code like 'dl-' || :'run' || '-d%' and p.created_by <> 'dash-load';
select count(*) as nsrc from dl_src \gset
select pg_temp.dl_check(:nsrc > 0, 'no real persons in the districts of run ' || :'run' || ': run dashboard-setup.py first') \gset dlchk_
\echo :sites sites, :labs labs, :nsrc source persons, :persons persons

-- ---------------------------------------------------------------------------------------------------------------
-- Plan: one row per binding, in the order of the tube codes: site, line, tube, position. A site's pooled persons
-- are spread over its terminals (q or q + 1 each); the j-th person of terminal t goes into its tube j / pool at
-- position j mod pool + 1 (positions count from 1, like tubes.next_position); single-tube persons are on line
-- `terminals`. Each line's persons are spread evenly over the sampling window, with jitter.
-- Ids are random version-4 UUIDs whose first 48 bits grow with the row (stratified over the id space), so that
-- persons, bindings and person_results go into their primary keys, persons.id_hash and the (person, time) indexes
-- in order instead of at random places of indexes bigger than shared_buffers (slower, and more so as they
-- grow); the set of ids is as uniform as random ones, and the rows are inserted in this order without sorting
-- (only the heap order of these tables correlates with their ids, which no dashboard query uses).
select 281474976710656.0 / :persons as uuid_step \gset
create temp table dl_b as
  select site_i, site_code, district_code, collector, g, t, capacity, position, bound_at,
         'DL' || upper(:'run') || '-' || lpad(site_i::text, 4, '0') || '-' || t || '-' || lpad(tube_no::text, 7, '0') as tube_code,
         (lpad(to_hex(floor((g + random()) * :uuid_step::float8)::bigint), 12, '0') || '4' || substr(h1, 1, 3)
          || substr('89ab', 1 + floor(random() * 4)::int, 1) || substr(h1, 4, 15))::uuid as person_id,
         (lpad(to_hex(floor((g + random()) * :uuid_step::float8)::bigint), 12, '0') || '4' || substr(h2, 1, 3)
          || substr('89ab', 1 + floor(random() * 4)::int, 1) || substr(h2, 4, 15))::uuid as binding_id
  from (select *, :'s_start'::timestamptz + (:'s_end'::timestamptz - :'s_start'::timestamptz) * ((j + 0.2 + 0.6 * random()) / m) as bound_at,
               case when t < :terminals then j / :pool else j end as tube_no,
               case when t < :terminals then j % :pool + 1 else 1 end as position,
               case when t < :terminals then :pool else 1 end as capacity,
               md5(random()::text) as h1, md5(random()::text) as h2
        from (select s.i as site_i, s.code as site_code, s.district_code, s.collector, s.off + o as g,
                     case when o >= s.n_pool then :terminals
                          when o < s.r * (s.q + 1) then o / (s.q + 1)
                          else s.r + (o - s.r * (s.q + 1)) / greatest(s.q, 1) end as t,
                     case when o >= s.n_pool then o - s.n_pool
                          when o < s.r * (s.q + 1) then o % (s.q + 1)
                          else (o - s.r * (s.q + 1)) % greatest(s.q, 1) end as j,
                     case when o >= s.n_pool then s.n_single
                          when o < s.r * (s.q + 1) then s.q + 1
                          else s.q end as m
              from dl_site s, generate_series(0, s.n - 1) o) x) y;
analyze dl_b;

-- Tubes: opened 5-35 s before their first binding; a full tube sealed by its last binding.
create temp table dl_t as
  select code, site_i, site_code, collector, capacity, n, first_at, opened_at, status,
         case when status = 'SEALED' then last_at end as sealed_at,
         case when status = 'SEALED' then last_at + make_interval(secs => 60 + 180 * random()) end as added_at,
         random() < case when capacity = 1 then :single_positive_rate else :positive_rate end as positive
  from (select tube_code as code, site_i, site_code, collector, capacity, count(*)::int as n, min(bound_at) as first_at,
               max(bound_at) as last_at, min(bound_at) - make_interval(secs => 5 + 30 * random()) as opened_at,
               case when count(*) = capacity then 'SEALED' else 'OPEN' end as status
        from dl_b group by tube_code, site_i, site_code, collector, capacity) a;
analyze dl_t;

-- Boxes: sealed tubes in the order they were packed into their site's current box, box_size per box.
create temp table dl_bt as
  select code, site_i, added_at, first_at, box_no, row_number() over (partition by site_i, box_no order by added_at, code) as in_box
  from (select code, site_i, added_at, first_at, (row_number() over (partition by site_i order by added_at, code) - 1) / :box_size as box_no
        from dl_t where status = 'SEALED' and added_at <= :'as_of'::timestamptz) a;

create temp table dl_box as
  select *, case when receipt_done <= :'as_of'::timestamptz then 'RECEIVED' when arrived_p <= :'as_of'::timestamptz then 'ARRIVED'
                 when handed_p <= :'as_of'::timestamptz then 'IN_TRANSIT' when sealed_p <= :'as_of'::timestamptz then 'SEALED'
                 else 'OPEN' end as status
  from (select *, received_p + (3 * n + 30) * interval '1 second' as receipt_done
        from (select *, arrived_p + (5 + 15 * r3) * interval '1 minute' as received_p
              from (select *, handed_p + (20 + 30 * r2) * interval '1 minute' as arrived_p
                    from (select *, sealed_p + (5 + 20 * r1) * interval '1 minute' + case when stuck then interval '4 hours' else interval '0' end as handed_p
                          from (select b.site_i, b.box_no, b.n, b.first_added, b.last_added, b.first_sampled,
                                       gen_random_uuid() as id, 'DLB' || upper(:'run') || '-' || b.site_i || '-' || b.box_no as box_code,
                                       s.code as site_code, s.collector, x.code as lab_code,
                                       coalesce(x.techs[1 + (b.site_i + b.box_no) % greatest(1, cardinality(x.techs))], 'labtech') as tech,
                                       (:'couriers'::text[])[1 + (b.site_i + b.box_no) % greatest(1, cardinality(:'couriers'::text[]))] as courier,
                                       case when b.n = :box_size then b.last_added + (60 + 120 * random()) * interval '1 second'
                                            else :'s_end'::timestamptz + interval '15 minutes' end as sealed_p,
                                       random() < :overdue_share as stuck, random() as r1, random() as r2, random() as r3
                                from (select site_i, box_no, count(*)::int as n, min(added_at) as first_added, max(added_at) as last_added,
                                             min(first_at) as first_sampled
                                      from dl_bt group by site_i, box_no) b
                                join dl_site s on s.i = b.site_i join dl_lab x on x.i = s.lab_i) a) b) c) d) e;
create unique index on dl_box (site_i, box_no);
analyze dl_bt;
analyze dl_box;

-- Lab capacity: 1.5 x the lab's arrivals per hour of the sampling window, per day; lab01 overloaded_factor.
create temp table dl_cap as
  select x.i as lab_i, x.code as lab_code, x.techs, x.reviewer,
         ceil(greatest(94, count(t.code)) * 24 / :window_hours * case when x.i = 0 then :overloaded_factor else 1.5 end)::int as cap
  from dl_lab x left join dl_site s on s.lab_i = x.i left join dl_t t on t.site_i = s.i
  group by x.i, x.code, x.techs, x.reviewer;
alter table dl_cap add column iv interval;
update dl_cap set iv = (94.0 * 1440 / cap) * interval '1 minute';

-- Tubes received (scanned one every 3 s from the opening of the receipt), plated in arrival order, 94 per plate.
create temp table dl_lt as
  select bt.code, t.site_code, t.opened_at, t.capacity, t.positive, s.lab_i, b.lab_code, b.id as trip_id,
         b.received_p + bt.in_box * 3 * interval '1 second' as received_at, b.tech as received_by,
         (row_number() over (partition by s.lab_i order by b.received_p + bt.in_box * 3 * interval '1 second', bt.code) - 1) / 94 as run_no
  from dl_bt bt join dl_box b using (site_i, box_no) join dl_t t on t.code = bt.code join dl_site s on s.i = bt.site_i
  where b.status = 'RECEIVED';

create temp table dl_run as
  select *, case when start_at > :'as_of'::timestamptz then null when results_p > :'as_of'::timestamptz then 'LOADED'
                 when approved_p > :'as_of'::timestamptz then 'RESULTS_ENTERED' else 'RELEASED' end as status
  from (select *, results_p + case when any_pos or lab_i % 3 = 2 then (10 + 20 * random()) * interval '1 minute' else interval '0' end
                  as approved_p
        from (select *, start_at + (90 + 20 * random()) * interval '1 minute' as results_p
              from (select r.*, c.lab_code, coalesce(c.techs[1 + r.run_no % greatest(1, cardinality(c.techs))], 'labtech') as tech, c.reviewer,
                           gen_random_uuid() as id, 'P' || upper(:'run') || '-' || r.lab_i || '-' || r.run_no as plate_code,
                           r.run_no * c.iv + max(r.ready - r.run_no * c.iv) over (partition by r.lab_i order by r.run_no) as start_at
                    from (select lab_i, run_no, count(*) as n, max(received_at) + interval '10 minutes' as ready, bool_or(positive) as any_pos
                          from dl_lt group by lab_i, run_no) r
                    join dl_cap c using (lab_i)) a) b) c;
create unique index on dl_run (lab_i, run_no);
analyze dl_lt;
analyze dl_run;

-- ---------------------------------------------------------------------------------------------------------------
-- The rows, parents before children. Foreign keys are checked once, set-based, at the end (fk_ok) instead of by a
-- trigger per row: session_replication_role = replica skips the RI triggers of this session (nothing is dropped).
set session_replication_role = replica;
update labs set daily_capacity = c.cap from dl_cap c where labs.code = c.lab_code;

insert into persons (id, id_type, id_hash, id_enc, name_hash, name_enc, district_code, created_at, created_by)
  select b.person_id, 'CN_ID', substring(uuid_send(b.person_id) from 1 for 6) || substring(sha256(uuid_send(b.person_id)) from 1 for 26),
         s.id_enc[1 + b.g % :nsrc], s.name_hash[1 + b.g % :nsrc],
         s.name_enc[1 + b.g % :nsrc], b.district_code, b.bound_at - interval '20 seconds', 'dash-load'
  from dl_b b,
       (select array_agg(id_enc order by n) as id_enc, array_agg(name_hash order by n) as name_hash,
               array_agg(name_enc order by n) as name_enc from dl_src) s;

insert into tubes (code, site_code, capacity, bound_count, next_position, status, opened_by, opened_at, sealed_at)
  select code, site_code, capacity, n, n, status, collector, opened_at, sealed_at from dl_t order by code;

insert into bindings (id, tube_code, person_id, position, site_code, bound_by, bound_at, repeat_confirmed, count_after, tube_status_after)
  select binding_id, tube_code, person_id, position, site_code, collector, bound_at, false, position,
         case when position = capacity then 'SEALED' else 'OPEN' end
  from dl_b;

insert into box_trips (id, box_code, site_code, status, lab_code, tube_count, first_sampled_at, opened_by, opened_at, sealed_at,
                       courier, handed_over_at, arrived_at, received_at)
  select id, box_code, site_code, status, case when status in ('IN_TRANSIT', 'ARRIVED', 'RECEIVED') then lab_code end, n, first_sampled,
         collector, first_added - interval '1 minute', case when status <> 'OPEN' then sealed_p end,
         case when status in ('IN_TRANSIT', 'ARRIVED', 'RECEIVED') then courier end,
         case when status in ('IN_TRANSIT', 'ARRIVED', 'RECEIVED') then handed_p end,
         case when status in ('ARRIVED', 'RECEIVED') then arrived_p end,
         case when status = 'RECEIVED' then received_p end
  from dl_box order by id;

insert into box_tubes (tube_code, trip_id, added_at, added_by)
  select bt.code, b.id, bt.added_at, b.collector from dl_bt bt join dl_box b using (site_i, box_no) order by bt.code;

insert into lab_receipts (trip_id, box_code, lab_code, opened_by, opened_at, closed_by, closed_at)
  select id, box_code, lab_code, tech, received_p, tech, receipt_done from dl_box where status = 'RECEIVED' order by id;

insert into receipt_scans (trip_id, tube_code, status, scanned_by, scanned_at)
  select trip_id, code, 'RECEIVED', received_by, received_at from dl_lt order by trip_id, code;

insert into runs (id, lab_code, plate_code, status, created_by, created_at, results_by, results_at, approved_by, approved_at, auto_reviewed)
  select id, lab_code, plate_code, status, tech, start_at,
         case when status <> 'LOADED' then tech end, case when status <> 'LOADED' then results_p end,
         case when status = 'RELEASED' then case when approved_p > results_p then reviewer else 'auto-review' end end,
         case when status = 'RELEASED' then approved_p end, status = 'RELEASED' and approved_p = results_p
  from dl_run where status is not null order by id;

insert into lab_tubes (tube_code, lab_code, trip_id, received_at, received_by, state, run_id, result)
  select lt.code, lt.lab_code, lt.trip_id, lt.received_at, lt.received_by,
         case r.status when 'LOADED' then 'ON_PLATE' when 'RESULTS_ENTERED' then 'TESTED' when 'RELEASED' then 'RELEASED' else 'WAITING' end,
         case when r.status is not null then r.id end,
         case when r.status in ('RESULTS_ENTERED', 'RELEASED') then case when lt.positive then 'POSITIVE' else 'NEGATIVE' end end
  from dl_lt lt join dl_run r using (lab_i, run_no) order by lt.code;

-- Results of the released tubes, as the results module writes them on RunReleased.
create temp table dl_rel as
  select lt.code, lt.positive, lt.capacity, r.id as run_id, r.lab_code, r.approved_p as released_at
  from dl_lt lt join dl_run r using (lab_i, run_no) where r.status = 'RELEASED';
analyze dl_rel;

insert into person_results (binding_id, person_id, tube_code, run_id, lab_code, site_code, sampled_at, pooled, status, reported_at)
  select b.binding_id, b.person_id, b.tube_code, r.run_id, r.lab_code, b.site_code, b.bound_at, r.capacity > 1,
         case when not r.positive then 'NEGATIVE' when r.capacity > 1 then 'RECALLED' else 'POSITIVE' end, r.released_at
  from dl_b b join dl_rel r on r.code = b.tube_code;

insert into recalls (binding_id, person_id, site_code, tube_code, reason, since)
  select b.binding_id, b.person_id, b.site_code, b.tube_code, 'POOL_POSITIVE', r.released_at + interval '2 seconds'
  from dl_b b join dl_rel r on r.code = b.tube_code where r.positive and r.capacity > 1;

insert into alerts (kind, subject, detail, raised_at)
  select 'CRITICAL_RESULT', r.code, 'Single-tube positive released by lab ' || r.lab_code || ' for a person sampled at site '
         || t.site_code || '; contact tracing needed', r.released_at + interval '2 seconds'
  from dl_rel r join dl_t t on t.code = r.code where r.positive and r.capacity = 1
  on conflict (kind, subject) do nothing;

set session_replication_role = origin;

-- ---------------------------------------------------------------------------------------------------------------
-- Counters, derived from the rows just written (only the run's sites and labs), added to whatever is there.
select exists (select 1 from site_sampling where site_code in (select code from dl_site))
       or exists (select 1 from stage_counts where lab_code in (select code from dl_lab)) as counters_exist \gset
\if :counters_exist
  \echo 'NOTICE: the run''s sites or labs already have counter rows (counted by triggers?): counters NOT derived'
\else
insert into site_sampling (site_code, bucket, sampled, sealed)
  select site_code, bucket, sum(sampled), sum(sealed)
  from (select b.site_code, date_bin('10 minutes', b.bound_at, timestamptz '2000-01-01 00:00+00') as bucket, count(*) as sampled, 0 as sealed
        from bindings b where b.site_code in (select code from dl_site) and b.unbound_at is null group by 1, 2
        union all
        select t.site_code, date_bin('10 minutes', t.sealed_at, timestamptz '2000-01-01 00:00+00'), 0, count(*)
        from tubes t where t.site_code in (select code from dl_site) and t.sealed_at is not null group by 1, 2) x
  group by site_code, bucket
  on conflict (site_code, bucket) do update set sampled = site_sampling.sampled + excluded.sampled,
                                                sealed = site_sampling.sealed + excluded.sealed;

create temp table dl_tt as
  select lt.tube_code, lt.lab_code, lt.state, lt.received_at, lt.received_by, t.site_code, t.opened_at, r.results_at, r.approved_at
  from lab_tubes lt join tubes t on t.code = lt.tube_code left join runs r on r.id = lt.run_id
  where lt.lab_code in (select code from dl_lab);

insert into stage_counts (metric, hour, site_code, lab_code, shard, n)
  select 'RECEIVED', date_trunc('hour', received_at), site_code, lab_code, received_by, count(*) from dl_tt group by 2, 3, 4, 5
  union all
  select 'TESTED', date_trunc('hour', results_at), site_code, lab_code, '', count(*) from dl_tt
  where state in ('TESTED', 'RELEASED') group by 2, 3, 4
  union all
  select 'RELEASED', date_trunc('hour', approved_at), site_code, lab_code, '', count(*) from dl_tt where state = 'RELEASED' group by 2, 3, 4
  union all
  select m.metric, date_trunc('hour', pr.reported_at), pr.site_code, pr.lab_code, '', count(*)
  from person_results pr join (values ('REPORTED'), ('POSITIVE'), ('RECALLED')) m (metric)
       on m.metric = 'REPORTED' or (m.metric = 'POSITIVE' and pr.status = 'POSITIVE')
          or (m.metric = 'RECALLED' and pr.status in ('RECALLED', 'RETEST'))
  where pr.lab_code in (select code from dl_lab) group by 1, 2, 3, 4
  on conflict (metric, hour, site_code, lab_code, shard) do update set n = stage_counts.n + excluded.n;

insert into turnaround_counts (leg, day, minutes, n)
  select leg, day, minutes, count(*)
  from (select 'COLLECTION_RECEIPT' as leg, (received_at at time zone 'Asia/Shanghai')::date as day,
               floor(extract(epoch from received_at - opened_at) / 60)::int as minutes from dl_tt
        union all
        select 'RECEIPT_RELEASE', (approved_at at time zone 'Asia/Shanghai')::date,
               floor(extract(epoch from approved_at - received_at) / 60)::int from dl_tt where state = 'RELEASED'
        union all
        select 'COLLECTION_RELEASE', (approved_at at time zone 'Asia/Shanghai')::date,
               floor(extract(epoch from approved_at - opened_at) / 60)::int from dl_tt where state = 'RELEASED') x
  group by leg, day, minutes
  on conflict (leg, day, minutes) do update set n = turnaround_counts.n + excluded.n;
\endif

analyze persons;
analyze tubes;
analyze bindings;
analyze box_trips;
analyze box_tubes;
analyze lab_receipts;
analyze receipt_scans;
analyze lab_tubes;
analyze runs;
analyze person_results;
analyze recalls;
analyze alerts;
analyze site_sampling;
analyze stage_counts;
analyze turnaround_counts;

-- ---------------------------------------------------------------------------------------------------------------
-- What was loaded
\timing off
select count(*) filter (where status = 'SEALED') as tubes_sealed, count(*) filter (where status = 'OPEN') as tubes_open,
       count(*) filter (where capacity = 1) as single_tubes, sum(bound_count) as bindings
from tubes where site_code in (select code from dl_site);
select status, count(*) as boxes, sum(tube_count) as tubes,
       count(*) filter (where status <> 'RECEIVED' and first_sampled_at < :'as_of'::timestamptz - interval '3 hours') as overdue
from box_trips where site_code in (select code from dl_site) group by status order by status;
select lt.lab_code, l.daily_capacity, count(*) as received, count(*) filter (where state = 'WAITING') as waiting,
       count(*) filter (where state = 'ON_PLATE') as on_plate, count(*) filter (where state = 'TESTED') as tested,
       count(*) filter (where state = 'RELEASED') as released,
       round(extract(epoch from :'as_of'::timestamptz - min(received_at) filter (where state in ('WAITING', 'ON_PLATE', 'TESTED'))) / 60)
         as oldest_pending_min
from lab_tubes lt join labs l on l.code = lt.lab_code where lt.lab_code in (select code from dl_lab) group by lt.lab_code, l.daily_capacity
order by lt.lab_code;
select status, count(*) as person_results from person_results where lab_code in (select code from dl_lab) group by status order by status;
\if :checks
-- Consistency of the counters with the rows (every "ok" must be true)
select (select coalesce(sum(sampled), 0) from site_sampling where site_code in (select code from dl_site))
         = (select count(*) from bindings where site_code in (select code from dl_site) and unbound_at is null) as sampled_ok,
       (select coalesce(sum(sealed), 0) from site_sampling where site_code in (select code from dl_site))
         = (select count(*) from tubes where site_code in (select code from dl_site) and status = 'SEALED') as sealed_ok,
       (select coalesce(sum(n), 0) from stage_counts where metric = 'RECEIVED' and lab_code in (select code from dl_lab))
         = (select count(*) from lab_tubes where lab_code in (select code from dl_lab)) as received_ok,
       (select coalesce(sum(n), 0) from stage_counts where metric = 'TESTED' and lab_code in (select code from dl_lab))
         = (select count(*) from lab_tubes where lab_code in (select code from dl_lab) and state in ('TESTED', 'RELEASED')) as tested_ok,
       (select coalesce(sum(n), 0) from stage_counts where metric = 'RELEASED' and lab_code in (select code from dl_lab))
         = (select count(*) from lab_tubes where lab_code in (select code from dl_lab) and state = 'RELEASED') as released_ok,
       (select coalesce(sum(n), 0) from stage_counts where metric = 'REPORTED' and lab_code in (select code from dl_lab))
         = (select count(*) from person_results where lab_code in (select code from dl_lab)) as reported_ok,
       (select count(*) from person_results where lab_code in (select code from dl_lab))
         = (select sum(b.n) from lab_tubes lt join (select tube_code, count(*) as n from bindings group by 1) b using (tube_code)
            where lt.lab_code in (select code from dl_lab) and lt.state = 'RELEASED') as results_ok;
-- turnaround_counts of the day (all runs: its key has no site or lab)
select leg, sum(n) as tubes, min(minutes), max(minutes) from turnaround_counts where day = :'day'::date group by leg order by leg;
-- Consistency of the rows (every "ok" must be true)
select (select count(*) from persons where created_by = 'dash-load' and district_code like 'dl-' || :'run' || '-d%') = :persons as persons_ok,
       not exists (select 1 from tubes t join (select tube_code, count(*) as n, min(bound_at) as f, max(bound_at) as l, max(count_after) as c
                                                 from bindings group by 1) b on b.tube_code = t.code
                   where t.site_code in (select code from dl_site)
                     and (b.n <> t.bound_count or b.c <> t.bound_count or b.f < t.opened_at or (t.status = 'SEALED') <> (t.bound_count = t.capacity)
                          or (t.status = 'SEALED' and t.sealed_at <> b.l) or (t.status = 'OPEN' and t.sealed_at is not null)
                          or b.l > :'as_of'::timestamptz)) as tubes_ok,
       not exists (select 1 from box_trips bt left join (select trip_id, count(*) as n, max(added_at) as l from box_tubes group by 1) x on x.trip_id = bt.id
                   where bt.site_code in (select code from dl_site)
                     and (x.n is distinct from bt.tube_count or bt.opened_at > x.l
                          or (bt.status = 'OPEN') <> (bt.sealed_at is null) or bt.sealed_at < x.l
                          or (bt.status in ('OPEN', 'SEALED')) <> (bt.handed_over_at is null) or bt.handed_over_at < bt.sealed_at
                          or (bt.status in ('OPEN', 'SEALED', 'IN_TRANSIT')) <> (bt.arrived_at is null) or bt.arrived_at < bt.handed_over_at
                          or (bt.status = 'RECEIVED') <> (bt.received_at is not null) or bt.received_at < bt.arrived_at
                          or greatest(bt.sealed_at, bt.handed_over_at, bt.arrived_at, bt.received_at) > :'as_of'::timestamptz)) as boxes_ok,
       not exists (select 1 from lab_tubes lt join box_trips bt on bt.id = lt.trip_id join tubes t on t.code = lt.tube_code
                   join box_tubes x on x.tube_code = lt.tube_code and x.trip_id = lt.trip_id
                   left join runs r on r.id = lt.run_id
                   where lt.lab_code in (select code from dl_lab)
                     and (bt.status <> 'RECEIVED' or bt.lab_code <> lt.lab_code or lt.received_at < bt.received_at or lt.received_at < x.added_at
                          or x.added_at < t.sealed_at or r.created_at < lt.received_at or r.results_at < r.created_at or r.approved_at < r.results_at
                          or (lt.state = 'WAITING') <> (r.id is null)
                          or (lt.state = 'ON_PLATE') <> (r.status is not distinct from 'LOADED')
                          or (lt.state = 'TESTED') <> (r.status is not distinct from 'RESULTS_ENTERED')
                          or (lt.state = 'RELEASED') <> (r.status is not distinct from 'RELEASED')
                          or (lt.result is null) <> (lt.state in ('WAITING', 'ON_PLATE'))
                          or greatest(r.approved_at, r.results_at, r.created_at) > :'as_of'::timestamptz)) as lab_ok,
       (select coalesce(max(n), 0) from (select run_id, count(*) as n from lab_tubes where lab_code in (select code from dl_lab) and run_id is not null
                                          group by 1) x) <= 94
         as plates_ok,
       (select count(*) from recalls where site_code in (select code from dl_site))
         = (select count(*) from person_results where lab_code in (select code from dl_lab) and status = 'RECALLED') as recalls_ok,
       (select count(*) from alerts where kind = 'CRITICAL_RESULT' and detail like '%lab dl-' || :'run' || '-lab%')
         = (select count(*) from person_results where lab_code in (select code from dl_lab) and status = 'POSITIVE') as alerts_ok;
-- Foreign keys of the loaded rows (checked here, set-based, since the load skipped the per-row RI triggers)
select not exists (select 1 from persons p where p.created_by = 'dash-load' and p.district_code like 'dl-' || :'run' || '-d%'
                     and not exists (select 1 from districts d where d.code = p.district_code))
   and not exists (select 1 from bindings b where b.site_code in (select code from dl_site)
                     and (not exists (select 1 from tubes t where t.code = b.tube_code)
                          or not exists (select 1 from persons p where p.id = b.person_id)))
   and not exists (select 1 from box_trips bt where bt.site_code in (select code from dl_site)
                     and bt.lab_code is not null and not exists (select 1 from labs l where l.code = bt.lab_code))
   and not exists (select 1 from box_tubes x join box_trips bt on bt.id = x.trip_id where bt.site_code in (select code from dl_site)
                     and not exists (select 1 from tubes t where t.code = x.tube_code))
   and not exists (select 1 from box_tubes x where x.tube_code like 'DL' || upper(:'run') || '-%'
                     and not exists (select 1 from box_trips bt where bt.id = x.trip_id))
   and not exists (select 1 from lab_receipts r where r.lab_code in (select code from dl_lab)
                     and not exists (select 1 from box_trips bt where bt.id = r.trip_id))
   and not exists (select 1 from receipt_scans s where s.tube_code like 'DL' || upper(:'run') || '-%'
                     and not exists (select 1 from lab_receipts r where r.trip_id = s.trip_id))
   and not exists (select 1 from lab_tubes lt where lt.lab_code in (select code from dl_lab)
                     and not exists (select 1 from tubes t where t.code = lt.tube_code))
   and not exists (select 1 from person_results pr where pr.lab_code in (select code from dl_lab)
                     and (not exists (select 1 from bindings b where b.id = pr.binding_id)
                          or not exists (select 1 from persons p where p.id = pr.person_id)))
   and not exists (select 1 from recalls rc where rc.site_code in (select code from dl_site)
                     and (not exists (select 1 from bindings b where b.id = rc.binding_id)
                          or not exists (select 1 from persons p where p.id = rc.person_id))) as fk_ok;
\endif
