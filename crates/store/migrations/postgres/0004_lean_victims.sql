-- mosy store, schema version 4 (PostgreSQL): lean victim rows.
-- Keep in step with ../sqlite/0004_lean_victims.sql: same tables, same columns, same order.
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
-- PostgreSQL keeps its foreign keys and the indexes by submission and by registration date:
-- `COPY` checks them cheaply enough. `victim_span`, where SQLite records the rowid range of each
-- submission's victim rows (it has no index by submission), stays empty here.

CREATE TABLE victim_registration_v4 (
    submission_id TEXT NOT NULL REFERENCES submission (id),
    record_ref TEXT NOT NULL,
    provider_id TEXT NOT NULL REFERENCES data_provider (id),
    registration_date DATE NOT NULL,
    status TEXT NOT NULL,
    sex TEXT NOT NULL,
    main_exploitation TEXT NOT NULL,
    linked_record_refs TEXT,
    linkage_keys BYTEA,
    packed TEXT NOT NULL
);

INSERT INTO victim_registration_v4 (submission_id, record_ref, provider_id, registration_date, status, sex,
    main_exploitation, linked_record_refs, linkage_keys, packed)
SELECT submission_id, record_ref, provider_id, registration_date, status, sex, main_exploitation,
    NULLIF(linked_record_refs, ''), decode(NULLIF(replace(linkage_keys, '|', ''), ''), 'hex'),
    COALESCE(to_char(status_date, 'YYYY-MM-DD'), '') || chr(31)
        || COALESCE(identifying_authority_type, '') || chr(31)
        || COALESCE(gender, '') || chr(31)
        || COALESCE(CAST(age_at_registration AS TEXT), '') || chr(31)
        || COALESCE(age_group, '') || chr(31)
        || COALESCE(minor_at_exploitation, '') || chr(31)
        || COALESCE(citizenship, '') || chr(31)
        || COALESCE(country_of_recruitment, '') || chr(31)
        || COALESCE(country_of_exploitation, '') || chr(31)
        || COALESCE(place_of_exploitation_nuts, '') || chr(31)
        || COALESCE(place_of_detection_nuts, '') || chr(31)
        || COALESCE(district, '') || chr(31)
        || COALESCE(country_role, '') || chr(31)
        || COALESCE(forms_of_exploitation, '') || chr(31)
        || COALESCE(exploitation_national_code, '') || chr(31)
        || COALESCE(labour_sector, '') || chr(31)
        || COALESCE(sexual_exploitation_type, '') || chr(31)
        || COALESCE(means_of_control, '') || chr(31)
        || COALESCE(recruitment_method, '') || chr(31)
        || COALESCE(recruiter_relation, '') || chr(31)
        || COALESCE(trafficking_duration, '') || chr(31)
        || COALESCE(assistance_received, '') || chr(31)
        || COALESCE(support_types, '') || chr(31)
        || COALESCE(reflection_period_granted, '') || chr(31)
        || COALESCE(residence_permit_granted, '') || chr(31)
        || COALESCE(case_refs, '') || chr(31)
        || COALESCE(CAST(record_version AS TEXT), '') || chr(31)
        || COALESCE(to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), '') || chr(31)
        || COALESCE(linkage_key_id, '')
FROM victim_registration;

DROP TABLE victim_registration;
ALTER TABLE victim_registration_v4 RENAME TO victim_registration;
ALTER TABLE victim_registration ADD PRIMARY KEY (provider_id, record_ref);
CREATE INDEX victim_registration_submission_idx ON victim_registration (submission_id);
CREATE INDEX victim_registration_date_idx ON victim_registration (registration_date);

CREATE TABLE victim_span (
    submission_id TEXT NOT NULL PRIMARY KEY,
    first_rowid BIGINT NOT NULL,
    last_rowid BIGINT NOT NULL,
    row_count BIGINT NOT NULL
);

DROP INDEX victim_person_person_idx;
ALTER TABLE victim_person DROP CONSTRAINT victim_person_pkey;
