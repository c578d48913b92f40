-- Contact finding writes a case's whole tracing list in two statements, and a large case lists
-- hundreds of thousands of persons. Each foreign key on case_contacts is a trigger fired per
-- row: three per contact, which made the close contacts of a case with 1,000 check-ins take
-- 6.5 s instead of 0.3-0.9 s (ADR 0012). The rows are written only by those two statements
-- (Cases.CLOSE_SQL, Cases.SECONDARY_SQL): person and venue come from check_ins, which keeps
-- both foreign keys, and the case is the row inserted just before in the same transaction;
-- persons, venues and cases are never deleted. So the checks are dropped here, not the facts.
alter table case_contacts
  drop constraint case_contacts_case_id_fkey,
  drop constraint case_contacts_person_id_fkey,
  drop constraint case_contacts_venue_code_fkey;
