-- The officials' workbench (V3, H4, L5): alerts move OPEN → ACKNOWLEDGED → RESOLVED with who,
-- when and a note; on-duty officials are paged once per alert; tracers mark contacts reached;
-- the alert stream is opened with short-lived single-use tickets.

alter table alerts
  add column state            text not null default 'OPEN' check (state in ('OPEN','ACKNOWLEDGED','RESOLVED')),
  add column acknowledged_at  timestamptz,
  add column acknowledged_by  text,
  add column acknowledge_note text,
  add column resolved_by      text,
  add column resolve_note     text,
  -- set in the transaction that sends the on-duty SMS: a redelivered event finds it and sends nothing
  add column duty_paged_at    timestamptz;
update alerts set state = 'RESOLVED' where resolved_at is not null;

-- A tracer reached a contact of a case (by phone or at the door). One row per contact: the
-- first reach counts; the tracing list itself (case_contacts) stays insert-only.
create table contact_reaches (
  case_id     uuid not null,
  person_id   uuid not null,
  reached_at  timestamptz not null,
  reached_by  text not null,
  note        text,
  primary key (case_id, person_id)
);

-- Tickets that open a server-sent event stream (a browser's EventSource cannot send a bearer
-- token). Only a hash of the ticket is kept; redeeming deletes the row, so a ticket works once.
create table stream_tickets (
  ticket_hash  bytea primary key,
  path         text not null,
  username     text not null,
  role         text not null,
  site_code    text,
  lab_code     text,
  expires_at   timestamptz not null
);
create index stream_tickets_expiry_idx on stream_tickets (expires_at);

create index cases_created_idx on cases (created_at desc, id desc);
