-- Health codes read a person's exposures from case_contacts (through the venue module's
-- facade) instead of keeping a copy delivered by a ContactsFound event that listed every
-- contact: a case at busy venues can have hundreds of thousands of them.
drop table health_contacts;
