//! `mosy prepare`: runs at the provider, offline. Reads a raw export that may contain names,
//! birth dates and document numbers; maps it with the provider's profile; derives what the model
//! needs (age at registration); computes the keyed linkage keys from the identity attributes; and
//! writes a submission file with model fields and linkage keys only.
//!
//! Identity values live only in memory for the duration of one row: they never reach the output,
//! the report, an error message or a log line.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use ingest::profile::{MapIssue, Mapper, Profile};
use ingest::read::ReadOptions;
use model::code::Country;
use model::codes::RecordType;
use model::text::parse_and_validate;
use model::{Code, Codelists, Context, CourtDecision, ModelRecord, Prosecution, Suspect, VictimRegistration};
use privacy::LinkageSecret;

use crate::report::{Issue, Report};
use crate::{Error, Result};

/// One preparation.
pub struct PrepareRequest<'a> {
    /// The raw export.
    pub raw: PathBuf,
    /// The provider's mapping profile (with an `[identity]` section for linkage keys).
    pub profile: &'a Profile,
    /// The provider-held linkage secret.
    pub secret: &'a LinkageSecret,
    /// The submission file to write (canonical CSV).
    pub out: PathBuf,
    /// Reader options.
    pub read: ReadOptions,
    /// The hub's country.
    pub reporting_country: Code<Country>,
    /// Extraction date.
    pub as_of: NaiveDate,
}

/// What a preparation produced.
#[derive(Clone, Debug)]
pub struct PrepareResult {
    /// Problems (rows with problems are left out of the output).
    pub report: Report,
    /// Rows written.
    pub written: u64,
    /// Rows written with at least one linkage key.
    pub with_keys: u64,
}

/// Runs a preparation.
#[tracing::instrument(skip_all)]
pub fn prepare(lists: &Codelists, req: &PrepareRequest<'_>) -> Result<PrepareResult> {
    match req.profile.record_type() {
        RecordType::Victim => run::<VictimRegistration>(lists, req),
        RecordType::Suspect => run::<Suspect>(lists, req),
        RecordType::Prosecution => run::<Prosecution>(lists, req),
        RecordType::CourtDecision => run::<CourtDecision>(lists, req),
    }
}

fn run<R: ModelRecord>(lists: &Codelists, req: &PrepareRequest<'_>) -> Result<PrepareResult> {
    let mut src = ingest::read::open(&req.raw, &req.read)?;
    let headers = src.headers().to_vec();
    let mapper = Mapper::new(req.profile, &headers, lists, false)?;
    let ctx = Context { reporting_country: req.reporting_country, as_of: req.as_of, providers: None };
    let tmp = temp_path(&req.out);
    let io = |source| Error::Io { path: tmp.clone(), source };
    let file = std::fs::File::create(&tmp).map_err(io)?;
    let mut w = csv::Writer::from_writer(std::io::BufWriter::new(file));
    w.write_record(R::COLUMNS).map_err(|e| io(e.into()))?;
    let raw_name = req.raw.display().to_string();
    let key_col = R::COLUMNS.iter().position(|c| *c == "linkage_keys");
    let key_id_col = R::COLUMNS.iter().position(|c| *c == "linkage_key_id");
    let mut report = Report::default();
    let (mut written, mut with_keys) = (0u64, 0u64);
    let mut canon = Vec::new();
    let mut issues: Vec<MapIssue> = Vec::new();
    while src.advance()? {
        let row = src.row();
        report.rows_read += 1;
        issues.clear();
        mapper.map_row(&|i| src.value(i), &mut canon, &mut issues);
        if !issues.is_empty() {
            for i in &issues {
                report.push(Issue {
                    file: raw_name.clone(),
                    row: Some(row),
                    column: i.column.clone(),
                    field: Some(i.field.to_owned()),
                    rule: i.rule.code().to_owned(),
                    hint: i.hint.clone(),
                });
            }
            continue;
        }
        if let (Some(kc), Some(kic)) = (key_col, key_id_col) {
            let keys: BTreeSet<model::LinkageKey> = mapper
                .identity(&|i| src.value(i))
                .map(|identity| privacy::linkage_keys(&identity, req.secret))
                .unwrap_or_default();
            if keys.is_empty() {
                canon[kc].clear();
                canon[kic].clear();
            } else {
                with_keys += 1;
                canon[kc] = keys.iter().map(ToString::to_string).collect::<Vec<_>>().join("|");
                canon[kic] = req.secret.key_id().to_string();
            }
        }
        let values: Vec<&str> = canon.iter().map(String::as_str).collect();
        match parse_and_validate::<R>(&values, row, lists, &ctx) {
            Ok(_) => {
                w.write_record(&canon).map_err(|e| io(e.into()))?;
                written += 1;
                report.rows_valid += 1;
            }
            Err(e) => {
                for v in &e.violations {
                    report.push(Issue {
                        file: raw_name.clone(),
                        row: Some(row),
                        column: req.profile.source_column(v.field).map(str::to_owned),
                        field: Some(v.field.to_owned()),
                        rule: v.rule.code().to_owned(),
                        hint: v.rule.message(),
                    });
                }
            }
        }
    }
    w.flush().map_err(io)?;
    drop(w);
    std::fs::rename(&tmp, &req.out).map_err(|source| Error::Io { path: req.out.clone(), source })?;
    tracing::info!(written, with_keys, problems = report.total(), "prepared");
    Ok(PrepareResult { report, written, with_keys })
}

/// Written next to the target and renamed at the end, so a failed run leaves no half file.
fn temp_path(out: &Path) -> PathBuf {
    let mut name = out.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".partial");
    out.with_file_name(name)
}
