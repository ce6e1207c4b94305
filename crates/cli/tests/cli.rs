//! End-to-end tests of the `mosy` binary: the demo, the generator and the codelist commands.

use std::path::Path;
use std::process::{Command, Output};

fn mosy(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mosy"))
        .args(args)
        .env_remove("MOSY_DATABASE_URL")
        .output()
        .expect("runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn demo_creates_a_fresh_hub_and_prints_the_summary() {
    let dir = tempfile::tempdir().expect("tmp");
    let d = dir.path().to_str().expect("utf8 path");
    let o = mosy(&["demo", "--data-dir", d, "--victims", "3000", "--seed", "7"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = stdout(&o);
    assert!(text.contains("loaded: 18 providers"), "{text}");
    assert!(text.contains("3000 victim registrations"), "{text}");
    assert!(
        text.contains("registrations form") && text.contains("registered by more than one provider"),
        "{text}"
    );
    assert!(text.contains("Records per data provider"), "{text}");
    assert!(text.contains("Victim registrations by sex and main form of exploitation, 2025"), "{text}");
    // The provider table's victim column adds up to what was generated.
    let total =
        text.lines().find(|l| l.starts_with("Total ") || l.starts_with("Total\t")).expect("total row");
    let first_number: u64 =
        total.split_whitespace().nth(1).and_then(|n| n.parse().ok()).expect("a number after Total");
    assert_eq!(first_number, 3000, "{total}");
    assert!(Path::new(d).join("mosy.sqlite").exists());
    assert!(Path::new(d).join("synthetic/victims.csv").exists());

    // Running it again starts afresh (same figures, not doubled).
    let again = mosy(&["demo", "--data-dir", d, "--victims", "3000", "--seed", "7", "--lang", "pt"]);
    assert!(again.status.success());
    let pt = stdout(&again);
    assert!(pt.contains("Registos por fornecedor de dados") && pt.contains("Feminino"), "{pt}");
    let total_pt = pt.lines().find(|l| l.starts_with("Total ")).expect("total row");
    assert_eq!(total_pt.split_whitespace().nth(1), Some("3000"));
}

#[test]
fn synth_is_deterministic_for_a_seed() {
    let a = tempfile::tempdir().expect("tmp");
    let b = tempfile::tempdir().expect("tmp");
    for dir in [&a, &b] {
        let o =
            mosy(&["synth", "--seed", "11", "--victims", "2000", "-o", dir.path().to_str().expect("utf8")]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        assert!(stdout(&o).contains("2000 victim registrations"));
    }
    for f in ["providers.csv", "victims.csv", "suspects.csv", "prosecutions.csv", "court_decisions.csv"] {
        let x = std::fs::read(a.path().join(f)).expect("a");
        let y = std::fs::read(b.path().join(f)).expect("b");
        assert!(x == y, "{f} differs between two runs with the same seed");
    }
}

#[test]
fn codelist_commands() {
    let o = mosy(&["codelist", "list"]);
    assert!(o.status.success());
    let text = stdout(&o);
    assert!(text.contains("exploitation_form") && text.contains("crosswalks"), "{text}");

    let o = mosy(&["codelist", "show", "sex", "--lang", "pt"]);
    assert!(o.status.success());
    assert!(stdout(&o).contains("Feminino"));

    let o = mosy(&["codelist", "show", "no_such_list"]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("no codelist `no_such_list`"));

    let o = mosy(&["codelist", "check"]);
    assert!(o.status.success(), "{}", stdout(&o));
    assert!(stdout(&o).contains("no problems"));
}

#[test]
fn migrate_reports_the_schema_version() {
    let dir = tempfile::tempdir().expect("tmp");
    let o = mosy(&["migrate", "--data-dir", dir.path().to_str().expect("utf8")]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(stdout(&o).starts_with("schema version "));
}
