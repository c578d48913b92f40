-- Health codes a venue gate checked while its network was down (H3), sent when it came back.
-- The gate verified each token's signature itself against the keys it had kept; the server checks
-- the same token again at the time of the scan (genuine) and keeps only what it can confirm: the
-- person and the colour signed into a genuine token, never the token text or a name.
create table offline_scans (
  scan_id       uuid primary key,          -- made by the gate: a re-sent batch is stored once
  scanned_at    timestamptz not null,      -- the gate's clock
  received_at   timestamptz not null,
  synced_by     text not null,             -- the staff user whose session sent it
  verdict       text not null check (verdict in ('ADMITTED', 'REFUSED')),
  reason        text,                      -- why the gate refused (EXPIRED, BAD_SIGNATURE, …)
  genuine       boolean not null,          -- the server's own check: signed by our key, unexpired then
  person_id     uuid,                      -- from a genuine token only
  signed_color  text,
  issued_at     timestamptz,
  expires_at    timestamptz
);

create index offline_scans_person on offline_scans (person_id, scanned_at) where person_id is not null;
create index offline_scans_received on offline_scans (received_at);
