//! A streamed import: several submissions opened, filled chunk by chunk and closed inside ONE
//! write transaction, so that a large file is stored as it is read and the whole import is
//! still all or nothing.

use std::collections::BTreeMap;

use model::{ProviderId, Submission, SubmissionStatus, Valid};

use crate::error::{Error, Result};
use crate::records::Storable;
use crate::submissions::{self, ImportOutcome};
use crate::tx::Tx;

/// An import in progress: one write transaction. Dropping it without [`Import::commit`] rolls
/// everything back.
pub struct Import<'s> {
    tx: Tx<'s>,
    /// Submissions opened as new revisions in this import, with their provider.
    open: BTreeMap<uuid::Uuid, ProviderId>,
}

impl std::fmt::Debug for Import<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Import").field("backend", &self.tx.backend()).field("open", &self.open.len()).finish()
    }
}

impl<'s> Import<'s> {
    pub(crate) fn new(tx: Tx<'s>) -> Import<'s> {
        Import { tx, open: BTreeMap::new() }
    }

    /// Opens `sub` as the new live revision of (`sub.provider_id`, `sub.period`), exactly as
    /// [`crate::Store::import_submission`] decides: [`ImportOutcome::AlreadyStored`] for the
    /// same file (then records for it are refused), [`Error::PeriodLocked`] for an approved
    /// period, else the live revision is superseded and its records deleted. `sub.record_count`
    /// and `sub.sha256` are set by [`Import::close_submission`].
    #[tracing::instrument(skip_all, fields(submission = %sub.id))]
    pub fn open_submission(
        &mut self,
        sub: &Submission,
        file_sha256: [u8; 32],
        status: SubmissionStatus,
    ) -> Result<ImportOutcome> {
        let outcome = submissions::open(&mut self.tx, sub, file_sha256, status)?;
        if let ImportOutcome::Stored { .. } = outcome {
            self.open.insert(sub.id, sub.provider_id.clone());
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
    pub fn commit(self) -> Result<()> {
        self.tx.commit()?;
        tracing::debug!("import committed");
        Ok(())
    }
}
