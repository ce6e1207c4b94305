//! The mosy store: one [`Store`] API over embedded SQLite and PostgreSQL, and the only crate of
//! the workspace that knows SQL.
//!
//! - Record tables hold the model's canonical text form ([`model::ModelRecord`]), written and read
//!   by generic code (`records`, `tx`): one column per model column, except for victim
//!   registrations, which keep the columns that queries and de-duplication read and pack the
//!   rest into one column ([`Storable::OWN_COLUMNS`]).
//! - SQL is written once in the dialect both engines share; the differences live in `dialect`.
//! - Migrations are embedded per engine with identical file names (`migrate`) and applied on open.
//! - A submission and all its records are stored in one transaction: all or nothing. A
//!   submission is one revision of (provider, period); importing a new file supersedes the live
//!   revision, keeps it as history and deletes its records (`submissions`).
//! - Person de-duplication reads its inputs here (`links`) and stores its result (`persons`).
//! - Logging goes through `tracing` with `skip_all`: no record value and no password is logged.

mod accounts;
mod codelists;
mod dialect;
mod error;
mod eu;
mod import;
mod links;
mod migrate;
mod persons;
mod profiles;
mod providers;
mod records;
mod releases;
mod settings;
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

pub use accounts::{AccountRow, ApiTokenRow, AuditRow, SessionRow};
pub use dialect::redact_url;
pub use error::{Error, Result};
pub use eu::{EuHubRow, EuObservation, EuReleaseRow};
pub use import::Import;
pub use links::{LinkInput, LinkRow};
pub use persons::Member;
pub use persons::PersonRow;
pub use profiles::{ProfileRow, ProfileSave};
pub use records::{Encoded, Storable};
pub use releases::{Publication, ReleaseCell, ReleaseRow};
pub use submissions::{ImportOutcome, SubmissionEvent, SubmissionInfo};

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
        // A 32 MiB page cache (default 2 MiB): a large import spills fewer pages to the WAL early.
        conn.pragma_update(None, "cache_size", -32_768)?;
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
    fn write<T>(&mut self, f: impl FnOnce(&mut Tx<'_>) -> Result<T>) -> Result<T> {
        let mut tx = self.begin_write()?;
        let out = f(&mut tx)?;
        tx.commit()?;
        Ok(out)
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

    /// Replaces the attributes of a registered provider; `false` (nothing written) when no
    /// provider has its id.
    #[tracing::instrument(skip_all)]
    pub fn update_provider(&mut self, p: &DataProvider) -> Result<bool> {
        self.write(|tx| providers::update(tx, p))
    }

    /// Every registered provider, sorted by id; codes are checked against `lists`.
    #[tracing::instrument(skip_all)]
    pub fn providers(&mut self, lists: &Codelists) -> Result<Vec<DataProvider>> {
        self.read(|tx| providers::all(tx, lists))
    }

    /// Stores a submission and all its records in ONE transaction (all or nothing), as revision 1
    /// of its provider and period, with its status as the first event of its log.
    ///
    /// Fails with [`Error::DuplicateSubmission`] if the submission id is stored already, with
    /// [`Error::UnknownProvider`] if the submission or a record names an unregistered provider,
    /// with [`Error::PeriodTaken`] if the provider already has a live submission for the period,
    /// and with [`Error::DuplicateRecord`] if a (provider, record reference) is stored already or
    /// repeated. `submitted_at` is kept to the microsecond.
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

    /// Stores an imported file as the new live revision of (`sub.provider_id`, `sub.period`), in
    /// ONE transaction (all or nothing).
    ///
    /// - If the live revision has the same `file_sha256` (or is `sub` itself):
    ///   [`ImportOutcome::AlreadyStored`], nothing changes.
    /// - Else, if the live revision is approved: [`Error::PeriodLocked`], nothing is written.
    /// - Else the live revision, if any, becomes superseded (pointing at the new one): its
    ///   records and their person memberships are deleted, its row, hashes and event log stay as
    ///   history. The new one is stored as the next revision, with `status` as its first event.
    ///
    /// A record whose (provider, record reference) is held by the provider's live submission of
    /// another period fails with [`Error::DuplicateRecord`] naming that period; other errors as
    /// [`Store::insert_submission`].
    #[tracing::instrument(skip_all, fields(submission = %sub.id, records = batch.len()))]
    pub fn import_submission(
        &mut self,
        sub: &Submission,
        file_sha256: [u8; 32],
        status: SubmissionStatus,
        batch: &Batch,
    ) -> Result<ImportOutcome> {
        let outcome = self.write(|tx| submissions::import(tx, sub, file_sha256, status, batch))?;
        match outcome {
            ImportOutcome::Stored { revision, replaced, .. } => {
                tracing::debug!(revision, replaced = replaced.is_some(), "submission imported");
            }
            ImportOutcome::AlreadyStored { .. } => tracing::debug!("file already stored"),
        }
        Ok(outcome)
    }

    /// Starts a streamed import: submissions opened, filled chunk by chunk and closed in ONE
    /// write transaction, committed by [`Import::commit`] (dropped uncommitted: nothing stored).
    #[tracing::instrument(skip_all)]
    pub fn begin_import(&mut self) -> Result<Import<'_>> {
        Import::new(self.begin_write()?)
    }

    /// Moves a submission along its lifecycle and appends the change to its event log:
    /// received → validated → accepted | rejected; received → rejected; accepted → approved
    /// (locks the period); approved → accepted (reopens it; `note` required, else
    /// [`Error::NoteRequired`]). Any other change, and any change of a superseded revision, fails
    /// with [`Error::InvalidTransition`]; an unknown id with [`Error::UnknownSubmission`]. The
    /// note is kept in the log and never logged.
    #[tracing::instrument(skip_all, fields(submission = %id, to = to.as_str()))]
    pub fn set_submission_status(
        &mut self,
        id: uuid::Uuid,
        to: SubmissionStatus,
        note: Option<&str>,
    ) -> Result<()> {
        self.write(|tx| submissions::set_status(tx, id, to, note))
    }

    /// Every submission (every revision, live and superseded) with its status, sorted by
    /// provider, period and time of submission.
    #[tracing::instrument(skip_all)]
    pub fn submissions(&mut self) -> Result<Vec<(Submission, SubmissionStatus)>> {
        self.read(submissions::all)
    }

    /// Every revision of every submission (live and superseded), sorted by provider, period and
    /// revision.
    #[tracing::instrument(skip_all)]
    pub fn submission_infos(&mut self) -> Result<Vec<SubmissionInfo>> {
        self.read(submissions::infos)
    }

    /// One revision by id.
    #[tracing::instrument(skip_all, fields(submission = %id))]
    pub fn submission_info(&mut self, id: uuid::Uuid) -> Result<Option<SubmissionInfo>> {
        self.read(|tx| submissions::info(tx, id))
    }

    /// The event log of a submission: (time, status, note), in order; empty for an unknown id.
    #[tracing::instrument(skip_all, fields(submission = %id))]
    pub fn submission_events(&mut self, id: uuid::Uuid) -> Result<Vec<SubmissionEvent>> {
        self.read(|tx| submissions::events(tx, id))
    }

    /// Inputs of person de-duplication: every victim registration of the live, non-rejected
    /// submissions, sorted by (provider, record reference). Reads only the columns needed.
    #[tracing::instrument(skip_all)]
    pub fn victim_link_inputs(&mut self) -> Result<Vec<LinkInput>> {
        self.read(links::inputs)
    }

    /// Replaces the persons and their memberships (provider, record reference, person id) in
    /// one transaction. Fails with [`Error::InconsistentPersons`] if a person id is repeated or a
    /// member names an unknown person.
    #[tracing::instrument(skip_all, fields(persons = persons.len(), members = members.len()))]
    pub fn replace_persons<M: Member>(&mut self, persons: &[PersonRow], members: &[M]) -> Result<()> {
        self.write(|tx| persons::replace(tx, persons, members))
    }

    /// Every (provider, record reference, person) of the latest de-duplication, sorted.
    #[tracing::instrument(skip_all)]
    pub fn victim_memberships(&mut self) -> Result<Vec<(String, String, u32)>> {
        self.read(releases::memberships)
    }

    /// Creates or updates an account.
    #[tracing::instrument(skip_all, fields(account = %account.id))]
    pub fn upsert_account(&mut self, account: &AccountRow) -> Result<()> {
        self.write(|tx| accounts::upsert_account(tx, account))
    }

    /// Every account, sorted by id.
    #[tracing::instrument(skip_all)]
    pub fn accounts(&mut self) -> Result<Vec<AccountRow>> {
        self.read(accounts::accounts)
    }

    /// One account.
    #[tracing::instrument(skip_all)]
    pub fn account(&mut self, id: &str) -> Result<Option<AccountRow>> {
        Ok(self.accounts()?.into_iter().find(|a| a.id == id))
    }

    /// Stores a new session.
    #[tracing::instrument(skip_all)]
    pub fn insert_session(&mut self, session: &SessionRow) -> Result<()> {
        self.write(|tx| accounts::insert_session(tx, session))
    }

    /// A session by the hash of its token.
    #[tracing::instrument(skip_all)]
    pub fn session(&mut self, token_hash: &str) -> Result<Option<SessionRow>> {
        self.read(|tx| accounts::session(tx, token_hash))
    }

    /// Records activity on a session (and whether its second factor was given).
    #[tracing::instrument(skip_all)]
    pub fn touch_session(&mut self, token_hash: &str, last_seen: &str, mfa_done: bool) -> Result<()> {
        self.write(|tx| accounts::touch_session(tx, token_hash, last_seen, mfa_done))
    }

    /// Ends a session.
    #[tracing::instrument(skip_all)]
    pub fn delete_session(&mut self, token_hash: &str) -> Result<()> {
        self.write(|tx| accounts::delete_session(tx, token_hash))
    }

    /// Ends every session of an account; returns how many.
    #[tracing::instrument(skip_all)]
    pub fn delete_sessions_of(&mut self, account: &str) -> Result<u64> {
        self.write(|tx| accounts::delete_sessions_of(tx, account))
    }

    /// Stores an API token (its hash) for an account.
    #[tracing::instrument(skip_all)]
    pub fn insert_api_token(
        &mut self,
        token_hash: &str,
        account: &str,
        label: &str,
        created_at: &str,
        expires_at: &str,
    ) -> Result<()> {
        self.write(|tx| accounts::insert_token(tx, token_hash, account, label, created_at, expires_at))
    }

    /// The account and expiry of an API token, by its hash.
    #[tracing::instrument(skip_all)]
    pub fn api_token(&mut self, token_hash: &str) -> Result<Option<(String, String)>> {
        self.read(|tx| accounts::token(tx, token_hash))
    }

    /// Every API token (hashes and metadata only), oldest first.
    #[tracing::instrument(skip_all)]
    pub fn api_tokens(&mut self) -> Result<Vec<ApiTokenRow>> {
        self.read(accounts::tokens)
    }

    /// Revokes an API token (by its hash); `false` when there was none.
    #[tracing::instrument(skip_all)]
    pub fn revoke_api_token(&mut self, token_hash: &str) -> Result<bool> {
        self.write(|tx| accounts::delete_token(tx, token_hash))
    }

    /// Appends an audit event built from the current head of the chain (sequence number and hash
    /// of the last event), in one write transaction so that the chain stays linear.
    #[tracing::instrument(skip_all)]
    pub fn append_audit(
        &mut self,
        build: impl FnOnce(Option<(u64, String)>) -> AuditRow,
    ) -> Result<AuditRow> {
        self.write(|tx| {
            let head = accounts::last_audit(tx)?;
            let row = build(head);
            accounts::append_audit(tx, &row)?;
            Ok(row)
        })
    }

    /// Appends `count` audit events in one write transaction (group commit): `build(i, head)` makes
    /// the `i`-th row from the head left by the one before it, so the chain stays linear.
    #[tracing::instrument(skip_all)]
    pub fn append_audits(
        &mut self,
        count: usize,
        mut build: impl FnMut(usize, Option<(u64, String)>) -> AuditRow,
    ) -> Result<Vec<AuditRow>> {
        self.write(|tx| {
            let mut head = accounts::last_audit(tx)?;
            let mut rows = Vec::with_capacity(count);
            for i in 0..count {
                let row = build(i, head.take());
                accounts::append_audit(tx, &row)?;
                head = Some((row.seq, row.hash.clone()));
                rows.push(row);
            }
            Ok(rows)
        })
    }

    /// The whole audit log, in order.
    #[tracing::instrument(skip_all)]
    pub fn audit_log(&mut self) -> Result<Vec<AuditRow>> {
        self.read(accounts::audit_log)
    }

    /// Stores a release and the cells it published or withheld, in one transaction.
    #[tracing::instrument(skip_all, fields(id = %release.id))]
    pub fn insert_release(&mut self, release: &ReleaseRow, cells: &[ReleaseCell]) -> Result<()> {
        self.write(|tx| releases::insert(tx, release, cells))
    }

    /// Every release, oldest first.
    #[tracing::instrument(skip_all)]
    pub fn releases(&mut self) -> Result<Vec<ReleaseRow>> {
        self.read(releases::list)
    }

    /// The publications of releases (a release without one is a draft), oldest first.
    #[tracing::instrument(skip_all)]
    pub fn release_publications(&mut self) -> Result<Vec<Publication>> {
        self.read(releases::publications)
    }

    /// Publishes a draft release; `false` when there is no such release or it is published already.
    #[tracing::instrument(skip_all)]
    pub fn publish_release(&mut self, id: &str, at: &str, by: &str) -> Result<bool> {
        self.write(|tx| releases::publish(tx, id, at, by))
    }

    /// Discards a draft release and its cells; `false` when there is no such draft (a published
    /// release is never discarded).
    #[tracing::instrument(skip_all)]
    pub fn discard_release(&mut self, id: &str) -> Result<bool> {
        self.write(|tx| releases::discard(tx, id))
    }

    /// Every cell of every published release: (signature, period, published value or `None` if
    /// withheld). Drafts are left out.
    #[tracing::instrument(skip_all)]
    pub fn release_cells(&mut self) -> Result<Vec<ReleaseCell>> {
        self.read(releases::cells)
    }

    /// Stores (or replaces) a named set of region boundaries (encoded by the caller).
    #[tracing::instrument(skip_all, fields(name))]
    pub fn put_boundaries(&mut self, name: &str, regions: u32, data: &[u8]) -> Result<()> {
        self.write(|tx| releases::put_boundaries(tx, name, regions, data))
    }

    /// A named set of region boundaries, if imported.
    #[tracing::instrument(skip_all, fields(name))]
    pub fn boundaries(&mut self, name: &str) -> Result<Option<Vec<u8>>> {
        self.read(|tx| releases::boundaries(tx, name))
    }

    /// The imported boundary sets: (name, regions, imported at).
    #[tracing::instrument(skip_all)]
    pub fn boundary_sets(&mut self) -> Result<Vec<(String, u32, String)>> {
        self.read(releases::boundary_sets)
    }

    /// Saves `toml` as the next version of mapping profile `name` (version 1 for a new name), for
    /// `provider` (`None`: shared by every provider), saved by account `by` at `at`. A text equal
    /// to the latest version stores nothing ([`ProfileSave::Unchanged`]). The owner is fixed by
    /// the first version: another one fails with [`Error::ProfileOwner`]. Versions are never
    /// changed or deleted.
    #[tracing::instrument(skip_all)]
    pub fn save_profile(
        &mut self,
        name: &str,
        provider: Option<&str>,
        toml: &str,
        by: &str,
        at: chrono::DateTime<chrono::Utc>,
    ) -> Result<ProfileSave> {
        self.write(|tx| profiles::save(tx, name, provider, toml, by, at))
    }

    /// The latest version of every mapping profile, sorted by name; with `provider`, only that
    /// provider's profiles and the shared ones.
    #[tracing::instrument(skip_all)]
    pub fn profiles(&mut self, provider: Option<&str>) -> Result<Vec<ProfileRow>> {
        self.read(|tx| profiles::latest(tx, provider))
    }

    /// A mapping profile: its latest version, or version `version`.
    #[tracing::instrument(skip_all)]
    pub fn profile(&mut self, name: &str, version: Option<u32>) -> Result<Option<ProfileRow>> {
        self.read(|tx| profiles::get(tx, name, version))
    }

    /// Every version of a mapping profile, oldest first (empty for an unknown name).
    #[tracing::instrument(skip_all)]
    pub fn profile_history(&mut self, name: &str) -> Result<Vec<ProfileRow>> {
        self.read(|tx| profiles::history(tx, name))
    }

    /// A hub setting (`None` if never set).
    #[tracing::instrument(skip_all, fields(key))]
    pub fn setting(&mut self, key: &str) -> Result<Option<String>> {
        self.read(|tx| settings::get(tx, key))
    }

    /// Sets a hub setting.
    #[tracing::instrument(skip_all, fields(key))]
    pub fn set_setting(&mut self, key: &str, value: &str) -> Result<()> {
        self.write(|tx| settings::set(tx, key, value))
    }

    /// Every hub setting, sorted by key.
    #[tracing::instrument(skip_all)]
    pub fn settings(&mut self) -> Result<Vec<(String, String)>> {
        self.read(settings::all)
    }

    /// Registers a national hub at an EU hub, or replaces its name and token hash.
    #[tracing::instrument(skip_all, fields(country = %hub.country))]
    pub fn upsert_eu_hub(&mut self, hub: &EuHubRow) -> Result<()> {
        self.write(|tx| eu::upsert_hub(tx, hub))
    }

    /// The registered national hubs, by country.
    #[tracing::instrument(skip_all)]
    pub fn eu_hubs(&mut self) -> Result<Vec<EuHubRow>> {
        self.read(eu::hubs)
    }

    /// The national hub whose token has this hash (hex SHA-256).
    #[tracing::instrument(skip_all)]
    pub fn eu_hub_by_token(&mut self, token_hash: &str) -> Result<Option<EuHubRow>> {
        self.read(|tx| eu::hub_by_token(tx, token_hash))
    }

    /// Stores a received national release as the next revision of its country and period, with
    /// its observations, in one transaction; returns the revision number.
    #[tracing::instrument(skip_all, fields(country = %release.country, period = %release.period))]
    pub fn receive_eu_release(
        &mut self,
        release: &EuReleaseRow,
        observations: &[EuObservation],
    ) -> Result<u32> {
        self.write(|tx| eu::receive(tx, release, observations))
    }

    /// Every received national release, every revision, by country, period and revision.
    #[tracing::instrument(skip_all)]
    pub fn eu_releases(&mut self) -> Result<Vec<EuReleaseRow>> {
        self.read(eu::releases)
    }

    /// The observations for `time_period` of the latest revision of every received release.
    #[tracing::instrument(skip_all)]
    pub fn eu_observations(&mut self, time_period: &str) -> Result<Vec<EuObservation>> {
        self.read(|tx| eu::observations(tx, time_period))
    }

    /// (persons, registrations that belong to a person).
    #[tracing::instrument(skip_all)]
    pub fn person_counts(&mut self) -> Result<(u64, u64)> {
        self.read(persons::counts)
    }

    /// Every person, sorted by id.
    #[tracing::instrument(skip_all)]
    pub fn persons(&mut self) -> Result<Vec<PersonRow>> {
        self.read(persons::all)
    }

    /// How many persons have 1, 2, 3… registrations, sorted by the number of registrations.
    #[tracing::instrument(skip_all)]
    pub fn persons_by_registration_count(&mut self) -> Result<Vec<(u32, u64)>> {
        self.read(persons::by_registration_count)
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
