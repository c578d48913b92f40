-- Bulk load for code-bench, straight into Epiloop's (embedded) PostgreSQL, after
-- code-bench-setup.py created the real accounts, persons, staff and one venue over HTTP.
--
--   psql -h localhost -p <pg port> -U postgres -d postgres -v ON_ERROR_STOP=1 \
--     -v district=cb-xxxxxx -v case_person=<uuid> -v persons=1000000 -v checkins=5000000 \
--     -v venues=2000 -v case_checkins=1000 -f simulator/scripts/code-bench-load.sql
--
-- Bulk persons copy the ciphertexts (id_enc, name_enc, name_hash) of the real persons of the
-- district (they decrypt: PiiCrypto uses no associated data) with a random 32-byte id_hash, and are
-- put on the real accounts round-robin. Check-ins are spread over the last 4 days.
\timing on
set synchronous_commit = off;

create temp table cb_src as
  select row_number() over (order by ap.added_at, p.id) - 1 as n, ap.account_id, p.id_enc, p.name_hash, p.name_enc, p.district_code
  from persons p join account_persons ap on ap.person_id = p.id
  where p.district_code = :'district' and p.created_by <> 'bench' and p.id <> :'case_person'::uuid;
select count(*) as real_persons from cb_src;

create temp table cb_bulk as
  select gen_random_uuid() as id, (g % (select count(*) from cb_src)) as n from generate_series(1, :persons) g;

insert into persons (id, id_type, id_hash, id_enc, name_hash, name_enc, district_code, created_at, created_by)
  select b.id, 'CN_ID', decode(md5(random()::text) || md5(random()::text), 'hex'), s.id_enc, s.name_hash, s.name_enc,
         s.district_code, now(), 'bench'
  from cb_bulk b join cb_src s using (n);

insert into account_persons (account_id, person_id, added_at)
  select s.account_id, b.id, now() from cb_bulk b join cb_src s using (n);

-- venues shaped like the real one
insert into venues (code, name, district_code, kind, latitude, longitude, negative_test_within_hours, managed_by, created_at)
  select 'CB' || lpad(g::text, 7, '0'), v.name || ' #' || g, v.district_code, v.kind, v.latitude, v.longitude, null,
         v.managed_by, now()
  from generate_series(1, :venues) g,
       (select * from venues where district_code = :'district' and code not like 'CB%' limit 1) v;

create temp table cb_persons as select row_number() over () - 1 as i, id from cb_bulk;
create unique index on cb_persons (i);
analyze cb_persons;

insert into check_ins (id, person_id, venue_code, at)
  select gen_random_uuid(), p.id, 'CB' || lpad((1 + (random() * (:venues - 1))::int)::text, 7, '0'),
         now() - random() * interval '4 days'
  from (select g, (random() * (:persons - 1))::bigint as i from generate_series(1, :checkins) g) r
  join cb_persons p on p.i = r.i;

-- the case person: :case_checkins check-ins spread evenly over 4 days at many venues
insert into check_ins (id, person_id, venue_code, at)
  select gen_random_uuid(), :'case_person'::uuid, 'CB' || lpad((1 + (g * 7919) % :venues)::text, 7, '0'),
         now() - interval '4 days' + (g - 0.5) * (interval '4 days' / :case_checkins)
  from generate_series(1, :case_checkins) g;

analyze persons;
analyze account_persons;
analyze venues;
analyze check_ins;
select (select count(*) from persons) as persons, (select count(*) from account_persons) as account_persons,
       (select count(*) from venues) as venues, (select count(*) from check_ins) as check_ins,
       (select count(*) from check_ins where person_id = :'case_person'::uuid) as case_check_ins;
