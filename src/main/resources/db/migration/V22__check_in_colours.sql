-- The colour a person showed and whether the venue admitted them, kept with each check-in so a
-- venue manager sees the day's colour mix (V1) without recomputing codes. Null for check-ins
-- stored before this column existed.
alter table check_ins add column color text check (color in ('GREEN','YELLOW','RED'));
alter table check_ins add column admitted boolean;
