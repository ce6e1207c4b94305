//! The four record tables: written and read generically through the model's canonical text
//! form ([`model::ModelRecord`]), plus the counting queries over them.
//!
//! A record table's columns are `submission_id` followed by the record type's
//! [`ModelRecord::COLUMNS`], with the same names; see `migrations/*/0001_init.sql`.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use model::codes::{ExploitationForm, RecordType, Sex};
use model::{
    Codelists, CourtDecision, ModelCode, ModelRecord, Prosecution, ProviderId, RecordRef, Suspect,
    VictimRegistration,
};

use crate::dialect::{self, column_kind};
use crate::error::{Error, Result};
use crate::tx::{Tx, Value};

/// A record type of the model with its table: the four record types, and only they (a type
/// outside the model cannot be [`model::Valid`], the only form the store accepts).
pub trait Storable: ModelRecord {
    /// The table name.
    const TABLE: &'static str;
}

impl Storable for VictimRegistration {
    const TABLE: &'static str = "victim_registration";
}

impl Storable for Suspect {
    const TABLE: &'static str = "suspect";
}

impl Storable for Prosecution {
    const TABLE: &'static str = "prosecution";
}

impl Storable for CourtDecision {
    const TABLE: &'static str = "court_decision";
}

/// Every record table with its record type, in the model's record-type order.
pub(crate) const TABLES: [(&str, RecordType); 4] = [
    (VictimRegistration::TABLE, RecordType::Victim),
    (Suspect::TABLE, RecordType::Suspect),
    (Prosecution::TABLE, RecordType::Prosecution),
    (CourtDecision::TABLE, RecordType::CourtDecision),
];

/// An opaque reference that is safe to put in an error message, or a placeholder.
pub(crate) fn safe_ref(text: &str) -> String {
    RecordRef::new(text).map_or_else(|| "(unreadable reference)".to_owned(), |r| r.to_string())
}

/// Every record of type `R`, sorted by provider id and record reference.
pub(crate) fn read_all<R: Storable>(tx: &mut Tx<'_>, lists: &Codelists) -> Result<Vec<R>> {
    let backend = tx.backend();
    let exprs: Vec<String> =
        R::COLUMNS.iter().map(|c| dialect::text_expr(backend, column_kind(c), c)).collect();
    let sql = format!("SELECT {} FROM {}", exprs.join(", "), R::TABLE);
    let mut out = Vec::new();
    tx.for_each_row(&sql, &[], |row| {
        let record = R::parse(row, lists).map_err(|_| Error::Corrupt {
            table: R::TABLE,
            record_ref: safe_ref(row.first().copied().unwrap_or_default()),
        })?;
        out.push(record);
        Ok(())
    })?;
    out.sort_by(|a, b| (a.provider_id(), a.record_ref()).cmp(&(b.provider_id(), b.record_ref())));
    Ok(out)
}

/// Records per (provider, record type), sorted.
pub(crate) fn counts(tx: &mut Tx<'_>) -> Result<Vec<(ProviderId, RecordType, u64)>> {
    let mut out = Vec::new();
    for (table, record_type) in TABLES {
        let sql = format!("SELECT provider_id, CAST(COUNT(*) AS TEXT) FROM {table} GROUP BY provider_id");
        tx.for_each_row(&sql, &[], |row| {
            let corrupt = || Error::Corrupt { table, record_ref: safe_ref(row[0]) };
            let provider = ProviderId::new(row[0]).ok_or_else(corrupt)?;
            let n = row[1].parse().map_err(|_| corrupt())?;
            out.push((provider, record_type, n));
            Ok(())
        })?;
    }
    out.sort();
    Ok(out)
}

/// Victim registrations per sex and main form whose registration date falls in `year`.
pub(crate) const VICTIM_COUNTS_SQL: &str = "SELECT sex, main_exploitation, CAST(COUNT(*) AS TEXT) \
     FROM victim_registration WHERE registration_date >= $1 AND registration_date < $2 \
     GROUP BY sex, main_exploitation";

/// Victim registrations of `year` by sex and main form of exploitation, in the enums' order.
pub(crate) fn victim_counts(tx: &mut Tx<'_>, year: i32) -> Result<Vec<(Sex, ExploitationForm, u64)>> {
    let first = |y: i32| NaiveDate::from_ymd_opt(y, 1, 1).ok_or(Error::YearOutOfRange(year));
    let (from, until) = (first(year)?, first(year.checked_add(1).ok_or(Error::YearOutOfRange(year))?)?);
    let mut out = BTreeMap::new();
    tx.for_each_row(VICTIM_COUNTS_SQL, &[Value::Date(from), Value::Date(until)], |row| {
        let corrupt =
            || Error::Corrupt { table: VictimRegistration::TABLE, record_ref: "(aggregate)".to_owned() };
        let sex = Sex::from_code(row[0]).ok_or_else(corrupt)?;
        let form = ExploitationForm::from_code(row[1]).ok_or_else(corrupt)?;
        let n: u64 = row[2].parse().map_err(|_| corrupt())?;
        *out.entry((sex, form)).or_insert(0) += n;
        Ok(())
    })?;
    Ok(out.into_iter().map(|((s, f), n)| (s, f, n)).collect())
}

/// The latest registration date among victims.
pub(crate) const LAST_VICTIM_DATE_SQL: &str =
    "SELECT CAST(MAX(registration_date) AS TEXT) FROM victim_registration";

/// The latest registration date among victims, if any.
pub(crate) fn last_victim_date(tx: &mut Tx<'_>) -> Result<Option<NaiveDate>> {
    let rows = tx.rows(LAST_VICTIM_DATE_SQL, &[])?;
    match rows.first().and_then(|r| r.first()).map(String::as_str) {
        None | Some("") => Ok(None),
        Some(text) => NaiveDate::parse_from_str(text, "%Y-%m-%d").map(Some).map_err(|_| Error::Corrupt {
            table: VictimRegistration::TABLE,
            record_ref: "(latest registration_date)".to_owned(),
        }),
    }
}
