//! The inputs of person de-duplication: a few columns of every victim registration of the live,
//! non-rejected submissions, parsed directly (not as whole records) so that a million rows read
//! in about a second.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use model::codes::VictimStatus;
use model::{LinkageKey, ModelCode, ProviderId, RecordRef};

use crate::dialect::{self, ColumnKind};
use crate::error::{Error, Result};
use crate::records::safe_ref;
use crate::tx::Tx;

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

/// Every victim registration of live, non-rejected submissions, sorted by (provider, record).
pub(crate) fn inputs(tx: &mut Tx<'_>) -> Result<Vec<LinkInput>> {
    let eligible: BTreeSet<String> = tx.rows(ELIGIBLE_SQL, &[])?.into_iter().flatten().collect();
    let sql = select_sql(tx.backend());
    let mut out: Vec<LinkInput> = Vec::new();
    // Rows of one submission mostly come together: decide once per run of rows.
    let mut current: (String, bool) = (String::new(), false);
    tx.for_each_row(&sql, &[], |row| {
        if row[0] != current.0 {
            current = (row[0].to_owned(), eligible.contains(row[0]));
        }
        if !current.1 {
            return Ok(());
        }
        let row = &row[1..];
        let corrupt = || Error::Corrupt { table: "victim_registration", record_ref: safe_ref(row[1]) };
        // Likewise rows of one provider: reuse its id instead of validating it again.
        let provider_id = match out.last() {
            Some(last) if last.provider_id.as_str() == row[0] => last.provider_id.clone(),
            _ => std::sync::Arc::new(ProviderId::new(row[0]).ok_or_else(corrupt)?),
        };
        out.push(LinkInput {
            provider_id,
            record_ref: RecordRef::new(row[1]).ok_or_else(corrupt)?,
            linkage_keys: split(row[2], LinkageKey::parse).ok_or_else(corrupt)?.into_iter().collect(),
            linked_record_refs: split(row[3], RecordRef::new).ok_or_else(corrupt)?,
            status: VictimStatus::from_code(row[4]).ok_or_else(corrupt)?,
            registration_date: dialect::parse_date(row[5]).ok_or_else(corrupt)?,
        });
        Ok(())
    })?;
    // Stable sort: it merges the runs the rows mostly come in (a provider's references in order).
    out.sort_by(|a, b| (&a.provider_id, &a.record_ref).cmp(&(&b.provider_id, &b.record_ref)));
    Ok(out)
}

/// A `|`-joined set (empty text: empty set); `None` if a value does not parse.
fn split<T: Ord>(text: &str, parse: impl Fn(&str) -> Option<T>) -> Option<BTreeSet<T>> {
    if text.is_empty() {
        return Some(BTreeSet::new());
    }
    text.split('|').map(parse).collect()
}
