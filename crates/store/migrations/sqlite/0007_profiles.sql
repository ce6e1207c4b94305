-- mosy store, schema version 7 (SQLite): mapping profiles stored at the hub, versioned. Each save
-- of a changed profile is a new row (name, version); rows are never updated or deleted (triggers
-- refuse it), so every version stays as history. `provider_id` is NULL for a profile shared by
-- every provider; `created_by` is the account that saved the version.
-- Keep in step with ../postgres/0007_profiles.sql.
CREATE TABLE mapping_profile (
    name TEXT NOT NULL,
    version INTEGER NOT NULL,
    provider_id TEXT REFERENCES data_provider (id),
    toml TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    PRIMARY KEY (name, version)
) STRICT;
CREATE INDEX mapping_profile_provider ON mapping_profile (provider_id);
CREATE TRIGGER mapping_profile_no_update BEFORE UPDATE ON mapping_profile
BEGIN SELECT RAISE(ABORT, 'profile versions are history'); END;
CREATE TRIGGER mapping_profile_no_delete BEFORE DELETE ON mapping_profile
BEGIN SELECT RAISE(ABORT, 'profile versions are history'); END;
