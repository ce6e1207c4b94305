//! Integration tests of the canonical CSV reader and the provider register reader.

mod profile;
mod read;

use std::io::Write as _;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use model::{Codelists, Context, ModelRecord, Suspect, VictimRegistration};

fn ctx() -> Context<'static> {
    Context {
        reporting_country: model::Code::parse("PT", Codelists::embedded()).expect("PT"),
        as_of: NaiveDate::from_ymd_opt(2026, 1, 1).expect("date"),
        providers: None,
    }
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::File::create(&p).and_then(|mut f| f.write_all(text.as_bytes())).expect("write");
    p
}

const VICTIM_ROW: &str = "V-1,PT-PJ,2025-03-10,SIGNALLED,2025-03-10,,,F,,34,Y_GE18,,BR,,PT,PT1A0,,PT-11,DESTINATION,SEXUAL,SEXUAL,,,,,,,,Y,,N,N,,1,2025-03-10T00:00:00Z,,";

fn victims_file(rows: &[&str]) -> String {
    let mut s = VictimRegistration::COLUMNS.join(",");
    s.push('\n');
    for r in rows {
        s.push_str(r);
        s.push('\n');
    }
    s
}

#[test]
fn reads_valid_rows_and_reports_invalid_ones_with_row_field_rule() {
    let dir = tempfile::tempdir().expect("tmp");
    let bad_age = VICTIM_ROW.replace(",34,", ",130,");
    let bad_sex = VICTIM_ROW.replace(",F,", ",Feminino,").replace("V-1,", "V-3,");
    let p = write(dir.path(), "victims.csv", &victims_file(&[VICTIM_ROW, &bad_age, &bad_sex]));
    let out = ingest::read_records::<VictimRegistration>(&p, Codelists::embedded(), &ctx()).expect("read");
    assert_eq!(out.valid.len(), 1);
    assert_eq!(out.errors.len(), 2);
    assert_eq!(out.errors[0].row, Some(2));
    assert_eq!(out.errors[0].violations[0].field, "age_at_registration");
    assert_eq!(out.errors[0].violations[0].rule.code(), "age.range");
    assert_eq!(out.errors[1].row, Some(3));
    assert_eq!(out.errors[1].violations[0].rule.code(), "code.not_in_codelist");
    assert!(!out.errors[1].to_string().contains("Feminino"));
}

#[test]
fn columns_are_matched_by_name_in_any_order() {
    let dir = tempfile::tempdir().expect("tmp");
    let cols = VictimRegistration::COLUMNS;
    let vals: Vec<&str> = VICTIM_ROW.split(',').collect();
    let order: Vec<usize> = (0..cols.len()).rev().collect();
    let header: Vec<&str> = order.iter().map(|&i| cols[i]).collect();
    let row: Vec<&str> = order.iter().map(|&i| vals[i]).collect();
    let p = write(dir.path(), "v.csv", &format!("\u{feff}{}\n{}\n", header.join(","), row.join(",")));
    let out = ingest::read_records::<VictimRegistration>(&p, Codelists::embedded(), &ctx()).expect("read");
    assert_eq!(out.valid.len(), 1, "{:?}", out.errors);
}

#[test]
fn header_problems_are_file_errors_without_echoing_the_name() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut header = VictimRegistration::COLUMNS.join(",");
    header.push_str(",full_name");
    let p = write(dir.path(), "v.csv", &format!("{header}\n"));
    let err =
        ingest::read_records::<VictimRegistration>(&p, Codelists::embedded(), &ctx()).expect_err("unknown");
    let text = err.to_string();
    assert!(text.contains("v.csv") && text.contains("column 38"), "{text}");
    assert!(!text.contains("full_name"), "{text}");

    let header = Suspect::COLUMNS[1..].join(",");
    let p = write(dir.path(), "s.csv", &format!("{header}\n"));
    let err = ingest::read_records::<Suspect>(&p, Codelists::embedded(), &ctx()).expect_err("missing");
    assert!(err.to_string().contains("`record_ref` is missing"), "{err}");
}

#[test]
fn short_rows_and_bad_bytes_are_errors_not_panics() {
    let dir = tempfile::tempdir().expect("tmp");
    let p = write(dir.path(), "v.csv", &victims_file(&["V-1,PT-PJ"]));
    let out = ingest::read_records::<VictimRegistration>(&p, Codelists::embedded(), &ctx()).expect("read");
    assert_eq!(out.errors.len(), 1);
    assert_eq!(out.errors[0].violations[0].rule.code(), "row.column_count");

    let mut bytes = victims_file(&[]).into_bytes();
    bytes.extend_from_slice(b"V-1,\xff\xfe\n");
    let p = dir.path().join("bin.csv");
    std::fs::write(&p, bytes).expect("write");
    let err =
        ingest::read_records::<VictimRegistration>(&p, Codelists::embedded(), &ctx()).expect_err("utf8");
    assert!(err.to_string().contains("row 2"), "{err}");

    let err = ingest::read_records::<VictimRegistration>(
        &dir.path().join("missing.csv"),
        Codelists::embedded(),
        &ctx(),
    )
    .expect_err("missing");
    assert!(err.to_string().contains("missing.csv"));
}

#[test]
fn provider_register_is_read_and_checked() {
    let dir = tempfile::tempdir().expect("tmp");
    let text = format!(
        "{}\nPT-PJ,Polícia Judiciária,POLICE,PT,PT1A0,true,VICTIM|SUSPECT,2010-01-01,\nPT-X,Someone,SHERIFF,PT,,maybe,,2010-13-01,\n",
        ingest::PROVIDER_COLUMNS.join(",")
    );
    let p = write(dir.path(), "providers.csv", &text);
    let (ok, bad) = ingest::read_providers(&p, Codelists::embedded()).expect("read");
    assert_eq!(ok.len(), 1);
    assert_eq!(ok[0].submits.len(), 2);
    assert_eq!(bad.len(), 1);
    assert_eq!(bad[0].row, 2);
    let fields: Vec<_> = bad[0].violations.iter().map(|v| v.field).collect();
    assert_eq!(fields, ["provider_type", "can_formally_identify", "submits", "valid_from"]);
}
