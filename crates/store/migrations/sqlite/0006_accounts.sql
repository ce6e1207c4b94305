-- mosy store, schema version 6 (SQLite): accounts, sessions, API tokens and the hash-chained
-- audit log of the web application. Secrets are stored hashed (passwords: argon2id PHC strings;
-- session and API tokens: SHA-256). The audit log refuses UPDATE and DELETE.
-- Keep in step with ../postgres/0006_accounts.sql.
CREATE TABLE account (
    id TEXT NOT NULL PRIMARY KEY,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL,
    provider_id TEXT,
    password_hash TEXT NOT NULL,
    totp_secret TEXT,
    totp_last_step TEXT,
    lang TEXT NOT NULL,
    disabled TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;
CREATE TABLE session (
    token_hash TEXT NOT NULL PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES account (id),
    created_at TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    csrf_secret TEXT NOT NULL,
    mfa_done TEXT NOT NULL
) STRICT;
CREATE TABLE api_token (
    token_hash TEXT NOT NULL PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES account (id),
    label TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
) STRICT;
CREATE TABLE audit_log (
    seq INTEGER NOT NULL PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    object TEXT NOT NULL,
    source TEXT NOT NULL,
    outcome TEXT NOT NULL,
    detail TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
) STRICT;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
