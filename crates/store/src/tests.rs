//! Unit tests of the crate's internals: migrations on disk, SQL placeholders, dialect helpers.

use std::collections::BTreeSet;

use crate::dialect::{copy_escape, quoted_schema, redact_url};
use crate::{codelists, links, migrate, persons, profiles, providers, records, submissions};

fn sql_files(dir: &str) -> BTreeSet<String> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations").join(dir);
    std::fs::read_dir(&path)
        .expect("migrations directory exists")
        .map(|e| e.expect("readable entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".sql"))
        .collect()
}

#[test]
fn both_migration_dirs_hold_the_same_files_and_all_are_embedded() {
    let sqlite = sql_files("sqlite");
    let postgres = sql_files("postgres");
    assert_eq!(sqlite, postgres, "migrations/sqlite and migrations/postgres must list the same file names");
    let embedded: BTreeSet<String> = migrate::MIGRATIONS.iter().map(|m| m.name.to_owned()).collect();
    assert_eq!(embedded, sqlite, "every migration file must be listed in migrate::MIGRATIONS");
    for (i, m) in migrate::MIGRATIONS.iter().enumerate() {
        assert_eq!(m.version as usize, i + 1, "migrations are numbered 1, 2, … in order");
        assert_eq!(m.name[..4].parse::<u32>().ok(), Some(m.version), "{} starts with its number", m.name);
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
        let on_disk =
            |d: &str| std::fs::read_to_string(dir.join(d).join(m.name)).expect("readable migration");
        assert_eq!(on_disk("sqlite"), m.sqlite);
        assert_eq!(on_disk("postgres"), m.postgres);
    }
    assert_eq!(migrate::MIGRATIONS.last().map(|m| m.version), Some(migrate::LATEST));
}

/// SQLite numbers `$N` parameters in order of first appearance, so `$1, $2…` must first
/// appear in that order for positional binding to mean the same on both engines.
fn placeholders_in_order(sql: &str) -> bool {
    let mut seen = Vec::new();
    let b = sql.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'$' {
            let digits: String = sql[i + 1..].chars().take_while(char::is_ascii_digit).collect();
            if let Ok(n) = digits.parse::<usize>()
                && !seen.contains(&n)
            {
                if n != seen.len() + 1 {
                    return false;
                }
                seen.push(n);
            }
            i += 1 + digits.len();
        } else {
            i += 1;
        }
    }
    true
}

#[test]
fn placeholders_first_appear_in_order() {
    let all = [
        codelists::BUNDLE_SQL,
        codelists::LIST_SQL,
        codelists::CODE_SQL,
        codelists::VERSIONS_SQL,
        providers::UPSERT_SQL,
        providers::UPDATE_SQL,
        profiles::INSERT_SQL,
        submissions::EXISTS_SQL,
        submissions::PROVIDER_IDS_SQL,
        submissions::INSERT_SQL,
        submissions::LIVE_SQL,
        submissions::MAX_REVISION_SQL,
        submissions::SET_STATUS_SQL,
        submissions::SUPERSEDED_BY_SQL,
        submissions::DELETE_MEMBERS_SQL,
        submissions::SPAN_SQL,
        submissions::DELETE_SPAN_MEMBERS_SQL,
        submissions::DELETE_SPAN_VICTIMS_SQL,
        submissions::DELETE_SPAN_SQL,
        records::SPAN_UPSERT_SQL,
        submissions::STATUS_SQL,
        submissions::CLOSE_SQL,
        submissions::NEXT_EVENT_SQL,
        submissions::INSERT_EVENT_SQL,
        links::ELIGIBLE_SQL,
        persons::COUNTS_SQL,
        persons::BY_REGISTRATIONS_SQL,
        records::VICTIM_COUNTS_SQL,
        records::LAST_VICTIM_DATE_SQL,
        migrate::CREATE_VERSION_TABLE_SQL,
        migrate::CURRENT_VERSION_SQL,
        migrate::RECORD_VERSION_SQL,
    ];
    for sql in all {
        assert!(placeholders_in_order(sql), "placeholders out of order in: {sql}");
    }
    assert!(!placeholders_in_order("SELECT $2, $1"));
    assert!(placeholders_in_order("SELECT $1, $2, $1"));
}

#[test]
fn link_columns_are_where_the_model_puts_them() {
    use model::ModelRecord as _;
    let columns = model::VictimRegistration::COLUMNS;
    assert_eq!(columns[links::REGISTRATION_DATE], "registration_date");
    assert_eq!(columns[links::STATUS], "status");
    assert_eq!(columns[links::LINKED_REFS], "linked_record_refs");
    for (i, name) in ["record_ref", "provider_id"].iter().enumerate() {
        for columns in [
            model::VictimRegistration::COLUMNS,
            model::Suspect::COLUMNS,
            model::Prosecution::COLUMNS,
            model::CourtDecision::COLUMNS,
        ] {
            assert_eq!(columns[i], *name, "`Encoded` reads the reference and provider by position");
        }
    }
}

#[test]
fn dates_are_written_and_parsed_as_iso_text() {
    use crate::dialect::{date_text, parse_date};
    for (y, m, d) in [(2025, 1, 2), (1990, 12, 31), (9999, 6, 9), (24, 2, 29)] {
        let date = chrono::NaiveDate::from_ymd_opt(y, m, d).expect("valid date");
        assert_eq!(date_text(date), date.format("%Y-%m-%d").to_string());
        assert_eq!(parse_date(&date_text(date)), Some(date));
        let digits = crate::dialect::date_digits(date).expect("a year of four digits");
        assert_eq!(std::str::from_utf8(&digits).ok(), Some(date_text(date).as_str()));
    }
    for (y, m, d) in [(10_000, 1, 1), (-1, 12, 31)] {
        let date = chrono::NaiveDate::from_ymd_opt(y, m, d).expect("valid date");
        assert_eq!(crate::dialect::date_digits(date), None);
        assert_eq!(date_text(date), format!("{:04}-{:02}-{:02}", y, m, d));
    }
    for bad in ["", "2025-1-02", "2025-13-01", "2025-02-30", "2025/01/02", "2025-01-0x", "+2025-01-01"] {
        assert_eq!(parse_date(bad), None, "{bad:?}");
    }
}

#[test]
fn connection_strings_are_redacted() {
    assert_eq!(redact_url("postgres://mosy:s3cret@db:5432/mosy"), "postgres://mosy:***@db:5432/mosy");
    assert_eq!(
        redact_url("postgresql://u:p%40ss@h/db?sslmode=disable"),
        "postgresql://u:***@h/db?sslmode=disable"
    );
    assert_eq!(
        redact_url("postgres://postgres@127.0.0.1:5432/test"),
        "postgres://postgres@127.0.0.1:5432/test"
    );
    assert_eq!(
        redact_url("postgres://h/db?user=u&password=pw&x=1"),
        "postgres://h/db?user=u&password=***&x=1"
    );
    assert_eq!(redact_url("host=h user=u password=pw dbname=d"), "host=h user=u password=*** dbname=d");
    assert_eq!(redact_url("host=h PASSWORD='a b' dbname=d"), "host=h PASSWORD=*** dbname=d");
    assert_eq!(redact_url("postgres://u:a@b@h/db"), "postgres://u:***@h/db");
}

#[test]
fn copy_text_format_escapes_its_reserved_characters() {
    let mut out = String::new();
    copy_escape("a\\b\tc\nd\re|f", &mut out);
    assert_eq!(out, "a\\\\b\\tc\\nd\\re|f");
}

#[test]
fn schema_names_are_plain_identifiers() {
    assert_eq!(quoted_schema("mosy_t_1_2_3").ok().as_deref(), Some("\"mosy_t_1_2_3\""));
    for bad in ["", "1abc", "Abc", "a-b", "a\"b", "a;drop", &"a".repeat(64)] {
        assert!(quoted_schema(bad).is_err(), "{bad:?} must be refused");
    }
}

#[test]
fn a_record_encoded_into_used_buffers_is_encoded_as_a_fresh_one() {
    use model::ModelRecord as _;

    use crate::records::Encoded;
    let lists = model::Codelists::embedded();
    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).expect("date");
    let params = synth::Params { seed: 7, victims: 200, first_year: 2023, last_year: 2025, as_of };
    let data = synth::generate(&params, lists);
    let reporting_country = model::Code::parse("PT", lists).expect("country");
    let ctx = model::Context { reporting_country, as_of, providers: None };
    let valid: Vec<_> = data.victims.into_iter().filter_map(|v| v.validate(&ctx).ok()).collect();
    assert!(valid.len() > 100, "most synthetic records are valid");
    // With and without linkage keys, long and short: every buffer is reused by a different record.
    let mut reused = Encoded::new(&valid[0]).expect("encoded");
    for record in valid.iter().rev() {
        let fresh = Encoded::new(record).expect("encoded");
        reused.renew(record).expect("renewed");
        assert_eq!(reused.canonical_line(), fresh.canonical_line());
        assert_eq!(reused.packed(), fresh.packed());
        assert_eq!(reused.key_bytes(), fresh.key_bytes());
        assert_eq!(reused.reference_date(), fresh.reference_date());
        for k in 0..model::VictimRegistration::COLUMNS.len() {
            assert_eq!(reused.value(k), fresh.value(k));
        }
    }
}
