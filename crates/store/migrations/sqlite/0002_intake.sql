-- mosy store, schema version 2 (SQLite): intake of revised submissions and person de-duplication.
-- Keep in step with ../postgres/0002_intake.sql: same tables, same columns, same order.
--
-- - Victim registrations gain the provider's linkage key id and its `|`-joined linkage keys
--   (32 lowercase hex digits each), at the end of the table as in `ModelRecord::COLUMNS`.
-- - A submission is one revision of (provider_id, period). At most one revision is live (any
--   status but 'superseded'); a superseded revision keeps its row, hashes and event log as
--   history, points at its successor, and its records are deleted.
-- - `submission_event` is the append-only log of status changes (seq 1, 2, … per submission).
-- - `person` and `victim_person` hold the latest de-duplication of victim registrations into
--   persons; the program replaces them as a whole after each import.

ALTER TABLE victim_registration ADD COLUMN linkage_key_id TEXT;
ALTER TABLE victim_registration ADD COLUMN linkage_keys TEXT;

ALTER TABLE submission ADD COLUMN revision INTEGER NOT NULL DEFAULT 1 CHECK (revision >= 1);
ALTER TABLE submission ADD COLUMN superseded_by TEXT REFERENCES submission (id);
ALTER TABLE submission ADD COLUMN file_sha256 TEXT;
CREATE UNIQUE INDEX submission_live_idx ON submission (provider_id, period) WHERE status <> 'superseded';

CREATE TABLE submission_event (
    submission_id TEXT NOT NULL REFERENCES submission (id),
    seq INTEGER NOT NULL,
    at TEXT NOT NULL,
    status TEXT NOT NULL,
    note TEXT,
    PRIMARY KEY (submission_id, seq)
) STRICT;
-- Submissions stored before this version get their status as their first event.
INSERT INTO submission_event (submission_id, seq, at, status, note)
    SELECT id, 1, submitted_at, status, NULL FROM submission;

CREATE TABLE person (
    person_id INTEGER NOT NULL PRIMARY KEY,
    status TEXT NOT NULL,
    first_registration_date TEXT NOT NULL,
    registrations INTEGER NOT NULL,
    providers INTEGER NOT NULL
) STRICT;

-- Derived data, written only by `Store::replace_persons`, which checks that every member names a
-- person: no foreign keys (checking one per row triples PostgreSQL's time to load a million
-- members). The rows of a replaced revision's victims are deleted explicitly, in the same
-- transaction as the victims themselves.
CREATE TABLE victim_person (
    provider_id TEXT NOT NULL,
    record_ref TEXT NOT NULL,
    person_id INTEGER NOT NULL,
    PRIMARY KEY (provider_id, record_ref)
) STRICT, WITHOUT ROWID;
CREATE INDEX victim_person_person_idx ON victim_person (person_id);
