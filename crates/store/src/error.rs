//! The store's one error type.
//!
//! Messages name tables, submissions, providers and opaque record references, never record
//! values: a stored row that no longer parses is reported by where it is, not by what it holds.

use model::{Period, ProviderId, SubmissionStatus};

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
    /// A record with the same provider and record reference is already stored by another live
    /// submission of the provider, or is repeated within the submission.
    #[error("{table}: record {record_ref} {}", held_by(.period))]
    DuplicateRecord {
        /// The record table.
        table: &'static str,
        /// The record's opaque reference.
        record_ref: String,
        /// The period of the live submission that holds the record; `None` when the record is
        /// repeated within the submission itself.
        period: Option<Period>,
    },
    /// The provider already has a live submission for the period: only a new revision
    /// ([`crate::Store::import_submission`]) can replace it.
    #[error(
        "provider {provider_id} already has a submission for {period}; import a new revision to replace it"
    )]
    PeriodTaken {
        /// The provider id.
        provider_id: ProviderId,
        /// The period.
        period: Period,
    },
    /// The live submission of the provider and period is approved: the period is locked.
    #[error(
        "the submission of provider {provider_id} for {period} is approved and locks the period; reopen it to import a new revision"
    )]
    PeriodLocked {
        /// The provider id.
        provider_id: ProviderId,
        /// The period.
        period: Period,
    },
    /// No submission with this id is stored.
    #[error("submission {id} is not stored")]
    UnknownSubmission {
        /// The submission id.
        id: uuid::Uuid,
    },
    /// Records were sent for a submission that this import did not open as a new revision.
    #[error("submission {id} is not open in this import")]
    NotOpen {
        /// The submission id.
        id: uuid::Uuid,
    },
    /// The lifecycle does not allow this change of status.
    #[error("a submission cannot go from {} to {}", .from.as_str(), .to.as_str())]
    InvalidTransition {
        /// The current status.
        from: SubmissionStatus,
        /// The requested status.
        to: SubmissionStatus,
    },
    /// Reopening an approved submission needs a note saying why.
    #[error("reopening an approved submission needs a note")]
    NoteRequired,
    /// The persons handed to the store contradict each other (a repeated person id, or a member
    /// of an unknown person).
    #[error("persons: {0}")]
    InconsistentPersons(&'static str),
    /// A stored row no longer parses with the current model and codelists.
    #[error("{table}: stored row {record_ref} no longer parses with the current model and codelists")]
    Corrupt {
        /// The table.
        table: &'static str,
        /// The row's opaque reference (record_ref, provider id or submission id).
        record_ref: String,
    },
    /// A record holds a value that its table cannot keep (a control character in a canonical
    /// value, which the model's syntax excludes).
    #[error("{table}: record {record_ref} holds a value that cannot be stored")]
    Unstorable {
        /// The table.
        table: &'static str,
        /// The record's opaque reference.
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
    /// A mapping profile of this name belongs to another provider (or is shared, or is not):
    /// a profile keeps the owner of its first version.
    #[error("mapping profile {name} belongs to another owner; choose another name")]
    ProfileOwner {
        /// The profile name.
        name: String,
    },
    /// A year outside the range of calendar dates.
    #[error("year {0} is outside the supported date range")]
    YearOutOfRange(i32),
}

fn held_by(period: &Option<Period>) -> String {
    match period {
        Some(p) => {
            format!("is held by the provider's live submission for {p}; resubmit that period to revise it")
        }
        None => "is repeated within the submission".to_owned(),
    }
}

/// The store's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
