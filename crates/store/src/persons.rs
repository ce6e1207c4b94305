//! Persons: the latest de-duplication of victim registrations, computed by the program and
//! stored as a whole (`person`, and the membership `victim_person`), with cheap counts over it.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use model::codes::VictimStatus;
use model::{ModelCode, ProviderId, RecordRef};

use crate::dialect;
use crate::error::{Error, Result};
use crate::tx::{Tx, Value};

/// One person: the registrations of the same individual, counted once.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct PersonRow {
    /// The person's id in this de-duplication (not stable across runs).
    pub person_id: u32,
    /// The strongest status among the person's registrations.
    pub status: VictimStatus,
    /// The earliest registration date.
    pub first_registration_date: NaiveDate,
    /// How many registrations form the person.
    pub registrations: u32,
    /// How many providers registered the person.
    pub providers: u32,
}

/// Counts persons and their memberships.
pub(crate) const COUNTS_SQL: &str = "SELECT (SELECT CAST(COUNT(*) AS TEXT) FROM person), \
     (SELECT CAST(COUNT(*) AS TEXT) FROM victim_person)";

/// Persons per number of registrations.
pub(crate) const BY_REGISTRATIONS_SQL: &str =
    "SELECT CAST(registrations AS TEXT), CAST(COUNT(*) AS TEXT) FROM person GROUP BY registrations";

/// A membership of a registration in a person: owned or borrowed (provider, record, person).
pub trait Member {
    /// The registering provider.
    fn provider(&self) -> &ProviderId;
    /// The provider's record reference.
    fn record(&self) -> &RecordRef;
    /// The person number.
    fn person(&self) -> u32;
}

impl Member for (ProviderId, RecordRef, u32) {
    fn provider(&self) -> &ProviderId {
        &self.0
    }
    fn record(&self) -> &RecordRef {
        &self.1
    }
    fn person(&self) -> u32 {
        self.2
    }
}

impl Member for (&ProviderId, &RecordRef, u32) {
    fn provider(&self) -> &ProviderId {
        self.0
    }
    fn record(&self) -> &RecordRef {
        self.1
    }
    fn person(&self) -> u32 {
        self.2
    }
}

/// Replaces both person tables.
pub(crate) fn replace<M: Member>(tx: &mut Tx<'_>, persons: &[PersonRow], members: &[M]) -> Result<()> {
    replace_with(
        tx,
        persons,
        members.len(),
        members.iter().map(|m| (m.provider().as_str(), m.record().as_str(), m.person())),
    )
}

/// Replaces both person tables with `persons` and `members` (provider id, record reference,
/// person id) — `n` of them, fastest in (provider, record) order.
pub(crate) fn replace_with<'m>(
    tx: &mut Tx<'_>,
    persons: &[PersonRow],
    n: usize,
    members: impl Iterator<Item = (&'m str, &'m str, u32)> + Clone,
) -> Result<()> {
    check(persons, members.clone())?;
    tx.batch(dialect::clear_persons_sql(tx.backend()))?;
    tx.bulk_insert(
        "person",
        ["person_id", "status", "first_registration_date", "registrations", "providers"],
        persons.iter().map(|p| {
            [
                Value::BigInt(p.person_id.into()),
                Value::Text(p.status.code()),
                Value::Date(p.first_registration_date),
                Value::BigInt(p.registrations.into()),
                Value::BigInt(p.providers.into()),
            ]
        }),
    )?;
    tx.bulk_insert(
        "victim_person",
        ["provider_id", "record_ref", "person_id"],
        members.map(|(provider, record, person)| {
            [Value::Text(provider), Value::Text(record), Value::BigInt(person.into())]
        }),
    )?;
    tracing::debug!(persons = persons.len(), members = n, "persons replaced");
    Ok(())
}

/// Person ids are unique, every member belongs to one of the persons, and no registration is a
/// member twice (checked here, the tables having no keys to check it, and so that the error says
/// what is wrong).
fn check<'m>(
    persons: &[PersonRow],
    members: impl Iterator<Item = (&'m str, &'m str, u32)> + Clone,
) -> Result<()> {
    let mut ids: Vec<u32> = persons.iter().map(|p| p.person_id).collect();
    ids.sort_unstable();
    if ids.windows(2).any(|w| w[0] == w[1]) {
        return Err(Error::InconsistentPersons("a person id is repeated"));
    }
    // A registration belongs to one person only: members in strictly ascending (provider,
    // reference) order are distinct; otherwise they are sorted to be compared.
    let mut previous: Option<(&str, &str)> = None;
    let mut ascending = true;
    for (provider, record, person) in members.clone() {
        if ids.binary_search(&person).is_err() {
            return Err(Error::InconsistentPersons("a registration belongs to an unknown person"));
        }
        ascending &= previous.is_none_or(|p| p < (provider, record));
        previous = Some((provider, record));
    }
    if !ascending {
        let mut registrations: Vec<(&str, &str)> = members.map(|(p, r, _)| (p, r)).collect();
        registrations.sort_unstable();
        if registrations.windows(2).any(|w| w[0] == w[1]) {
            return Err(Error::InconsistentPersons("a registration belongs to more than one person"));
        }
    }
    Ok(())
}

/// Every person, sorted by id.
pub(crate) fn all(tx: &mut Tx<'_>) -> Result<Vec<PersonRow>> {
    let sql = format!(
        "SELECT CAST(person_id AS TEXT), status, {}, CAST(registrations AS TEXT), CAST(providers AS TEXT) \
         FROM person",
        dialect::text_expr(tx.backend(), dialect::ColumnKind::Date, "first_registration_date")
    );
    let mut out = Vec::new();
    tx.for_each_row(&sql, &[], |row| {
        let corrupt = || Error::Corrupt { table: "person", record_ref: safe_id(row[0]) };
        out.push(PersonRow {
            person_id: row[0].parse().map_err(|_| corrupt())?,
            status: VictimStatus::from_code(row[1]).ok_or_else(corrupt)?,
            first_registration_date: dialect::parse_date(row[2]).ok_or_else(corrupt)?,
            registrations: row[3].parse().map_err(|_| corrupt())?,
            providers: row[4].parse().map_err(|_| corrupt())?,
        });
        Ok(())
    })?;
    out.sort_by_key(|p| p.person_id);
    Ok(out)
}

/// A person id as text, for an error message (digits only, else a placeholder).
fn safe_id(text: &str) -> String {
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        text.to_owned()
    } else {
        "(person)".to_owned()
    }
}

/// (persons, registrations that belong to a person).
pub(crate) fn counts(tx: &mut Tx<'_>) -> Result<(u64, u64)> {
    let rows = tx.rows(COUNTS_SQL, &[])?;
    let corrupt = || Error::Corrupt { table: "person", record_ref: "(count)".to_owned() };
    let row = rows.first().ok_or_else(corrupt)?;
    let n = |i: usize| row.get(i).and_then(|c| c.parse().ok()).ok_or_else(corrupt);
    Ok((n(0)?, n(1)?))
}

/// How many persons have 1, 2, 3… registrations, sorted by the number of registrations.
pub(crate) fn by_registration_count(tx: &mut Tx<'_>) -> Result<Vec<(u32, u64)>> {
    let mut out = BTreeMap::new();
    tx.for_each_row(BY_REGISTRATIONS_SQL, &[], |row| {
        let corrupt = || Error::Corrupt { table: "person", record_ref: "(registrations)".to_owned() };
        let registrations: u32 = row[0].parse().map_err(|_| corrupt())?;
        let persons: u64 = row[1].parse().map_err(|_| corrupt())?;
        *out.entry(registrations).or_insert(0) += persons;
        Ok(())
    })?;
    Ok(out.into_iter().collect())
}
