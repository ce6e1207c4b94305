//! The provider register file (`providers.csv`): the hub's network of data providers.

use std::collections::BTreeSet;
use std::path::Path;

use chrono::NaiveDate;
use model::code::{Country, Nuts};
use model::codes::{ProviderType, RecordType};
use model::{Code, Codelists, DataProvider, ModelCode, ProviderId, Rule, Violation};

use crate::{Error, Result, map_header};

pub use model::text::PROVIDER_COLUMNS;

/// A provider row that breaks a rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProviderRowError {
    /// 1-based data row.
    pub row: u64,
    /// What is wrong.
    pub violations: Vec<Violation>,
}

impl std::fmt::Display for ProviderRowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "provider (row {})", self.row)?;
        for (i, v) in self.violations.iter().enumerate() {
            write!(f, "{}{v}", if i == 0 { ": " } else { "; " })?;
        }
        Ok(())
    }
}

/// Reads the provider register; returns the providers and the invalid rows.
pub fn read_providers(path: &Path, lists: &Codelists) -> Result<(Vec<DataProvider>, Vec<ProviderRowError>)> {
    let file = std::fs::File::open(path).map_err(|source| Error::Io { file: path.to_owned(), source })?;
    let mut rdr =
        csv::ReaderBuilder::new().has_headers(true).flexible(true).from_reader(std::io::BufReader::new(file));
    let header = rdr.headers().map_err(|_| Error::Csv { file: path.to_owned(), row: 1 })?.clone();
    let positions = map_header(path, &header, PROVIDER_COLUMNS)?;
    let mut providers = Vec::new();
    let mut errors = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let row = i as u64 + 1;
        let rec = rec.map_err(|_| Error::Csv { file: path.to_owned(), row: row + 1 })?;
        let values: Vec<&str> = positions.iter().map(|&p| rec.get(p).unwrap_or("").trim()).collect();
        match parse_provider(&values, lists) {
            Ok(p) => providers.push(p),
            Err(violations) => errors.push(ProviderRowError { row, violations }),
        }
    }
    Ok((providers, errors))
}

fn parse_provider(v: &[&str], lists: &Codelists) -> std::result::Result<DataProvider, Vec<Violation>> {
    let mut out = Vec::new();
    let mut fail = |field: &'static str, rule: Rule| out.push(Violation { field, rule });
    let date = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
    let id = ProviderId::new(v[0]);
    if id.is_none() {
        fail("provider_id", Rule::InvalidIdentifier);
    }
    if v[1].is_empty() {
        fail("name", Rule::Required);
    }
    let provider_type = ProviderType::from_code(v[2]);
    if provider_type.is_none() {
        fail("provider_type", Rule::NotInCodelist(ProviderType::LIST));
    }
    let country = Code::<Country>::parse(v[3], lists);
    if country.is_none() {
        fail("country", Rule::NotInCodelist("country"));
    }
    let nuts = if v[4].is_empty() { None } else { Code::<Nuts>::parse(v[4], lists) };
    if !v[4].is_empty() && nuts.is_none() {
        fail("nuts", Rule::NotInCodelist("nuts"));
    }
    let can_identify = match v[5] {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    };
    if can_identify.is_none() {
        fail("can_formally_identify", Rule::InvalidBool);
    }
    let mut submits = BTreeSet::new();
    for part in v[6].split('|').filter(|s| !s.is_empty()) {
        match RecordType::from_code(part.trim()) {
            Some(t) => {
                submits.insert(t);
            }
            None => fail("submits", Rule::NotInCodelist(RecordType::LIST)),
        }
    }
    if submits.is_empty() {
        fail("submits", Rule::Required);
    }
    let valid_from = date(v[7]);
    if valid_from.is_none() {
        fail("valid_from", Rule::InvalidDate);
    }
    let valid_to = if v[8].is_empty() { None } else { date(v[8]) };
    if !v[8].is_empty() && valid_to.is_none() {
        fail("valid_to", Rule::InvalidDate);
    }
    match (id, provider_type, country, can_identify, valid_from) {
        (Some(id), Some(provider_type), Some(country), Some(can_formally_identify), Some(valid_from))
            if out.is_empty() =>
        {
            Ok(DataProvider {
                id,
                name: v[1].to_owned(),
                provider_type,
                country,
                nuts,
                can_formally_identify,
                submits,
                valid_from,
                valid_to,
            })
        }
        _ => Err(out),
    }
}
