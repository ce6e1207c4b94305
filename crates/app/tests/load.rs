//! The load use case: a synthetic dataset loads completely; any invalid row stores nothing.

use std::path::Path;

use chrono::NaiveDate;
use model::Codelists;
use store::Store;

fn synth_dir(dir: &Path, victims: u64) -> NaiveDate {
    let as_of = NaiveDate::from_ymd_opt(2026, 1, 1).expect("date");
    let params = synth::Params { seed: 3, victims, first_year: 2023, last_year: 2025, as_of };
    synth::write_csv(&params, Codelists::embedded(), dir).expect("synth");
    as_of
}

#[test]
fn a_synthetic_dataset_loads_into_one_submission_per_provider_and_quarter() {
    let tmp = tempfile::tempdir().expect("tmp");
    let as_of = synth_dir(tmp.path(), 2000);
    let mut store = Store::open_sqlite(&tmp.path().join("hub.sqlite")).expect("open");
    let report =
        app::load::load_dir(&mut store, tmp.path(), Codelists::embedded(), "PT", as_of).expect("load");
    assert_eq!(report.records[0], 2000);
    let subs = store.submissions().expect("subs");
    assert_eq!(subs.len(), report.submissions);
    let mut keys: Vec<_> = subs.iter().map(|(s, _)| (s.provider_id.clone(), s.period)).collect();
    let n = keys.len();
    keys.dedup();
    assert_eq!(keys.len(), n, "one submission per provider and quarter");
    assert!(subs.iter().all(|(s, _)| s.codelist_version == Codelists::embedded().version()));
    let total: u64 = subs.iter().map(|(s, _)| u64::from(s.record_count)).sum();
    assert_eq!(total as usize, report.records.iter().sum::<usize>());
    assert_eq!(store.victims(Codelists::embedded()).expect("victims").len(), 2000);
}

#[test]
fn one_invalid_row_stores_nothing_and_names_file_row_field_rule() {
    let tmp = tempfile::tempdir().expect("tmp");
    let as_of = synth_dir(tmp.path(), 500);
    let victims = tmp.path().join("victims.csv");
    let text = std::fs::read_to_string(&victims).expect("read");
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    // Break the age of the 10th data row: set it to 130.
    let header: Vec<&str> = lines[0].split(',').collect();
    let age_col = header.iter().position(|c| *c == "age_at_registration").expect("age column");
    let mut cells: Vec<String> = lines[10].split(',').map(str::to_owned).collect();
    cells[age_col] = "130".into();
    lines[10] = cells.join(",");
    std::fs::write(&victims, lines.join("\n") + "\n").expect("write");

    let mut store = Store::open_sqlite(&tmp.path().join("hub.sqlite")).expect("open");
    let err =
        app::load::load_dir(&mut store, tmp.path(), Codelists::embedded(), "PT", as_of).expect_err("invalid");
    let msg = err.to_string();
    assert!(
        msg.contains("victims.csv") && msg.contains("row 10") && msg.contains("age_at_registration"),
        "{msg}"
    );
    assert!(msg.contains("age.range") && !msg.contains("130"), "{msg}");
    assert!(store.submissions().expect("subs").is_empty());
    assert!(store.victims(Codelists::embedded()).expect("victims").is_empty());
}
