-- results: whether an amendment corrects an error in the released value (the province receives a
-- `corrected` DiagnosticReport) or revises the result on later work (`amended`); ADR 0024.
alter table result_amendments add column kind text not null default 'REVISION' check (kind in ('CORRECTION','REVISION'));
-- recalls: a recall closed by an amendment that no longer recalls the person (outcome AMENDED_<status>)
-- is told apart from one closed by a retest; outcome has no check, nothing to widen.

-- province: which sender (copy and worker) got the acknowledgement; copies on one database share
-- the outbox, and the disclosure record names who sent each bundle.
alter table province_outbox add column delivered_by text;
