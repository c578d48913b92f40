-- A binding scan claims its Idempotency-Key in the same statement that inserts the binding and
-- records the reference; a replay rebuilds the first response from the binding row, which
-- keeps the count and tube status that scan produced.
alter table idempotency_keys add column ref uuid;
alter table bindings add column count_after smallint;
alter table bindings add column tube_status_after text check (tube_status_after in ('OPEN','SEALED'));
