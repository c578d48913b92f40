-- The development outbox keeps message bodies (login codes among them) encrypted, and only
-- while it is the active gateway: a start with another gateway empties it. Bodies stored in
-- clear before this version are dropped with the column.
delete from sms_outbox;
alter table sms_outbox drop column body;
alter table sms_outbox add column body_enc bytea not null;

-- Messages handed to the SMS provider's HTTP API, by the message id the provider also sees
-- (its idempotency key, so a retried request is not sent twice), and their delivery as the
-- provider's signed receipts report it. The phone is a keyed hash (null for a receipt of a
-- message whose sending rolled back); the text is not kept.
create table sms_messages (
  message_id uuid        primary key,
  phone_hash bytea,
  status     text        not null,
  attempts   integer     not null,
  created_at timestamptz not null,
  status_at  timestamptz not null,
  detail     text
);
create index sms_messages_created_idx on sms_messages (created_at);
