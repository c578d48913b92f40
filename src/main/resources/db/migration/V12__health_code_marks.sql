-- From now on, every event that a colour rule reads leaves a health_codes row for each person it
-- concerns (a stale placeholder where none existed), and a person without a row is green without
-- any further lookup. Persons with such facts from before this version but no stored code yet get
-- their stale placeholder here, so their next read computes the code from the facts.
insert into health_codes (person_id, color, reasons, computed_at, valid_until)
select person_id, 'GREEN', '[]', now(), now()
from (select person_id from person_results
      union select person_id from recalls
      union select person_id from case_contacts
      union select person_id from health_cases
      union select person_id from health_overrides) facts
on conflict (person_id) do nothing;
