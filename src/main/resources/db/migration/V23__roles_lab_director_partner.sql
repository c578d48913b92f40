-- Two staff roles: LAB_DIRECTOR runs one lab (quality control, reagents, instruments, rooms,
-- turnaround; L6–L9) and is bound to it like the bench roles; PARTNER is a system outside the
-- city (a neighbouring city, a hospital lab) that exchanges results in FHIR (P4), bound to nothing.
-- The checks are named so that the next migration that adds a role can drop and re-add them.
alter table staff_users drop constraint if exists staff_users_role_check;
alter table staff_users drop constraint if exists staff_users_check1;
alter table staff_users add constraint staff_users_role_check
  check (role in ('ADMIN','OFFICIAL','COLLECTOR','COURIER','LAB_TECH','LAB_REVIEWER','VENUE_MANAGER','LAB_DIRECTOR','PARTNER'));
alter table staff_users add constraint staff_users_lab_scope_check
  check (role not in ('LAB_TECH','LAB_REVIEWER','LAB_DIRECTOR') or lab_code is not null);
