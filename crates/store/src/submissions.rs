//! Submissions: one provider's batch for one quarter, stored with all its records at once.
//!
//! A submission is one *revision* of (provider, period). At most one revision is live (any
//! status but superseded; a partial unique index guarantees it). Importing a new file for the
//! period supersedes the live revision: its row, hashes and event log stay as history, its
//! records (and their person memberships) are deleted. Every status change is appended to
//! `submission_event`.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use model::codes::SubmissionAction;
use model::{Batch, ModelCode, ModelRecord, Period, ProviderId, Submission, SubmissionStatus};

use crate::dialect;
use crate::error::{Error, Result};
use crate::records::{TABLES, safe_ref};
use crate::tx::{Tx, Value};

/// What storing an import did.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ImportOutcome {
    /// Stored as revision `revision` of (provider, period); `replaced` is the previous live
    /// revision, now superseded.
    Stored {
        /// The new submission.
        submission_id: uuid::Uuid,
        /// Its revision number (1 for the first).
        revision: u32,
        /// The revision it superseded.
        replaced: Option<uuid::Uuid>,
    },
    /// The same file (same file hash) or the same submission is already the live revision for
    /// this provider and period: nothing changed.
    AlreadyStored {
        /// The live submission.
        submission_id: uuid::Uuid,
    },
}

/// One revision of a submission with its intake state.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct SubmissionInfo {
    /// The submission.
    pub submission: Submission,
    /// Its status.
    pub status: SubmissionStatus,
    /// Its revision number for (provider, period), from 1.
    pub revision: u32,
    /// The revision that replaced it, if superseded.
    pub superseded_by: Option<uuid::Uuid>,
    /// SHA-256 of the imported file (absent for submissions not stored by an import).
    pub file_sha256: Option<[u8; 32]>,
}

/// One entry of a submission's event log: when, the status it took, the note given.
pub type SubmissionEvent = (DateTime<Utc>, SubmissionStatus, Option<String>);

/// Whether a submission id is taken.
pub(crate) const EXISTS_SQL: &str = "SELECT id FROM submission WHERE id = $1";

/// Every registered provider id.
pub(crate) const PROVIDER_IDS_SQL: &str = "SELECT id FROM data_provider";

/// Stores the submission row.
pub(crate) const INSERT_SQL: &str = "INSERT INTO submission \
     (id, provider_id, period, schema_version, codelist_version, submitted_at, action, record_count, sha256, \
     status, revision, file_sha256) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)";

/// The live revision of (provider, period).
pub(crate) const LIVE_SQL: &str = "SELECT id, status, file_sha256 FROM submission \
     WHERE provider_id = $1 AND period = $2 AND status <> 'superseded'";

/// The highest revision number of (provider, period).
pub(crate) const MAX_REVISION_SQL: &str = "SELECT CAST(COALESCE(MAX(revision), 0) AS TEXT) FROM submission \
     WHERE provider_id = $1 AND period = $2";

/// The final count and content hash of a streamed submission.
pub(crate) const CLOSE_SQL: &str = "UPDATE submission SET record_count = $1, sha256 = $2 WHERE id = $3";

/// Changes a submission's status.
pub(crate) const SET_STATUS_SQL: &str = "UPDATE submission SET status = $1 WHERE id = $2";

/// Points a superseded revision at its successor.
pub(crate) const SUPERSEDED_BY_SQL: &str = "UPDATE submission SET superseded_by = $1 WHERE id = $2";

/// Deletes the person memberships of a submission's victims (before the victims themselves).
pub(crate) const DELETE_MEMBERS_SQL: &str = "DELETE FROM victim_person WHERE provider_id = $1 \
     AND record_ref IN (SELECT record_ref FROM victim_registration WHERE submission_id = $2)";

/// SQLite: where a submission's victim rows lie (rowid range) and how many there are.
pub(crate) const SPAN_SQL: &str = "SELECT CAST(first_rowid AS TEXT), CAST(last_rowid AS TEXT), CAST(row_count AS TEXT) FROM victim_span \
     WHERE submission_id = $1";

/// SQLite: deletes the person memberships of a submission's victims within its rowid range.
pub(crate) const DELETE_SPAN_MEMBERS_SQL: &str = "DELETE FROM victim_person WHERE provider_id = $1 \
     AND record_ref IN (SELECT record_ref FROM victim_registration WHERE submission_id = $2 \
     AND rowid BETWEEN $3 AND $4)";

/// SQLite: deletes a submission's victims within its rowid range.
pub(crate) const DELETE_SPAN_VICTIMS_SQL: &str =
    "DELETE FROM victim_registration WHERE submission_id = $1 AND rowid BETWEEN $2 AND $3";

/// SQLite: forgets a submission's rowid range.
pub(crate) const DELETE_SPAN_SQL: &str = "DELETE FROM victim_span WHERE submission_id = $1";

/// The current status of a submission.
pub(crate) const STATUS_SQL: &str = "SELECT status FROM submission WHERE id = $1";

/// The next sequence number of a submission's event log.
pub(crate) const NEXT_EVENT_SQL: &str =
    "SELECT CAST(COALESCE(MAX(seq), 0) + 1 AS TEXT) FROM submission_event WHERE submission_id = $1";

/// Appends one event.
pub(crate) const INSERT_EVENT_SQL: &str =
    "INSERT INTO submission_event (submission_id, seq, at, status, note) VALUES ($1, $2, $3, $4, $5)";

/// The live revision of a provider and period, as stored.
struct Live {
    id: uuid::Uuid,
    status: SubmissionStatus,
    file_sha256: String,
}

/// Stores `sub` and every record of `batch` in the caller's transaction, as revision 1.
///
/// Fails with [`Error::PeriodTaken`] if the provider already has a live submission for the
/// period (only an import can replace it).
pub(crate) fn insert(
    tx: &mut Tx<'_>,
    sub: &Submission,
    status: SubmissionStatus,
    batch: &Batch,
) -> Result<()> {
    let id = sub.id.to_string();
    if exists(tx, &id)? {
        return Err(Error::DuplicateSubmission { id: sub.id });
    }
    check_providers(tx, sub, batch)?;
    if live(tx, &sub.provider_id, sub.period)?.is_some() {
        return Err(Error::PeriodTaken { provider_id: sub.provider_id.clone(), period: sub.period });
    }
    store(tx, sub, status, 1, None)?;
    insert_batch(tx, &id, batch)
}

/// Stores an imported file as the new live revision of its provider and period (see
/// [`crate::Store::import_submission`]).
pub(crate) fn import(
    tx: &mut Tx<'_>,
    sub: &Submission,
    file_sha256: [u8; 32],
    status: SubmissionStatus,
    batch: &Batch,
) -> Result<ImportOutcome> {
    check_providers(tx, sub, batch)?;
    let outcome = open(tx, sub, file_sha256, status, Memberships::Delete)?;
    if let ImportOutcome::Stored { .. } = outcome {
        insert_batch(tx, &sub.id.to_string(), batch)?;
    }
    Ok(outcome)
}

/// Opens the new live revision of an import, without its records (see
/// [`crate::Import::open_submission`]): the submission row and its first event, after
/// superseding the live revision.
pub(crate) fn open(
    tx: &mut Tx<'_>,
    sub: &Submission,
    file_sha256: [u8; 32],
    status: SubmissionStatus,
    members: Memberships,
) -> Result<ImportOutcome> {
    check_providers(tx, sub, &Batch::default())?;
    let file_hex = hex::encode(file_sha256);
    let live = live(tx, &sub.provider_id, sub.period)?;
    if let Some(l) = &live
        && (l.file_sha256 == file_hex || l.id == sub.id)
    {
        return Ok(ImportOutcome::AlreadyStored { submission_id: l.id });
    }
    let id = sub.id.to_string();
    if exists(tx, &id)? {
        return Err(Error::DuplicateSubmission { id: sub.id });
    }
    let period = sub.period.to_string();
    let max_revision =
        single(tx, MAX_REVISION_SQL, &[Value::Text(sub.provider_id.as_str()), Value::Text(&period)])?;
    let revision =
        max_revision.parse::<u32>().ok().and_then(|r| r.checked_add(1)).ok_or_else(corrupt_revision)?;
    let replaced = match live {
        Some(l) if l.status == SubmissionStatus::Approved => {
            return Err(Error::PeriodLocked { provider_id: sub.provider_id.clone(), period: sub.period });
        }
        Some(l) => {
            let old = l.id.to_string();
            change_status(tx, &old, SubmissionStatus::Superseded, None)?;
            delete_records(tx, &sub.provider_id, &old, members)?;
            Some(l.id)
        }
        None => None,
    };
    store(tx, sub, status, revision, Some(&file_hex))?;
    if let Some(old) = replaced {
        tx.execute(SUPERSEDED_BY_SQL, &[Value::Text(&id), Value::Text(&old.to_string())])?;
    }
    Ok(ImportOutcome::Stored { submission_id: sub.id, revision, replaced })
}

/// What to do with the person memberships of the victims of a superseded revision.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Memberships {
    /// Delete them with the victims.
    Delete,
    /// Leave them: the caller removes every membership of a deleted registration once, before
    /// it commits ([`DELETE_ORPHAN_MEMBERS_SQL`], unless it replaces all persons anyway).
    Later,
}

/// Deletes the person memberships whose registration is not stored (any more), or was stored by
/// one of the submissions listed after it (`$1, $2, …`: registrations new in this import, whose
/// reference may have had a membership through the row they replace).
pub(crate) const DELETE_ORPHAN_MEMBERS_SQL: &str = "DELETE FROM victim_person WHERE NOT EXISTS \
     (SELECT 1 FROM victim_registration v WHERE v.provider_id = victim_person.provider_id \
     AND v.record_ref = victim_person.record_ref AND v.submission_id NOT IN";

/// Deletes the memberships of registrations gone, or new in `new_submissions`.
pub(crate) fn delete_orphan_members(tx: &mut Tx<'_>, new_submissions: &[String]) -> Result<()> {
    let placeholders: Vec<String> = (1..=new_submissions.len()).map(|i| format!("${i}")).collect();
    // `NOT IN ('')`: no submission has an empty id.
    let list = if placeholders.is_empty() { "''".to_owned() } else { placeholders.join(", ") };
    let params: Vec<Value<'_>> = new_submissions.iter().map(|id| Value::Text(id)).collect();
    tx.execute(&format!("{DELETE_ORPHAN_MEMBERS_SQL} ({list}))"), &params)?;
    Ok(())
}

/// Deletes the records of submission `id`, and with `Memberships::Delete` the person memberships
/// of its victims.
///
/// SQLite has no index of victims by submission: their rows are deleted within the submission's
/// rowid range (`victim_span`), and by a scan only if some lie outside it (after a VACUUM).
fn delete_records(tx: &mut Tx<'_>, provider_id: &ProviderId, id: &str, members: Memberships) -> Result<()> {
    let provider = Value::Text(provider_id.as_str());
    let delete_members = members == Memberships::Delete;
    let mut victims_left = true;
    if tx.backend() == crate::Backend::Sqlite {
        let span = tx.rows(SPAN_SQL, &[Value::Text(id)])?;
        match span.first().map(|r| r.iter().map(|c| c.parse::<i64>()).collect::<Vec<_>>()) {
            Some(cells) => {
                let [Ok(first), Ok(last), Ok(count)] = cells.as_slice() else {
                    return Err(Error::Corrupt { table: "victim_span", record_ref: safe_ref(id) });
                };
                let range = [Value::Text(id), Value::BigInt(*first), Value::BigInt(*last)];
                if delete_members {
                    tx.execute(DELETE_SPAN_MEMBERS_SQL, &[provider, range[0], range[1], range[2]])?;
                }
                let deleted = tx.execute(DELETE_SPAN_VICTIMS_SQL, &range)?;
                tx.execute(DELETE_SPAN_SQL, &[Value::Text(id)])?;
                victims_left = u64::try_from(*count) != Ok(deleted);
            }
            // Every victim row written in SQLite is in a span: none here.
            None => victims_left = false,
        }
    }
    for (table, _) in TABLES {
        if table == crate::records::VICTIMS && !victims_left {
            continue;
        }
        if table == crate::records::VICTIMS && delete_members {
            tx.execute(DELETE_MEMBERS_SQL, &[provider, Value::Text(id)])?;
        }
        tx.execute(&format!("DELETE FROM {table} WHERE submission_id = $1"), &[Value::Text(id)])?;
    }
    Ok(())
}

/// Records the final count and content hash of a streamed submission.
pub(crate) fn close(tx: &mut Tx<'_>, id: uuid::Uuid, record_count: u32, sha256: [u8; 32]) -> Result<()> {
    let sha256 = hex::encode(sha256);
    let text = id.to_string();
    tx.execute(CLOSE_SQL, &[Value::BigInt(record_count.into()), Value::Text(&sha256), Value::Text(&text)])?;
    Ok(())
}

fn corrupt_revision() -> Error {
    Error::Corrupt { table: "submission", record_ref: "(revision)".to_owned() }
}

fn exists(tx: &mut Tx<'_>, id: &str) -> Result<bool> {
    Ok(!tx.rows(EXISTS_SQL, &[Value::Text(id)])?.is_empty())
}

/// The first cell of the first row (`""` if none).
fn single(tx: &mut Tx<'_>, sql: &str, params: &[Value<'_>]) -> Result<String> {
    Ok(tx.rows(sql, params)?.into_iter().next().and_then(|r| r.into_iter().next()).unwrap_or_default())
}

/// The submitter and every record's provider must be registered, and records must be the
/// submitter's own.
fn check_providers(tx: &mut Tx<'_>, sub: &Submission, batch: &Batch) -> Result<()> {
    let known: BTreeSet<String> = tx.rows(PROVIDER_IDS_SQL, &[])?.into_iter().flatten().collect();
    if !known.contains(sub.provider_id.as_str()) {
        return Err(Error::UnknownProvider { provider_id: sub.provider_id.clone() });
    }
    let record_providers = batch
        .victims
        .iter()
        .map(|r| r.provider_id())
        .chain(batch.suspects.iter().map(|r| r.provider_id()))
        .chain(batch.prosecutions.iter().map(|r| r.provider_id()))
        .chain(batch.court_decisions.iter().map(|r| r.provider_id()));
    if let Some(other) = record_providers.into_iter().find(|p| **p != sub.provider_id) {
        return Err(Error::RecordOfOtherProvider { provider_id: other.clone() });
    }
    Ok(())
}

fn live(tx: &mut Tx<'_>, provider_id: &ProviderId, period: Period) -> Result<Option<Live>> {
    let period = period.to_string();
    let rows = tx.rows(LIVE_SQL, &[Value::Text(provider_id.as_str()), Value::Text(&period)])?;
    let Some(row) = rows.into_iter().next() else {
        return Ok(None);
    };
    let corrupt = || Error::Corrupt { table: "submission", record_ref: safe_ref(&row[0]) };
    Ok(Some(Live {
        id: uuid::Uuid::parse_str(&row[0]).map_err(|_| corrupt())?,
        status: SubmissionStatus::parse(&row[1]).ok_or_else(corrupt)?,
        file_sha256: row[2].clone(),
    }))
}

/// Writes the submission row and its first event.
fn store(
    tx: &mut Tx<'_>,
    sub: &Submission,
    status: SubmissionStatus,
    revision: u32,
    file_sha256: Option<&str>,
) -> Result<()> {
    if status == SubmissionStatus::Superseded {
        // Only a newer revision supersedes a submission.
        return Err(Error::InvalidTransition { from: SubmissionStatus::Received, to: status });
    }
    let id = sub.id.to_string();
    let period = sub.period.to_string();
    let sha256 = hex::encode(sub.sha256);
    tx.execute(
        INSERT_SQL,
        &[
            Value::Text(&id),
            Value::Text(sub.provider_id.as_str()),
            Value::Text(&period),
            Value::Text(&sub.schema_version),
            Value::Text(&sub.codelist_version),
            Value::Timestamp(sub.submitted_at),
            Value::Text(sub.action.code()),
            Value::BigInt(sub.record_count.into()),
            Value::Text(&sha256),
            Value::Text(status.as_str()),
            Value::Int(i32::try_from(revision).map_err(|_| corrupt_revision())?),
            Value::OptText(file_sha256),
        ],
    )?;
    append_event(tx, &id, status, None)
}

/// Writes every record of `batch` for submission `id`.
fn insert_batch(tx: &mut Tx<'_>, id: &str, batch: &Batch) -> Result<()> {
    tx.insert_records(id, &batch.victims)?;
    tx.insert_records(id, &batch.suspects)?;
    tx.insert_records(id, &batch.prosecutions)?;
    tx.insert_records(id, &batch.court_decisions)
}

/// Whether the lifecycle allows `from` → `to`.
fn allowed(from: SubmissionStatus, to: SubmissionStatus) -> bool {
    use SubmissionStatus::*;
    matches!(
        (from, to),
        (Received, Validated | Rejected)
            | (Validated, Accepted | Rejected)
            | (Accepted, Approved)
            | (Approved, Accepted)
    )
}

/// Moves a submission along its lifecycle and logs the change.
pub(crate) fn set_status(
    tx: &mut Tx<'_>,
    id: uuid::Uuid,
    to: SubmissionStatus,
    note: Option<&str>,
) -> Result<()> {
    let text = id.to_string();
    let rows = tx.rows(STATUS_SQL, &[Value::Text(&text)])?;
    let current = rows.first().and_then(|r| r.first()).ok_or(Error::UnknownSubmission { id })?;
    let from = SubmissionStatus::parse(current)
        .ok_or_else(|| Error::Corrupt { table: "submission", record_ref: text.clone() })?;
    if !allowed(from, to) {
        return Err(Error::InvalidTransition { from, to });
    }
    let note = note.map(str::trim).filter(|n| !n.is_empty());
    if from == SubmissionStatus::Approved && note.is_none() {
        return Err(Error::NoteRequired);
    }
    change_status(tx, &text, to, note)
}

fn change_status(tx: &mut Tx<'_>, id: &str, to: SubmissionStatus, note: Option<&str>) -> Result<()> {
    tx.execute(SET_STATUS_SQL, &[Value::Text(to.as_str()), Value::Text(id)])?;
    append_event(tx, id, to, note)
}

fn append_event(tx: &mut Tx<'_>, id: &str, status: SubmissionStatus, note: Option<&str>) -> Result<()> {
    let next = single(tx, NEXT_EVENT_SQL, &[Value::Text(id)])?;
    let seq: i32 =
        next.parse().map_err(|_| Error::Corrupt { table: "submission_event", record_ref: safe_ref(id) })?;
    let now = dialect::truncate_to_micros(Utc::now());
    tx.execute(
        INSERT_EVENT_SQL,
        &[
            Value::Text(id),
            Value::Int(seq),
            Value::Timestamp(now),
            Value::Text(status.as_str()),
            Value::OptText(note),
        ],
    )?;
    Ok(())
}

/// The columns [`parse`] reads, then revision, superseded_by and file_sha256.
fn select_sql(backend: crate::Backend) -> String {
    format!(
        "SELECT id, provider_id, period, schema_version, codelist_version, {}, action, \
         CAST(record_count AS TEXT), sha256, status, CAST(revision AS TEXT), superseded_by, file_sha256 \
         FROM submission",
        dialect::timestamp_micros_expr(backend, "submitted_at"),
    )
}

/// Every submission with its status, sorted by provider, period, time of submission and id.
pub(crate) fn all(tx: &mut Tx<'_>) -> Result<Vec<(Submission, SubmissionStatus)>> {
    let mut out: Vec<_> = infos(tx)?.into_iter().map(|i| (i.submission, i.status)).collect();
    out.sort_by(|(a, _), (b, _)| {
        (&a.provider_id, a.period, a.submitted_at, a.id).cmp(&(
            &b.provider_id,
            b.period,
            b.submitted_at,
            b.id,
        ))
    });
    Ok(out)
}

/// Every revision, sorted by provider, period and revision.
pub(crate) fn infos(tx: &mut Tx<'_>) -> Result<Vec<SubmissionInfo>> {
    let sql = select_sql(tx.backend());
    let mut out = Vec::new();
    tx.for_each_row(&sql, &[], |row| {
        out.push(parse_info(row)?);
        Ok(())
    })?;
    out.sort_by(|a, b| {
        (&a.submission.provider_id, a.submission.period, a.revision).cmp(&(
            &b.submission.provider_id,
            b.submission.period,
            b.revision,
        ))
    });
    Ok(out)
}

/// One revision by id.
pub(crate) fn info(tx: &mut Tx<'_>, id: uuid::Uuid) -> Result<Option<SubmissionInfo>> {
    let sql = format!("{} WHERE id = $1", select_sql(tx.backend()));
    let text = id.to_string();
    let mut out = None;
    tx.for_each_row(&sql, &[Value::Text(&text)], |row| {
        out = Some(parse_info(row)?);
        Ok(())
    })?;
    Ok(out)
}

/// A submission's event log, in order.
pub(crate) fn events(tx: &mut Tx<'_>, id: uuid::Uuid) -> Result<Vec<SubmissionEvent>> {
    let sql = format!(
        "SELECT {}, status, note FROM submission_event WHERE submission_id = $1 ORDER BY seq",
        dialect::timestamp_micros_expr(tx.backend(), "at")
    );
    let text = id.to_string();
    let mut out = Vec::new();
    tx.for_each_row(&sql, &[Value::Text(&text)], |row| {
        let corrupt = || Error::Corrupt { table: "submission_event", record_ref: text.clone() };
        let at = DateTime::parse_from_rfc3339(row[0]).map_err(|_| corrupt())?.with_timezone(&Utc);
        let status = SubmissionStatus::parse(row[1]).ok_or_else(corrupt)?;
        let note = (!row[2].is_empty()).then(|| row[2].to_owned());
        out.push((at, status, note));
        Ok(())
    })?;
    Ok(out)
}

fn parse_info(row: &[&str]) -> Result<SubmissionInfo> {
    let corrupt = || Error::Corrupt { table: "submission", record_ref: safe_ref(row[0]) };
    let (submission, status) = parse(row).ok_or_else(corrupt)?;
    let superseded_by = match row[11] {
        "" => None,
        text => Some(uuid::Uuid::parse_str(text).map_err(|_| corrupt())?),
    };
    let file_sha256 = match row[12] {
        "" => None,
        text => {
            let mut hash = [0u8; 32];
            hex::decode_to_slice(text, &mut hash).map_err(|_| corrupt())?;
            Some(hash)
        }
    };
    Ok(SubmissionInfo {
        submission,
        status,
        revision: row[10].parse().map_err(|_| corrupt())?,
        superseded_by,
        file_sha256,
    })
}

fn parse(row: &[&str]) -> Option<(Submission, SubmissionStatus)> {
    let mut sha256 = [0u8; 32];
    hex::decode_to_slice(row[8], &mut sha256).ok()?;
    let submission = Submission {
        id: uuid::Uuid::parse_str(row[0]).ok()?,
        provider_id: ProviderId::new(row[1])?,
        period: row[2].parse::<Period>().ok()?,
        schema_version: row[3].to_owned(),
        codelist_version: row[4].to_owned(),
        submitted_at: DateTime::parse_from_rfc3339(row[5]).ok()?.with_timezone(&Utc),
        action: SubmissionAction::from_code(row[6])?,
        record_count: row[7].parse().ok()?,
        sha256,
    };
    Some((submission, SubmissionStatus::parse(row[9])?))
}
