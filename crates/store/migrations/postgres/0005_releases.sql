-- mosy store, schema version 5 (PostgreSQL): published releases (frozen protected outputs and the
-- cells they published or withheld) and imported region boundaries.
-- Keep in step with ../sqlite/0005_releases.sql.
CREATE TABLE release (
    id TEXT NOT NULL PRIMARY KEY,
    period TEXT NOT NULL,
    audience TEXT NOT NULL,
    created_at TEXT NOT NULL,
    data_version TEXT NOT NULL,
    spec TEXT NOT NULL,
    sdmx_csv TEXT NOT NULL,
    report_json TEXT NOT NULL
);
CREATE TABLE release_cell (
    release_id TEXT NOT NULL REFERENCES release (id),
    base TEXT NOT NULL,
    period TEXT NOT NULL,
    value TEXT,
    PRIMARY KEY (release_id, base, period)
);
CREATE TABLE boundary_set (
    name TEXT NOT NULL PRIMARY KEY,
    regions INTEGER NOT NULL,
    imported_at TEXT NOT NULL,
    data TEXT NOT NULL
);
