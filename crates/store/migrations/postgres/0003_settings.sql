-- mosy store, schema version 3 (PostgreSQL): hub settings (e.g. the intake policy).
-- Keep in step with ../sqlite/0003_settings.sql.
CREATE TABLE hub_setting (
    key TEXT NOT NULL PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
