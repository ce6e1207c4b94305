//! The mosy store: one [`Store`] API over embedded SQLite and PostgreSQL, and the only crate of
//! the workspace that knows SQL.
//!
//! - Record tables hold the model's canonical text form ([`model::ModelRecord`]), one column per
//!   model column, written and read by generic code (`records`, `tx`).
//! - SQL is written once in the dialect both engines share; the differences live in `dialect`.
//! - Migrations are embedded per engine with identical file names (`migrate`) and applied on open.
//! - A submission and all its records are stored in one transaction: all or nothing.
//! - Logging goes through `tracing` with `skip_all`: no record value and no password is logged.

mod codelists;
mod dialect;
mod error;
mod migrate;
mod providers;
mod records;
mod submissions;
mod tx;

#[cfg(test)]
mod tests;

use std::fmt;
use std::path::Path;

use chrono::NaiveDate;
use model::codes::{ExploitationForm, RecordType, Sex};
use model::{
    Batch, Codelists, CourtDecision, DataProvider, Prosecution, ProviderId, Submission, SubmissionStatus,
    Suspect, VictimRegistration,
};

pub use dialect::redact_url;
pub use error::{Error, Result};

use tx::Tx;

/// The database engine behind a [`Store`].
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Backend {
    /// Embedded SQLite (one file).
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

enum Conn {
    Sqlite(rusqlite::Connection),
    Postgres(postgres::Client),
}

/// A connection to the mosy database, with the schema migrated to the latest version.
pub struct Store {
    conn: Conn,
}

impl fmt::Debug for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Store").field("backend", &self.backend()).finish_non_exhaustive()
    }
}

impl Store {
    /// SQLite file (created if missing), WAL mode, foreign keys on, migrations applied.
    #[tracing::instrument(skip_all)]
    pub fn open_sqlite(path: &Path) -> Result<Store> {
        let conn = rusqlite::Connection::open(path)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        // Larger pages make bulk loads of wide record rows faster; only takes effect on a new file.
        conn.pragma_update(None, "page_size", 16_384)?;
        conn.pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get::<_, String>(0))?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        Store::migrated(Conn::Sqlite(conn))
    }

    /// PostgreSQL by URL (`postgres://user@host:port/db`), migrations applied in the default
    /// `search_path`.
    #[tracing::instrument(skip_all, fields(url = %redact_url(url)))]
    pub fn open_postgres(url: &str) -> Result<Store> {
        Store::migrated(Conn::Postgres(connect_postgres(url)?))
    }

    /// PostgreSQL, inside schema `schema` (created if missing; `search_path` set to it), so that
    /// separate users of one database (tests, above all) never see each other's rows.
    #[tracing::instrument(skip_all, fields(url = %redact_url(url), schema))]
    pub fn open_postgres_in_schema(url: &str, schema: &str) -> Result<Store> {
        let quoted = dialect::quoted_schema(schema)?;
        let mut client = connect_postgres(url)?;
        client
            .batch_execute(&format!("CREATE SCHEMA IF NOT EXISTS {quoted}; SET search_path TO {quoted};"))?;
        Store::migrated(Conn::Postgres(client))
    }

    /// `postgres://…` or `postgresql://…` opens PostgreSQL; anything else is a SQLite path.
    pub fn open(location: &str) -> Result<Store> {
        if location.starts_with("postgres://") || location.starts_with("postgresql://") {
            Store::open_postgres(location)
        } else {
            Store::open_sqlite(Path::new(location))
        }
    }

    fn migrated(conn: Conn) -> Result<Store> {
        let mut store = Store { conn };
        let mut tx = store.begin_write()?;
        let version = migrate::apply(&mut tx)?;
        tx.commit()?;
        tracing::debug!(backend = ?store.backend(), version, "store open");
        Ok(store)
    }

    /// The engine.
    pub fn backend(&self) -> Backend {
        match self.conn {
            Conn::Sqlite(_) => Backend::Sqlite,
            Conn::Postgres(_) => Backend::Postgres,
        }
    }

    /// A transaction that may write (SQLite takes the write lock at once).
    fn begin_write(&mut self) -> Result<Tx<'_>> {
        Ok(match &mut self.conn {
            Conn::Sqlite(c) => {
                Tx::Sqlite(c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?)
            }
            Conn::Postgres(c) => Tx::Postgres(c.transaction()?),
        })
    }

    /// A read-only transaction that sees one snapshot across its queries.
    fn begin_read(&mut self) -> Result<Tx<'_>> {
        Ok(match &mut self.conn {
            Conn::Sqlite(c) => Tx::Sqlite(c.transaction()?),
            Conn::Postgres(c) => Tx::Postgres(
                c.build_transaction()
                    .isolation_level(postgres::IsolationLevel::RepeatableRead)
                    .read_only(true)
                    .start()?,
            ),
        })
    }

    /// Runs `f` in a read-only transaction.
    fn read<T>(&mut self, f: impl FnOnce(&mut Tx<'_>) -> Result<T>) -> Result<T> {
        let mut tx = self.begin_read()?;
        let out = f(&mut tx)?;
        tx.commit()?;
        Ok(out)
    }

    /// Runs `f` in a write transaction, committed only if `f` succeeds.
    fn write(&mut self, f: impl FnOnce(&mut Tx<'_>) -> Result<()>) -> Result<()> {
        let mut tx = self.begin_write()?;
        f(&mut tx)?;
        tx.commit()
    }

    /// The schema version, from the `schema_version` table.
    #[tracing::instrument(skip_all)]
    pub fn schema_version(&mut self) -> Result<u32> {
        self.read(migrate::current)
    }

    /// Stores the codelist bundle (id, version), each list (id, version, title, agency) and each
    /// code (list, version, code, English and Portuguese label). Idempotent.
    #[tracing::instrument(skip_all)]
    pub fn sync_codelists(&mut self, lists: &Codelists) -> Result<()> {
        self.write(|tx| codelists::sync(tx, lists))
    }

    /// (list id, version) of every stored codelist, sorted.
    #[tracing::instrument(skip_all)]
    pub fn codelist_versions(&mut self) -> Result<Vec<(String, String)>> {
        self.read(codelists::versions)
    }

    /// Registers a provider, or replaces the stored attributes of one with the same id.
    #[tracing::instrument(skip_all)]
    pub fn upsert_provider(&mut self, p: &DataProvider) -> Result<()> {
        self.write(|tx| providers::upsert(tx, p))
    }

    /// Every registered provider, sorted by id; codes are checked against `lists`.
    #[tracing::instrument(skip_all)]
    pub fn providers(&mut self, lists: &Codelists) -> Result<Vec<DataProvider>> {
        self.read(|tx| providers::all(tx, lists))
    }

    /// Stores a submission and all its records in ONE transaction (all or nothing).
    ///
    /// Fails with [`Error::DuplicateSubmission`] if the submission id is stored already, with
    /// [`Error::UnknownProvider`] if the submission or a record names an unregistered provider,
    /// and with [`Error::DuplicateRecord`] if a (provider, record reference) is stored already.
    /// `submitted_at` is kept to the microsecond.
    #[tracing::instrument(skip_all, fields(submission = %sub.id, records = batch.len()))]
    pub fn insert_submission(
        &mut self,
        sub: &Submission,
        status: SubmissionStatus,
        batch: &Batch,
    ) -> Result<()> {
        self.write(|tx| submissions::insert(tx, sub, status, batch))?;
        tracing::debug!("submission stored");
        Ok(())
    }

    /// Every submission with its status, sorted by provider, period and time of submission.
    #[tracing::instrument(skip_all)]
    pub fn submissions(&mut self) -> Result<Vec<(Submission, SubmissionStatus)>> {
        self.read(submissions::all)
    }

    /// Every victim registration, sorted by provider id and record reference.
    #[tracing::instrument(skip_all)]
    pub fn victims(&mut self, lists: &Codelists) -> Result<Vec<VictimRegistration>> {
        self.read(|tx| records::read_all(tx, lists))
    }

    /// Every suspect, sorted by provider id and record reference.
    #[tracing::instrument(skip_all)]
    pub fn suspects(&mut self, lists: &Codelists) -> Result<Vec<Suspect>> {
        self.read(|tx| records::read_all(tx, lists))
    }

    /// Every prosecution, sorted by provider id and record reference.
    #[tracing::instrument(skip_all)]
    pub fn prosecutions(&mut self, lists: &Codelists) -> Result<Vec<Prosecution>> {
        self.read(|tx| records::read_all(tx, lists))
    }

    /// Every court decision, sorted by provider id and record reference.
    #[tracing::instrument(skip_all)]
    pub fn court_decisions(&mut self, lists: &Codelists) -> Result<Vec<CourtDecision>> {
        self.read(|tx| records::read_all(tx, lists))
    }

    /// Records per (provider, record type), sorted.
    #[tracing::instrument(skip_all)]
    pub fn record_counts(&mut self) -> Result<Vec<(ProviderId, RecordType, u64)>> {
        self.read(records::counts)
    }

    /// Victim registrations whose registration date is in `year`, counted by sex × main form of
    /// exploitation, sorted by the enums' order.
    #[tracing::instrument(skip_all)]
    pub fn victim_counts_by_sex_and_form(&mut self, year: i32) -> Result<Vec<(Sex, ExploitationForm, u64)>> {
        self.read(|tx| records::victim_counts(tx, year))
    }

    /// The latest registration date among victims, if any.
    #[tracing::instrument(skip_all)]
    pub fn last_victim_date(&mut self) -> Result<Option<NaiveDate>> {
        self.read(records::last_victim_date)
    }
}

fn connect_postgres(url: &str) -> Result<postgres::Client> {
    let mut client = postgres::Client::connect(url, postgres::NoTls)?;
    client.batch_execute(dialect::POSTGRES_SESSION)?;
    Ok(client)
}
