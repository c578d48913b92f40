-- Issue 16 (P4, ADR 0025): results from outside labs, received from partners as FHIR bundles.
-- Owned by results: an external result counts for the person's results, health code and venue
-- admission like a local one, so the one module that answers "what are this person's results"
-- keeps them. Idempotent on the sender's own identifier of the result (a bundle sent twice is
-- stored once); the partner that sent it and the performing lab are kept as its source.
create table external_results (
  id             uuid primary key,
  person_id      uuid not null references persons (id),
  partner        text not null,
  source_system  text not null,
  source_value   text not null,
  lab_code       text not null,
  lab_name       text,
  site_code      text,
  sampled_at     timestamptz not null,
  reported_at    timestamptz not null,
  status         text not null check (status in ('NEGATIVE','POSITIVE')),
  received_at    timestamptz not null,
  unique (source_system, source_value)
);
create index external_results_person_idx on external_results (person_id, sampled_at desc);
create index external_results_partner_idx on external_results (partner, person_id);
