//! Canonical CSV files of one record type (`victims.csv`, `suspects.csv`, …).

use std::path::Path;

use model::text::parse_and_validate;
use model::{Codelists, Context, ModelRecord, Valid, ValidationError};

use crate::{Error, Result, map_header};

/// What reading one file produced: the valid records and every invalid row.
#[derive(Debug)]
pub struct ReadOutcome<R> {
    /// Records that passed every rule, in file order.
    pub valid: Vec<Valid<R>>,
    /// One error per invalid row, in file order.
    pub errors: Vec<ValidationError>,
}

/// Reads a canonical CSV file of record type `R`, validating each row against `ctx`.
#[tracing::instrument(skip_all, fields(record_type = R::TYPE.to_string()))]
pub fn read_records<R: ModelRecord>(
    path: &Path,
    lists: &Codelists,
    ctx: &Context<'_>,
) -> Result<ReadOutcome<R>> {
    let file = std::fs::File::open(path).map_err(|source| Error::Io { file: path.to_owned(), source })?;
    let mut rdr =
        csv::ReaderBuilder::new().has_headers(true).flexible(true).from_reader(std::io::BufReader::new(file));
    let header = rdr.headers().map_err(|_| Error::Csv { file: path.to_owned(), row: 1 })?.clone();
    let positions = map_header(path, &header, R::COLUMNS)?;
    let mut outcome = ReadOutcome { valid: Vec::new(), errors: Vec::new() };
    let mut record = csv::StringRecord::new();
    let mut row: u64 = 1;
    loop {
        row += 1;
        match rdr.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(_) => return Err(Error::Csv { file: path.to_owned(), row }),
        }
        if record.len() != header.len() {
            outcome.errors.push(ValidationError {
                record_type: R::TYPE,
                row: Some(row - 1),
                record_ref: None,
                violations: vec![model::Violation { field: "*", rule: model::Rule::ColumnCount }],
            });
            continue;
        }
        let values: Vec<&str> = positions.iter().map(|&p| record.get(p).unwrap_or("")).collect();
        match parse_and_validate::<R>(&values, row - 1, lists, ctx) {
            Ok(v) => outcome.valid.push(v),
            Err(e) => outcome.errors.push(e),
        }
    }
    tracing::debug!(valid = outcome.valid.len(), invalid = outcome.errors.len(), "file read");
    Ok(outcome)
}
