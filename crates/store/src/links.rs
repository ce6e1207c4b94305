//! Inputs of person de-duplication: a few columns of every victim registration of the live,
//! non-rejected submissions, read straight from the lean victim rows (linkage keys as raw bytes),
//! either borrowed row by row ([`LinkRow`], no allocation per row) or collected as owned
//! [`LinkInput`]s.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use model::codes::VictimStatus;
use model::{LinkageKey, ModelCode, ProviderId, RecordRef, VictimRegistration};

use crate::dialect::{self, ColumnKind};
use crate::error::{Error, Result};
use crate::records::{Encoded, safe_ref};
use crate::tx::{Cell, Tx};

/// What de-duplication needs to know of one victim registration.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct LinkInput {
    /// The registering provider (shared by all of its registrations: one allocation per provider).
    pub provider_id: std::sync::Arc<ProviderId>,
    /// The provider's opaque reference.
    pub record_ref: RecordRef,
    /// Keyed match keys over the person's identity, computed at the provider.
    pub linkage_keys: Vec<LinkageKey>,
    /// References of the same person at other providers.
    pub linked_record_refs: BTreeSet<RecordRef>,
    /// The registration's status.
    pub status: VictimStatus,
    /// The date of registration.
    pub registration_date: NaiveDate,
}

/// One victim registration as de-duplication reads it, borrowed from its stored row.
#[derive(Clone, Copy, Debug)]
pub struct LinkRow<'a> {
    /// The registering provider's id.
    pub provider_id: &'a str,
    /// The provider's opaque reference.
    pub record_ref: &'a str,
    /// The linkage keys' raw bytes, 16 per key, in ascending order.
    pub linkage_keys: &'a [u8],
    /// References of the same person at other providers, `|`-joined (empty: none).
    pub linked_record_refs: &'a str,
    /// The registration's status.
    pub status: VictimStatus,
    /// The date of registration.
    pub registration_date: NaiveDate,
}

impl<'a> LinkRow<'a> {
    /// The link columns of an encoded victim registration (`None` if its status or date do not
    /// parse, which cannot happen for a validated record).
    pub fn of(record: &'a Encoded<VictimRegistration>) -> Option<LinkRow<'a>> {
        Some(LinkRow {
            provider_id: record.provider_id(),
            record_ref: record.record_ref(),
            linkage_keys: record.key_bytes(),
            linked_record_refs: record.value(LINKED_REFS),
            status: VictimStatus::from_code(record.value(STATUS))?,
            registration_date: dialect::parse_date(record.value(REGISTRATION_DATE))?,
        })
    }

    /// The linkage keys.
    pub fn keys(&self) -> impl Iterator<Item = LinkageKey> + '_ {
        self.linkage_keys.chunks_exact(16).map(|c| {
            let mut bytes = [0u8; 16];
            bytes.copy_from_slice(c);
            LinkageKey::from_bytes(bytes)
        })
    }

    /// The explicit links, one reference each.
    pub fn links(&self) -> impl Iterator<Item = &str> + '_ {
        self.linked_record_refs.split('|').filter(|l| !l.is_empty())
    }
}

/// Positions of the link columns in [`VictimRegistration::COLUMNS`] (checked by a unit test).
pub(crate) const REGISTRATION_DATE: usize = 2;
pub(crate) const STATUS: usize = 3;
pub(crate) const LINKED_REFS: usize = 6;

/// The submissions whose victims count: live and not rejected.
pub(crate) const ELIGIBLE_SQL: &str =
    "SELECT id FROM submission WHERE status <> 'rejected' AND status <> 'superseded'";

/// The columns de-duplication needs, of every victim registration. Filtering by submission in
/// the program rather than by a join in SQL makes SQLite's scan about a third faster.
fn select_sql(backend: crate::Backend) -> String {
    format!(
        "SELECT submission_id, provider_id, record_ref, linkage_keys, linked_record_refs, status, {} \
         FROM victim_registration",
        dialect::text_expr(backend, ColumnKind::Date, "registration_date")
    )
}

/// The highest rowid of the victim table (SQLite; `None` in PostgreSQL or for an empty table).
pub(crate) fn last_rowid(tx: &mut Tx<'_>) -> Result<Option<i64>> {
    if tx.backend() != crate::Backend::Sqlite {
        return Ok(None);
    }
    let rows = tx.rows("SELECT CAST(MAX(rowid) AS TEXT) FROM victim_registration", &[])?;
    Ok(rows.first().and_then(|r| r.first()).and_then(|t| t.parse().ok()))
}

/// Hands every victim registration of live, non-rejected submissions, except those of the
/// submissions in `skip`, to `f`, in storage order. With a non-empty `skip`, SQLite scans only the
/// rows up to rowid `up_to_rowid` (`None`: the table was empty), where every row of the other
/// submissions is.
pub(crate) fn for_each(
    tx: &mut Tx<'_>,
    skip: &BTreeSet<String>,
    up_to_rowid: Option<i64>,
    mut f: impl FnMut(&LinkRow<'_>) -> Result<()>,
) -> Result<()> {
    let mut eligible: BTreeSet<String> = tx.rows(ELIGIBLE_SQL, &[])?.into_iter().flatten().collect();
    eligible.retain(|id| !skip.contains(id));
    let mut sql = select_sql(tx.backend());
    if tx.backend() == crate::Backend::Sqlite && !skip.is_empty() {
        // Rows inserted since come after `up_to_rowid` (or reuse rowids of rows deleted since,
        // which belong to skipped submissions and are left out below).
        let bound = up_to_rowid.unwrap_or(0);
        sql.push_str(&format!(" WHERE rowid <= {bound}"));
    }
    // Rows of one submission mostly come together: decide once per run of rows.
    let mut current: (String, bool) = (String::new(), false);
    tx.for_each_cells(&sql, &[], |cells| {
        let text = |i: usize| cells.get(i).and_then(|c| c.text());
        let submission = text(0).unwrap_or_default();
        if submission != current.0 {
            current = (submission.to_owned(), eligible.contains(submission));
        }
        if !current.1 {
            return Ok(());
        }
        let record_ref = text(2).unwrap_or_default();
        let corrupt = || Error::Corrupt { table: "victim_registration", record_ref: safe_ref(record_ref) };
        let keys = cells.get(3).copied().and_then(Cell::bytes).ok_or_else(corrupt)?;
        if keys.len() % 16 != 0 {
            return Err(corrupt());
        }
        f(&LinkRow {
            provider_id: text(1).ok_or_else(corrupt)?,
            record_ref,
            linkage_keys: keys,
            linked_record_refs: text(4).ok_or_else(corrupt)?,
            status: text(5).and_then(VictimStatus::from_code).ok_or_else(corrupt)?,
            registration_date: text(6).and_then(dialect::parse_date).ok_or_else(corrupt)?,
        })
    })
}

/// Every victim registration of live, non-rejected submissions, sorted by (provider, record).
pub(crate) fn inputs(tx: &mut Tx<'_>) -> Result<Vec<LinkInput>> {
    let mut out: Vec<LinkInput> = Vec::new();
    for_each(tx, &BTreeSet::new(), None, |row| {
        let corrupt =
            || Error::Corrupt { table: "victim_registration", record_ref: safe_ref(row.record_ref) };
        // Rows of one provider mostly come together: reuse its id instead of validating it again.
        let provider_id = match out.last() {
            Some(last) if last.provider_id.as_str() == row.provider_id => last.provider_id.clone(),
            _ => std::sync::Arc::new(ProviderId::new(row.provider_id).ok_or_else(corrupt)?),
        };
        out.push(LinkInput {
            provider_id,
            record_ref: RecordRef::new(row.record_ref).ok_or_else(corrupt)?,
            linkage_keys: row.keys().collect(),
            linked_record_refs: row.links().map(RecordRef::new).collect::<Option<_>>().ok_or_else(corrupt)?,
            status: row.status,
            registration_date: row.registration_date,
        });
        Ok(())
    })?;
    // Stable sort: it merges the runs the rows mostly come in (a provider's references in order).
    out.sort_by(|a, b| (&a.provider_id, &a.record_ref).cmp(&(&b.provider_id, &b.record_ref)));
    Ok(out)
}
