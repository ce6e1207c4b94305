-- mosy store, schema version 4 (SQLite): lean victim rows.
-- Keep in step with ../postgres/0004_lean_victims.sql: same tables, same columns, same order.
--
-- Victim registrations are the bulk of the hub (a million rows per large import), so their rows are
-- kept lean: the columns that queries, revisions and de-duplication read stay columns of their
-- own (submission, reference, provider, registration date, status, sex, main form, explicit links,
-- linkage keys), and the other 29 canonical values are packed, in `ModelRecord::COLUMNS` order,
-- into one `packed` text column joined by the unit separator U+001F (no canonical value can hold a
-- control character: codes, dates, numbers and identifiers only). Linkage keys are stored as their
-- raw bytes (16 per key, in the set's order) instead of `|`-joined hex. The store reassembles the
-- canonical record on reading (src/records.rs, `Storable::OWN_COLUMNS`).
--
-- Existing rows are carried over.
--
-- `victim_person`, rewritten as a whole at every re-clustering (a million rows for a million
-- registrations), loses its primary key and its index by person: appending to a plain table is
-- several times faster than inserting into two B-trees, nothing looks memberships up one by one,
-- and the store checks that no registration is listed twice (src/persons.rs).
--
-- SQLite only: no foreign keys and no secondary index on the victim table. The store checks the
-- provider and the submission of every record before writing it, and each index or foreign-key
-- check costs a B-tree search or insert per row (measured on a million rows: the two indexes and
-- two foreign keys about doubled the insert time). Counts by date scan the table. Instead of an
-- index by submission, `victim_span` records where each submission's rows lie in rowid order (rows
-- are inserted in file order, so a submission's rows are mostly together), and how many there
-- are: superseding a revision deletes within that range, and falls back to a scan if the count
-- shows that rows lie outside it (a VACUUM may renumber rowids).

CREATE TABLE victim_registration_v4 (
    submission_id TEXT NOT NULL,
    record_ref TEXT NOT NULL,
    provider_id TEXT NOT NULL,
    registration_date TEXT NOT NULL,
    status TEXT NOT NULL,
    sex TEXT NOT NULL,
    main_exploitation TEXT NOT NULL,
    linked_record_refs TEXT,
    linkage_keys BLOB,
    packed TEXT NOT NULL,
    PRIMARY KEY (provider_id, record_ref)
) STRICT;

INSERT INTO victim_registration_v4 (submission_id, record_ref, provider_id, registration_date, status, sex,
    main_exploitation, linked_record_refs, linkage_keys, packed)
SELECT submission_id, record_ref, provider_id, registration_date, status, sex, main_exploitation,
    NULLIF(linked_record_refs, ''), unhex(NULLIF(replace(linkage_keys, '|', ''), '')),
    COALESCE(status_date, '') || char(31)
        || COALESCE(identifying_authority_type, '') || char(31)
        || COALESCE(gender, '') || char(31)
        || COALESCE(CAST(age_at_registration AS TEXT), '') || char(31)
        || COALESCE(age_group, '') || char(31)
        || COALESCE(minor_at_exploitation, '') || char(31)
        || COALESCE(citizenship, '') || char(31)
        || COALESCE(country_of_recruitment, '') || char(31)
        || COALESCE(country_of_exploitation, '') || char(31)
        || COALESCE(place_of_exploitation_nuts, '') || char(31)
        || COALESCE(place_of_detection_nuts, '') || char(31)
        || COALESCE(district, '') || char(31)
        || COALESCE(country_role, '') || char(31)
        || COALESCE(forms_of_exploitation, '') || char(31)
        || COALESCE(exploitation_national_code, '') || char(31)
        || COALESCE(labour_sector, '') || char(31)
        || COALESCE(sexual_exploitation_type, '') || char(31)
        || COALESCE(means_of_control, '') || char(31)
        || COALESCE(recruitment_method, '') || char(31)
        || COALESCE(recruiter_relation, '') || char(31)
        || COALESCE(trafficking_duration, '') || char(31)
        || COALESCE(assistance_received, '') || char(31)
        || COALESCE(support_types, '') || char(31)
        || COALESCE(reflection_period_granted, '') || char(31)
        || COALESCE(residence_permit_granted, '') || char(31)
        || COALESCE(case_refs, '') || char(31)
        || COALESCE(CAST(record_version AS TEXT), '') || char(31)
        || COALESCE(updated_at, '') || char(31)
        || COALESCE(linkage_key_id, '')
FROM victim_registration;

DROP TABLE victim_registration;
ALTER TABLE victim_registration_v4 RENAME TO victim_registration;

CREATE TABLE victim_span (
    submission_id TEXT NOT NULL PRIMARY KEY,
    first_rowid INTEGER NOT NULL,
    last_rowid INTEGER NOT NULL,
    row_count INTEGER NOT NULL
) STRICT;
INSERT INTO victim_span (submission_id, first_rowid, last_rowid, row_count)
    SELECT submission_id, MIN(rowid), MAX(rowid), COUNT(*) FROM victim_registration GROUP BY submission_id;

CREATE TABLE victim_person_v4 (
    provider_id TEXT NOT NULL,
    record_ref TEXT NOT NULL,
    person_id INTEGER NOT NULL
) STRICT;
INSERT INTO victim_person_v4 (provider_id, record_ref, person_id)
    SELECT provider_id, record_ref, person_id FROM victim_person;
DROP TABLE victim_person;
ALTER TABLE victim_person_v4 RENAME TO victim_person;
