-- mosy store, schema version 7 (PostgreSQL): mapping profiles stored at the hub, versioned. Each
-- save of a changed profile is a new row (name, version); rows are never updated or deleted
-- (a trigger refuses it), so every version stays as history. `provider_id` is NULL for a profile
-- shared by every provider; `created_by` is the account that saved the version.
-- Keep in step with ../sqlite/0007_profiles.sql.
CREATE TABLE mapping_profile (
    name TEXT NOT NULL,
    version INTEGER NOT NULL,
    provider_id TEXT REFERENCES data_provider (id),
    toml TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    PRIMARY KEY (name, version)
);
CREATE INDEX mapping_profile_provider ON mapping_profile (provider_id);
CREATE FUNCTION mapping_profile_history_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'profile versions are history'; END $$;
CREATE TRIGGER mapping_profile_no_change BEFORE UPDATE OR DELETE ON mapping_profile
FOR EACH ROW EXECUTE FUNCTION mapping_profile_history_only();
