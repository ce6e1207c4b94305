//! Schema migrations: numbered SQL scripts, one directory per engine with the same file names
//! (`migrations/sqlite/NNNN_name.sql`, `migrations/postgres/NNNN_name.sql`), embedded in the
//! binary and applied on open, in one transaction, when their number is above the highest
//! version recorded in `schema_version`.

use crate::Backend;
use crate::dialect;
use crate::error::{Error, Result};
use crate::tx::{Tx, Value};

/// One migration, in both dialects.
pub(crate) struct Migration {
    /// Its number (the file name's prefix).
    pub(crate) version: u32,
    /// The file name, the same in both directories.
    pub(crate) name: &'static str,
    /// The SQLite script.
    pub(crate) sqlite: &'static str,
    /// The PostgreSQL script.
    pub(crate) postgres: &'static str,
}

/// Every migration, in order.
pub(crate) const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "0001_init.sql",
        sqlite: include_str!("../migrations/sqlite/0001_init.sql"),
        postgres: include_str!("../migrations/postgres/0001_init.sql"),
    },
    Migration {
        version: 2,
        name: "0002_intake.sql",
        sqlite: include_str!("../migrations/sqlite/0002_intake.sql"),
        postgres: include_str!("../migrations/postgres/0002_intake.sql"),
    },
    Migration {
        version: 3,
        name: "0003_settings.sql",
        sqlite: include_str!("../migrations/sqlite/0003_settings.sql"),
        postgres: include_str!("../migrations/postgres/0003_settings.sql"),
    },
    Migration {
        version: 4,
        name: "0004_lean_victims.sql",
        sqlite: include_str!("../migrations/sqlite/0004_lean_victims.sql"),
        postgres: include_str!("../migrations/postgres/0004_lean_victims.sql"),
    },
    Migration {
        version: 5,
        name: "0005_releases.sql",
        sqlite: include_str!("../migrations/sqlite/0005_releases.sql"),
        postgres: include_str!("../migrations/postgres/0005_releases.sql"),
    },
    Migration {
        version: 6,
        name: "0006_accounts.sql",
        sqlite: include_str!("../migrations/sqlite/0006_accounts.sql"),
        postgres: include_str!("../migrations/postgres/0006_accounts.sql"),
    },
    Migration {
        version: 7,
        name: "0007_profiles.sql",
        sqlite: include_str!("../migrations/sqlite/0007_profiles.sql"),
        postgres: include_str!("../migrations/postgres/0007_profiles.sql"),
    },
    Migration {
        version: 8,
        name: "0008_release_publication.sql",
        sqlite: include_str!("../migrations/sqlite/0008_release_publication.sql"),
        postgres: include_str!("../migrations/postgres/0008_release_publication.sql"),
    },
    Migration {
        version: 9,
        name: "0009_eu_hub.sql",
        sqlite: include_str!("../migrations/sqlite/0009_eu_hub.sql"),
        postgres: include_str!("../migrations/postgres/0009_eu_hub.sql"),
    },
];

/// The schema version this program creates and understands.
pub(crate) const LATEST: u32 = 9;

/// Creates the version table itself (before any migration can be recorded in it).
pub(crate) const CREATE_VERSION_TABLE_SQL: &str =
    "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)";

/// The highest applied version, 0 for an empty database.
pub(crate) const CURRENT_VERSION_SQL: &str =
    "SELECT CAST(COALESCE(MAX(version), 0) AS TEXT) FROM schema_version";

/// Records one applied migration.
pub(crate) const RECORD_VERSION_SQL: &str =
    "INSERT INTO schema_version (version, applied_at) VALUES ($1, $2)";

/// The highest applied version.
pub(crate) fn current(tx: &mut Tx<'_>) -> Result<u32> {
    let rows = tx.rows(CURRENT_VERSION_SQL, &[])?;
    let text = rows.first().and_then(|r| r.first()).map_or("0", String::as_str);
    text.parse().map_err(|_| Error::Corrupt { table: "schema_version", record_ref: "(version)".to_owned() })
}

/// Applies every pending migration in `tx` (which the caller commits); returns the new version.
pub(crate) fn apply(tx: &mut Tx<'_>) -> Result<u32> {
    let backend = tx.backend();
    if let Some(lock) = dialect::migration_lock(backend) {
        tx.batch(lock)?;
    }
    tx.batch(CREATE_VERSION_TABLE_SQL)?;
    let found = current(tx)?;
    if found > LATEST {
        return Err(Error::SchemaTooNew { found, supported: LATEST });
    }
    for m in MIGRATIONS.iter().filter(|m| m.version > found) {
        let script = match backend {
            Backend::Sqlite => m.sqlite,
            Backend::Postgres => m.postgres,
        };
        tx.batch(script)?;
        let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let version = i32::try_from(m.version).unwrap_or(i32::MAX);
        tx.execute(RECORD_VERSION_SQL, &[Value::Int(version), Value::Text(&now)])?;
        tracing::info!(version = m.version, name = m.name, "applied schema migration");
    }
    Ok(found.max(MIGRATIONS.iter().map(|m| m.version).max().unwrap_or(0)))
}
