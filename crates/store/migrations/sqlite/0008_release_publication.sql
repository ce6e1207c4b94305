-- mosy store, schema version 8 (SQLite): releases are made as drafts, reviewed, then published.
-- A release is published when it has a publication row; releases made before this version were
-- published when they were made. Only published releases constrain later suppression.
-- Keep in step with ../postgres/0008_release_publication.sql.
CREATE TABLE release_publication (
    release_id TEXT NOT NULL PRIMARY KEY REFERENCES release (id),
    published_at TEXT NOT NULL,
    published_by TEXT NOT NULL
) STRICT;
INSERT INTO release_publication (release_id, published_at, published_by)
    SELECT id, created_at, 'system' FROM release;
