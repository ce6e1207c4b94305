-- mosy store, schema version 1 (SQLite).
-- Keep in step with ../postgres/0001_init.sql: same tables, same columns, same order.
-- Record tables hold the model's canonical text form (model::text): one column per entry of
-- `ModelRecord::COLUMNS`, after `submission_id`. Dates are `YYYY-MM-DD` text, timestamps RFC 3339
-- UTC text, booleans `true`/`false`, multi-valued fields `|`-joined, absent values NULL.
-- The primary key (provider_id, record_ref) also serves as the index by provider.
-- `schema_version` is created by the migration runner itself (src/migrate.rs).

CREATE TABLE codelist_bundle (
    id TEXT NOT NULL,
    version TEXT NOT NULL,
    synced_at TEXT NOT NULL,
    PRIMARY KEY (id, version)
) STRICT;

CREATE TABLE codelist (
    id TEXT NOT NULL,
    version TEXT NOT NULL,
    title TEXT NOT NULL,
    agency TEXT NOT NULL,
    PRIMARY KEY (id, version)
) STRICT;

CREATE TABLE code (
    list_id TEXT NOT NULL,
    list_version TEXT NOT NULL,
    code TEXT NOT NULL,
    label_en TEXT NOT NULL,
    label_pt TEXT,
    PRIMARY KEY (list_id, list_version, code),
    FOREIGN KEY (list_id, list_version) REFERENCES codelist (id, version)
) STRICT;

CREATE TABLE data_provider (
    id TEXT NOT NULL PRIMARY KEY,
    name TEXT NOT NULL,
    provider_type TEXT NOT NULL,
    country TEXT NOT NULL,
    nuts TEXT,
    can_formally_identify TEXT NOT NULL CHECK (can_formally_identify IN ('true', 'false')),
    submits TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    valid_to TEXT
) STRICT;

CREATE TABLE submission (
    id TEXT NOT NULL PRIMARY KEY,
    provider_id TEXT NOT NULL REFERENCES data_provider (id),
    period TEXT NOT NULL,
    schema_version TEXT NOT NULL,
    codelist_version TEXT NOT NULL,
    submitted_at TEXT NOT NULL,
    action TEXT NOT NULL,
    record_count INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    status TEXT NOT NULL
) STRICT;
CREATE INDEX submission_provider_idx ON submission (provider_id, period);

CREATE TABLE victim_registration (
    submission_id TEXT NOT NULL REFERENCES submission (id),
    record_ref TEXT NOT NULL,
    provider_id TEXT NOT NULL REFERENCES data_provider (id),
    registration_date TEXT NOT NULL,
    status TEXT NOT NULL,
    status_date TEXT NOT NULL,
    identifying_authority_type TEXT,
    linked_record_refs TEXT,
    sex TEXT NOT NULL,
    gender TEXT,
    age_at_registration INTEGER,
    age_group TEXT NOT NULL,
    minor_at_exploitation TEXT,
    citizenship TEXT NOT NULL,
    country_of_recruitment TEXT,
    country_of_exploitation TEXT NOT NULL,
    place_of_exploitation_nuts TEXT,
    place_of_detection_nuts TEXT,
    district TEXT,
    country_role TEXT NOT NULL,
    forms_of_exploitation TEXT NOT NULL,
    main_exploitation TEXT NOT NULL,
    exploitation_national_code TEXT,
    labour_sector TEXT,
    sexual_exploitation_type TEXT,
    means_of_control TEXT,
    recruitment_method TEXT,
    recruiter_relation TEXT,
    trafficking_duration TEXT,
    assistance_received TEXT NOT NULL,
    support_types TEXT,
    reflection_period_granted TEXT NOT NULL,
    residence_permit_granted TEXT NOT NULL,
    case_refs TEXT,
    record_version INTEGER NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (provider_id, record_ref)
) STRICT;
CREATE INDEX victim_registration_submission_idx ON victim_registration (submission_id);
CREATE INDEX victim_registration_date_idx ON victim_registration (registration_date);

CREATE TABLE suspect (
    submission_id TEXT NOT NULL REFERENCES submission (id),
    record_ref TEXT NOT NULL,
    provider_id TEXT NOT NULL REFERENCES data_provider (id),
    case_ref TEXT NOT NULL,
    first_contact_date TEXT NOT NULL,
    person_type TEXT NOT NULL,
    sex TEXT,
    age_group TEXT,
    citizenship TEXT NOT NULL,
    forms_of_exploitation TEXT NOT NULL,
    main_exploitation TEXT NOT NULL,
    organised_crime TEXT NOT NULL,
    role_in_process TEXT,
    offence_code TEXT NOT NULL,
    place_nuts TEXT,
    victim_record_refs TEXT,
    record_version INTEGER NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (provider_id, record_ref)
) STRICT;
CREATE INDEX suspect_submission_idx ON suspect (submission_id);
CREATE INDEX suspect_date_idx ON suspect (first_contact_date);

CREATE TABLE prosecution (
    submission_id TEXT NOT NULL REFERENCES submission (id),
    record_ref TEXT NOT NULL,
    provider_id TEXT NOT NULL REFERENCES data_provider (id),
    case_ref TEXT NOT NULL,
    suspect_record_ref TEXT,
    initiated_date TEXT NOT NULL,
    person_type TEXT NOT NULL,
    sex TEXT,
    age_group TEXT,
    citizenship TEXT NOT NULL,
    forms_of_exploitation TEXT NOT NULL,
    main_exploitation TEXT NOT NULL,
    offence_code TEXT NOT NULL,
    status TEXT NOT NULL,
    finalised_date TEXT,
    outcome TEXT,
    record_version INTEGER NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (provider_id, record_ref)
) STRICT;
CREATE INDEX prosecution_submission_idx ON prosecution (submission_id);
CREATE INDEX prosecution_date_idx ON prosecution (initiated_date);

CREATE TABLE court_decision (
    submission_id TEXT NOT NULL REFERENCES submission (id),
    record_ref TEXT NOT NULL,
    provider_id TEXT NOT NULL REFERENCES data_provider (id),
    case_ref TEXT NOT NULL,
    prosecution_record_ref TEXT,
    decision_date TEXT NOT NULL,
    instance TEXT NOT NULL,
    decision_type TEXT NOT NULL,
    convicted_of_thb TEXT NOT NULL CHECK (convicted_of_thb IN ('true', 'false')),
    person_type TEXT NOT NULL,
    sex TEXT,
    age_group TEXT,
    citizenship TEXT NOT NULL,
    forms_of_exploitation TEXT NOT NULL,
    main_exploitation TEXT NOT NULL,
    sentence_type TEXT,
    sentence_months INTEGER,
    record_version INTEGER NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (provider_id, record_ref)
) STRICT;
CREATE INDEX court_decision_submission_idx ON court_decision (submission_id);
CREATE INDEX court_decision_date_idx ON court_decision (decision_date);
