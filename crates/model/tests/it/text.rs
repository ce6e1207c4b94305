//! Canonical text form: round trips, field-level errors, and robustness on arbitrary input.

use model::text::parse_and_validate;
use model::*;

use crate::support::*;

fn roundtrip<R: ModelRecord + PartialEq + std::fmt::Debug>(r: R) {
    let vals = values(&r);
    assert_eq!(vals.len(), R::COLUMNS.len());
    let refs: Vec<&str> = vals.iter().map(String::as_str).collect();
    let back = R::parse(&refs, lists()).expect("parses");
    assert_eq!(back, r);
}

#[test]
fn every_record_type_round_trips() {
    roundtrip(victim());
    roundtrip(suspect());
    roundtrip(prosecution());
    roundtrip(court_decision());
}

#[test]
fn citizenship_keeps_its_order_and_sets_are_sorted() {
    let vals = values(&victim());
    let col = |name: &str| {
        vals[VictimRegistration::COLUMNS.iter().position(|c| *c == name).expect("column")].clone()
    };
    assert_eq!(col("citizenship"), "NP|IN");
    assert_eq!(col("forms_of_exploitation"), "LABOUR|SERVITUDE");
    assert_eq!(col("means_of_control"), "DebtBondage|WithholdsDocuments");
    assert_eq!(col("updated_at"), "2025-05-02T09:30:00Z");
}

#[test]
fn field_level_errors_name_the_field() {
    let mut vals = values(&victim());
    let cols = VictimRegistration::COLUMNS;
    set(&mut vals, cols, "registration_date", "10/03/2025");
    set(&mut vals, cols, "forms_of_exploitation", "LABOUR|LABOUR");
    set(&mut vals, cols, "record_ref", "Maria Silva");
    set(&mut vals, cols, "age_at_registration", "-3");
    let refs: Vec<&str> = vals.iter().map(String::as_str).collect();
    let err = parse_and_validate::<VictimRegistration>(&refs, 3, lists(), &ctx()).expect_err("errors");
    let got: Vec<_> = err.violations.iter().map(|v| (v.field, v.rule.code())).collect();
    assert_eq!(
        got,
        [
            ("record_ref", "format.identifier"),
            ("registration_date", "format.date"),
            ("age_at_registration", "format.integer"),
            ("forms_of_exploitation", "set.duplicate"),
        ]
    );
    let text = err.to_string();
    assert!(!text.contains("Maria") && !text.contains("10/03"), "no values echoed: {text}");
}

#[test]
fn short_rows_are_reported_not_panicking() {
    let err = VictimRegistration::parse(&["V-1", "PT-PJ"], lists()).expect_err("short");
    assert!(err.iter().any(|v| v.rule == Rule::ColumnCount));
    let err = Suspect::parse(&[], lists()).expect_err("empty");
    assert!(err.iter().any(|v| v.rule == Rule::ColumnCount));
}

#[test]
fn arbitrary_bytes_never_panic() {
    // A small deterministic fuzz: mutate every field of a valid row with awkward strings.
    let nasty = [
        "",
        " ",
        "|",
        "||",
        "UNK|UNK",
        "\u{0}",
        "ç",
        "9999999999999999999",
        "-1",
        "2025-02-30",
        "T",
        "TOTAL",
        "😀",
    ];
    let base = values(&victim());
    for i in 0..base.len() {
        for n in nasty {
            let mut vals = base.clone();
            vals[i] = n.to_owned();
            let refs: Vec<&str> = vals.iter().map(String::as_str).collect();
            let _ = parse_and_validate::<VictimRegistration>(&refs, 1, lists(), &ctx());
        }
    }
}

#[test]
fn periods_parse_and_print() {
    let p: Period = "2025-Q3".parse().expect("period");
    assert_eq!(p.to_string(), "2025-Q3");
    assert_eq!(p.first_day(), d(2025, 7, 1));
    assert_eq!(p.last_day(), d(2025, 9, 30));
    assert_eq!(Period::of_date(d(2024, 12, 31)).to_string(), "2024-Q4");
    for bad in ["2025-Q5", "2025Q1", "25-Q1", "2025-q1", "", "2025-Q0"] {
        assert!(bad.parse::<Period>().is_err(), "{bad}");
    }
}
