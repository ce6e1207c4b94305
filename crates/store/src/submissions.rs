//! Submissions: one provider's batch for one quarter, stored with all its records at once.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use model::codes::SubmissionAction;
use model::{Batch, ModelCode, ModelRecord, Period, ProviderId, Submission, SubmissionStatus};

use crate::dialect;
use crate::error::{Error, Result};
use crate::records::safe_ref;
use crate::tx::{Tx, Value};

/// Whether a submission id is taken.
pub(crate) const EXISTS_SQL: &str = "SELECT id FROM submission WHERE id = $1";

/// Every registered provider id.
pub(crate) const PROVIDER_IDS_SQL: &str = "SELECT id FROM data_provider";

/// Stores the submission row.
pub(crate) const INSERT_SQL: &str = "INSERT INTO submission \
     (id, provider_id, period, schema_version, codelist_version, submitted_at, action, record_count, sha256, status) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";

/// Stores `sub` and every record of `batch` in the caller's transaction.
pub(crate) fn insert(
    tx: &mut Tx<'_>,
    sub: &Submission,
    status: SubmissionStatus,
    batch: &Batch,
) -> Result<()> {
    let id = sub.id.to_string();
    if !tx.rows(EXISTS_SQL, &[Value::Text(&id)])?.is_empty() {
        return Err(Error::DuplicateSubmission { id: sub.id });
    }
    let known: BTreeSet<String> = tx.rows(PROVIDER_IDS_SQL, &[])?.into_iter().flatten().collect();
    let unknown = |p: &ProviderId| {
        (!known.contains(p.as_str())).then(|| Error::UnknownProvider { provider_id: p.clone() })
    };
    let record_providers = batch
        .victims
        .iter()
        .map(|r| r.provider_id())
        .chain(batch.suspects.iter().map(|r| r.provider_id()))
        .chain(batch.prosecutions.iter().map(|r| r.provider_id()))
        .chain(batch.court_decisions.iter().map(|r| r.provider_id()));
    if let Some(e) = unknown(&sub.provider_id) {
        return Err(e);
    }
    if let Some(other) = record_providers.into_iter().find(|p| **p != sub.provider_id) {
        return Err(Error::RecordOfOtherProvider { provider_id: other.clone() });
    }
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
        ],
    )?;
    tx.insert_records(&id, &batch.victims)?;
    tx.insert_records(&id, &batch.suspects)?;
    tx.insert_records(&id, &batch.prosecutions)?;
    tx.insert_records(&id, &batch.court_decisions)?;
    Ok(())
}

/// Every submission with its status, sorted by provider, period, time of submission and id.
pub(crate) fn all(tx: &mut Tx<'_>) -> Result<Vec<(Submission, SubmissionStatus)>> {
    let sql = format!(
        "SELECT id, provider_id, period, schema_version, codelist_version, {}, action, \
         CAST(record_count AS TEXT), sha256, status FROM submission",
        dialect::timestamp_micros_expr(tx.backend(), "submitted_at"),
    );
    let mut out = Vec::new();
    tx.for_each_row(&sql, &[], |row| {
        let parsed =
            parse(row).ok_or_else(|| Error::Corrupt { table: "submission", record_ref: safe_ref(row[0]) })?;
        out.push(parsed);
        Ok(())
    })?;
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
