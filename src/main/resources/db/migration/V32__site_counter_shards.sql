-- ADR 0029: the per-site sampling counter is spread over a few rows per site and bucket, chosen by
-- the tube, so terminals filling different tubes at one site no longer queue on one row lock that
-- each binding holds until its commit's WAL flush. Readers already sum the rows of a site and bucket.
alter table site_sampling add column shard smallint not null default 0;
alter table site_sampling drop constraint site_sampling_pkey;
alter table site_sampling add primary key (site_code, bucket, shard);

-- Every read of bindings by tube also asks for the current ones (unbound_at is null), which the
-- partial unique index bindings_active_person_in_tube (tube_code, person_id) serves: this index was
-- one more index entry written by every binding for no reader.
drop index bindings_tube_idx;
