//! The store's one error type.
//!
//! Messages name tables, submissions, providers and opaque record references, never record
//! values: a stored row that no longer parses is reported by where it is, not by what it holds.

use model::ProviderId;

/// Anything that can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An error from SQLite.
    #[error("SQLite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// An error from PostgreSQL (connection, protocol or statement).
    #[error("PostgreSQL: {0}")]
    Postgres(#[from] postgres::Error),
    /// Streaming records to PostgreSQL (`COPY … FROM STDIN`) failed.
    #[error("PostgreSQL: copying records into {table} failed: {source}")]
    Copy {
        /// The record table.
        table: &'static str,
        /// The underlying I/O error.
        source: std::io::Error,
    },
    /// A submission with this id is already stored.
    #[error("submission {id} is already stored")]
    DuplicateSubmission {
        /// The submission id.
        id: uuid::Uuid,
    },
    /// A submission or record names a provider that is not registered.
    #[error("provider {provider_id} is not registered; register it before storing its submissions")]
    UnknownProvider {
        /// The provider id.
        provider_id: ProviderId,
    },
    /// A record of the batch belongs to another provider than the submission's.
    #[error("a record of provider {provider_id} cannot be part of another provider's submission")]
    RecordOfOtherProvider {
        /// The record's provider id.
        provider_id: ProviderId,
    },
    /// A record with the same provider and record reference is already stored (or is repeated
    /// within the submission).
    #[error("{table}: a record with the same provider_id and record_ref is already stored or repeated")]
    DuplicateRecord {
        /// The record table.
        table: &'static str,
    },
    /// A stored row no longer parses with the current model and codelists.
    #[error("{table}: stored row {record_ref} no longer parses with the current model and codelists")]
    Corrupt {
        /// The table.
        table: &'static str,
        /// The row's opaque reference (record_ref, provider id or submission id).
        record_ref: String,
    },
    /// The database was migrated by a newer program.
    #[error("database schema version {found} is newer than the {supported} this program knows")]
    SchemaTooNew {
        /// Version found in the database.
        found: u32,
        /// Latest version this program knows.
        supported: u32,
    },
    /// A PostgreSQL schema name that is not a plain lower-case identifier.
    #[error("schema name must match [a-z_][a-z0-9_]{{0,62}}")]
    InvalidSchemaName,
    /// A year outside the range of calendar dates.
    #[error("year {0} is outside the supported date range")]
    YearOutOfRange(i32),
}

/// The store's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
