//! The import pipeline over many batches: problems are reported in row order with their exact
//! row numbers, and under `accept-valid` exactly the valid rows are stored, as one thread would.

use std::collections::BTreeSet;

use app::intake::{ImportRequest, Policy};
use model::{Codelists, ModelRecord, ProviderId};
use store::Store;

#[test]
fn problems_come_in_row_order_and_valid_rows_are_stored_across_batches() -> anyhow::Result<()> {
    let lists = Codelists::embedded();
    let dir = tempfile::tempdir()?;
    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).expect("date");
    let params = synth::Params { seed: 9, victims: 8_000, first_year: 2024, last_year: 2025, as_of };
    synth::write_csv(&params, lists, dir.path())?;

    // One provider's victims, with problems planted every few hundred rows: an unknown sex code,
    // a phone number in a coded cell (personal data) and an impossible date.
    let mut reader = csv::Reader::from_path(dir.path().join("victims.csv"))?;
    let headers = reader.headers()?.clone();
    let column = |name: &str| headers.iter().position(|h| h == name).expect("column");
    let (provider_col, sex_col, district_col, date_col) =
        (column("provider_id"), column("sex"), column("district"), column("registration_date"));
    let all: Vec<csv::StringRecord> = reader.records().collect::<Result<Vec<_>, _>>()?;
    let mut counts: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for r in &all {
        *counts.entry(&r[provider_col]).or_default() += 1;
    }
    let provider =
        counts.iter().max_by_key(|(p, n)| (**n, std::cmp::Reverse(**p))).map(|(p, _)| (*p).to_owned());
    let provider = provider.expect("a provider");
    let rows: Vec<csv::StringRecord> = all.iter().filter(|r| r[provider_col] == provider).cloned().collect();
    assert!(rows.len() > 1_200, "enough rows for several batches: {}", rows.len());
    let path = dir.path().join("pj.csv");
    let mut w = csv::Writer::from_path(&path)?;
    w.write_record(&headers)?;
    let mut expected = Vec::new();
    let mut broken = BTreeSet::new();
    for (i, row) in rows.iter().enumerate() {
        let number = i as u64 + 1;
        let mut values: Vec<String> = row.iter().map(str::to_owned).collect();
        let rule = match i % 197 {
            11 => {
                values[sex_col] = "QQ".into();
                Some("sex")
            }
            101 => {
                values[district_col] = "+351 912 345 678".into();
                Some("pii.phone")
            }
            211 => {
                values[date_col] = "2025-02-30".into();
                Some("registration_date")
            }
            _ => None,
        };
        if let Some(rule) = rule {
            expected.push((number, rule));
            broken.insert(number);
        }
        w.write_record(&values)?;
    }
    w.flush()?;

    let mut store = Store::open_sqlite(&dir.path().join("hub.db"))?;
    store.sync_codelists(lists)?;
    app::load::load_providers(&mut store, &dir.path().join("providers.csv"), lists)?;
    let req = ImportRequest {
        provider: ProviderId::new(&provider).expect("provider"),
        files: vec![path],
        profile: None,
        policy: Policy::AcceptValid,
        read: ingest::read::ReadOptions::standard(),
        reporting_country: model::Code::parse("PT", lists).expect("PT"),
        as_of,
        submitted_at: chrono::Utc::now(),
    };
    let result = app::intake::import(&mut store, lists, &req, &mut |_| {})?;
    // Personal data rejects the import even under accept-valid: nothing is stored.
    assert!(!result.committed);
    let got: Vec<(u64, String, Option<String>)> = result
        .report
        .issues()
        .iter()
        .map(|i| (i.row.expect("a row"), i.rule.clone(), i.field.clone()))
        .collect();
    assert_eq!(got.len(), expected.len(), "one problem per broken row: {got:?}");
    for ((row, rule, field), (want_row, want)) in got.iter().zip(&expected) {
        assert_eq!(row, want_row);
        assert!(
            rule == want || field.as_deref() == Some(want),
            "row {row}: {rule} / {field:?}, expected {want}"
        );
    }
    assert_eq!(result.report.rows_read, rows.len() as u64);
    assert_eq!(result.report.rows_valid, (rows.len() - broken.len()) as u64);
    assert!(store.victims(lists)?.is_empty());

    // Without the personal data, accept-valid stores exactly the valid rows.
    let path = dir.path().join("pj2.csv");
    let mut w = csv::Writer::from_path(&path)?;
    w.write_record(&headers)?;
    let mut valid = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let mut values: Vec<String> = row.iter().map(str::to_owned).collect();
        if i % 197 == 11 {
            values[sex_col] = "QQ".into();
        } else {
            valid.push(values[0].clone());
        }
        w.write_record(&values)?;
    }
    w.flush()?;
    let result =
        app::intake::import(&mut store, lists, &ImportRequest { files: vec![path], ..req }, &mut |_| {})?;
    assert!(result.committed);
    let stored: Vec<String> = store.victims(lists)?.iter().map(|v| v.record_ref().to_string()).collect();
    valid.sort();
    assert_eq!(stored, valid);
    assert_eq!(result.persons.map(|p| p.registrations), Some(valid.len() as u64));
    Ok(())
}
