//! A streamed import: several submissions opened, filled chunk by chunk and closed inside ONE
//! write transaction, so that a large file is stored as it is read and the whole import is
//! still all or nothing. The persons are re-clustered in the same transaction
//! ([`Import::for_each_victim_link`], [`Import::replace_persons`]), so they always match the
//! registrations.

use std::collections::{BTreeMap, BTreeSet};

use model::{ProviderId, Submission, SubmissionStatus, Valid};

use crate::error::{Error, Result};
use crate::links::{self, LinkRow};
use crate::persons::{self, PersonRow};
use crate::records::{Encoded, Storable};
use crate::submissions::{self, ImportOutcome, Memberships};
use crate::tx::Tx;

/// An import in progress: one write transaction. Dropping it without [`Import::commit`] rolls
/// everything back.
pub struct Import<'s> {
    tx: Tx<'s>,
    /// Submissions opened as new revisions in this import, with their provider.
    open: BTreeMap<uuid::Uuid, ProviderId>,
    /// SQLite: the highest victim rowid before this import (rows it inserts come after, or
    /// reuse the rowids of rows it deleted).
    victims_before: Option<i64>,
    /// Registrations were deleted (superseded) and their person memberships not yet.
    orphan_members: bool,
}

impl std::fmt::Debug for Import<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Import").field("backend", &self.tx.backend()).field("open", &self.open.len()).finish()
    }
}

impl<'s> Import<'s> {
    pub(crate) fn new(mut tx: Tx<'s>) -> Result<Import<'s>> {
        let victims_before = links::last_rowid(&mut tx)?;
        Ok(Import { tx, open: BTreeMap::new(), victims_before, orphan_members: false })
    }

    /// Opens `sub` as the new live revision of (`sub.provider_id`, `sub.period`), exactly as
    /// [`crate::Store::import_submission`] decides: [`ImportOutcome::AlreadyStored`] for the
    /// same file (then records for it are refused), [`Error::PeriodLocked`] for an approved
    /// period, else the live revision is superseded and its records deleted (their person
    /// memberships by [`Import::replace_persons`] or, failing that, at [`Import::commit`]). `sub.record_count`
    /// and `sub.sha256` are set by [`Import::close_submission`].
    #[tracing::instrument(skip_all, fields(submission = %sub.id))]
    pub fn open_submission(
        &mut self,
        sub: &Submission,
        file_sha256: [u8; 32],
        status: SubmissionStatus,
    ) -> Result<ImportOutcome> {
        // The memberships of superseded registrations go once, at the end (or with all persons).
        let outcome = submissions::open(&mut self.tx, sub, file_sha256, status, Memberships::Later)?;
        if let ImportOutcome::Stored { replaced, .. } = outcome {
            self.open.insert(sub.id, sub.provider_id.clone());
            self.orphan_members |= replaced.is_some();
        }
        Ok(outcome)
    }

    /// Stores a chunk of records of an opened submission. Records must be the submitter's own
    /// ([`Error::RecordOfOtherProvider`]); a record held by another live submission, or repeated
    /// within this one, fails with [`Error::DuplicateRecord`].
    #[tracing::instrument(skip_all, fields(submission = %submission_id, records = records.len()))]
    pub fn insert<R: Storable>(&mut self, submission_id: uuid::Uuid, records: &[Valid<R>]) -> Result<()> {
        let provider = self.open.get(&submission_id).ok_or(Error::NotOpen { id: submission_id })?;
        if let Some(other) = records.iter().map(|r| r.provider_id()).find(|p| *p != provider) {
            return Err(Error::RecordOfOtherProvider { provider_id: other.clone() });
        }
        self.tx.insert_records(&submission_id.to_string(), records)
    }

    /// Stores a chunk of encoded records of an opened submission; as [`Import::insert`].
    #[tracing::instrument(skip_all, fields(submission = %submission_id, records = records.len()))]
    pub fn insert_encoded<R: Storable>(
        &mut self,
        submission_id: uuid::Uuid,
        records: &[Encoded<R>],
    ) -> Result<()> {
        let provider = self.open.get(&submission_id).ok_or(Error::NotOpen { id: submission_id })?;
        if let Some(other) = records.iter().map(Encoded::provider_id).find(|p| *p != provider.as_str()) {
            let provider_id = ProviderId::new(other).ok_or_else(|| Error::Unstorable {
                table: R::TABLE,
                record_ref: "(unidentified)".to_owned(),
            })?;
            return Err(Error::RecordOfOtherProvider { provider_id });
        }
        self.tx.insert_encoded(&submission_id.to_string(), records)
    }

    /// Hands every victim registration of the live, non-rejected submissions — as this import
    /// has left them so far — to `f`, in storage order (see [`crate::Store::victim_link_inputs`]).
    #[tracing::instrument(skip_all)]
    pub fn for_each_victim_link(&mut self, f: impl FnMut(&LinkRow<'_>) -> Result<()>) -> Result<()> {
        links::for_each(&mut self.tx, &BTreeSet::new(), None, f)
    }

    /// As [`Import::for_each_victim_link`], leaving out the registrations of the submissions this
    /// import opened (which the caller saw as it inserted them, [`Encoded::link_row`]): together
    /// they are every registration [`Import::for_each_victim_link`] hands out.
    #[tracing::instrument(skip_all)]
    pub fn for_each_victim_link_not_inserted(
        &mut self,
        f: impl FnMut(&LinkRow<'_>) -> Result<()>,
    ) -> Result<()> {
        let opened: BTreeSet<String> = self.open.keys().map(uuid::Uuid::to_string).collect();
        links::for_each(&mut self.tx, &opened, self.victims_before, f)
    }

    /// Replaces the persons and their memberships (provider id, record reference, person id; `n`
    /// of them, fastest in provider and reference order) within the import; checked as
    /// [`crate::Store::replace_persons`].
    #[tracing::instrument(skip_all, fields(persons = persons.len(), members = n))]
    pub fn replace_persons<'m>(
        &mut self,
        persons: &[PersonRow],
        n: usize,
        members: impl Iterator<Item = (&'m str, &'m str, u32)> + Clone,
    ) -> Result<()> {
        persons::replace_with(&mut self.tx, persons, n, members)?;
        self.orphan_members = false;
        Ok(())
    }

    /// Records the final number of records and content hash of an opened submission.
    #[tracing::instrument(skip_all, fields(submission = %submission_id))]
    pub fn close_submission(
        &mut self,
        submission_id: uuid::Uuid,
        record_count: u32,
        sha256: [u8; 32],
    ) -> Result<()> {
        if !self.open.contains_key(&submission_id) {
            return Err(Error::NotOpen { id: submission_id });
        }
        submissions::close(&mut self.tx, submission_id, record_count, sha256)
    }

    /// Commits everything of the import at once.
    #[tracing::instrument(skip_all, fields(submissions = self.open.len()))]
    pub fn commit(mut self) -> Result<()> {
        if self.orphan_members {
            let opened: Vec<String> = self.open.keys().map(uuid::Uuid::to_string).collect();
            submissions::delete_orphan_members(&mut self.tx, &opened)?;
        }
        self.tx.commit()?;
        tracing::debug!("import committed");
        Ok(())
    }
}
