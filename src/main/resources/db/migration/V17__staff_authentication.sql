-- Staff authentication to ASVS L2 (ADR 0016).
-- token_generation: a staff token carries the generation it was issued in; disabling the
--   account or changing or resetting its password moves the generation on, which revokes
--   every token issued before.
-- totp_secret_enc: the ADMIN second factor's secret, encrypted like personal data;
--   totp_last_step: the last 30-second step whose code was accepted, so a code works once.
alter table staff_users
  add column token_generation integer not null default 0,
  add column totp_secret_enc  bytea,
  add column totp_last_step   bigint;

-- Single tokens logged out before they expire (staff and residents), kept until they would
-- have expired anyway.
create table revoked_tokens (
  jti        uuid        primary key,
  expires_at timestamptz not null
);
create index revoked_tokens_expires_at on revoked_tokens (expires_at);
