-- ADR 0023: the hot tables keep no foreign key that could not hold once the tables are spread
-- over shards by different keys, where the key adds nothing the statement does not already ensure.
-- Each foreign key is a trigger fired per inserted row (a primary-key probe and a KEY SHARE lock
-- on the referenced row).
--
-- bindings -> tubes: bindings go with the person (person_id), tubes with the site. The binding
-- statement inserts a binding only from the tube row it has just updated under its row lock
-- (Tubes.bind, ADR 0005), so the tube exists by construction.
alter table bindings drop constraint bindings_tube_code_fkey;
-- person_results / recalls -> bindings: written by the results listener from the bindings of a
-- released run or a lost box (PersonResults), in batches of up to thousands of rows; the ids come
-- from those very rows. Under Citus they would need bindings to be unique on (person_id, id): an
-- index more on every binding, for nothing.
alter table person_results drop constraint person_results_binding_id_fkey;
alter table recalls drop constraint recalls_binding_id_fkey;
-- lab_tubes -> tubes: lab_tubes go with the lab. A tube is inserted only when its receipt scan
-- found it packed in the box (status RECEIVED), and box_tubes keeps its key to tubes.
alter table lab_tubes drop constraint lab_tubes_tube_code_fkey;
