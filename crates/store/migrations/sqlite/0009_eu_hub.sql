-- mosy store, schema version 9 (SQLite): the EU level. An EU hub registers national hubs (one per
-- country, with the SHA-256 of the hub token it issued, never the token) and receives their
-- published releases as SDMX-CSV: every received release is kept with its revision number (a new
-- release for the same country and period is the next revision and replaces the previous one in
-- every view), together with its observations (aggregate, protected counts; a withheld cell has
-- no value and keeps its flags). Rows are never updated or deleted.
-- Keep in step with ../postgres/0009_eu_hub.sql.
CREATE TABLE eu_hub (
    country TEXT NOT NULL PRIMARY KEY,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
) STRICT;
CREATE TABLE eu_release (
    country TEXT NOT NULL,
    period TEXT NOT NULL,
    revision INTEGER NOT NULL,
    release_id TEXT NOT NULL,
    received_at TEXT NOT NULL,
    received_by TEXT NOT NULL,
    sdmx_csv TEXT NOT NULL,
    PRIMARY KEY (country, period, revision)
) STRICT;
CREATE TABLE eu_observation (
    country TEXT NOT NULL,
    period TEXT NOT NULL,
    revision INTEGER NOT NULL,
    indicator TEXT NOT NULL,
    series_key TEXT NOT NULL,
    time_period TEXT NOT NULL,
    value TEXT,
    obs_status TEXT NOT NULL,
    conf_status TEXT NOT NULL,
    PRIMARY KEY (country, period, revision, indicator, series_key, time_period),
    FOREIGN KEY (country, period, revision) REFERENCES eu_release (country, period, revision)
) STRICT;
CREATE INDEX eu_observation_by_indicator ON eu_observation (time_period, indicator);
CREATE TRIGGER eu_release_no_update BEFORE UPDATE ON eu_release
BEGIN SELECT RAISE(ABORT, 'received releases are kept as received'); END;
CREATE TRIGGER eu_release_no_delete BEFORE DELETE ON eu_release
BEGIN SELECT RAISE(ABORT, 'received releases are kept as received'); END;
CREATE TRIGGER eu_observation_no_update BEFORE UPDATE ON eu_observation
BEGIN SELECT RAISE(ABORT, 'received releases are kept as received'); END;
CREATE TRIGGER eu_observation_no_delete BEFORE DELETE ON eu_observation
BEGIN SELECT RAISE(ABORT, 'received releases are kept as received'); END;
